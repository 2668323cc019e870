//! Completion candidates at a position: keys the schema allows there, enum values, and region
//! names from the catalog. It reads the lines above the cursor by indentation rather than
//! parsing, because the document being typed is seldom valid YAML.

use serde_json::Value;

use super::schema::key_info;
use crate::catalog;
use crate::text::ByteSpan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Key,
    Value,
    Region,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// Text that replaces `replace` (the partial word before the cursor).
    pub insert_text: String,
    pub replace: ByteSpan,
}

/// One line's structure: the column of each `- ` list marker and where its key starts.
struct LineShape<'a> {
    dashes: Vec<usize>,
    key_col: usize,
    /// The text from `key_col` on.
    rest: &'a str,
}

fn shape(line: &str) -> LineShape<'_> {
    let mut col = line.len() - line.trim_start_matches(' ').len();
    let mut dashes = Vec::new();
    loop {
        let rest = &line[col..];
        if rest == "-" || rest.starts_with("- ") {
            dashes.push(col);
            col += 1;
            col += line[col..].len() - line[col..].trim_start_matches(' ').len();
        } else {
            break;
        }
    }
    LineShape {
        dashes,
        key_col: col,
        rest: &line[col..],
    }
}

/// A `key:` at the start of `text` (plain or quoted key), and what follows the colon.
fn key_of(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            let key = text[..i].trim().trim_matches(|c| c == '"' || c == '\'');
            return (!key.is_empty() && !key.starts_with('#')).then(|| (key, &text[i + 1..]));
        }
        if bytes[i] == b'#' && (i == 0 || bytes[i - 1] == b' ') {
            return None;
        }
        i += 1;
    }
    None
}

/// The key path of the mapping that holds column `col` of line `line_no`, from the lines above.
/// `in_item` says the line itself opened a list entry (`- key`).
fn parent_path(lines: &[&str], line_no: usize, current: &LineShape) -> Vec<String> {
    let mut path = Vec::new();
    // `limit`: a parent key's column must be below it (or equal, right after a list marker,
    // for the indentless `key:\n- item` style).
    let (mut limit, mut equal_ok) = match current.dashes.first() {
        Some(&dash) => {
            path.push("0".to_string());
            (dash, true)
        }
        None => (current.key_col, false),
    };
    for line in lines[..line_no].iter().rev() {
        if limit == 0 && !equal_ok {
            break;
        }
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let s = shape(line);
        // A sibling entry of the same list item (`- name: x` above `  weight:`).
        if let Some(&dash) = s.dashes.last() {
            if s.key_col == limit && !equal_ok {
                path.push("0".to_string());
                limit = dash;
                equal_ok = true;
                continue;
            }
        }
        let below = s.key_col < limit || (equal_ok && s.key_col == limit && s.dashes.is_empty());
        if !below {
            continue;
        }
        let Some((key, _)) = key_of(s.rest) else {
            continue;
        };
        path.push(key.to_string());
        match s.dashes.first() {
            Some(&dash) => {
                path.push("0".to_string());
                limit = dash;
                equal_ok = true;
            }
            None => {
                limit = s.key_col;
                equal_ok = false;
            }
        }
    }
    path.reverse();
    path
}

fn region_candidates(replace: ByteSpan) -> Vec<Completion> {
    catalog::catalog()
        .regions
        .iter()
        .map(|r| Completion {
            label: r.name.clone(),
            kind: CompletionKind::Region,
            detail: Some(format!(
                "tier {}{} · {}, {}",
                r.tier,
                if r.low_co2 { " · low CO₂" } else { "" },
                r.location,
                r.continent
            )),
            documentation: None,
            insert_text: r.name.clone(),
            replace,
        })
        .collect()
}

/// Completion candidates at byte `offset` of `source`.
pub fn completions(source: &str, offset: usize) -> Vec<Completion> {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = source[..offset].rfind('\n').map_or(0, |at| at + 1);
    let before = &source[line_start..offset];
    let lines: Vec<&str> = source[..line_start].lines().collect();
    let current = shape(before);
    if let Some((key, value)) = key_of(current.rest) {
        // A value: the word after `key: `, less an opening quote.
        let typed = value.trim_start().trim_start_matches(['"', '\'']);
        if typed.contains(['[', '{', ',']) {
            return Vec::new();
        }
        let replace = ByteSpan::new(offset - typed.len(), offset);
        let mut path = parent_path(&lines, lines.len(), &current);
        path.push(key.to_string());
        let is_region = path.len() == 3 && path[0] == "regions" && path[2] == "name";
        if is_region {
            return region_candidates(replace);
        }
        let Some(info) = key_info(&path) else {
            return Vec::new();
        };
        let mut values = info.allowed;
        if values.is_empty() && info.types.iter().any(|t| t == "boolean") {
            values = vec![(Value::Bool(true), None), (Value::Bool(false), None)];
        }
        return values
            .into_iter()
            .map(|(value, description)| {
                let text = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                Completion {
                    label: text.clone(),
                    kind: CompletionKind::Value,
                    detail: (info.default.as_ref() == Some(&value)).then(|| "default".to_string()),
                    documentation: description,
                    insert_text: text,
                    replace,
                }
            })
            .collect();
    }
    // A key: the word being typed at the key's column.
    let typed = current.rest;
    if typed.contains([' ', '#', '"', '\'', '[', '{']) {
        return Vec::new();
    }
    let replace = ByteSpan::new(offset - typed.len(), offset);
    let path = parent_path(&lines, lines.len(), &current);
    let Some(info) = key_info(&path) else {
        return Vec::new();
    };
    info.properties
        .into_iter()
        .map(|(key, description)| {
            let child = key_info(&[path.clone(), vec![key.clone()]].concat()).unwrap_or_default();
            let nested = child.is_list || !child.properties.is_empty();
            let required = info.required.iter().any(|r| r == &key);
            Completion {
                insert_text: if nested {
                    format!("{key}:")
                } else {
                    format!("{key}: ")
                },
                label: key,
                kind: CompletionKind::Key,
                detail: required.then(|| "required".to_string()),
                documentation: description.map(|d| d.replace('\n', " ")),
                replace,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(source: &str) -> Vec<String> {
        let at = source.find('|').unwrap();
        let text = source.replace('|', "");
        completions(&text, at)
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn keys_at_each_level() {
        assert!(labels("version: 1\n|").contains(&"loadBalancer".to_string()));
        assert!(labels("service:\n  name: x\n  mi|").contains(&"minInstances".to_string()));
        assert!(labels("regions:\n  - name: x\n    we|").contains(&"weight".to_string()));
        assert!(labels("regions:\n  - w|").contains(&"weight".to_string()));
        assert!(labels("regions:\n- name: a\n  w|").contains(&"weight".to_string()));
        assert!(labels("traffic:\n  routing: weighted\nhealthCheck:\n  pa|")
            .contains(&"path".to_string()));
    }

    /// Cloud Armor and CDN settings complete at every level, values included.
    #[test]
    fn armor_and_cdn_fields() {
        assert!(labels("loadBalancer:\n  domains: [a.b]\n  ar|").contains(&"armor".to_string()));
        assert!(
            labels("loadBalancer:\n  armor:\n    ad|").contains(&"adaptiveProtection".to_string())
        );
        let rule = labels("loadBalancer:\n  armor:\n    rules:\n      - priority: 1\n        ra|");
        assert!(rule.contains(&"rateLimit".to_string()), "{rule:?}");
        let limit =
            labels("loadBalancer:\n  armor:\n    rules:\n      - rateLimit:\n          ban|");
        assert!(limit.contains(&"banDurationSec".to_string()), "{limit:?}");
        assert_eq!(
            labels("loadBalancer:\n  cdn:\n    cacheMode: |"),
            ["CACHE_ALL_STATIC", "USE_ORIGIN_HEADERS", "FORCE_CACHE_ALL"]
        );
        assert!(labels("loadBalancer:\n  cdn:\n    neg|").contains(&"negativeCaching".to_string()));
    }

    /// The certificate settings complete, the `type` values included.
    #[test]
    fn certificate_fields() {
        assert!(
            labels("loadBalancer:\n  domains: [a.b]\n  cer|").contains(&"certificates".to_string())
        );
        let fields = labels("loadBalancer:\n  certificates:\n    |");
        for field in ["type", "sslCertificates", "certificateMap"] {
            assert!(fields.contains(&field.to_string()), "{fields:?}");
        }
        assert_eq!(
            labels("loadBalancer:\n  certificates:\n    type: |"),
            ["classic", "certificate-manager"]
        );
    }

    #[test]
    fn values_enums_and_regions() {
        assert_eq!(labels("traffic:\n  routing: w|"), ["nearest", "weighted"]);
        let regions = labels("regions:\n  - name: eu|");
        assert_eq!(regions.len(), catalog::catalog().regions.len());
        let source = "regions:\n  - name: eu";
        let first = completions(source, source.len()).remove(0);
        assert_eq!(first.replace, ByteSpan::new(source.len() - 2, source.len()));
        assert!(first.detail.unwrap().starts_with("tier "));
        assert_eq!(
            labels("regions:\n  - name: a\n    uncatalogued: |"),
            ["true", "false"]
        );
    }
}
