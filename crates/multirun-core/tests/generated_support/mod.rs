//! Shared by the `generated_*` tests: rendering the reference cases, and small models of what
//! the real tools do with multirun's outputs (Cloud Build's substitution, gcloud's list
//! splitting, a Mermaid flowchart reader).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use multirun_core::render::{render, RenderOptions};
use multirun_core::Spec;

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/render")
}

/// Every render case: (name, checked spec).
pub fn cases() -> Vec<(String, Spec)> {
    let mut cases: Vec<(String, Spec)> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|dir| dir.join("spec.yaml").is_file())
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().into_owned();
            (name, checked_spec(&dir.join("spec.yaml")))
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(
        cases.len() >= 4,
        "render cases not found under {}",
        fixtures_dir().display()
    );
    cases
}

pub fn checked_spec(path: &Path) -> Spec {
    let source = std::fs::read_to_string(path).unwrap();
    let checked = multirun_core::check(&source, "spec.yaml");
    assert!(
        !checked.has_errors(),
        "{}: {:#?}",
        path.display(),
        checked.diagnostics
    );
    checked.spec.unwrap()
}

/// One output of one target.
pub fn render_file(spec: &Spec, target: &str, path: &str) -> String {
    let files = render(
        spec,
        &RenderOptions {
            targets: vec![target.to_string()],
            ..Default::default()
        },
    )
    .unwrap();
    files
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("target {target} renders no {path}"))
        .contents
}

// ---------------------------------------------------------------------------------------------
// Cloud Build.

/// Built-in substitutions set in every build, including `gcloud builds submit`.
pub const ALWAYS_SET: &[&str] = &["PROJECT_ID", "BUILD_ID", "PROJECT_NUMBER", "LOCATION"];

/// Cloud Build's substitution over one string: `$$` is a literal `$`; `$NAME` and `${NAME}`
/// take the value from `values`. Returns the references (names) and the substituted text, or
/// an error for a `$` that is neither.
pub fn substitute(
    text: &str,
    values: &BTreeMap<String, String>,
) -> Result<(Vec<String>, String), String> {
    let mut out = String::new();
    let mut names = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '$' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        match chars.get(i + 1) {
            Some('$') => {
                out.push('$');
                i += 2;
            }
            Some('{') => {
                let end = chars[i + 2..]
                    .iter()
                    .position(|c| *c == '}')
                    .ok_or_else(|| format!("unclosed ${{ in {text:?}"))?;
                let name: String = chars[i + 2..i + 2 + end].iter().collect();
                if name.is_empty()
                    || !name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                {
                    return Err(format!("`${{{name}}}` in {text:?} is not a substitution"));
                }
                out.push_str(
                    values
                        .get(&name)
                        .ok_or_else(|| format!("${{{name}}} has no value"))?,
                );
                names.push(name);
                i += 3 + end;
            }
            _ => {
                let name: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || **c == '_')
                    .collect();
                if name.is_empty() {
                    return Err(format!("a lone `$` in {text:?}: Cloud Build needs `$$`"));
                }
                out.push_str(
                    values
                        .get(&name)
                        .ok_or_else(|| format!("${name} has no value"))?,
                );
                i += 1 + name.chars().count();
                names.push(name);
            }
        }
    }
    Ok((names, out))
}

/// gcloud's splitting of a list or dict flag value (`gcloud topic escaping`): items separated
/// by `,`, or by DELIM after a leading `^DELIM^`.
pub fn gcloud_split(value: &str) -> Vec<String> {
    if let Some(rest) = value.strip_prefix('^') {
        if let Some(end) = rest.find('^') {
            let (delimiter, body) = (&rest[..end], &rest[end + 1..]);
            return body.split(delimiter).map(String::from).collect();
        }
    }
    value.split(',').map(String::from).collect()
}

/// A gcloud dict flag value → ordered (key, value) pairs, each split at its first `=`.
pub fn gcloud_dict(value: &str) -> Vec<(String, String)> {
    gcloud_split(value)
        .into_iter()
        .map(|item| {
            let (k, v) = item
                .split_once('=')
                .unwrap_or_else(|| panic!("dict item without `=`: {item:?}"));
            (k.to_string(), v.to_string())
        })
        .collect()
}

/// The value of `--flag=VALUE` in an argument list.
pub fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let prefix = format!("{name}=");
    args.iter().find_map(|a| a.strip_prefix(&prefix))
}

// ---------------------------------------------------------------------------------------------
// Mermaid: a reader for the subset of flowchart syntax multirun writes, strict about quoting.

#[derive(Debug, Default)]
pub struct Flowchart {
    pub title: Option<String>,
    /// Node id → its label text (entity codes decoded, `<br/>` as newlines).
    pub nodes: BTreeMap<String, String>,
    /// Subgraph id → (title, node ids).
    pub subgraphs: BTreeMap<String, (String, Vec<String>)>,
    /// (from, to, label).
    pub edges: Vec<(String, String, Option<String>)>,
}

/// Decodes Mermaid entity codes (`#quot;`, `#35;`) and `<br/>`; fails on characters that must
/// not appear raw inside a quoted label.
fn label_text(raw: &str) -> Result<String, String> {
    let raw = raw.replace("<br/>", "\n");
    if let Some(c) = raw
        .chars()
        .find(|c| matches!(c, '"' | '<' | '>' | '`') || c.is_control() && *c != '\n')
    {
        return Err(format!("raw {c:?} inside a quoted label: {raw:?}"));
    }
    let mut out = String::new();
    let mut rest = raw.as_str();
    while let Some(start) = rest.find('#') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find(';')
            .ok_or_else(|| format!("`#` that starts no entity in {raw:?}"))?
            + start;
        let entity = &rest[start + 1..end];
        let decoded = match entity {
            "quot" => '"',
            code => code
                .parse::<u32>()
                .ok()
                .and_then(char::from_u32)
                .ok_or_else(|| format!("unknown entity #{entity}; in {raw:?}"))?,
        };
        out.push(decoded);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_alphanumeric())
        && id.chars().next().unwrap().is_ascii_alphabetic()
}

/// `id` + shape-delimited quoted label → (id, label).
fn node_statement(line: &str) -> Result<(String, String), String> {
    let id: String = line
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let rest = &line[id.len()..];
    const SHAPES: &[(&str, &str)] = &[
        ("([\"", "\"])"),
        ("[[\"", "\"]]"),
        ("[/\"", "\"/]"),
        (">\"", "\"]"),
        ("[\"", "\"]"),
        ("(\"", "\")"),
    ];
    for (open, close) in SHAPES {
        if let Some(inner) = rest.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            if !is_id(&id) {
                return Err(format!("bad node id in {line:?}"));
            }
            return Ok((id, label_text(inner)?));
        }
    }
    Err(format!("not a node statement: {line:?}"))
}

pub fn parse_flowchart(text: &str) -> Result<Flowchart, String> {
    let mut chart = Flowchart::default();
    let mut lines = text.lines().peekable();
    if lines.peek() == Some(&"---") {
        lines.next();
        for line in lines.by_ref() {
            if line == "---" {
                break;
            }
            if let Some(title) = line.strip_prefix("title: ") {
                chart.title = Some(
                    serde_yaml::from_str::<String>(title)
                        .map_err(|e| format!("front matter title: {e}"))?,
                );
            } else {
                return Err(format!("unexpected front matter line {line:?}"));
            }
        }
    }
    let mut header = false;
    let mut open_subgraph: Option<String> = None;
    for line in lines {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("%%") {
            if trimmed.starts_with("%%{") {
                return Err(format!("directive in a comment: {line:?}"));
            }
            continue;
        }
        if !header {
            if trimmed != "flowchart LR" {
                return Err(format!("expected `flowchart LR`, got {line:?}"));
            }
            header = true;
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("subgraph ") {
            if open_subgraph.is_some() {
                return Err("nested subgraph".into());
            }
            let (id, title) = node_statement(rest)?;
            chart.subgraphs.insert(id.clone(), (title, Vec::new()));
            open_subgraph = Some(id);
        } else if trimmed == "end" {
            open_subgraph.take().ok_or("`end` without subgraph")?;
        } else if let Some((from, rest)) = trimmed
            .split_once(" -->")
            .filter(|(from, _)| from.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            let (label, to) = match rest.strip_prefix("|\"") {
                Some(labelled) => {
                    let (label, to) = labelled
                        .split_once("\"| ")
                        .ok_or_else(|| format!("unclosed edge label: {line:?}"))?;
                    (Some(label_text(label)?), to)
                }
                None => (None, rest.trim_start()),
            };
            if !is_id(from) || !is_id(to) {
                return Err(format!("bad edge {line:?}"));
            }
            chart.edges.push((from.to_string(), to.to_string(), label));
        } else {
            let (id, label) = node_statement(trimmed)?;
            if chart.nodes.insert(id.clone(), label).is_some() {
                return Err(format!("node {id} defined twice"));
            }
            if let Some(group) = &open_subgraph {
                chart.subgraphs.get_mut(group).unwrap().1.push(id);
            }
        }
    }
    if !header {
        return Err("no `flowchart` header".into());
    }
    if open_subgraph.is_some() {
        return Err("subgraph without `end`".into());
    }
    let ids: BTreeSet<&String> = chart.nodes.keys().collect();
    for (from, to, _) in &chart.edges {
        for end in [from, to] {
            if !ids.contains(end) {
                return Err(format!("edge to undefined node {end}"));
            }
        }
    }
    Ok(chart)
}
