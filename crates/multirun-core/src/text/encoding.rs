//! Position encodings: how offsets and columns are counted for a consumer. The CLI and the
//! JSON contract count bytes (spans) and Unicode scalar values (columns); browser editors and
//! most language clients count UTF-16 code units.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PositionEncoding {
    /// Spans in UTF-8 bytes, columns in Unicode scalar values (the CLI's and the default).
    #[default]
    #[serde(rename = "utf-8")]
    Utf8,
    /// Spans and columns in UTF-16 code units.
    #[serde(rename = "utf-16")]
    Utf16,
}

impl PositionEncoding {
    /// Byte `offset` of `source` as an offset in this encoding's units. An offset inside a
    /// character floors to the character's start; one past the end clamps to the end.
    pub fn offset(self, source: &str, offset: usize) -> usize {
        let offset = floor_char_boundary(source, offset);
        match self {
            PositionEncoding::Utf8 => offset,
            PositionEncoding::Utf16 => source[..offset].encode_utf16().count(),
        }
    }

    /// The 1-based column of byte `offset` in this encoding's units.
    pub fn column(self, source: &str, offset: usize) -> usize {
        let offset = floor_char_boundary(source, offset);
        let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = &source[line_start..offset];
        1 + match self {
            PositionEncoding::Utf8 => line.chars().count(),
            PositionEncoding::Utf16 => line.encode_utf16().count(),
        }
    }
}

/// The largest character boundary at or before `offset` (clamped to the text's length).
pub(crate) fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::PositionEncoding::{Utf16, Utf8};

    #[test]
    fn utf16_counts_code_units() {
        // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
        let source = "a: é😀\nb: x\n";
        assert_eq!(Utf16.offset(source, 3), 3);
        assert_eq!(Utf16.offset(source, 5), 4);
        assert_eq!(Utf16.offset(source, 9), 6);
        assert_eq!(Utf16.column(source, 9), 7);
        assert_eq!(Utf16.offset(source, 10), 7);
        assert_eq!(Utf16.column(source, 10), 1);
        // Inside a character: floors to its start.
        assert_eq!(Utf16.offset(source, 6), 4);
    }

    #[test]
    fn utf8_keeps_bytes_and_counts_characters() {
        let source = "a: é😀\nb: x\n";
        assert_eq!(Utf8.offset(source, 9), 9);
        assert_eq!(Utf8.offset(source, 6), 5);
        assert_eq!(Utf8.column(source, 9), 6);
        assert_eq!(Utf8.offset(source, 100), source.len());
    }
}
