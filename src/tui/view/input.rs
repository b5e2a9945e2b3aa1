//! Text inputs narrower than their text: a one-line input shows the part around its cursor,
//! cut ends marked `…` (a horizontal scroll that follows the cursor); the multi-line
//! description wraps, so the cursor and what is typed at it are always on screen.

use unicode_width::UnicodeWidthChar;

use crate::display::{display_width, sanitize};

/// Marks a side of an input whose text is cut off.
pub const CUT: &str = "…";

/// What a one-line input shows of its text in `room` columns, the cursor drawn between
/// `before` and `after`; `left` / `right`: text is cut off on that side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub left: bool,
    pub before: String,
    pub after: String,
    pub right: bool,
}

/// `value` with its cursor at char `cursor` (`None`: at the end), in `room` columns counting
/// the cursor's own.
pub fn window(value: &str, cursor: Option<usize>, room: usize) -> Window {
    let at = cursor.unwrap_or(usize::MAX);
    let before = sanitize(&value.chars().take(at).collect::<String>());
    let after = sanitize(&value.chars().skip(at).collect::<String>());
    let (wb, wa) = (display_width(&before), display_width(&after));
    if wb + 1 + wa <= room {
        return Window {
            left: false,
            before,
            after,
            right: false,
        };
    }
    // The text before the cursor fits: cut the end.
    if wb + 2 <= room {
        return Window {
            left: false,
            after: prefix(&after, room - wb - 2),
            before,
            right: true,
        };
    }
    // Otherwise what was typed last, up to the cursor, shows; `…` on the cut sides.
    let right = wa > 0;
    let room_before = room.saturating_sub(2 + usize::from(right));
    Window {
        left: true,
        before: suffix(&before, room_before),
        after: String::new(),
        right,
    }
}

/// The longest start of `s` within `width` columns.
fn prefix(s: &str, width: usize) -> String {
    let mut used = 0;
    s.chars()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= width
        })
        .collect()
}

/// The longest end of `s` within `width` columns.
fn suffix(s: &str, width: usize) -> String {
    let mut used = 0;
    let mut out: Vec<char> = s
        .chars()
        .rev()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= width
        })
        .collect();
    out.reverse();
    out.into_iter().collect()
}

/// The description's rows in `room` columns: each line wrapped after a space where one fits,
/// else mid-word; `cursor` (line, char) gives the row it is on and where in that row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wrapped {
    pub rows: Vec<String>,
    /// The cursor's row and its char offset in that row.
    pub cursor: Option<(usize, usize)>,
}

pub fn wrapped(lines: &[String], cursor: Option<(usize, usize)>, room: usize) -> Wrapped {
    // One column stays free at each row's end for the cursor drawn there.
    let width = room.saturating_sub(1).max(1);
    let mut rows = Vec::new();
    let mut at = None;
    for (k, line) in lines.iter().enumerate() {
        let (text, cursor_char) = match cursor {
            Some((row, col)) if row == k => {
                let before = sanitize(&line.chars().take(col).collect::<String>());
                let after = sanitize(&line.chars().skip(col).collect::<String>());
                (format!("{before}{after}"), Some(before.chars().count()))
            }
            _ => (sanitize(line), None),
        };
        let first = rows.len();
        // Rows break after the last space that fits, else mid-word; `starts` are the char
        // index each row starts at, for placing the cursor.
        let chars: Vec<char> = text.chars().collect();
        let mut starts = vec![0];
        let mut start = 0;
        let mut used = 0;
        let mut space = None;
        let mut i = 0;
        while i < chars.len() {
            let w = chars[i].width().unwrap_or(0);
            if used + w > width && i > start {
                let cut = match space {
                    Some(s) if s > start => s + 1,
                    _ => i,
                };
                rows.push(chars[start..cut].iter().collect());
                starts.push(cut);
                start = cut;
                used = chars[start..i].iter().map(|c| c.width().unwrap_or(0)).sum();
                space = None;
            }
            if chars[i] == ' ' {
                space = Some(i);
            }
            used += w;
            i += 1;
        }
        rows.push(chars[start..].iter().collect());
        if let Some(c) = cursor_char {
            // The last row that starts at or before the cursor holds it.
            let r = starts.iter().rposition(|s| *s <= c).unwrap_or(0);
            at = Some((first + r, c - starts[r]));
        }
    }
    Wrapped { rows, cursor: at }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(w: &Window) -> String {
        format!(
            "{}{}|{}{}",
            if w.left { CUT } else { "" },
            w.before,
            w.after,
            if w.right { CUT } else { "" }
        )
    }

    #[test]
    fn text_that_fits_is_shown_whole() {
        assert_eq!(shown(&window("Inbound", None, 20)), "Inbound|");
        assert_eq!(shown(&window("Inbound", Some(2), 8)), "In|bound");
    }

    #[test]
    fn typing_at_the_end_of_a_long_text_keeps_the_end_and_the_cursor_in_view() {
        let w = window("abcdefghijklmnop", None, 8);
        assert_eq!(shown(&w), "…klmnop|");
        assert!(display_width(&shown(&w)) - 1 <= 8);
    }

    #[test]
    fn a_cursor_near_the_start_cuts_the_end() {
        assert_eq!(shown(&window("abcdefghijklmnop", Some(2), 8)), "ab|cdef…");
    }

    #[test]
    fn a_cursor_in_the_middle_of_a_long_text_cuts_both_sides() {
        let w = window("abcdefghijklmnop", Some(10), 8);
        assert_eq!(shown(&w), "…fghij|…");
    }

    #[test]
    fn wide_characters_count_as_two_columns() {
        let w = window("見込み客スコア見込み客スコア", None, 9);
        assert!(display_width(&shown(&w)) - 1 <= 9, "{w:?}");
        assert!(w.before.ends_with('ア'));
    }

    #[test]
    fn the_description_wraps_and_knows_where_its_cursor_is() {
        let lines = vec!["abcdefghij".to_string(), "xy".to_string()];
        let w = wrapped(&lines, Some((0, 10)), 5);
        assert_eq!(w.rows, vec!["abcd", "efgh", "ij", "xy"]);
        assert_eq!(w.cursor, Some((2, 2)));
        let w = wrapped(&lines, Some((1, 0)), 5);
        assert_eq!(w.cursor, Some((3, 0)));
        let w = wrapped(&lines, Some((0, 4)), 5);
        assert_eq!(w.cursor, Some((1, 0)));
        // At a space where one fits.
        let words = vec!["one two three".to_string()];
        let w = wrapped(&words, Some((0, 13)), 9);
        assert_eq!(w.rows, vec!["one two ", "three"]);
        assert_eq!(w.cursor, Some((1, 5)));
        let w = wrapped(&words, Some((0, 8)), 9);
        assert_eq!(w.cursor, Some((1, 0)));
    }
}
