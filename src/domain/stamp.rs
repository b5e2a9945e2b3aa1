//! Zoho's `modified_time` / `created_time` stamps, compared as moments: what says a rule has
//! changed since it was loaded (the form's conflict check) or exported (`zscore import`'s
//! stale check).

use chrono::{DateTime, FixedOffset};

/// A stamp as a moment; `None` for text that is not RFC 3339.
pub fn instant(stamp: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(stamp).ok()
}

/// Whether two stamps name different moments. `2026-01-01T05:30:00+05:30` and
/// `2026-01-01T00:00:00Z` are the same moment (Zoho writes the org's offset, a file edited by
/// hand may hold another); text that does not read as a moment is compared as text.
pub fn stamps_differ(a: &str, b: &str) -> bool {
    match (instant(a), instant(b)) {
        (Some(a), Some(b)) => a != b,
        _ => a != b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_compared_as_moments() {
        assert!(!stamps_differ(
            "2026-01-01T05:30:00+05:30",
            "2026-01-01T00:00:00Z"
        ));
        assert!(stamps_differ(
            "2026-01-01T00:00:01+00:00",
            "2026-01-01T00:00:00+00:00"
        ));
        assert!(!stamps_differ("yesterday", "yesterday"));
        assert!(stamps_differ("yesterday", "2026-01-01T00:00:00Z"));
    }
}
