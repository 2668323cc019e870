//! Fingerprints: a generated file that carries `@MULTIRUN_FINGERPRINT@` gets it replaced by a
//! hash of the file (taken with the placeholder in place, so the hash does not depend on
//! itself). deploy.sh compares the fingerprint it finds on a live resource (a label or a
//! description) with the file's, to apply only what changed and to tell `--plan` what would.
//!
//! The hash is XXH3 (64 bits), which is stable across platforms and releases of the crate. It
//! replaced FNV-1a, whose byte-at-a-time loop took 0.42 ms of a render of every region. Changing
//! it changed every fingerprint once, as any new multirun version does (the files name it).

use std::sync::OnceLock;

use memchr::memmem::Finder;
use xxhash_rust::xxh3::xxh3_64;

use crate::text::hash::hex;

/// The text templates write where the fingerprint goes.
pub const PLACEHOLDER: &str = "@MULTIRUN_FINGERPRINT@";

/// `contents` with every placeholder replaced by the 16 hex digits of its hash.
pub fn stamp(mut contents: String) -> String {
    // Every file of a render is searched (605 KB for every region); `str::find` set up its
    // searcher again for each one, which cost more than the search.
    static FINDER: OnceLock<Finder<'static>> = OnceLock::new();
    let finder = FINDER.get_or_init(|| Finder::new(PLACEHOLDER));
    let Some(mut at) = finder.find(contents.as_bytes()) else {
        return contents;
    };
    let digest = hex(xxh3_64(contents.as_bytes()), 16);
    // In place: a file holds a placeholder or two, near its top.
    loop {
        contents.replace_range(at..at + PLACEHOLDER.len(), &digest);
        match finder.find(&contents.as_bytes()[at + digest.len()..]) {
            Some(next) => at += digest.len() + next,
            None => return contents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_a_hash_of_the_content() {
        let a = stamp(format!("x: 1\nfingerprint: {PLACEHOLDER}\n"));
        let b = stamp(format!("x: 2\nfingerprint: {PLACEHOLDER}\n"));
        assert_ne!(a, b);
        assert!(!a.contains(PLACEHOLDER));
        assert_eq!(a.len(), "x: 1\nfingerprint: \n".len() + 16);
        assert_eq!(stamp("plain".into()), "plain");
        let twice = stamp(format!("{PLACEHOLDER} and {PLACEHOLDER}{PLACEHOLDER}"));
        let digest = &twice[..16];
        assert_eq!(twice, format!("{digest} and {digest}{digest}"));
        // XXH3's published value for the empty input: the digest is the hash of the file with
        // the placeholder in place, written as 16 hex digits.
        assert_eq!(xxh3_64(b""), 0x2d06_8005_38d3_94c2);
        assert_eq!(
            stamp(PLACEHOLDER.to_string()),
            format!("{:016x}", xxh3_64(PLACEHOLDER.as_bytes()))
        );
    }
}
