//! MR7xx: image and build.

use super::RuleMeta;

pub mod build_repository;
pub mod gcr_io_image;
pub mod image_outside_build_repository;
pub mod image_reference;
pub mod reference;
pub mod unpinned_image;

pub static RULES: &[&RuleMeta] = &[
    &image_reference::RULE,
    &gcr_io_image::RULE,
    &unpinned_image::RULE,
    &build_repository::RULE,
    &image_outside_build_repository::RULE,
];
