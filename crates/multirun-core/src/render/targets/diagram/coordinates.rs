//! How SVG coordinates are rounded and written: to a tenth of a pixel, whole numbers without a
//! fraction (`120`, not `120.0`), so the output is short and the same on every platform.

use std::fmt::Write;

use serde::{Serialize, Serializer};

/// A coordinate or length in pixels, as templates read it: a whole number serializes as an
/// integer (JSON would write `120.0`, which the SVG would then carry).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Px(pub f64);

impl Serialize for Px {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Px(value) = *self;
        if value.fract() == 0.0 && value.abs() < 1e15 {
            serializer.serialize_i64(value as i64)
        } else {
            serializer.serialize_f64(value)
        }
    }
}

/// Rounds to a tenth of a pixel.
pub(super) fn r(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Writes `r(value)` as `{}` would (`12`, `12.5`, `-0.5`), from its whole number of tenths:
/// formatting floats the general way was a tenth of the time spent laying out a large diagram.
pub(super) fn push_rounded(out: &mut String, value: f64) {
    let tenths = (value * 10.0).round();
    if tenths == 0.0 && value.is_sign_negative() || tenths.is_nan() || tenths.abs() >= 1e15 {
        // -0 and huge values: rare enough for the general path.
        write!(out, "{}", r(value)).expect("writing to a String succeeds");
        return;
    }
    let tenths = tenths as i64;
    if tenths < 0 {
        out.push('-');
    }
    let (whole, tenth) = (tenths.unsigned_abs() / 10, tenths.unsigned_abs() % 10);
    out.push_str(itoa::Buffer::new().format(whole));
    if tenth != 0 {
        out.push('.');
        out.push(char::from(b'0' + tenth as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_pixels_serialize_as_integers() {
        let json = |value: f64| serde_json::to_string(&Px(value)).unwrap();
        assert_eq!(json(120.0), "120");
        assert_eq!(json(-0.0), "0");
        assert_eq!(json(12.5), "12.5");
        assert_eq!(json(-0.3), "-0.3");
        assert_eq!(json(1e15), serde_json::to_string(&1e15).unwrap());
        assert_eq!(json(f64::NAN), "null");
    }

    #[test]
    fn rounded_numbers_write_as_display_writes_them() {
        let mut values = vec![
            0.0,
            -0.0,
            0.04,
            -0.04,
            0.05,
            12.0,
            12.34,
            12.35,
            -12.35,
            99.95,
            1e14,
            123456.789,
            f64::NAN,
            f64::INFINITY,
        ];
        values.extend((-3000..3000).map(|i| f64::from(i) * 0.037));
        for value in values {
            let mut out = String::new();
            push_rounded(&mut out, value);
            assert_eq!(out, r(value).to_string(), "{value}");
        }
    }
}
