//! Durations as users write them (`15s`, `500ms`, `2m`, or bare seconds), for flags,
//! configuration and migration markers alike: one parser, one bound.

use std::time::Duration;

/// `15s`, `500ms`, `2m`, or a bare number of seconds.
pub(crate) fn parse_duration(s: &str) -> Result<Duration, String> {
    let duration = match s.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => {
            Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX)
        }
        _ => humantime::parse_duration(s)
            .map_err(|_| format!("`{s}` is not a duration: write it like 15s, 500ms or 2m"))?,
    };
    // Added to the clock later: a bound here keeps every deadline computable.
    if duration > MAX_DURATION {
        return Err(format!(
            "`{s}` is longer than a waiting time can be (at most 365 days)"
        ));
    }
    Ok(duration)
}

/// The longest duration a flag takes.
const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3600);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_bare_seconds() {
        assert_eq!(parse_duration("15s"), Ok(Duration::from_secs(15)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2.5"), Ok(Duration::from_millis(2500)));
        assert!(parse_duration("366days").is_err());
        assert!(parse_duration("soon").is_err());
    }
}
