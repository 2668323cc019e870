//! What a progressive rollout needs from Google Cloud: the shortest window Cloud Monitoring
//! can gate on, the longest Cloud Deploy analysis, and how a bake duration is written.

/// Cloud Monitoring's shortest `aggregation.alignmentPeriod`: a gate window is aligned to one
/// period, so it can be no shorter.
pub const MIN_WINDOW_SECONDS: u64 = 60;

/// Cloud Deploy's `analysis.duration` is at most 48 hours.
pub const MAX_ANALYSIS_SECONDS: u64 = 48 * 3600;

/// Windows with fewer than `minRequests` requests a gate waits through before it fails.
pub const MAX_QUIET_WINDOWS: u32 = 3;

/// A bake duration: `<n>m` or `<n>h` (whole minutes, as Cloud Deploy's automation `wait`
/// takes them), or `<n>s` for a count of seconds. None when it is none of these.
pub fn parse_duration_seconds(text: &str) -> Option<u64> {
    let unit = text.chars().last()?;
    let digits = &text[..text.len() - unit.len_utf8()];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 9 {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    match unit {
        's' => Some(n),
        'm' => Some(n * 60),
        'h' => Some(n * 3600),
        _ => None,
    }
}

/// The bake in whole minutes, when it is valid (whole minutes, at least one, at most the
/// longest analysis).
pub fn bake_minutes(text: &str) -> Option<u64> {
    let seconds = parse_duration_seconds(text)?;
    (seconds % 60 == 0 && (MIN_WINDOW_SECONDS..=MAX_ANALYSIS_SECONDS).contains(&seconds))
        .then_some(seconds / 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_seconds("10m"), Some(600));
        assert_eq!(parse_duration_seconds("1h"), Some(3600));
        assert_eq!(parse_duration_seconds("90s"), Some(90));
        assert_eq!(parse_duration_seconds("m"), None);
        assert_eq!(parse_duration_seconds("1.5m"), None);
        assert_eq!(parse_duration_seconds("10"), None);
        assert_eq!(parse_duration_seconds("é"), None);
        assert_eq!(bake_minutes("120s"), Some(2));
        assert_eq!(bake_minutes("90s"), None);
        assert_eq!(bake_minutes("0m"), None);
        assert_eq!(bake_minutes("49h"), None);
        assert_eq!(bake_minutes("48h"), Some(2880));
    }
}
