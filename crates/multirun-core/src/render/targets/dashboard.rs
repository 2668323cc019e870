//! Target `dashboard`.

use super::{Output, Target};
use crate::render::Model;

pub const TARGET: Target = Target { name: "dashboard", description: "TODO", templates: &[], plan };

fn plan(_model: &Model) -> Vec<Output> {
    Vec::new()
}
