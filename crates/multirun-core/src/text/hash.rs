//! A small, stable hash for names and fingerprints: FNV-1a, 64-bit. Stable across platforms,
//! Rust versions and runs (unlike `std`'s hasher), so the same input gives the same name in the
//! CLI, the browser and every later release.

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

pub fn fnv1a_64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// The first `digits` lowercase hex digits of the hash of `bytes` (at most 16).
pub fn hex_digest(bytes: &[u8], digits: usize) -> String {
    hex(fnv1a_64(bytes), digits)
}

/// The first `digits` lowercase hex digits of `hash` (at most 16).
pub fn hex(hash: u64, digits: usize) -> String {
    // Most significant nibble first, as `{:016x}` writes it (a render takes ~1,500 digests).
    let digits = digits.min(16);
    let mut hex = String::with_capacity(digits);
    hex.extend((0..digits).map(|i| {
        let nibble = (hash >> (60 - 4 * i)) & 0xf;
        char::from_digit(nibble as u32, 16).expect("a nibble is a hex digit")
    }));
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_published_test_vectors() {
        // From the FNV reference (draft-eastlake-fnv): "" and "a".
        assert_eq!(fnv1a_64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a_64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hex_digest(b"a", 8), "af63dc4c");
        assert_eq!(hex_digest(b"a", 16), "af63dc4c8601ec8c");
        assert_eq!(hex_digest(b"", 16), format!("{:016x}", fnv1a_64(b"")));
        assert_eq!(hex_digest(b"a", 20), "af63dc4c8601ec8c");
    }
}
