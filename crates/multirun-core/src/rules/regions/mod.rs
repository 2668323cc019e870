//! MR2xx: regions.

use crate::text::quote::clip;

/// Region names as a message lists them: each in backticks, at most five, then a count.
pub(crate) fn name_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    const MAX_NAMES: usize = 5;
    let names: Vec<&str> = names.into_iter().collect();
    let mut list = names
        .iter()
        .take(MAX_NAMES)
        .map(|n| format!("`{}`", clip(n)))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > MAX_NAMES {
        list.push_str(&format!(" and {} more", names.len() - MAX_NAMES));
    }
    list
}

area! {
    "regions":
    unknown_region,
    duplicate_region,
    no_geographic_redundancy,
    region_override_in_multi_region,
}
