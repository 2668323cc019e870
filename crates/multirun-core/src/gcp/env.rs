//! The environment of a Cloud Run container.

/// The variable multirun sets in each region, since Cloud Run only injects `PORT`,
/// `K_SERVICE`, `K_REVISION` and `K_CONFIGURATION`.
pub const REGION_ENV_VAR: &str = "CLOUD_RUN_REGION";
