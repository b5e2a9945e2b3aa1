//! Display-width aware cutting, padding and wrapping, for aligned columns.
//!
//! Widths are terminal columns as `unicode-width` counts them: CJK and emoji take two, combining
//! marks none, and emoji sequences are measured as a whole. Callers sanitize first; control
//! characters have no meaningful width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

const ELLIPSIS: char = '…';

/// Columns `s` takes in a terminal.
pub fn display_width(s: &str) -> usize {
    s.width()
}

/// `s` cut to at most `width` columns, ending with `…` when anything was cut. A wide character
/// that would straddle the limit is dropped whole rather than split.
pub fn truncate_to_width(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let budget = width - 1;
    let mut prefix = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        prefix.push(c);
    }
    // Per-character widths can under-count emoji sequences (a text-style base plus U+FE0F is
    // two columns, not one), so the prefix is measured as a whole and shortened until it fits.
    while prefix.width() > budget {
        if prefix.pop().is_none() {
            break;
        }
    }
    let mut out = prefix.trim_end().to_string();
    out.push(ELLIPSIS);
    out
}

/// `s` followed by spaces up to `width` columns; never cuts (truncate first for that).
pub fn pad_to_width(s: &str, width: usize) -> String {
    let w = s.width();
    let mut out = String::with_capacity(s.len() + width.saturating_sub(w));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

/// `s` broken into lines of at most `width` columns, at spaces where possible; a word longer
/// than a line is split. Runs of spaces collapse. Always makes progress, so any width works;
/// with a width below 2 a wide character still gets a line of its own.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let sep = usize::from(!line.is_empty());
        if line.width() + sep + word.width() <= width {
            if sep == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if word.width() <= width {
            line.push_str(word);
            continue;
        }
        for c in word.chars() {
            let w = c.width().unwrap_or(0);
            if !line.is_empty() && line.width() + w > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::fits("Inbound Demand", 20, "Inbound Demand")]
    #[case::exact("Inbound", 7, "Inbound")]
    #[case::cut("Inbound Demand", 8, "Inbound…")]
    #[case::cut_trims_space("Inbound Demand", 9, "Inbound…")]
    #[case::zero("abc", 0, "")]
    #[case::one("abc", 1, "…")]
    #[case::cjk_whole_chars("見込み客スコア", 6, "見込…")]
    #[case::cjk_no_split("見込み客スコア", 5, "見込…")]
    #[case::emoji("🔥🔥🔥", 4, "🔥…")]
    #[case::empty("", 3, "")]
    fn truncates_by_columns(#[case] s: &str, #[case] width: usize, #[case] expected: &str) {
        let out = truncate_to_width(s, width);
        assert_eq!(out, expected);
        assert!(out.width() <= width);
    }

    #[test]
    fn truncation_never_exceeds_the_width() {
        let samples = [
            "a\u{fe0f}☺\u{fe0f}☺\u{fe0f}☺\u{fe0f}",
            "👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧",
            "e\u{301}e\u{301}e\u{301}e\u{301}",
            "ｗｉｄｅ ｔｅｘｔ ｈｅｒｅ",
        ];
        for s in samples {
            for width in 0..12 {
                let out = truncate_to_width(s, width);
                assert!(out.width() <= width, "{s:?} at {width}: {out:?}");
            }
        }
    }

    #[test]
    fn long_names_cut_quickly() {
        let name = "x".repeat(10_000) + &"見".repeat(10_000);
        assert_eq!(truncate_to_width(&name, 20).width(), 20);
    }

    #[rstest]
    #[case("ab", 5, "ab   ")]
    #[case("見込", 5, "見込 ")]
    #[case("toolong", 3, "toolong")]
    fn pads_by_columns(#[case] s: &str, #[case] width: usize, #[case] expected: &str) {
        assert_eq!(pad_to_width(s, width), expected);
    }

    #[rstest]
    #[case("one two three", 7, &["one two", "three"])]
    #[case("a  b", 10, &["a b"])]
    #[case("abcdefgh", 3, &["abc", "def", "gh"])]
    #[case("見込み客", 3, &["見", "込", "み", "客"])]
    #[case("見", 1, &["見"])]
    #[case("", 5, &[""])]
    fn wraps_at_spaces(#[case] s: &str, #[case] width: usize, #[case] expected: &[&str]) {
        assert_eq!(wrap(s, width), expected);
    }
}
