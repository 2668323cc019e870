//! The server's settings, from `initializationOptions` or `workspace/configuration`
//! (section `multirun`): `{ "denyWarnings": bool, "extraSpecPatterns": ["glob", ...] }`.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Show warnings as errors, as `validate --deny-warnings` fails on them.
    pub deny_warnings: bool,
    /// Globs for spec files beyond `multirun.yaml` and `*.multirun.yaml`.
    pub extra_spec_patterns: Vec<String>,
}

impl Settings {
    /// Reads settings leniently: a malformed value keeps the defaults for that field.
    pub fn from_value(value: &serde_json::Value) -> Settings {
        let value = value.get("multirun").unwrap_or(value);
        let deny_warnings = value
            .get("denyWarnings")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false);
        let extra_spec_patterns = match value.get("extraSpecPatterns") {
            Some(serde_json::Value::String(one)) => vec![one.clone()],
            Some(serde_json::Value::Array(many)) => many
                .iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        Settings {
            deny_warnings,
            extra_spec_patterns,
        }
    }

    /// Whether the document at `uri` is a spec.
    pub fn is_spec(&self, uri: &str) -> bool {
        let path = uri.split_once("://").map_or(uri, |(_, rest)| rest);
        let path = path.split(['?', '#']).next().unwrap_or(path);
        let path = percent_decode(path);
        multirun_core::editor::looks_like_spec(&path)
            || self
                .extra_spec_patterns
                .iter()
                .any(|p| multirun_core::editor::glob_matches(p, &path))
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_shapes_and_matches_specs() {
        let s = Settings::from_value(
            &serde_json::json!({"multirun": {"denyWarnings": true, "extraSpecPatterns": "*.cloudrun.yaml"}}),
        );
        assert!(s.deny_warnings);
        assert!(s.is_spec("file:///p/api.cloudrun.yaml"));
        assert!(s.is_spec("file:///p/a%20b/multirun.yaml"));
        assert!(!s.is_spec("file:///p/values.yaml"));
        assert_eq!(
            Settings::from_value(&serde_json::json!(null)),
            Settings::default()
        );
    }
}
