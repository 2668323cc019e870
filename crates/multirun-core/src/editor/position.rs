//! Zero-based (line, character) positions, as language clients count them, to and from byte
//! offsets. Characters count in the client's encoding; lines end at `\n`.

use crate::text::PositionEncoding;

/// The byte offset of a zero-based `line` and `character` (in `encoding`'s units). A position
/// past the end of its line clamps to the line's end; a line past the end clamps to the end.
pub fn offset_at(source: &str, line: usize, character: usize, encoding: PositionEncoding) -> usize {
    let mut start = 0;
    for _ in 0..line {
        match source[start..].find('\n') {
            Some(at) => start += at + 1,
            None => return source.len(),
        }
    }
    let end = source[start..]
        .find('\n')
        .map_or(source.len(), |at| start + at);
    let text = &source[start..end];
    let mut units = 0;
    for (at, c) in text.char_indices() {
        if units >= character {
            return start + at;
        }
        units += match encoding {
            PositionEncoding::Utf8 => c.len_utf8(),
            PositionEncoding::Utf16 => c.len_utf16(),
        };
    }
    end
}

/// The zero-based (line, character) of byte `offset`, characters counted in `encoding`'s units.
pub fn position_of(source: &str, offset: usize, encoding: PositionEncoding) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.bytes().filter(|b| *b == b'\n').count();
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let text = &source[line_start..offset];
    let character = match encoding {
        PositionEncoding::Utf8 => text.len(),
        PositionEncoding::Utf16 => text.encode_utf16().count(),
    };
    (line, character)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::PositionEncoding::{Utf16, Utf8};

    #[test]
    fn positions_round_trip_in_both_encodings() {
        let source = "a: é😀x\nb: y\n";
        for encoding in [Utf8, Utf16] {
            for (offset, _) in source.char_indices() {
                let (line, character) = position_of(source, offset, encoding);
                assert_eq!(offset_at(source, line, character, encoding), offset);
            }
        }
        // "😀" is 2 UTF-16 units and 4 bytes.
        assert_eq!(position_of(source, 9, Utf16), (0, 6));
        assert_eq!(position_of(source, 9, Utf8), (0, 9));
        assert_eq!(offset_at(source, 1, 99, Utf16), source.len() - 1);
        assert_eq!(offset_at(source, 9, 0, Utf16), source.len());
    }
}
