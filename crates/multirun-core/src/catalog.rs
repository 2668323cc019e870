//! The dated, built-in catalog of Cloud Run regions (`data/regions.json`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// The date the list was last checked against Google's page.
    pub checked: String,
    pub source: String,
    pub note: String,
    pub regions: Vec<CatalogRegion>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogRegion {
    pub name: String,
    pub location: String,
    pub continent: String,
    /// Cloud Run pricing tier (1 or 2).
    pub tier: u8,
    /// Google's "Low CO2" marker.
    pub low_co2: bool,
}

const CATALOG_JSON: &str = include_str!("../data/regions.json");

pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        serde_json::from_str(CATALOG_JSON).expect("data/regions.json is valid (checked by tests)")
    })
}

impl Catalog {
    pub fn get(&self, name: &str) -> Option<&CatalogRegion> {
        self.regions.iter().find(|r| r.name == name)
    }
}

/// Continent of a region name that is not in the catalog, from its prefix.
pub fn continent_of_prefix(name: &str) -> Option<&'static str> {
    Some(match name.split('-').next()? {
        "asia" => "Asia",
        "europe" => "Europe",
        "me" => "Middle East",
        "us" | "northamerica" => "North America",
        "southamerica" => "South America",
        "africa" => "Africa",
        "australia" => "Oceania",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_loads_with_both_tiers_and_known_regions() {
        let c = catalog();
        assert_eq!(c.regions.len(), 43);
        assert_eq!(c.regions.iter().filter(|r| r.tier == 1).count(), 20);
        assert!(c.get("us-central1").unwrap().low_co2);
        for r in &c.regions {
            assert_eq!(
                continent_of_prefix(&r.name),
                Some(r.continent.as_str()),
                "{}",
                r.name
            );
        }
    }
}
