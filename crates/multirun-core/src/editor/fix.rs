//! Applying the diagnostics' suggestions: one quick fix, or every fix in a file (`validate
//! --fix`, the editor's "fix all"). A suggestion replaces the text under the diagnostic's span;
//! a fix keeps the value's quoting and is applied only if the file still parses after it.

use crate::check::{check, Checked};
use crate::diagnostic::Diagnostic;
use crate::rules::structure;
use crate::text::ByteSpan;

/// One replacement in the source (byte span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: ByteSpan,
    pub replacement: String,
}

/// A fix that was applied: the finding (positions in the text it was found in), the text it
/// replaced and what replaced it.
#[derive(Debug, Clone)]
pub struct Applied {
    pub diagnostic: Diagnostic,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Clone)]
pub struct FixOutcome {
    /// The fixed text (the input when nothing applied).
    pub source: String,
    pub applied: Vec<Applied>,
    /// The check of the fixed text: what remains.
    pub remaining: Checked,
}

/// Why a file was not fixed.
#[derive(Debug, Clone)]
pub enum Unfixable {
    /// The file does not parse (or is not a readable spec at all); nothing is changed in it,
    /// since a span in a broken document may not be what the author meant.
    ParseError(Box<Checked>),
}

/// Findings that mean the file was not read as a YAML document: fixes are never applied to it.
pub fn is_parse_error(diagnostic: &Diagnostic) -> bool {
    [
        &structure::YAML_SYNTAX,
        &structure::DUPLICATE_KEY,
        &structure::UNSUPPORTED_YAML,
        &structure::INPUT_LIMIT,
        &structure::INVALID_ENCODING,
        &structure::INTERNAL_ERROR,
    ]
    .iter()
    .any(|rule| rule.meta.code == diagnostic.code)
}

/// The edit that applies `diagnostic`'s suggestion to `source`, if it has one. A quoted value
/// stays quoted in the same style.
pub fn edit_for(source: &str, diagnostic: &Diagnostic) -> Option<Edit> {
    let suggestion = diagnostic.suggestion.as_ref()?;
    let span = diagnostic.span;
    let current = source.get(span.start..span.end)?;
    let replacement = if current.len() >= 2 && current.starts_with('"') && current.ends_with('"') {
        serde_json::to_string(suggestion).unwrap_or_else(|_| suggestion.clone())
    } else if current.len() >= 2 && current.starts_with('\'') && current.ends_with('\'') {
        format!("'{}'", suggestion.replace('\'', "''"))
    } else {
        suggestion.clone()
    };
    (replacement != current).then_some(Edit { span, replacement })
}

/// `source` with `edits` applied; edits must not overlap.
fn apply(source: &str, edits: &[&Edit]) -> String {
    let mut sorted = edits.to_vec();
    sorted.sort_by_key(|e| e.span.start);
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for edit in sorted {
        out.push_str(&source[at..edit.span.start]);
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(&source[at..]);
    out
}

fn structural_errors(checked: &Checked) -> usize {
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() < "MR100")
        .count()
}

/// Most passes a fix-all makes: a fix can reveal a finding that has its own fix (a corrected
/// region name then gets its weight balanced), but never more than a few deep.
const MAX_PASSES: usize = 4;

/// Applies every suggestion in `source`, re-checking after each pass until none applies. A
/// file with a parse error is not touched.
pub fn fix_all(source: &str, file: &str) -> Result<FixOutcome, Unfixable> {
    let mut checked = check(source, file);
    if checked.diagnostics.iter().any(is_parse_error) {
        return Err(Unfixable::ParseError(Box::new(checked)));
    }
    let mut current = source.to_string();
    let mut applied = Vec::new();
    for _ in 0..MAX_PASSES {
        let candidates: Vec<(&Diagnostic, Edit)> = checked
            .diagnostics
            .iter()
            .filter_map(|d| edit_for(&current, d).map(|e| (d, e)))
            .collect();
        // Non-overlapping, first come first served (diagnostics are sorted by position).
        let mut chosen: Vec<(&Diagnostic, Edit)> = Vec::new();
        for (d, edit) in candidates {
            if chosen
                .iter()
                .all(|(_, c)| edit.span.end <= c.span.start || edit.span.start >= c.span.end)
                && !chosen.iter().any(|(_, c)| c.span == edit.span)
            {
                chosen.push((d, edit));
            }
        }
        if chosen.is_empty() {
            break;
        }
        let before_errors = structural_errors(&checked);
        let edits: Vec<&Edit> = chosen.iter().map(|(_, e)| e).collect();
        let mut next = apply(&current, &edits);
        let mut next_checked = check(&next, file);
        let mut kept = chosen;
        if next_checked.diagnostics.iter().any(is_parse_error)
            || structural_errors(&next_checked) > before_errors
        {
            // One of the fixes broke the document: keep only those that don't, one at a time.
            let mut good: Vec<(&Diagnostic, Edit)> = Vec::new();
            for (d, edit) in kept {
                let mut trial: Vec<&Edit> = good.iter().map(|(_, e)| e).collect();
                trial.push(&edit);
                let text = apply(&current, &trial);
                let trial_checked = check(&text, file);
                if !trial_checked.diagnostics.iter().any(is_parse_error)
                    && structural_errors(&trial_checked) <= before_errors
                {
                    good.push((d, edit));
                }
            }
            kept = good;
            if kept.is_empty() {
                break;
            }
            let edits: Vec<&Edit> = kept.iter().map(|(_, e)| e).collect();
            next = apply(&current, &edits);
            next_checked = check(&next, file);
        }
        for (d, edit) in &kept {
            applied.push(Applied {
                diagnostic: (*d).clone(),
                before: current[edit.span.start..edit.span.end].to_string(),
                after: edit.replacement.clone(),
            });
        }
        current = next;
        checked = next_checked;
    }
    Ok(FixOutcome {
        source: current,
        applied,
        remaining: checked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEIGHTS: &str = "version: 1\nproject: my-project\nservice:\n  name: my-app\n  image: us-docker.pkg.dev/my-project/apps/my-app:v1.0.0\n  minInstances: 1\nregions:\n  - name: us-central1\n    weight: 50\n  - name: europe-west1\n    weight: 30\ntraffic:\n  routing: weighted\nloadBalancer:\n  domains: [app.example.com]\n";

    #[test]
    fn fixes_a_weight_sum_and_reports_it() {
        let outcome = fix_all(WEIGHTS, "f.yaml").unwrap();
        assert_eq!(outcome.applied.len(), 1, "{:#?}", outcome.applied);
        assert_eq!(outcome.applied[0].diagnostic.code, "MR103");
        assert_eq!(
            (
                outcome.applied[0].before.as_str(),
                outcome.applied[0].after.as_str()
            ),
            ("30", "50")
        );
        assert!(outcome
            .source
            .contains("weight: 50\n  - name: europe-west1\n    weight: 50\n"));
        assert!(!outcome.remaining.has_errors());
    }

    #[test]
    fn keeps_quotes_and_never_touches_a_broken_file() {
        let quoted = WEIGHTS.replace("name: us-central1", "name: \"US-Central1\"");
        let outcome = fix_all(&quoted, "f.yaml").unwrap();
        assert!(
            outcome.source.contains("name: \"us-central1\""),
            "{}",
            outcome.source
        );
        let broken = format!("{WEIGHTS}oops: [\n");
        assert!(matches!(
            fix_all(&broken, "f.yaml"),
            Err(Unfixable::ParseError(_))
        ));
    }
}
