//! DNS hostnames as `loadBalancer.domains` takes them: the bare, lowercase name a certificate
//! is issued for (`app.example.com`), with no scheme, path, port or trailing dot.

/// Longest hostname in presentation form (RFC 1035 §2.3.4 allows 255 octets on the wire,
/// which leaves 253 characters of dotted text).
pub const MAX_LEN: usize = 253;
/// Longest label (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// Why a string is not a valid hostname. Wildcards (`*.example.com`) are reported as such so
/// callers can leave them to the wildcard rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    Wildcard,
    /// A character outside ASCII (an internationalized name not in its `xn--` form).
    NonAscii(char),
    /// A character that has no place in a hostname.
    InvalidChar(char),
    /// Uppercase letters: DNS ignores case, multirun takes the lowercase form.
    Uppercase,
    /// Only one label: `localhost`, `myapp`.
    SingleLabel,
    /// Two dots in a row, or a leading dot.
    EmptyLabel,
    LabelTooLong {
        label: String,
        len: usize,
    },
    LabelHyphen {
        label: String,
    },
    LabelChar {
        label: String,
        ch: char,
    },
    /// The last label is all digits: an IP address, or not a real top-level domain.
    NumericTld,
    TooLong(usize),
}

impl Problem {
    /// Why the name is invalid, as a clause that follows "`name` is not a valid hostname: ".
    pub fn describe(&self) -> String {
        match self {
            Problem::Empty => "it is empty".into(),
            Problem::Wildcard => "it is a wildcard".into(),
            Problem::NonAscii(c) => format!("`{c}` is not ASCII"),
            Problem::InvalidChar(c) => format!("`{c}` cannot appear in a hostname"),
            Problem::Uppercase => "it has uppercase letters".into(),
            Problem::SingleLabel => "it has a single label; the certificate needs a fully qualified name".into(),
            Problem::EmptyLabel => "it has an empty label (a leading dot, or two dots in a row)".into(),
            Problem::LabelTooLong { label, len } => format!("label `{label}` is {len} characters, over the DNS limit of {MAX_LABEL_LEN}"),
            Problem::LabelHyphen { label } => {
                let end = if label.starts_with('-') { "starts" } else { "ends" };
                format!("label `{label}` {end} with a hyphen")
            }
            Problem::LabelChar { label, ch } => format!("label `{label}` contains `{ch}`; labels use only letters, digits and hyphens"),
            Problem::NumericTld => "its last label is all digits; an IP address cannot have a Google-managed certificate".into(),
            Problem::TooLong(len) => format!("it is {len} characters, over the DNS limit of {MAX_LEN}"),
        }
    }
}

/// Checks a hostname in the canonical form multirun takes: lowercase `[a-z0-9-]` labels of 1–63
/// characters, no label starting or ending with `-`, at least two labels, at most 253
/// characters, and no trailing dot.
pub fn validate(host: &str) -> Result<(), Problem> {
    if host.is_empty() {
        return Err(Problem::Empty);
    }
    if host.contains('*') {
        return Err(Problem::Wildcard);
    }
    if let Some(c) = host.chars().find(|c| !c.is_ascii()) {
        return Err(Problem::NonAscii(c));
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.'))
    {
        return Err(Problem::InvalidChar(c));
    }
    if host.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(Problem::Uppercase);
    }
    if host.len() > MAX_LEN {
        return Err(Problem::TooLong(host.len()));
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.iter().any(|l| l.is_empty()) {
        return Err(Problem::EmptyLabel);
    }
    if labels.len() < 2 {
        return Err(Problem::SingleLabel);
    }
    for label in &labels {
        if label.len() > MAX_LABEL_LEN {
            return Err(Problem::LabelTooLong {
                label: (*label).to_string(),
                len: label.len(),
            });
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(Problem::LabelHyphen {
                label: (*label).to_string(),
            });
        }
        if let Some(ch) = label
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(Problem::LabelChar {
                label: (*label).to_string(),
                ch,
            });
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Problem::NumericTld);
    }
    Ok(())
}

/// What [`clean`] removed or changed to get from what was written to a bare hostname.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub host: String,
    pub whitespace: bool,
    pub scheme: bool,
    /// A path, query or fragment after the host.
    pub path: bool,
    pub port: bool,
    pub trailing_dot: bool,
    pub uppercase: bool,
}

impl Cleaned {
    /// The changes, as a list of noun phrases ("a scheme", "a port", ...).
    pub fn changes(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.whitespace {
            out.push("surrounding spaces");
        }
        if self.scheme {
            out.push("a scheme");
        }
        if self.path {
            out.push("a path");
        }
        if self.port {
            out.push("a port");
        }
        if self.trailing_dot {
            out.push("a trailing dot");
        }
        if self.uppercase {
            out.push("uppercase letters");
        }
        out
    }
}

/// Turns a URL-ish entry (`https://App.example.com:443/path`) into the bare lowercase hostname
/// it names, recording each change. The result still needs [`validate`].
pub fn clean(written: &str) -> Cleaned {
    let mut c = Cleaned::default();
    let mut s = written.trim();
    c.whitespace = s.len() != written.len();
    if let Some(i) = s.find("://") {
        c.scheme = true;
        s = &s[i + 3..];
    }
    if let Some(i) = s.find(['/', '?', '#']) {
        c.path = true;
        s = &s[..i];
    }
    // userinfo (`user@host`) never belongs in a hostname; leave it for `validate` to reject.
    if let Some(i) = s.rfind(':') {
        if i + 1 < s.len() && s[i + 1..].bytes().all(|b| b.is_ascii_digit()) {
            c.port = true;
            s = &s[..i];
        }
    }
    if s.len() > 1 && s.ends_with('.') {
        c.trailing_dot = true;
        s = &s[..s.len() - 1];
    }
    c.uppercase = s.chars().any(|ch| ch.is_ascii_uppercase());
    c.host = s.to_ascii_lowercase();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_hostnames() {
        for ok in [
            "app.example.com",
            "example.com",
            "a.b.c.d.example.co.uk",
            "xn--bcher-kva.example",
            "1x.example.com",
            "a-b.example.com",
        ] {
            assert_eq!(validate(ok), Ok(()), "{ok}");
        }
        let label = "a".repeat(63);
        assert_eq!(validate(&format!("{label}.example.com")), Ok(()));
    }

    #[test]
    fn rejects_what_is_not_a_hostname() {
        assert_eq!(validate(""), Err(Problem::Empty));
        assert_eq!(validate("*.example.com"), Err(Problem::Wildcard));
        assert_eq!(validate("bücher.example"), Err(Problem::NonAscii('ü')));
        assert_eq!(
            validate("app_1.example.com"),
            Err(Problem::InvalidChar('_'))
        );
        assert_eq!(validate("App.example.com"), Err(Problem::Uppercase));
        assert_eq!(validate("localhost"), Err(Problem::SingleLabel));
        assert_eq!(validate("app..example.com"), Err(Problem::EmptyLabel));
        assert_eq!(validate("app.example.com."), Err(Problem::EmptyLabel));
        assert_eq!(
            validate("-app.example.com"),
            Err(Problem::LabelHyphen {
                label: "-app".into()
            })
        );
        assert_eq!(
            validate("app-.example.com"),
            Err(Problem::LabelHyphen {
                label: "app-".into()
            })
        );
        assert_eq!(validate("34.120.1.2"), Err(Problem::NumericTld));
        let label = "a".repeat(64);
        assert_eq!(
            validate(&format!("{label}.com")),
            Err(Problem::LabelTooLong {
                label: label.clone(),
                len: 64
            })
        );
        let long = format!("{}.com", vec!["a".repeat(60); 5].join("."));
        assert_eq!(validate(&long), Err(Problem::TooLong(long.len())));
    }

    #[test]
    fn cleans_urls_into_hostnames() {
        let c = clean("https://App.Example.com/");
        assert_eq!(c.host, "app.example.com");
        assert!(c.scheme && c.path && c.uppercase && !c.port && !c.trailing_dot);
        assert_eq!(c.changes(), ["a scheme", "a path", "uppercase letters"]);

        let c = clean(" app.example.com:443 ");
        assert_eq!(c.host, "app.example.com");
        assert!(c.whitespace && c.port);

        let c = clean("app.example.com.");
        assert_eq!(c.host, "app.example.com");
        assert!(c.trailing_dot);

        let c = clean("app.example.com?x=1");
        assert_eq!((c.host.as_str(), c.path), ("app.example.com", true));

        assert_eq!(
            clean("app.example.com"),
            Cleaned {
                host: "app.example.com".into(),
                ..Cleaned::default()
            }
        );
    }
}
