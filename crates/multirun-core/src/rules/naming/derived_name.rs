use crate::gcp::names::{self, DerivedName};
use crate::text::quote::{clip, join_and};
use crate::rules::{Context, Report};

/// Longest Compute resource name (RFC 1035 label).
pub const MAX_NAME_LEN: usize = 63;
/// Longest Cloud Run service name.
const MAX_SERVICE_NAME_LEN: usize = 49;

rule! {
    code: "MR501",
    name: "derived-name",
    severity: Error,
    summary: "Every Compute resource name derived from the service name must be a valid RFC 1035 name of at most 63 characters.",
    check: check,
}

/// Cloud Run's service-name rule (MR401 reports violations): a lowercase letter first, then
/// lowercase letters, digits and hyphens, no trailing hyphen, at most 49 characters.
fn is_service_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_SERVICE_NAME_LEN
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !name.ends_with('-')
}

/// Whether a region name could be part of a valid resource name; malformed region names are
/// the region rules' to report.
fn is_region_like(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !name.ends_with('-')
}

fn check(cx: &Context, report: &mut Report) {
    let service = cx.spec.service.name.as_str();
    if !is_service_name(service) {
        return;
    }
    let derived: Vec<DerivedName> = names::all(cx.spec)
        .into_iter()
        .filter(|d| d.region.as_deref().is_none_or(is_region_like))
        .collect();
    // The longest service name every derived name has room for.
    let longest_suffix = derived
        .iter()
        .map(|d| d.name.len() - service.len())
        .max()
        .unwrap_or(0);
    let fits = MAX_NAME_LEN
        .saturating_sub(longest_suffix)
        .min(MAX_SERVICE_NAME_LEN);
    let help = if fits == 0 {
        let region = derived
            .iter()
            .max_by_key(|d| d.name.len())
            .and_then(|d| d.region.clone())
            .unwrap_or_default();
        format!(
            "region `{}` is too long to fit in a {MAX_NAME_LEN}-character resource name",
            clip(&region)
        )
    } else {
        format!("shorten `service.name` ({} characters) to at most {fits}, so every name derived from it fits in {MAX_NAME_LEN} characters", service.len())
    };

    // One diagnostic per kind of resource: the per-region names of one kind share a cause.
    let mut groups: Vec<(&'static str, Vec<&DerivedName>)> = Vec::new();
    for d in derived.iter().filter(|d| !names::is_rfc1035(&d.name)) {
        match groups
            .iter_mut()
            .find(|(resource, _)| *resource == d.resource)
        {
            Some((_, members)) => members.push(d),
            None => groups.push((d.resource, vec![d])),
        }
    }
    for (resource, members) in groups {
        let longest = members
            .iter()
            .max_by_key(|d| d.name.len())
            .expect("groups are never empty");
        let (name, len) = (clip(&longest.name), longest.name.len());
        let what = match (&members[..], &longest.region) {
            ([_], Some(region)) => format!(
                "the {resource} for {} would be named `{name}` ({len} characters)",
                clip(region)
            ),
            ([_], None) => format!("the {resource} would be named `{name}` ({len} characters)"),
            (_, _) => {
                let plural = if resource.ends_with('s') {
                    format!("{resource}es")
                } else {
                    format!("{resource}s")
                };
                // A region listed twice is MR202's; name it once here.
                let mut regions: Vec<String> = Vec::new();
                for region in members.iter().filter_map(|d| d.region.as_deref()) {
                    if !regions.iter().any(|r| r == region) {
                        regions.push(clip(region));
                    }
                }
                let whose = if regions.is_empty() {
                    plural
                } else {
                    format!("{plural} for {}", join_and(&regions))
                };
                format!("the {whose} would have names of up to {len} characters (`{name}`)")
            }
        };
        let why = if members.iter().all(|d| d.name.len() > MAX_NAME_LEN) {
            format!("Compute resource names are at most {MAX_NAME_LEN} characters")
        } else {
            format!("Compute resource names are at most {MAX_NAME_LEN} lowercase letters, digits and hyphens, starting with a letter")
        };
        report
            .at(&RULE, "/service/name", format!("{what}; {why}"))
            .help(help.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names() {
        assert!(is_service_name("my-app"));
        assert!(is_service_name(&"a".repeat(49)));
        assert!(!is_service_name(&"a".repeat(50)));
        assert!(!is_service_name("1app"));
        assert!(!is_service_name("app-"));
        assert!(!is_service_name("My-app"));
        assert!(!is_service_name(""));
    }

    /// A hostile region name gets a short finding, quickly.
    #[test]
    fn huge_region_gives_a_short_finding() {
        let huge = "a".repeat(200_000);
        let source = format!(
            "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\nregions:\n  - name: us-central1\n  - name: europe-{huge}1\n    uncatalogued: true\nloadBalancer:\n  domains: [app.example.com]\n"
        );
        let checked = crate::check(&source, "huge.yaml");
        let ours: Vec<_> = checked
            .diagnostics
            .iter()
            .filter(|d| d.code == "MR501")
            .collect();
        assert!(!ours.is_empty());
        for d in ours {
            let size = d.message.len() + d.help.as_deref().map_or(0, str::len);
            assert!(size < 1_000, "{} bytes: {}", size, d.message);
        }
    }
}
