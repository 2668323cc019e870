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

/// A GPU type Cloud Run offers, with the regions that have it and its minimum instance size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GpuCatalogEntry {
    /// The accelerator name (`run.googleapis.com/accelerator`, gcloud `--gpu-type`).
    pub name: &'static str,
    pub display: &'static str,
    pub regions: &'static [&'static str],
    /// Regions that have it by invitation only.
    pub invitation_only: &'static [&'static str],
    pub min_cpu_millis: u32,
    pub min_memory_bytes: u64,
}

/// When the GPU list was last checked, and against what.
pub const GPU_CATALOG_CHECKED: &str = "2025 copies of the pages, read 2026-11";
pub const GPU_CATALOG_SOURCE: &str = "https://cloud.google.com/run/docs/configuring/services/gpu";

/// The GPU types multirun knows, dated above. NVIDIA RTX PRO 6000 (Preview) is left out: its
/// accelerator name and regions could not be confirmed from Google's pages.
pub const GPUS: &[GpuCatalogEntry] = &[GpuCatalogEntry {
    name: "nvidia-l4",
    display: "NVIDIA L4",
    regions: &[
        "us-central1",
        "us-east4",
        "europe-west1",
        "europe-west4",
        "asia-southeast1",
    ],
    invitation_only: &["asia-south1"],
    min_cpu_millis: 4000,
    min_memory_bytes: 16 << 30,
}];

pub fn gpu(name: &str) -> Option<&'static GpuCatalogEntry> {
    GPUS.iter().find(|g| g.name == name)
}
