//! Cutting a template's source into top-level pieces that parse on their own.
//!
//! The handlebars crate records a line and column for every element it parses, and finds each
//! with pest's `Position::line_col`, which counts from the start of the source: parsing is
//! quadratic in the template's size. With the embedded templates parsed whole (deploy.sh's is
//! 50 KB), a process's first render cost about 458 M instructions, most of them in those
//! lookups: paid by every CLI run, pre-commit run and the playground's first render. Parsed in
//! pieces of half a kilobyte or more (a top-level block stays whole), it costs 221 M, of which
//! 58 M are lookups; the rest is mostly pest's parse itself.
//!
//! A cut is made only where the pieces parse into the same elements as the whole: after a
//! newline, outside every tag and comment, with every block closed, and where no whitespace
//! control (`~`) reaches across it. The tests compile every embedded template both ways and
//! compare the programs; a piece that fails to parse sends the caller back to the whole.

/// Pieces are cut once they hold at least this many bytes: small enough that the quadratic
/// position lookups stay cheap, large enough that there are few of them.
const PIECE_BYTES: usize = 512;

/// `source` cut into pieces whose concatenation is `source`; one piece when it has no safe cut,
/// or when it holds something this scanner leaves alone (raw blocks).
pub(crate) fn pieces(source: &str) -> Vec<&str> {
    if source.contains("{{{{") {
        return vec![source];
    }
    let bytes = source.as_bytes();
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut depth: usize = 0;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at..].starts_with(b"{{") {
            let Some(tag) = Tag::at(source, at) else {
                // An unclosed tag: let the parser report it on the whole.
                return vec![source];
            };
            match tag.kind {
                TagKind::Open => depth += 1,
                TagKind::Close => match depth.checked_sub(1) {
                    Some(d) => depth = d,
                    None => return vec![source],
                },
                TagKind::Other => {}
            }
            at = tag.end;
            continue;
        }
        if bytes[at] == b'\n' {
            let cut = at + 1;
            if depth == 0 && cut - start >= PIECE_BYTES && safe_cut(source, cut) {
                pieces.push(&source[start..cut]);
                start = cut;
            }
        }
        at += 1;
    }
    if start < source.len() || pieces.is_empty() {
        pieces.push(&source[start..]);
    }
    pieces
}

/// Whether no whitespace control reaches across a cut at `cut` (just after a newline): a `~}}`
/// before it followed only by whitespace, or a `{{~` after it preceded only by whitespace.
fn safe_cut(source: &str, cut: usize) -> bool {
    let before = source[..cut].trim_end();
    let after = source[cut..].trim_start();
    !before.ends_with("~}}") && !after.starts_with("{{~")
}

#[derive(Debug, PartialEq)]
enum TagKind {
    /// `{{#name ...}}` and `{{^name ...}}`: a block opens.
    Open,
    /// `{{/name}}`.
    Close,
    /// Expressions, comments, `{{else}}` and `{{^}}`.
    Other,
}

struct Tag {
    kind: TagKind,
    /// Just after the tag's closing braces.
    end: usize,
}

impl Tag {
    /// The tag starting at `at` (which holds `{{`), or `None` when it is never closed.
    fn at(source: &str, at: usize) -> Option<Tag> {
        let inner = &source[at + 2..];
        // `{{!-- ... --}}` may hold `}}`; `{{! ... }}` may not.
        let (close, kind) = if inner.starts_with("!--") {
            (inner.find("--}}").map(|i| i + 4)?, TagKind::Other)
        } else {
            let end = inner.find("}}")? + 2;
            let body = inner[..end - 2].trim_start_matches('~').trim_start();
            let kind = match body.as_bytes().first() {
                Some(b'#') => TagKind::Open,
                Some(b'/') => TagKind::Close,
                Some(b'^') if !body[1..].trim_end_matches('~').trim().is_empty() => TagKind::Open,
                _ => TagKind::Other,
            };
            (end, kind)
        };
        Some(Tag {
            kind,
            end: at + 2 + close,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_line(n: usize) -> String {
        format!("{}\n", "x".repeat(n))
    }

    #[test]
    fn pieces_join_to_the_source() {
        let source = format!(
            "{}{{{{#if a}}}}\n{}{{{{/if}}}}\n{}{{{{x}}}}\n{}",
            long_line(3000),
            long_line(3000),
            long_line(3000),
            long_line(10)
        );
        let pieces = pieces(&source);
        assert_eq!(pieces.concat(), source);
        assert!(pieces.len() > 1, "a long template is cut");
    }

    #[test]
    fn never_cuts_inside_a_block_a_tag_or_a_comment() {
        let body = long_line(5000);
        for source in [
            format!("{{{{#each xs}}}}\n{body}{{{{/each}}}}\n"),
            format!("{{{{^if a}}}}\n{body}{{{{/if}}}}\n"),
            format!("{{{{!-- {body} }}}} --}}}}\n"),
            format!("{{{{x\n{body}}}}}\n"),
        ] {
            assert_eq!(pieces(&source), [source.as_str()], "{source:.20}");
        }
        // `{{else}}` and `{{^}}` do not open a block.
        let source =
            format!("{{{{#if a}}}}\n{body}{{{{else}}}}{{{{^}}}}\n{body}{{{{/if}}}}\n{body}");
        assert_eq!(pieces(&source).len(), 2);
    }

    #[test]
    fn whitespace_control_is_not_cut_across() {
        let body = long_line(3000);
        for source in [
            format!("{body}{{{{x~}}}}\n\n{body}"),
            format!("{body}  \n  {{{{~x}}}}{body}"),
        ] {
            let pieces = pieces(&source);
            assert!(
                pieces.iter().all(|p| !p.ends_with("~}}\n")),
                "{:?}",
                pieces.iter().map(|p| p.len()).collect::<Vec<_>>()
            );
            for (before, after) in pieces.iter().zip(pieces.iter().skip(1)) {
                assert!(!after.trim_start().starts_with("{{~"));
                assert!(!before.trim_end().ends_with("~}}"));
            }
        }
    }

    #[test]
    fn leaves_unbalanced_and_raw_templates_whole() {
        let body = long_line(5000);
        for source in [
            format!("{body}{{{{/if}}}}\n{body}"),
            format!("{body}{{{{x\n{body}"),
            format!("{body}{{{{{{{{raw}}}}}}}}\n{body}{{{{{{{{/raw}}}}}}}}\n"),
        ] {
            assert_eq!(pieces(&source), [source.as_str()]);
        }
    }
}
