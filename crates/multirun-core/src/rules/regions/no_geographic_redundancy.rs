use crate::text::quote::clip;
use std::collections::BTreeSet;

use crate::catalog::{catalog, continent_of_prefix};
use crate::rules::{Context, Report};
use crate::spec::{Region, Routing};

use super::name_list;
use super::unknown_region::is_known;

rule! {
    code: "MR203",
    name: "no-geographic-redundancy",
    severity: Warning,
    summary: "A single region, or regions all on one continent, give no protection against a regional or continent-wide outage.",
    check: check,
}

/// The region's continent: from the catalog, else guessed from the name's prefix.
fn continent(region: &Region) -> Option<&'static str> {
    catalog()
        .get(&region.name)
        .map(|c| c.continent.as_str())
        .or_else(|| continent_of_prefix(&region.name))
}

fn check(cx: &Context, report: &mut Report) {
    let regions = &cx.spec.regions;
    let mut distinct: Vec<&str> = Vec::new();
    for region in regions {
        if !distinct.contains(&region.name.as_str()) {
            distinct.push(&region.name);
        }
    }
    let nearest = cx.spec.traffic.routing == Routing::Nearest;
    match distinct.len() {
        0 => {}
        1 => {
            let name = clip(&regions[0].name);
            let failover = if nearest {
                "; automatic failover under `routing: nearest` needs at least 2 regions"
            } else {
                ""
            };
            let elsewhere = if continent(&regions[0]) == Some("Europe") {
                "us-central1"
            } else {
                "europe-west1"
            };
            report
                .at_key(&RULE, "/regions", format!("the service runs in one region, `{name}`: an outage of that region takes it down{failover}"))
                .help(format!("add a region on another continent, such as `{elsewhere}`, so users can still be served when one region fails"));
        }
        _ => {
            // Unknown names are MR201's; a continent guessed from a typo would only add noise.
            if !regions.iter().all(|r| is_known(&r.name, r.uncatalogued)) {
                return;
            }
            let continents: Option<BTreeSet<&str>> = regions.iter().map(continent).collect();
            let Some(continents) = continents else {
                return;
            };
            let [only] = continents.into_iter().collect::<Vec<_>>()[..] else {
                return;
            };
            let list = name_list(distinct.iter().copied());
            report
                .at_key(
                    &RULE,
                    "/regions",
                    format!(
                        "{} ({list}) are in {only}: users on other continents get no nearby region, and one continent-wide incident could affect every region",
                        if distinct.len() == 2 { "both regions".to_string() } else { format!("all {} regions", distinct.len()) }
                    ),
                )
                .help("add a region on another continent; if one continent is intended (data residency, all users nearby), add `MR203` to `lint.allow`");
        }
    }
}

#[cfg(test)]
mod tests {
    fn codes(regions: &str) -> Vec<String> {
        let source = format!(
            "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\nregions: {regions}\nloadBalancer:\n  domains: [app.example.com]\n"
        );
        crate::check(&source, "t.yaml")
            .diagnostics
            .into_iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn edge_cases() {
        // No regions: nothing to say about redundancy.
        assert!(!codes("[]").contains(&"MR203".to_string()));
        // A region listed twice is still one region.
        assert_eq!(
            codes("[{name: us-central1}, {name: us-central1}]"),
            ["MR203", "MR202"]
        );
        // An unknown name (MR201) does not count towards a continent.
        assert_eq!(
            codes("[{name: us-central1}, {name: us-centrl1}]"),
            ["MR201"]
        );
        // An uncatalogued region whose prefix names no continent is left alone.
        assert!(codes("[{name: us-central1}, {name: mars-north9, uncatalogued: true}]").is_empty());
    }

    #[test]
    fn long_lists_and_names_are_cut() {
        use super::super::name_list;
        assert_eq!(
            name_list(["a", "b", "c", "d", "e", "f", "g"]),
            "`a`, `b`, `c`, `d`, `e` and 2 more"
        );
    }
}
