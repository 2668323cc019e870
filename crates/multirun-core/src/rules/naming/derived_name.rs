use crate::diagnostic::Severity;
use crate::names::{self, DerivedName};
use crate::rules::{Context, Report, RuleMeta};

/// Longest Compute resource name (RFC 1035 label).
pub const MAX_NAME_LEN: usize = 63;
/// Longest Cloud Run service name.
const MAX_SERVICE_NAME_LEN: usize = 49;

pub static RULE: RuleMeta = RuleMeta {
    code: "MR501",
    name: "derived-name",
    severity: Severity::Error,
    summary: "Every Compute resource name derived from the service name must be a valid RFC 1035 name of at most 63 characters.",
    doc: rule_doc!("MR501-derived-name"),
    check: Some(check),
};

/// Cloud Run's service-name rule (MR401 reports violations): a lowercase letter first, then
/// lowercase letters, digits and hyphens, no trailing hyphen, at most 49 characters.
fn is_service_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_SERVICE_NAME_LEN
        && bytes[0].is_ascii_lowercase()
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !name.ends_with('-')
}

/// Whether a region name could be part of a valid resource name; malformed region names are
/// the region rules' to report.
fn is_region_like(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes[0].is_ascii_lowercase()
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && !name.ends_with('-')
}

fn check(cx: &Context, report: &mut Report) {
    let service = cx.spec.service.name.as_str();
    if !is_service_name(service) {
        return;
    }
    let derived: Vec<DerivedName> = names::all(cx.spec).into_iter().filter(|d| d.region.as_deref().is_none_or(is_region_like)).collect();
    // The longest service name every derived name has room for.
    let longest_suffix = derived.iter().map(|d| d.name.len() - service.len()).max().unwrap_or(0);
    let fits = MAX_NAME_LEN.saturating_sub(longest_suffix).min(MAX_SERVICE_NAME_LEN);
    let help = if fits == 0 {
        let region = derived.iter().max_by_key(|d| d.name.len()).and_then(|d| d.region.clone()).unwrap_or_default();
        format!("region `{region}` is too long to fit in a {MAX_NAME_LEN}-character resource name")
    } else {
        format!(
            "shorten `service.name` ({} characters) to at most {fits}, so every name derived from it fits in {MAX_NAME_LEN} characters",
            service.len()
        )
    };

    // One diagnostic per kind of resource: the per-region names of one kind share a cause.
    let mut groups: Vec<(&'static str, Vec<&DerivedName>)> = Vec::new();
    for d in derived.iter().filter(|d| !names::is_rfc1035(&d.name)) {
        match groups.iter_mut().find(|(resource, _)| *resource == d.resource) {
            Some((_, members)) => members.push(d),
            None => groups.push((d.resource, vec![d])),
        }
    }
    for (resource, members) in groups {
        let longest = members.iter().max_by_key(|d| d.name.len()).expect("groups are never empty");
        let what = match (&members[..], &longest.region) {
            ([_], Some(region)) => format!("the {resource} for {region} would be named"),
            ([_], None) => format!("the {resource} would be named"),
            (_, _) => {
                let plural = if resource.ends_with('s') { format!("{resource}es") } else { format!("{resource}s") };
                let regions: Vec<&str> = members.iter().filter_map(|d| d.region.as_deref()).collect();
                if regions.is_empty() {
                    format!("the {plural} would have names up to")
                } else {
                    format!("the {plural} for {} would have names up to", join_and(&regions))
                }
            }
        };
        let why = if longest.name.len() > MAX_NAME_LEN {
            format!("Compute resource names are at most {MAX_NAME_LEN} characters")
        } else {
            "Compute resource names are lowercase letters, digits and hyphens, starting with a letter".to_string()
        };
        report
            .at(&RULE, "/service/name", format!("{what} `{}` ({} characters); {why}", longest.name, longest.name.len()))
            .help(help.clone());
    }
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
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

    #[test]
    fn lists() {
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
        assert_eq!(join_and(&["a", "b"]), "a and b");
    }
}
