//! Google Cloud domain knowledge shared by the rules (which check a spec against it) and the
//! generators (which write it out): the names multirun derives, image references and Artifact
//! Registry paths, Cloud Run's CPU and memory values, and the environment it sets. Keeping one
//! copy means a value that validates is the value that gets deployed.

pub mod armor;
pub mod artifact_registry;
pub mod certificates;
pub mod env;
pub mod identities;
pub mod image;
pub mod names;
pub mod resources;
pub mod rollout;
pub mod secrets;
