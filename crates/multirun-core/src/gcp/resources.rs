//! Cloud Run resource quantities: `service.memory` strings and `service.cpu` values, parsed
//! once here for the MR4xx rules and written by the generators.
//!
//! Memory follows Cloud Run's documented syntax: a fixed- or floating-point number followed by
//! `M` or `G` (megabytes and gigabytes, powers of 10) or `Mi` or `Gi` (mebibytes and
//! gibibytes, powers of 2). Quantities are compared in bytes, so `4G` (4,000,000,000 bytes) is
//! less than `4Gi` (4,294,967,296 bytes). CPU is handled in thousandths of a vCPU ("millis"),
//! Cloud Run's step for fractional CPU.

use std::fmt;

pub const MIB: u64 = 1 << 20;
pub const GIB: u64 = 1 << 30;
/// Smallest memory Cloud Run accepts (first-generation execution environment).
pub const MIN_MEMORY: u64 = 128 * MIB;
/// Smallest memory the second-generation execution environment accepts.
pub const MIN_MEMORY_GEN2: u64 = 512 * MIB;
/// Largest memory Cloud Run accepts.
pub const MAX_MEMORY: u64 = 32 * GIB;

/// The memory units Cloud Run documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryUnit {
    /// Megabytes, 10^6 bytes.
    M,
    /// Gigabytes, 10^9 bytes.
    G,
    /// Mebibytes, 2^20 bytes.
    Mi,
    /// Gibibytes, 2^30 bytes.
    Gi,
}

impl MemoryUnit {
    pub fn bytes(self) -> u64 {
        match self {
            MemoryUnit::M => 1_000_000,
            MemoryUnit::G => 1_000_000_000,
            MemoryUnit::Mi => MIB,
            MemoryUnit::Gi => GIB,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MemoryUnit::M => "M",
            MemoryUnit::G => "G",
            MemoryUnit::Mi => "Mi",
            MemoryUnit::Gi => "Gi",
        }
    }

    fn parse(unit: &str) -> Option<MemoryUnit> {
        match unit {
            "M" => Some(MemoryUnit::M),
            "G" => Some(MemoryUnit::G),
            "Mi" => Some(MemoryUnit::Mi),
            "Gi" => Some(MemoryUnit::Gi),
            _ => None,
        }
    }
}

/// A parsed `service.memory` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// The amount in bytes, rounded up to a whole byte (saturating at `u64::MAX`).
    pub bytes: u64,
    pub unit: MemoryUnit,
}

/// Why a memory string is not in Cloud Run's syntax.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoryError {
    /// The string is empty.
    Empty,
    /// It does not start with a number (`Mi`, `.5Gi`, `abc`).
    NoNumber,
    /// A number with no unit (`512`).
    NoUnit { number: String },
    /// A number with a unit Cloud Run does not document (`512MB`, `512Ki`, `1Ti`, `512m`).
    /// `bytes` is the amount when the unit is a known byte unit in another spelling (`MiB`,
    /// `Ki`, `k`, `T`...), so a caller can offer the same amount in a documented unit.
    UnsupportedUnit {
        number: String,
        unit: String,
        bytes: Option<u64>,
    },
}

/// Parses a Cloud Run memory quantity such as `512Mi`, `1Gi`, `1.5G` or `256M`.
pub fn parse_memory(text: &str) -> Result<Memory, MemoryError> {
    if text.is_empty() {
        return Err(MemoryError::Empty);
    }
    let (number, unit) = split_number(text).ok_or(MemoryError::NoNumber)?;
    if unit.is_empty() {
        return Err(MemoryError::NoUnit {
            number: number.to_string(),
        });
    }
    match MemoryUnit::parse(unit) {
        Some(parsed) => Ok(Memory {
            bytes: scale(number, parsed.bytes()),
            unit: parsed,
        }),
        None => Err(MemoryError::UnsupportedUnit {
            number: number.to_string(),
            unit: unit.to_string(),
            bytes: other_unit_bytes(unit).map(|per_unit| scale(number, per_unit)),
        }),
    }
}

/// Splits `12.5Gi` into `("12.5", "Gi")`; `None` when the text does not start with a number.
fn split_number(text: &str) -> Option<(&str, &str)> {
    let int_len = text.bytes().take_while(u8::is_ascii_digit).count();
    if int_len == 0 {
        return None;
    }
    let mut end = int_len;
    let rest = &text.as_bytes()[int_len..];
    if rest.first() == Some(&b'.') {
        let frac_len = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if frac_len > 0 {
            end += 1 + frac_len;
        }
    }
    Some(text.split_at(end))
}

/// `number × per_unit` in whole bytes, rounded up, saturating at `u64::MAX`.
fn scale(number: &str, per_unit: u64) -> u64 {
    let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
    // 18 decimals is far below a byte at any unit here; later digits cannot change the result
    // except by rounding, which `ceil` below already covers.
    let frac_part = &frac_part[..frac_part.len().min(18)];
    let mut mantissa: u128 = 0;
    for digit in int_part.bytes().chain(frac_part.bytes()) {
        match mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(u128::from(digit - b'0')))
        {
            Some(m) => mantissa = m,
            None => return u64::MAX,
        }
    }
    let denominator = 10u128.pow(frac_part.len() as u32);
    let Some(numerator) = mantissa.checked_mul(per_unit as u128) else {
        return u64::MAX;
    };
    u64::try_from(numerator.div_ceil(denominator)).unwrap_or(u64::MAX)
}

/// Bytes per unit for byte units Cloud Run does not document but people write (Kubernetes
/// quantities, and `MiB`-style spellings).
fn other_unit_bytes(unit: &str) -> Option<u64> {
    Some(match unit {
        "k" | "K" | "kB" | "KB" => 1_000,
        "Ki" | "KiB" => 1 << 10,
        "MB" => 1_000_000,
        "MiB" => MIB,
        "GB" => 1_000_000_000,
        "GiB" => GIB,
        "T" | "TB" => 1_000_000_000_000,
        "Ti" | "TiB" => 1 << 40,
        _ => return None,
    })
}

/// The shortest documented spelling of `bytes`: `4Gi`, `512Mi`, `2G`, `256M`; `None` when no
/// whole number of any unit equals it.
pub fn to_quantity(bytes: u64) -> Option<String> {
    [MemoryUnit::Gi, MemoryUnit::G, MemoryUnit::Mi, MemoryUnit::M]
        .into_iter()
        .find(|unit| bytes > 0 && bytes % unit.bytes() == 0)
        .map(|unit| format!("{}{}", bytes / unit.bytes(), unit.as_str()))
}

/// A human reading of a byte count for messages: `512 MiB`, `4 GiB`, `122.07 MiB`.
pub fn describe_bytes(bytes: u64) -> String {
    if bytes >= GIB && bytes % GIB == 0 {
        format!("{} GiB", bytes / GIB)
    } else if bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= GIB {
        format!("{:.2} GiB", bytes as f64 / GIB as f64)
    } else {
        format!("{:.2} MiB", bytes as f64 / MIB as f64)
    }
}

/// `cpu` in thousandths of a vCPU, when it is a whole number of them (Cloud Run's step).
pub fn cpu_millis(cpu: f64) -> Option<u32> {
    let millis = cpu * 1000.0;
    let rounded = millis.round();
    if !millis.is_finite()
        || rounded < 0.0
        || rounded > u32::MAX as f64
        || (millis - rounded).abs() > 1e-6
    {
        return None;
    }
    Some(rounded as u32)
}

/// The whole-vCPU values Cloud Run accepts from 1 up.
pub const WHOLE_CPUS: [u32; 5] = [1, 2, 4, 6, 8];
/// Smallest CPU, in millis.
pub const MIN_CPU_MILLIS: u32 = 80;

/// Whether Cloud Run accepts this CPU: 0.08 to 0.999 in steps of 0.001, or 1, 2, 4, 6 or 8.
pub fn is_valid_cpu_millis(millis: u32) -> bool {
    (MIN_CPU_MILLIS..1000).contains(&millis)
        || (millis % 1000 == 0 && WHOLE_CPUS.contains(&(millis / 1000)))
}

/// `1.0` → `1`, `0.5` → `0.5`, `0.333` → `0.333`: `service.cpu` as Cloud Run writes it (it
/// takes up to three decimals).
pub fn format_cpu(cpu: f64) -> String {
    Cpu((cpu * 1000.0).round().max(0.0) as u32).to_string()
}

/// A CPU amount as Cloud Run writes it: `1`, `2`, `0.5`, `0.333`.
pub struct Cpu(pub u32);

impl fmt::Display for Cpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, frac) = (self.0 / 1000, self.0 % 1000);
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let frac = format!("{frac:03}");
            write!(f, "{whole}.{}", frac.trim_end_matches('0'))
        }
    }
}

/// The memory range a (valid) CPU allows, in bytes: below 0.5 vCPU at most 512 MiB, below 1 at
/// most 1 GiB, then 4, 8, 16, 24 and 32 GiB for 1, 2, 4, 6 and 8 vCPU; 4 vCPU needs at least
/// 2 GiB and 6 or 8 vCPU at least 4 GiB.
pub fn memory_range_for_cpu(millis: u32) -> (u64, u64) {
    match millis {
        0..=499 => (MIN_MEMORY, 512 * MIB),
        500..=999 => (MIN_MEMORY, GIB),
        1000 => (MIN_MEMORY, 4 * GIB),
        1001..=2000 => (MIN_MEMORY, 8 * GIB),
        2001..=4000 => (2 * GIB, 16 * GIB),
        4001..=6000 => (4 * GIB, 24 * GIB),
        _ => (4 * GIB, 32 * GIB),
    }
}

/// The CPUs worth proposing, smallest first: the start of each memory band.
const CPU_STEPS: [u32; 7] = [MIN_CPU_MILLIS, 500, 1000, 2000, 4000, 6000, 8000];

/// The smallest CPU (in millis) whose memory range includes `bytes`.
pub fn smallest_cpu_for_memory(bytes: u64) -> Option<u32> {
    CPU_STEPS.into_iter().find(|&m| {
        let (min, max) = memory_range_for_cpu(m);
        (min..=max).contains(&bytes)
    })
}

/// The largest CPU (in millis) whose memory range includes `bytes`.
pub fn largest_cpu_for_memory(bytes: u64) -> Option<u32> {
    CPU_STEPS.into_iter().rev().find(|&m| {
        let (min, max) = memory_range_for_cpu(m);
        (min..=max).contains(&bytes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> u64 {
        parse_memory(text)
            .unwrap_or_else(|e| panic!("{text}: {e:?}"))
            .bytes
    }

    #[test]
    fn parses_documented_units() {
        assert_eq!(bytes("512Mi"), 512 * MIB);
        assert_eq!(bytes("1Gi"), GIB);
        assert_eq!(bytes("32Gi"), MAX_MEMORY);
        assert_eq!(bytes("256M"), 256_000_000);
        assert_eq!(bytes("2G"), 2_000_000_000);
        assert_eq!(bytes("1.5Gi"), 3 * GIB / 2);
        assert_eq!(bytes("0.5G"), 500_000_000);
        assert_eq!(bytes("0512Mi"), 512 * MIB);
        assert_eq!(parse_memory("4G").unwrap().unit, MemoryUnit::G);
    }

    #[test]
    fn decimal_units_are_smaller_than_binary_ones() {
        assert!(bytes("4G") < bytes("4Gi"));
        assert!(bytes("128M") < MIN_MEMORY);
        assert!(bytes("34G") < MAX_MEMORY && bytes("35G") > MAX_MEMORY);
        assert!(bytes("34359M") < MAX_MEMORY);
    }

    #[test]
    fn rounds_fractions_up_to_a_byte() {
        assert_eq!(bytes("0.0000001Mi"), 1);
        assert_eq!(bytes("0Mi"), 0);
        assert_eq!(bytes("1.000000000000000000001Mi"), MIB);
    }

    #[test]
    fn saturates_huge_values() {
        assert_eq!(
            bytes("99999999999999999999999999999999999999999999Gi"),
            u64::MAX
        );
        assert_eq!(bytes("18446744073709551616Gi"), u64::MAX);
    }

    #[test]
    fn rejects_other_syntax() {
        assert_eq!(parse_memory(""), Err(MemoryError::Empty));
        assert_eq!(parse_memory("Mi"), Err(MemoryError::NoNumber));
        assert_eq!(parse_memory(".5Gi"), Err(MemoryError::NoNumber));
        assert_eq!(parse_memory(" 512Mi"), Err(MemoryError::NoNumber));
        assert_eq!(
            parse_memory("512"),
            Err(MemoryError::NoUnit {
                number: "512".into()
            })
        );
        assert_eq!(
            parse_memory("512MiB"),
            Err(MemoryError::UnsupportedUnit {
                number: "512".into(),
                unit: "MiB".into(),
                bytes: Some(512 * MIB)
            })
        );
        assert_eq!(
            parse_memory("524288Ki"),
            Err(MemoryError::UnsupportedUnit {
                number: "524288".into(),
                unit: "Ki".into(),
                bytes: Some(512 * MIB)
            })
        );
        assert_eq!(
            parse_memory("512mi"),
            Err(MemoryError::UnsupportedUnit {
                number: "512".into(),
                unit: "mi".into(),
                bytes: None
            })
        );
        assert_eq!(
            parse_memory("512 Mi"),
            Err(MemoryError::UnsupportedUnit {
                number: "512".into(),
                unit: " Mi".into(),
                bytes: None
            })
        );
        assert_eq!(
            parse_memory("1.Gi"),
            Err(MemoryError::UnsupportedUnit {
                number: "1".into(),
                unit: ".Gi".into(),
                bytes: None
            })
        );
        assert_eq!(
            parse_memory("1e3Mi"),
            Err(MemoryError::UnsupportedUnit {
                number: "1".into(),
                unit: "e3Mi".into(),
                bytes: None
            })
        );
    }

    #[test]
    fn formats_quantities() {
        assert_eq!(to_quantity(4 * GIB).as_deref(), Some("4Gi"));
        assert_eq!(to_quantity(512 * MIB).as_deref(), Some("512Mi"));
        assert_eq!(to_quantity(1536 * MIB).as_deref(), Some("1536Mi"));
        assert_eq!(to_quantity(2_000_000_000).as_deref(), Some("2G"));
        assert_eq!(to_quantity(256_000_000).as_deref(), Some("256M"));
        assert_eq!(to_quantity(1000), None);
        assert_eq!(to_quantity(0), None);
        assert_eq!(describe_bytes(512 * MIB), "512 MiB");
        assert_eq!(describe_bytes(4 * GIB), "4 GiB");
        assert_eq!(describe_bytes(128_000_000), "122.07 MiB");
        assert_eq!(describe_bytes(34_000_000_000), "31.66 GiB");
    }

    #[test]
    fn cpu_in_millis() {
        assert_eq!(cpu_millis(1.0), Some(1000));
        assert_eq!(cpu_millis(0.08), Some(80));
        assert_eq!(cpu_millis(0.333), Some(333));
        assert_eq!(cpu_millis(0.1 + 0.2), Some(300));
        assert_eq!(cpu_millis(0.0805), None);
        assert_eq!(cpu_millis(-1.0), None);
        assert_eq!(cpu_millis(f64::NAN), None);
        assert_eq!(Cpu(1000).to_string(), "1");
        assert_eq!(Cpu(500).to_string(), "0.5");
        assert_eq!(Cpu(80).to_string(), "0.08");
        assert_eq!(Cpu(333).to_string(), "0.333");
        assert_eq!(Cpu(8000).to_string(), "8");
    }

    #[test]
    fn valid_cpus() {
        for millis in [80, 500, 999, 1000, 2000, 4000, 6000, 8000] {
            assert!(is_valid_cpu_millis(millis), "{millis}");
        }
        for millis in [0, 79, 1001, 1500, 3000, 5000, 7000, 10000] {
            assert!(!is_valid_cpu_millis(millis), "{millis}");
        }
    }

    #[test]
    fn memory_bands() {
        assert_eq!(memory_range_for_cpu(80), (MIN_MEMORY, 512 * MIB));
        assert_eq!(memory_range_for_cpu(499), (MIN_MEMORY, 512 * MIB));
        assert_eq!(memory_range_for_cpu(500), (MIN_MEMORY, GIB));
        assert_eq!(memory_range_for_cpu(1000), (MIN_MEMORY, 4 * GIB));
        assert_eq!(memory_range_for_cpu(4000), (2 * GIB, 16 * GIB));
        assert_eq!(memory_range_for_cpu(8000), (4 * GIB, 32 * GIB));
        assert_eq!(smallest_cpu_for_memory(512 * MIB), Some(80));
        assert_eq!(smallest_cpu_for_memory(768 * MIB), Some(500));
        assert_eq!(smallest_cpu_for_memory(4 * GIB), Some(1000));
        assert_eq!(smallest_cpu_for_memory(4 * GIB + 1), Some(2000));
        assert_eq!(smallest_cpu_for_memory(20 * GIB), Some(6000));
        assert_eq!(smallest_cpu_for_memory(33 * GIB), None);
        assert_eq!(largest_cpu_for_memory(GIB), Some(2000));
        assert_eq!(largest_cpu_for_memory(3 * GIB), Some(4000));
        assert_eq!(largest_cpu_for_memory(4 * GIB), Some(8000));
    }
}
