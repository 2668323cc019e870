//! Container image references (what `service.image` holds), shared by the MR7xx rules
//! and the generators (which push to and deploy from them).
//!
//! The reference grammar is distribution/reference's, the one `docker` and registries accept:
//!
//! ```text
//! reference      := name [ ":" tag ] [ "@" digest ]
//! name           := [ registry "/" ] path-component ( "/" path-component )*     (≤ 255 chars)
//! registry       := host [ ":" port ]      host: dotted [A-Za-z0-9-] labels, or [IPv6]
//! path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//! tag            := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
//! digest         := "sha256:" 64 lowercase hex | "sha512:" 128 lowercase hex
//! ```
//!
//! One deliberate difference from `docker`: the first component is a registry only when it
//! contains `.` or `:`, or is `localhost`. `docker` also takes an uppercase first component as a
//! registry, which turns the common typo `MyOrg/app` into an unreachable host.

use crate::text::quote::clip;

/// Longest `registry/path` (distribution/reference `NameTotalLengthMax`).
pub const NAME_MAX_LEN: usize = 255;
/// Longest tag.
pub const TAG_MAX_LEN: usize = 128;

/// A parsed image reference. Every field borrows from the text it was parsed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageReference<'a> {
    /// `registry/path` as written, without tag or digest.
    pub name: &'a str,
    /// Registry host, with its port if any; `None` for a Docker Hub name (`nginx`, `org/app`).
    pub registry: Option<&'a str>,
    /// The repository path under the registry.
    pub path: &'a str,
    pub tag: Option<&'a str>,
    /// `algorithm:hex`.
    pub digest: Option<&'a str>,
}

/// Why a string is not a valid image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReferenceError {
    Empty,
    Whitespace,
    /// `https://…`: a URL, not a reference.
    Scheme,
    /// `a//b`, a leading or trailing `/`, or no name before the tag or digest.
    EmptyComponent,
    Registry(String),
    /// The repository path has uppercase letters (and would be valid in lowercase).
    Uppercase,
    Component(String),
    NameTooLong(usize),
    EmptyTag,
    Tag(String),
    TagTooLong(usize),
    /// `name:sha256:…`: a digest written after `:` instead of `@`.
    DigestAfterColon,
    /// Not `algorithm:encoded`.
    DigestFormat(String),
    DigestAlgorithm(String),
    DigestLength {
        algorithm: String,
        expected: usize,
        found: usize,
    },
    DigestNotHex,
    DigestUppercase,
}

impl ReferenceError {
    /// Why the reference is invalid, as a clause that follows "`…` is not a valid image
    /// reference: ".
    pub fn describe(&self) -> String {
        match self {
            ReferenceError::Empty => "it is empty".into(),
            ReferenceError::Whitespace => "it contains spaces".into(),
            ReferenceError::Scheme => "it starts with a URL scheme; image references have none".into(),
            ReferenceError::EmptyComponent => "it has an empty path component (a `//`, a leading or trailing `/`, or no name before the tag or digest)".into(),
            ReferenceError::Registry(r) => format!("`{}` is not a valid registry host", clip(r)),
            ReferenceError::Uppercase => "the repository path has uppercase letters; it must be lowercase".into(),
            ReferenceError::Component(c) => {
                format!("path component `{}` must be lowercase letters and digits, joined by single `.`, `_` or `__`, or by hyphens", clip(c))
            }
            ReferenceError::NameTooLong(n) => format!("the name is {n} characters; at most {NAME_MAX_LEN} are allowed"),
            ReferenceError::EmptyTag => "the tag after `:` is empty".into(),
            ReferenceError::Tag(t) => {
                format!("tag `{t}` must start with a letter, digit or `_`, and hold only letters, digits, `_`, `.` and `-`")
            }
            ReferenceError::TagTooLong(n) => format!("the tag is {n} characters; at most {TAG_MAX_LEN} are allowed"),
            ReferenceError::DigestAfterColon => "the digest follows `:` instead of `@`".into(),
            ReferenceError::DigestFormat(d) => format!("digest `{}` is not `algorithm:hex`, such as `sha256:` and 64 hex digits", clip(d)),
            ReferenceError::DigestAlgorithm(a) => format!("digest algorithm `{}` is not `sha256` (or `sha512`)", clip(a)),
            ReferenceError::DigestLength { algorithm, expected, found } => {
                format!("a {algorithm} digest has {expected} hex digits, this one has {found}")
            }
            ReferenceError::DigestNotHex => "the digest has characters that are not hex digits".into(),
            ReferenceError::DigestUppercase => "the digest's hex digits must be lowercase".into(),
        }
    }
}

impl<'a> ImageReference<'a> {
    pub fn parse(s: &'a str) -> Result<Self, ReferenceError> {
        if s.is_empty() {
            return Err(ReferenceError::Empty);
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ReferenceError::Whitespace);
        }
        if s.contains("://") {
            return Err(ReferenceError::Scheme);
        }
        let (rest, digest) = match s.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest)),
            None => (s, None),
        };
        if digest.is_none() && (rest.contains(":sha256:") || rest.contains(":sha512:")) {
            return Err(ReferenceError::DigestAfterColon);
        }
        let (name, tag) = split_tag(rest);
        let (registry, path) = split_registry(name);
        if let Some(registry) = registry {
            if !is_registry(registry) {
                return Err(ReferenceError::Registry(registry.to_string()));
            }
        }
        if path.split('/').any(str::is_empty) {
            return Err(ReferenceError::EmptyComponent);
        }
        if let Some(bad) = path
            .split('/')
            .find(|c| !is_path_component(&c.to_ascii_lowercase()))
        {
            return Err(ReferenceError::Component(bad.to_string()));
        }
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(ReferenceError::Uppercase);
        }
        if name.len() > NAME_MAX_LEN {
            return Err(ReferenceError::NameTooLong(name.len()));
        }
        if let Some(tag) = tag {
            check_tag(tag)?;
        }
        if let Some(digest) = digest {
            check_digest(digest)?;
        }
        Ok(ImageReference {
            name,
            registry,
            path,
            tag,
            digest,
        })
    }

    /// The registry host in lowercase, without port: `docker.io` for Docker Hub names.
    pub fn host(&self) -> String {
        match self.registry {
            None => "docker.io".into(),
            Some(r) => host_without_port(r).to_ascii_lowercase(),
        }
    }

    /// The repository path's components.
    pub fn components(&self) -> impl Iterator<Item = &'a str> {
        self.path.split('/')
    }

    /// Pinned by a digest, or by a tag other than `latest`.
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some() || self.tag.is_some_and(|t| t != "latest")
    }

    /// `:tag@digest`, as written (empty when neither is present).
    pub fn suffix(&self) -> String {
        let mut out = String::new();
        if let Some(tag) = self.tag {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = self.digest {
            out.push('@');
            out.push_str(digest);
        }
        out
    }
}

/// A reference's mechanical typos fixed: surrounding spaces, a URL scheme, `:sha256:` for
/// `@sha256:`, uppercase in the name or digest. `None` when that does not give a valid
/// reference, or changes nothing.
pub fn repair(s: &str) -> Option<String> {
    let mut text = s.trim().to_string();
    if let Some(i) = text.find("://") {
        text = text[i + 3..].to_string();
    }
    if !text.contains('@') {
        if let Some(i) = text.find(":sha256:").or_else(|| text.find(":sha512:")) {
            text.replace_range(i..i + 1, "@");
        }
    }
    let (rest, digest) = match text.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (text.as_str(), None),
    };
    let (name, tag) = split_tag(rest);
    let mut fixed = name.to_ascii_lowercase();
    if let Some(tag) = tag {
        fixed.push(':');
        fixed.push_str(tag);
    }
    if let Some(digest) = digest {
        fixed.push('@');
        fixed.push_str(&digest.to_ascii_lowercase());
    }
    (fixed != s && ImageReference::parse(&fixed).is_ok()).then_some(fixed)
}

/// Splits `name[:tag]`: the tag follows the last `:` that comes after the last `/` (an earlier
/// `:` belongs to a registry port).
fn split_tag(rest: &str) -> (&str, Option<&str>) {
    let last_slash = rest.rfind('/');
    match rest.rfind(':') {
        Some(colon) if last_slash.is_none_or(|slash| colon > slash) => {
            (&rest[..colon], Some(&rest[colon + 1..]))
        }
        _ => (rest, None),
    }
}

/// Splits `[registry/]path`.
fn split_registry(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, path)) if first.contains(['.', ':']) || first == "localhost" => {
            (Some(first), path)
        }
        _ => (None, name),
    }
}

fn host_without_port(registry: &str) -> &str {
    if registry.starts_with('[') {
        return registry.find(']').map_or(registry, |end| &registry[..=end]);
    }
    registry.split_once(':').map_or(registry, |(host, _)| host)
}

fn is_registry(registry: &str) -> bool {
    let host = host_without_port(registry);
    let port = &registry[host.len()..];
    let port_ok = port.is_empty()
        || (port.len() > 1
            && port.starts_with(':')
            && port[1..].bytes().all(|b| b.is_ascii_digit()));
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':')
    } else {
        host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
    };
    host_ok && port_ok
}

/// `[a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*`
pub fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let ok = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

fn check_tag(tag: &str) -> Result<(), ReferenceError> {
    if tag.is_empty() {
        return Err(ReferenceError::EmptyTag);
    }
    if tag.len() > TAG_MAX_LEN {
        return Err(ReferenceError::TagTooLong(tag.len()));
    }
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    if !word(bytes[0]) || !bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-') {
        return Err(ReferenceError::Tag(tag.to_string()));
    }
    Ok(())
}

fn check_digest(digest: &str) -> Result<(), ReferenceError> {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return Err(ReferenceError::DigestFormat(digest.to_string()));
    };
    let expected = match algorithm {
        "sha256" => 64,
        "sha512" => 128,
        "" => return Err(ReferenceError::DigestFormat(digest.to_string())),
        other => return Err(ReferenceError::DigestAlgorithm(other.to_string())),
    };
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ReferenceError::DigestNotHex);
    }
    if hex.len() != expected {
        return Err(ReferenceError::DigestLength {
            algorithm: algorithm.to_string(),
            expected,
            found: hex.len(),
        });
    }
    if hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(ReferenceError::DigestUppercase);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

    #[test]
    fn parses_references() {
        let r = ImageReference::parse("us-docker.pkg.dev/my-project/apps/my-app:v1.0.0").unwrap();
        assert_eq!(r.registry, Some("us-docker.pkg.dev"));
        assert_eq!(r.path, "my-project/apps/my-app");
        assert_eq!(r.name, "us-docker.pkg.dev/my-project/apps/my-app");
        assert_eq!(r.tag, Some("v1.0.0"));
        assert_eq!(r.digest, None);
        assert_eq!(r.host(), "us-docker.pkg.dev");
        assert!(r.is_pinned());

        let r = ImageReference::parse("nginx").unwrap();
        assert_eq!(
            (r.registry, r.path, r.tag, r.host().as_str()),
            (None, "nginx", None, "docker.io")
        );
        assert!(!r.is_pinned());

        let r = ImageReference::parse("localhost:5000/team/app:latest").unwrap();
        assert_eq!(
            (r.registry, r.path, r.tag),
            (Some("localhost:5000"), "team/app", Some("latest"))
        );
        assert_eq!(r.host(), "localhost");
        assert!(!r.is_pinned());

        let with_digest = format!("gcr.io/p/app:v2@{SHA}");
        let r = ImageReference::parse(&with_digest).unwrap();
        assert_eq!((r.tag, r.digest), (Some("v2"), Some(SHA)));
        assert_eq!(r.suffix(), format!(":v2@{SHA}"));

        let latest_pinned = format!("gcr.io/p/app:latest@{SHA}");
        assert!(ImageReference::parse(&latest_pinned).unwrap().is_pinned());

        for ok in [
            "a__b/c---d/e.f_g",
            "[::1]:5000/app",
            "org/app:_x",
            "a/b:Tag-1.2_3",
            "ghcr.io/o/a",
            "docker.io/library/nginx:1.27",
        ] {
            assert!(ImageReference::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_bad_references() {
        use ReferenceError::*;
        let cases: &[(&str, ReferenceError)] = &[
            ("", Empty),
            ("my app", Whitespace),
            ("https://us-docker.pkg.dev/p/r/app", Scheme),
            ("us-docker.pkg.dev/p//app", EmptyComponent),
            ("us-docker.pkg.dev/", EmptyComponent),
            ("us-docker.pkg.dev/p/r/app/", EmptyComponent),
            (":v1", EmptyComponent),
            (
                "bad_host.example.com/app",
                Registry("bad_host.example.com".into()),
            ),
            ("us-docker.pkg.dev/p/r/My-App:v1", Uppercase),
            ("MyOrg/app", Uppercase),
            ("us-docker.pkg.dev/p/r/app-:v1", Component("app-".into())),
            ("a..b/app", Registry("a..b".into())),
            ("org/a..b", Component("a..b".into())),
            ("org/a___b", Component("a___b".into())),
            ("org/a._b", Component("a._b".into())),
            ("app:", EmptyTag),
            ("app:.v1", Tag(".v1".into())),
            ("app:v1+2", Tag("v1+2".into())),
            ("app:v1:v2", Component("app:v1".into())),
            ("app@sha256", DigestFormat("sha256".into())),
            ("app@md5:abc", DigestAlgorithm("md5".into())),
            (
                "app@sha256:abc",
                DigestLength {
                    algorithm: "sha256".into(),
                    expected: 64,
                    found: 3,
                },
            ),
            ("app@sha256:xyz", DigestNotHex),
            ("app:sha256:abc", DigestAfterColon),
        ];
        for (input, expected) in cases {
            assert_eq!(
                ImageReference::parse(input).as_ref(),
                Err(expected),
                "{input}"
            );
        }
        let long_tag = format!("app:{}", "a".repeat(129));
        assert_eq!(ImageReference::parse(&long_tag), Err(TagTooLong(129)));
        let long_name = format!("org/{}", "a".repeat(252));
        assert_eq!(ImageReference::parse(&long_name), Err(NameTooLong(256)));
        let upper_digest = format!(
            "app@{}",
            SHA.to_ascii_uppercase().replace("SHA256", "sha256")
        );
        assert_eq!(ImageReference::parse(&upper_digest), Err(DigestUppercase));
    }

    #[test]
    fn repairs_mechanical_typos() {
        assert_eq!(
            repair("https://us-docker.pkg.dev/p/r/app:v1").as_deref(),
            Some("us-docker.pkg.dev/p/r/app:v1")
        );
        assert_eq!(
            repair(" us-docker.pkg.dev/p/r/My-App:V1 ").as_deref(),
            Some("us-docker.pkg.dev/p/r/my-app:V1")
        );
        let hex = &SHA["sha256:".len()..];
        assert_eq!(
            repair(&format!("org/app:sha256:{hex}")),
            Some(format!("org/app@sha256:{hex}"))
        );
        assert_eq!(
            repair(&format!("org/app@sha256:{}", hex.to_ascii_uppercase())),
            Some(format!("org/app@sha256:{hex}"))
        );
        assert_eq!(repair("org/app:v1"), None);
        assert_eq!(repair("org/a..b"), None);
    }

    #[test]
    fn path_components() {
        for ok in ["a", "a1", "a.b", "a_b", "a__b", "a-b", "a---b", "gcr.io"] {
            assert!(is_path_component(ok), "{ok}");
        }
        for bad in ["", "-a", "a-", "a..b", "a___b", "a.-b", "A", "a/b", ".a"] {
            assert!(!is_path_component(bad), "{bad}");
        }
    }
}
