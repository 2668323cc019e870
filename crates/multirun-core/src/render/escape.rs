//! Escaping for every output language. Templates interpolate user values only through these
//! helpers (HTML escaping is off), so no value in a spec can inject a command or break syntax.

/// A POSIX shell word: single-quoted, with `'` written as `'\''`. Nothing inside single quotes
/// is expanded (`$`, backticks, `\`), and newlines are kept literally.
pub fn shell(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b)) {
        return value.to_string();
    }
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// An HCL quoted string (with the quotes). Escapes `\`, `"` and control characters, and
/// doubles the template sequences `${` and `%{` so Terraform reads them literally.
pub fn hcl(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON string literal (with the quotes). Also valid as a YAML double-quoted scalar, which
/// is how YAML outputs embed user values.
pub fn json(value: &str) -> String {
    serde_json::to_string(value).expect("strings always serialize")
}

/// A YAML double-quoted scalar. JSON string syntax is a subset of YAML's double-quoted style;
/// non-printable characters are escaped by `json` already.
pub fn yaml(value: &str) -> String {
    json(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quotes_everything_that_could_expand() {
        assert_eq!(shell("us-central1"), "us-central1");
        assert_eq!(shell("a b"), "'a b'");
        assert_eq!(shell("it's $(rm -rf /) `x`"), r"'it'\''s $(rm -rf /) `x`'");
        assert_eq!(shell(""), "''");
    }

    #[test]
    fn hcl_escapes_quotes_and_template_sequences() {
        assert_eq!(hcl(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(hcl("${var.x} %{if} $5 100%"), r#""$${var.x} %%{if} $5 100%""#);
        assert_eq!(hcl("line\nnext"), r#""line\nnext""#);
    }

    #[test]
    fn json_and_yaml_are_quoted_and_escaped() {
        assert_eq!(json("a\"b\n"), r#""a\"b\n""#);
        let parsed: String = serde_yaml::from_str(&yaml("key: value # not a comment\n'x'")).unwrap();
        assert_eq!(parsed, "key: value # not a comment\n'x'");
    }
}
