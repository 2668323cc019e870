//! MR5xx: derived resource names.

area! {
    "derived resource names":
    derived_name,
}
