use crate::catalog::catalog;
use crate::text::quote::clip;
use crate::rules::{Context, Report};
use crate::text::suggest::did_you_mean;

rule! {
    code: "MR201",
    name: "unknown-region",
    severity: Error,
    summary: "Every region must be in multirun's dated region catalog, or be marked `uncatalogued: true` and look like a region name.",
    check: check,
}

/// Whether `name` has the shape of a Google Cloud region name (`^[a-z]+-[a-z]+[0-9]+$`), such
/// as `us-central1` or `northamerica-northeast2`.
pub(crate) fn looks_like_region(name: &str) -> bool {
    let Some((geography, area)) = name.split_once('-') else {
        return false;
    };
    let letters = area.bytes().take_while(u8::is_ascii_lowercase).count();
    let digits = &area[letters..];
    !geography.is_empty()
        && geography.bytes().all(|b| b.is_ascii_lowercase())
        && letters > 0
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whether MR201 accepts this region: it is catalogued, or marked uncatalogued with a
/// region-shaped name.
pub(crate) fn is_known(name: &str, uncatalogued: bool) -> bool {
    if uncatalogued {
        looks_like_region(name)
    } else {
        catalog().get(name).is_some()
    }
}

fn check(cx: &Context, report: &mut Report) {
    let catalog = catalog();
    for (i, region) in cx.spec.regions.iter().enumerate() {
        if is_known(&region.name, region.uncatalogued) {
            continue;
        }
        let name = region.name.as_str();
        let shown = clip(name);
        let pointer = format!("/regions/{i}/name");
        if name.trim().is_empty() {
            report.at(&RULE, pointer, "the region name is empty").help("name a Cloud Run region, such as `us-central1`; `gcloud run regions list` shows them");
            continue;
        }
        if region.uncatalogued {
            // The user vouches for the region, so only its spelling can be fixed.
            let normalized = name.trim().to_ascii_lowercase().replace('_', "-");
            let d = report.at(&RULE, pointer, format!("`{shown}` does not look like a Cloud Run region name, even with `uncatalogued: true`"));
            if looks_like_region(&normalized) {
                d.help(format!("did you mean `{}`? Region names are lowercase `<geography>-<area><number>`, such as `us-central1`", clip(&normalized)))
                    .suggest(normalized);
            } else {
                d.help("region names are lowercase `<geography>-<area><number>`, such as `us-central1`; `gcloud run regions list` shows the regions your project can use");
            }
            continue;
        }
        let d = report.at(
            &RULE,
            pointer,
            format!(
                "region `{shown}` is not in multirun's catalog of Cloud Run regions (checked {}; `gcloud run regions list` shows the live list)",
                catalog.checked
            ),
        );
        // Region names are short; comparing a huge value against the catalog would only cost time.
        let guess = if name.len() <= 64 {
            did_you_mean(name, catalog.regions.iter().map(|r| r.name.as_str()))
        } else {
            None
        };
        match guess {
            Some(guess) => {
                d.help(format!("did you mean `{guess}`? If `{shown}` is a region newer than the catalog and `gcloud run regions list` shows it, set `uncatalogued: true` on this region"))
                    .suggest(guess);
            }
            None => {
                d.help(format!(
                    "use a Cloud Run region such as `us-central1`; if `{shown}` is a region newer than the catalog and `gcloud run regions list` shows it, set `uncatalogued: true` on this region"
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_shape() {
        for name in [
            "us-central1",
            "northamerica-northeast2",
            "me-west1",
            "us-west8",
        ] {
            assert!(looks_like_region(name), "{name}");
        }
        for name in [
            "",
            "us",
            "us-",
            "-central1",
            "us-central",
            "us-1",
            "US-central1",
            "us_central1",
            "us-central1a",
            "us-central-1",
            "us-cen1tral1",
            "us-central1 ",
        ] {
            assert!(!looks_like_region(name), "{name:?}");
        }
        for region in &catalog().regions {
            assert!(
                looks_like_region(&region.name),
                "catalog region {} must look like a region",
                region.name
            );
        }
    }

    #[test]
    fn uncatalogued_escape_hatch() {
        assert!(is_known("us-central1", false));
        assert!(!is_known("us-west8", false));
        assert!(is_known("us-west8", true));
        assert!(is_known("us-central1", true));
        assert!(!is_known("moon_base", true));
    }

    #[test]
    fn empty_name_reads_as_empty() {
        let source = "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\nregions: [{name: us-central1}, {name: \"\"}]\nloadBalancer:\n  domains: [app.example.com]\n";
        let checked = crate::check(source, "t.yaml");
        let messages: Vec<_> = checked
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(messages, [("MR201", "the region name is empty")]);
    }

    #[test]
    fn huge_names_are_quoted_in_part() {
        let long = format!("us-{}1", "a".repeat(100_000));
        let source = format!("version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\nregions: [{{name: us-central1}}, {{name: {long}}}, {{name: {long}}}]\nloadBalancer:\n  domains: [app.example.com]\n");
        let checked = crate::check(&source, "t.yaml");
        assert!(checked.diagnostics.iter().any(|d| d.code == "MR201"));
        assert!(checked.diagnostics.iter().any(|d| d.code == "MR202"));
        for d in checked
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("MR2"))
        {
            assert!(
                d.message.len() + d.help.as_deref().map_or(0, str::len) < 1_000,
                "{}: {}",
                d.code,
                d.message
            );
        }
    }
}
