//! Every rule has a doc page whose title names it, and the page's examples run: `invalid`
//! blocks trigger the rule, `valid` blocks don't (and have no errors at all).

use std::collections::HashSet;

use multirun_core::rules;
use multirun_core::Severity;

/// The fenced ```yaml blocks of a page tagged `tag`.
fn blocks<'a>(doc: &'a str, tag: &str) -> Vec<&'a str> {
    let fence = format!("```yaml {tag}\n");
    doc.match_indices(&fence)
        .map(|(start, _)| {
            let body = &doc[start + fence.len()..];
            &body[..body.find("```").expect("unterminated code block")]
        })
        .collect()
}

#[test]
fn every_rule_has_a_matching_doc_page() {
    let docs_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules");
    let mut pages: HashSet<String> = std::fs::read_dir(docs_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.remove("README.md");
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for rule in rules::all() {
        assert!(codes.insert(rule.code), "code {} is used twice", rule.code);
        assert!(names.insert(rule.name), "name {} is used twice", rule.name);
        assert!(
            rule.code.len() == 5 && rule.code.starts_with("MR"),
            "{}: codes are MR + 3 digits",
            rule.code
        );
        assert!(
            rule.name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{}: names are kebab-case",
            rule.name
        );
        let title = format!("# {}: {}\n", rule.code, rule.name);
        assert!(
            rule.doc.starts_with(&title),
            "{}: the doc page must start with {title:?}",
            rule.code
        );
        for heading in [
            "## What it checks",
            "## Why",
            "## Google Cloud fact",
            "## Example",
            "## Use instead",
        ] {
            assert!(
                rule.doc.contains(heading),
                "{}: the doc page lacks `{heading}`",
                rule.code
            );
        }
        assert!(
            pages.remove(&rule.doc_file_name()),
            "{}: no docs/rules/{}",
            rule.code,
            rule.doc_file_name()
        );
    }
    assert!(pages.is_empty(), "doc pages without a rule: {pages:?}");
}

#[test]
fn doc_examples_behave_as_documented() {
    for rule in rules::all() {
        let invalid = blocks(rule.doc, "invalid");
        let valid = blocks(rule.doc, "valid");
        assert!(
            !valid.is_empty(),
            "{}: the doc page needs a ```yaml valid example",
            rule.code
        );
        for example in invalid.iter().filter(|e| !e.trim().is_empty()) {
            let checked = multirun_core::check(example, "example.yaml");
            assert!(
                checked.diagnostics.iter().any(|d| d.code == rule.code),
                "{}: the invalid example does not trigger the rule; got {:#?}",
                rule.code,
                checked.diagnostics
            );
        }
        for example in valid {
            let checked = multirun_core::check(example, "example.yaml");
            let offending: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.code == rule.code || d.severity == Severity::Error)
                .collect();
            assert!(
                offending.is_empty(),
                "{}: the valid example is not clean: {offending:#?}",
                rule.code
            );
        }
    }
}

/// The metadata table under each page's title restates the registry; it must agree with it.
#[test]
fn doc_page_metadata_matches_the_registry() {
    let mut wrong = Vec::new();
    for area in rules::AREAS {
        for rule in area.rules.iter().map(|r| &r.meta) {
            let expected = format!(
                "| Code | Name | Default severity | Area |\n|---|---|---|---|\n| {} | `{}` | {} | {} |\n",
                rule.code,
                rule.name,
                rule.severity.as_str(),
                area.name
            );
            if !rule.doc.contains(&expected) {
                wrong.push(format!(
                    "docs/rules/{}: the table under the title must read\n{expected}",
                    rule.doc_file_name()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
