//! How rules quote user values in messages: bounded, so a hostile or mistaken value cannot
//! blow up a diagnostic, and lists read as English.

/// Longest quoted value, in characters.
const MAX_QUOTED_CHARS: usize = 200;

/// `text` cut to at most 200 characters, with `…` when cut.
pub(crate) fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_and(items: &[impl AsRef<str>]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_long_values_on_character_boundaries() {
        assert_eq!(clip("short"), "short");
        let long = "é".repeat(MAX_QUOTED_CHARS + 50);
        assert_eq!(clip(&long).chars().count(), MAX_QUOTED_CHARS + 1);
        assert!(clip(&long).ends_with('…'));
    }

    #[test]
    fn joins_lists_as_english() {
        assert_eq!(join_and(&["a"]), "a");
        assert_eq!(join_and(&["a", "b"]), "a and b");
        assert_eq!(join_and(&["a", "b", "c"]), "a, b and c");
    }
}
