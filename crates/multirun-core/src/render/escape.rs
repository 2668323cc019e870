//! Escaping for every output language. Templates interpolate user values only through these
//! helpers (HTML escaping is off), so no value in a spec can inject a command or break syntax.
//!
//! Each escaper appends to an output (`push_*`), so rendering writes values straight into the
//! file it builds; the `String`-returning forms are for everything else.

use std::borrow::Cow;
use std::fmt::Write;

/// How an escaper writes one char of a value.
#[derive(Clone, Copy)]
enum Esc {
    /// As itself.
    Raw,
    /// As this text.
    Text(&'static str),
    /// As this char instead.
    Char(char),
    /// As itself, twice.
    Twice,
    /// As `\uXXXX`, upper-case hex.
    UnicodeUpper,
    /// As `\u00xx`, lower-case hex (serde_json's form).
    UnicodeLower,
    /// As an XML decimal character reference, `&#N;`.
    XmlDecimal,
}

/// ASCII bytes that every escaper here writes as themselves, whatever follows them.
fn always_raw(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
        || matches!(
            byte,
            b' ' | b'-' | b'.' | b'/' | b':' | b',' | b'=' | b'@' | b'+'
        )
}

/// The length of the longest prefix of `bytes` that [`always_raw`] says is raw.
fn always_raw_prefix(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !always_raw(b))
        .unwrap_or(bytes.len())
}

/// Appends `value` to `out`, each char as `escape(char, next char)` says. Runs of raw chars
/// are copied in one piece: most values need no escaping at all, and pushing them char by
/// char was a tenth of an all-regions render. Runs of bytes `raw_prefix` says are raw
/// ([`always_raw`]'s, or the caller's wider set) are passed over without decoding a char or
/// asking `escape`.
fn push_escaped(
    value: &str,
    out: &mut String,
    raw_prefix: fn(&[u8]) -> usize,
    escape: impl Fn(char, Option<char>) -> Esc,
) {
    out.reserve(value.len());
    let bytes = value.as_bytes();
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        i += raw_prefix(&bytes[i..]);
        if i == bytes.len() {
            break;
        }
        // `i` is a char boundary: it moves by one ASCII byte or by one whole char.
        let mut rest = value[i..].chars();
        let c = rest
            .next()
            .expect("a char starts at a boundary before the end");
        let len = c.len_utf8();
        let how = escape(c, rest.next());
        if let Esc::Raw = how {
            i += len;
            continue;
        }
        out.push_str(&value[run_start..i]);
        i += len;
        run_start = i;
        push_esc(how, c, out);
    }
    out.push_str(&value[run_start..]);
}

/// Writes `c` as `how` says (not [`Esc::Raw`]: raw chars are copied with their run).
fn push_esc(how: Esc, c: char, out: &mut String) {
    let written = match how {
        Esc::Raw => unreachable!("raw chars stay in the run"),
        Esc::Text(text) => {
            out.push_str(text);
            Ok(())
        }
        Esc::Char(instead) => {
            out.push(instead);
            Ok(())
        }
        Esc::Twice => {
            out.push(c);
            out.push(c);
            Ok(())
        }
        Esc::UnicodeUpper => write!(out, "\\u{:04X}", c as u32),
        Esc::UnicodeLower => write!(out, "\\u{:04x}", c as u32),
        Esc::XmlDecimal => write!(out, "&#{};", c as u32),
    };
    written.expect("writing to a String succeeds");
}

/// A POSIX shell word: single-quoted, with `'` written as `'\''`. Nothing inside single quotes
/// is expanded (`$`, backticks, `\`), and newlines are kept literally. Words that need no
/// quotes are written bare, except lowercase names (`admin`, `test`, `date`): written as
/// `SERVICE=test`, such a word reads to shellcheck as a command's name (SC2209), so it is
/// quoted too.
pub fn push_shell(value: &str, out: &mut String) {
    let could_be_a_command = value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !value.is_empty()
        && !could_be_a_command
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b))
    {
        out.push_str(value);
        return;
    }
    out.push('\'');
    push_escaped(value, out, always_raw_prefix, |c, next| match c {
        '\'' => Esc::Text(r"'\''"),
        // A `\` right before a closing quote is literal to the shell but reads as an attempt
        // to escape the quote (shellcheck SC1003, found by the property run): write that one
        // outside the quotes.
        '\\' if matches!(next, None | Some('\'')) => Esc::Text(r"'\\'"),
        _ => Esc::Raw,
    });
    out.push('\'');
}

/// An HCL quoted string (with the quotes). Escapes `\`, `"` and control characters, and
/// doubles the template sequences `${` and `%{` so Terraform reads them literally.
pub fn push_hcl(value: &str, out: &mut String) {
    out.push('"');
    push_escaped(value, out, always_raw_prefix, |c, next| match c {
        '\\' => Esc::Text("\\\\"),
        '"' => Esc::Text("\\\""),
        '\n' => Esc::Text("\\n"),
        '\r' => Esc::Text("\\r"),
        '\t' => Esc::Text("\\t"),
        '$' | '%' if next == Some('{') => Esc::Twice,
        c if c.is_control() => Esc::UnicodeUpper,
        _ => Esc::Raw,
    });
    out.push('"');
}

/// A JSON string literal (with the quotes), written as serde_json writes it. Also valid as a
/// YAML double-quoted scalar, which is how YAML outputs embed user values.
pub fn push_json(value: &str, out: &mut String) {
    // JSON leaves every byte from 0x20 up raw but `"` and `\`, so no char needs decoding: runs
    // of raw bytes are skipped eight at a time, and each byte that ends one is escaped by
    // serde_json's table. The monitoring filters quote a label every few bytes, where the
    // shared char-by-char escaper restarted at each quote.
    out.reserve(value.len() + 2);
    out.push('"');
    let bytes = value.as_bytes();
    let (mut i, mut run_start) = (0, 0);
    loop {
        i += json_raw_prefix(&bytes[i..]);
        let Some(&byte) = bytes.get(i) else { break };
        // `byte` is ASCII, so `i` and `i + 1` are char boundaries.
        out.push_str(&value[run_start..i]);
        i += 1;
        run_start = i;
        match JSON_ESCAPES[usize::from(byte)] {
            b'u' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
            short => {
                out.push('\\');
                out.push(char::from(short));
            }
        }
    }
    out.push_str(&value[run_start..]);
    out.push('"');
}

/// The length of the longest prefix of `bytes` that JSON writes as it is.
fn json_raw_prefix(bytes: &[u8]) -> usize {
    raw_prefix(
        bytes,
        |word| bytes_below(word, b' ') | bytes_equal(word, b'"') | bytes_equal(word, b'\\'),
        |byte| JSON_ESCAPES[usize::from(byte)] == 0,
    )
}

/// For each byte, what follows the `\` that escapes it in a JSON string: 0 for a byte written
/// as itself, `u` for `\u00xx`. serde_json's table (`ESCAPE` in its `ser.rs`).
const JSON_ESCAPES: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// A YAML double-quoted scalar: JSON string syntax, which is a subset of YAML's double-quoted
/// style, plus escapes for what JSON leaves raw but a YAML stream may not contain at all (DEL,
/// C1 controls, U+FEFF, U+FFFE/U+FFFF; found by fuzzing) and for the characters YAML 1.1
/// parsers (libyaml and its ports, PyYAML) take for line breaks and fold into spaces inside
/// quotes (U+0085, U+2028, U+2029). YAML reads the `\u` escapes back to the same characters.
pub fn push_yaml(value: &str, out: &mut String) {
    push_quoted(value, out, |c| {
        if yaml_raw(c) {
            Esc::Raw
        } else {
            Esc::UnicodeUpper
        }
    });
}

/// `"value"` with JSON's escapes for `"`, `\` and C0 controls (short forms where JSON has them,
/// else `\u00xx` in lowercase hex, as serde_json writes them); `other` says how to write every
/// other char.
fn push_quoted(value: &str, out: &mut String, other: impl Fn(char) -> Esc) {
    out.reserve(value.len() + 2);
    out.push('"');
    push_escaped(value, out, quoted_raw_prefix, |c, _| match c {
        '"' => Esc::Text("\\\""),
        '\\' => Esc::Text("\\\\"),
        '\n' => Esc::Text("\\n"),
        '\r' => Esc::Text("\\r"),
        '\t' => Esc::Text("\\t"),
        '\u{8}' => Esc::Text("\\b"),
        '\u{c}' => Esc::Text("\\f"),
        c if (c as u32) < 0x20 => Esc::UnicodeLower,
        c => other(c),
    });
    out.push('"');
}

/// Bytes every quoted form writes as themselves: printable ASCII but `"` and `\\`, nearly every
/// byte of a value.
fn quoted_raw(byte: u8) -> bool {
    matches!(byte, b' '..=b'~') && !matches!(byte, b'"' | b'\\')
}

/// The length of the longest prefix of `bytes` that [`quoted_raw`] says is raw.
fn quoted_raw_prefix(bytes: &[u8]) -> usize {
    raw_prefix(
        bytes,
        |word| {
            bytes_below(word, b' ')
                | bytes_equal(word, b'"')
                | bytes_equal(word, b'\\')
                | bytes_equal(word, 0x7f)
                | (word & HIGHS)
        },
        quoted_raw,
    )
}

/// The length of the longest prefix of `bytes` that `raw` accepts, eight bytes at a time:
/// `specials` flags the high bit of each byte of a word that `raw` refuses, exactly for the
/// lowest one. JSON strings (long monitoring filters and descriptions) were almost a tenth of
/// an all-regions render, taken a byte at a time.
fn raw_prefix(bytes: &[u8], specials: impl Fn(u64) -> u64, raw: impl Fn(u8) -> bool) -> usize {
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let special = specials(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if special != 0 {
            // The lowest flag is exact: the tricks only ever flag bytes above a true one.
            return i + (special.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + bytes[i..]
        .iter()
        .position(|&b| !raw(b))
        .unwrap_or(bytes.len() - i)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Flags (the high bit of) each byte of `word` below `n` (`n` <= 0x80): the classic bit trick,
/// exact about whether such a byte exists and about the lowest one.
fn bytes_below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS
}

/// Flags each byte of `word` equal to `byte`, as [`bytes_below`] does.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    bytes_below(word ^ (ONES * u64::from(byte)), 1)
}

/// Whether `c` may appear as itself inside a double-quoted YAML scalar: YAML 1.2's
/// `c-printable` set, minus the byte-order mark (allowed only at a stream start) and minus
/// YAML 1.1's extra line breaks.
fn yaml_raw(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FEFE}' | '\u{FF00}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{2028}' | '\u{2029}')
}

/// A value as Cloud Build text, where Cloud Build expands `$VAR` and `${VAR}` substitutions
/// (with bash-style operators in triggered builds, which always use dynamic substitutions):
/// every `$` doubled (`$$` is Cloud Build's literal `$`), so it substitutes nothing. Borrowed
/// when there is none, as nearly always.
pub fn cloudbuild_literal(value: &str) -> Cow<'_, str> {
    if value.contains('$') {
        Cow::Owned(value.replace('$', "$$"))
    } else {
        Cow::Borrowed(value)
    }
}

/// A value inside a Cloud Build config (YAML): [`cloudbuild_literal`], then a YAML
/// double-quoted scalar.
pub fn push_cloudbuild(value: &str, out: &mut String) {
    push_yaml(&cloudbuild_literal(value), out);
}

/// XML character data or an attribute value (either quote). Escapes `&`, `<`, `>`, `"` and
/// `'`. Characters XML 1.0 cannot carry at all, even as references (C0 controls other than tab,
/// newline and carriage return, U+FFFE, U+FFFF), become U+FFFD.
pub fn push_xml(value: &str, out: &mut String) {
    push_escaped(value, out, always_raw_prefix, |c, _| match c {
        '&' => Esc::Text("&amp;"),
        '<' => Esc::Text("&lt;"),
        '>' => Esc::Text("&gt;"),
        '"' => Esc::Text("&quot;"),
        '\'' => Esc::Text("&apos;"),
        '\t' | '\n' | '\r' => Esc::XmlDecimal,
        c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => Esc::Char('\u{FFFD}'),
        _ => Esc::Raw,
    });
}

/// Text inside a quoted Mermaid label (`id["..."]`, `-- "..." -->`), without the quotes.
/// Mermaid decodes `#name;` and `#NNN;` entity codes in labels, so `"` (which would end the
/// string), `#` (which would start an entity), the HTML-significant `<`, `>` and `&`, and the
/// markdown-significant backtick, `*` and `_`, and `%` (so that no `%%{...}%%` directive can
/// form: Mermaid looks for them anywhere in the text) are written as entity codes; control
/// characters become spaces.
pub fn push_mermaid(value: &str, out: &mut String) {
    push_escaped(value, out, always_raw_prefix, |c, _| match c {
        '"' => Esc::Text("#quot;"),
        '#' => Esc::Text("#35;"),
        '<' => Esc::Text("#60;"),
        '>' => Esc::Text("#62;"),
        '&' => Esc::Text("#38;"),
        '`' => Esc::Text("#96;"),
        '*' => Esc::Text("#42;"),
        '_' => Esc::Text("#95;"),
        '%' => Esc::Text("#37;"),
        c if c.is_control() => Esc::Char(' '),
        _ => Esc::Raw,
    });
}

/// `String`-returning forms of the escapers.
macro_rules! collected {
    ($($name:ident => $push:ident),* $(,)?) => {$(
        #[doc = concat!("[`", stringify!($push), "`] into a new `String`.")]
        pub fn $name(value: &str) -> String {
            let mut out = String::with_capacity(value.len() + 2);
            $push(value, &mut out);
            out
        }
    )*};
}

collected!(shell => push_shell, hcl => push_hcl, json => push_json, yaml => push_yaml, cloudbuild => push_cloudbuild, xml => push_xml, mermaid => push_mermaid);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_scans_stop_where_the_byte_scans_do() {
        let json_raw = |b: u8| JSON_ESCAPES[usize::from(b)] == 0;
        assert_scan_matches(quoted_raw_prefix, quoted_raw);
        assert_scan_matches(json_raw_prefix, json_raw);
    }

    /// `scan` finds the first byte that `raw` says is not raw, wherever it sits in or across
    /// eight-byte words, after any other bytes.
    fn assert_scan_matches(scan: fn(&[u8]) -> usize, raw: impl Fn(u8) -> bool) {
        let naive = |bytes: &[u8]| bytes.iter().position(|&b| !raw(b)).unwrap_or(bytes.len());
        for special in (0..=255u8).filter(|&b| !raw(b)) {
            for filler in [b'a', 0xff, 0x80] {
                for at in 0..20 {
                    for len in at..24 {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = special;
                        }
                        if at + 1 < len {
                            bytes[at + 1] = 0;
                        }
                        assert_eq!(
                            scan(&bytes),
                            naive(&bytes),
                            "{special:#x} at {at} of {len} after {filler:#x}"
                        );
                    }
                }
            }
        }
        let every: Vec<u8> = (0..=255u8).cycle().take(1024).collect();
        for start in 0..every.len() {
            assert_eq!(scan(&every[start..]), naive(&every[start..]));
        }
    }

    #[test]
    fn bytes_skipped_as_always_raw_are_raw_in_every_escaper() {
        let raw: String = (0..=127u8)
            .filter(|&b| always_raw(b))
            .map(char::from)
            .collect();
        for escaper in [shell, hcl, json, yaml, cloudbuild, xml, mermaid] {
            for text in [raw.clone(), format!("${raw}%"), format!("\\{raw}'")] {
                assert!(escaper(&text).contains(&raw), "{}", escaper(&text));
            }
        }
    }

    #[test]
    fn shell_quotes_everything_that_could_expand() {
        assert_eq!(shell("us-central1"), "us-central1");
        assert_eq!(shell("100"), "100");
        // A lowercase name could be a command's (shellcheck SC2209 on `X=test`).
        assert_eq!(shell("test"), "'test'");
        assert_eq!(shell("c99"), "'c99'");
        assert_eq!(shell("a b"), "'a b'");
        assert_eq!(shell("it's $(rm -rf /) `x`"), r"'it'\''s $(rm -rf /) `x`'");
        assert_eq!(shell(""), "''");
        assert_eq!(shell(r"a\"), r"'a'\\''");
        assert_eq!(shell(r"a\'b\c"), r"'a'\\''\''b\c'");
    }

    #[test]
    fn bash_reads_shell_words_back() {
        let values = [
            "plain",
            "",
            "a b",
            "it's",
            "'",
            "''",
            r"\",
            r"a\",
            r"a\'b",
            r"\\'\",
            "$(id) `x` ${y}",
            "new\nline",
            "é✓",
            "# c:|\\",
        ];
        let script: String = values
            .iter()
            .map(|v| format!("printf '%s\\0' {}\n", shell(v)))
            .collect();
        let Ok(output) = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .output()
        else {
            return;
        };
        let words: Vec<&str> = std::str::from_utf8(&output.stdout)
            .unwrap()
            .split_terminator('\0')
            .collect();
        assert_eq!(words, values);
    }

    #[test]
    fn hcl_escapes_quotes_and_template_sequences() {
        assert_eq!(hcl(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(
            hcl("${var.x} %{if} $5 100%"),
            r#""$${var.x} %%{if} $5 100%""#
        );
        assert_eq!(hcl("line\nnext"), r#""line\nnext""#);
    }

    #[test]
    fn yaml_escapes_what_a_yaml_stream_cannot_hold() {
        for hostile in [
            "LOG\u{7f}LEVEL",
            "a\u{80}b\u{9f}",
            "\u{feff}bom",
            "x\u{fffe}\u{ffff}",
        ] {
            let quoted = yaml(hostile);
            assert!(quoted.is_ascii(), "{quoted}");
            let parsed: String =
                serde_yaml::from_str(&quoted).unwrap_or_else(|e| panic!("{quoted}: {e}"));
            assert_eq!(parsed, hostile);
        }
    }

    #[test]
    fn json_strings_are_written_as_serde_json_writes_them() {
        let every_char_class: String = (0u32..0x3000)
            .chain([0xD7FF, 0xE000, 0xFEFF, 0xFFFE, 0xFFFF, 0x10000, 0x1F600])
            .filter_map(char::from_u32)
            .collect();
        for value in [
            every_char_class.as_str(),
            "",
            "plain",
            "a\"b\\c\u{7f}\u{85}",
        ] {
            assert_eq!(json(value), serde_json::to_string(value).unwrap());
            // YAML: JSON's text with only the non-printable characters escaped further.
            let from_json: String = serde_json::to_string(value)
                .unwrap()
                .chars()
                .map(|c| {
                    if yaml_raw(c) {
                        c.to_string()
                    } else {
                        format!("\\u{:04X}", c as u32)
                    }
                })
                .collect();
            assert!(yaml(value) == from_json);
            assert!(
                serde_yaml::from_str::<String>(&yaml(value)).unwrap() == value,
                "YAML reads back another string"
            );
        }
    }

    #[test]
    fn json_and_yaml_are_quoted_and_escaped() {
        assert_eq!(json("a\"b\n"), r#""a\"b\n""#);
        let parsed: String =
            serde_yaml::from_str(&yaml("key: value # not a comment\n'x'")).unwrap();
        assert_eq!(parsed, "key: value # not a comment\n'x'");
    }

    #[test]
    fn cloudbuild_doubles_dollars_inside_yaml() {
        assert_eq!(cloudbuild("a$b ${C} $$"), r#""a$$b $${C} $$$$""#);
        let parsed: String = serde_yaml::from_str(&cloudbuild("x: $(id)\n`y`")).unwrap();
        assert_eq!(parsed, "x: $$(id)\n`y`");
    }

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            xml(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(xml("a\nb\u{1}c\u{FFFF}é"), "a&#10;b\u{FFFD}c\u{FFFD}é");
    }

    #[test]
    fn mermaid_uses_entity_codes() {
        assert_eq!(
            mermaid(r#"a"b#c<d>&`*_"#),
            "a#quot;b#35;c#60;d#62;#38;#96;#42;#95;"
        );
        assert_eq!(mermaid("x\ny"), "x y");
        assert_eq!(mermaid("%%{init: {}}%%"), "#37;#37;{init: {}}#37;#37;");
    }
}
