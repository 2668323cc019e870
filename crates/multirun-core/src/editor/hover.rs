//! Hover text: what the schema says about the key under the cursor, and what the rule pages
//! say about the findings there. Markdown, as language clients render it.

use serde_json::Value;

use super::schema::{key_info, KeyInfo};
use crate::diagnostic::Diagnostic;
use crate::rules;
use crate::text::ByteSpan;
use crate::yaml::{self, Limits, Node};

/// Hover content and the source range it describes.
#[derive(Debug, Clone, PartialEq)]
pub struct Hover {
    pub markdown: String,
    pub span: ByteSpan,
}

/// The key path (list entries as their index) and span of the key or value at `offset`.
pub fn path_at(tree: &Node, offset: usize) -> Option<(Vec<String>, ByteSpan)> {
    let mut path = Vec::new();
    let mut node = tree;
    let mut found = None;
    loop {
        match &node.value {
            yaml::Value::Map(entries) => {
                let entry = entries.iter().find(|e| {
                    (e.key_span.start <= offset && offset <= e.key_span.end)
                        || (e.value.span.start <= offset
                            && offset < e.value.span.end.max(e.value.span.start + 1))
                })?;
                path.push(entry.key.clone());
                if entry.key_span.start <= offset && offset <= entry.key_span.end {
                    return Some((path, entry.key_span));
                }
                found = Some(entry.value.span);
                node = &entry.value;
            }
            yaml::Value::Seq(items) => {
                let Some((i, item)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, n)| n.span.start <= offset && offset <= n.span.end)
                else {
                    return found.map(|span| (path, span));
                };
                path.push(i.to_string());
                found = Some(item.span);
                node = item;
            }
            _ => return found.map(|span| (path, span)),
        }
    }
}

fn json_inline(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Markdown for a key: its description, default and allowed values.
pub fn key_markdown(key: &str, info: &KeyInfo) -> String {
    let mut out = format!("**`{key}`**");
    if !info.types.is_empty() {
        out.push_str(&format!(" ({})", info.types.join(" or ")));
    }
    if let Some(description) = &info.description {
        // schemars keeps the doc comment's line breaks; a paragraph reads better joined.
        out.push_str("\n\n");
        out.push_str(&description.replace('\n', " "));
    }
    if let Some(default) = &info.default {
        out.push_str(&format!("\n\nDefault: `{}`", json_inline(default)));
    }
    if !info.allowed.is_empty() {
        out.push_str("\n\nAllowed values:");
        for (value, description) in &info.allowed {
            out.push_str(&format!("\n- `{}`", json_inline(value)));
            if let Some(d) = description {
                out.push_str(&format!(": {}", d.replace('\n', " ")));
            }
        }
    }
    out
}

/// A rule page's title and its first section ("What it checks"), with a link to the page.
pub fn rule_summary(code: &str) -> Option<String> {
    let rule = rules::find(code)?;
    let mut sections = rule.doc.split("\n## ");
    let _title_and_table = sections.next();
    let first = sections.next().unwrap_or_default();
    let body = first.split_once('\n').map_or("", |(_, body)| body).trim();
    Some(format!(
        "**{}** `{}` ({})\n\n{}\n\n[Rule page]({})",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        body,
        rule.url()
    ))
}

/// The hover at byte `offset`: the findings there (their rule pages), then the key's schema
/// documentation. `diagnostics` are the source's findings, spans in bytes.
pub fn hover_at(source: &str, offset: usize, diagnostics: &[Diagnostic]) -> Option<Hover> {
    let mut parts = Vec::new();
    let mut span: Option<ByteSpan> = None;
    let mut codes: Vec<&str> = Vec::new();
    for d in diagnostics {
        let touches = d.span.start <= offset && (offset < d.span.end || offset == d.span.start);
        if touches && !codes.contains(&d.code.as_str()) {
            codes.push(&d.code);
            if let Some(summary) = rule_summary(&d.code) {
                parts.push(summary);
                span.get_or_insert(d.span);
            }
        }
    }
    if source.len() <= crate::check::MAX_INPUT_BYTES {
        let (tree, _) = yaml::parse(source, Limits::default());
        if let Some((path, at)) = tree.as_ref().and_then(|t| path_at(t, offset)) {
            if let Some(info) = key_info(&path) {
                let key = path
                    .iter()
                    .map(|s| {
                        if s.parse::<usize>().is_ok() {
                            "[]"
                        } else {
                            s.as_str()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(".")
                    .replace(".[]", "[]");
                parts.push(key_markdown(&key, &info));
                span = Some(at);
            }
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(Hover {
        markdown: parts.join("\n\n---\n\n"),
        span: span.unwrap_or(ByteSpan::new(offset, offset)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str =
        "version: 1\ntraffic:\n  routing: weighted\nregions:\n  - name: us-central1\n";

    #[test]
    fn hovers_keys_with_description_default_and_values() {
        let at = SPEC.find("routing").unwrap() + 2;
        let hover = hover_at(SPEC, at, &[]).unwrap();
        assert!(
            hover.markdown.starts_with("**`traffic.routing`**"),
            "{}",
            hover.markdown
        );
        assert!(hover.markdown.contains("Default: `nearest`"));
        assert!(hover.markdown.contains("- `weighted`: Fixed split"));
        let at = SPEC.find("us-central1").unwrap();
        let hover = hover_at(SPEC, at, &[]).unwrap();
        assert!(
            hover.markdown.starts_with("**`regions[].name`**"),
            "{}",
            hover.markdown
        );
    }

    #[test]
    fn summarizes_a_rule_page() {
        let summary = rule_summary("MR103").unwrap();
        assert!(
            summary.starts_with(
                "**MR103** `weights-sum` (error)\n\nUnder `traffic.routing: weighted`"
            ),
            "{summary}"
        );
        assert!(summary.ends_with("MR103-weights-sum.md)"));
    }
}
