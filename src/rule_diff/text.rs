//! A text change as a person reads it: the words around the first difference, with what both
//! sides share at the start and the end elided to a few words of context. Both sides of a long
//! description cut at the same column would show the same words and hide the change; cutting
//! around the change keeps it visible at any width (the caller wraps the line).

use crate::display::{display_width, sanitize, truncate_to_width};

/// A text this short is shown whole: the change is plain to see without elision.
const WHOLE: usize = 60;
/// Words of shared text kept on each side of the change.
const CONTEXT_WORDS: usize = 3;
/// The changed part of one side is cut after this many columns (it starts at the difference,
/// so the cut never hides where the texts part).
const MAX_CHANGED: usize = 80;

/// The two sides to show for a change from `before` to `after`, sanitized, without quotes.
pub fn excerpts(before: &str, after: &str) -> (String, String) {
    let (b, a) = (sanitize(before), sanitize(after));
    if display_width(&b) <= WHOLE && display_width(&a) <= WHOLE {
        return spacing_marked(before, after, b, a);
    }
    let bt = tokens(&b);
    let at = tokens(&a);
    let prefix = bt.iter().zip(&at).take_while(|(x, y)| x == y).count();
    let room = bt.len().min(at.len()) - prefix;
    let suffix = bt
        .iter()
        .rev()
        .zip(at.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let lead = lead(&bt[..prefix]);
    let tail = tail(&bt[bt.len() - suffix..]);
    let side = |t: &[&str]| {
        let changed: String = t[prefix..t.len() - suffix].concat();
        if display_width(&changed) > MAX_CHANGED {
            // The rest of this side is elided with the cut: its tail is not shown either.
            format!("{lead}{}", truncate_to_width(&changed, MAX_CHANGED))
        } else {
            format!("{lead}{changed}{tail}")
        }
    };
    let (shown_b, shown_a) = (side(&bt), side(&at));
    spacing_marked(before, after, shown_b, shown_a)
}

/// Texts that differ only in spacing or line breaks look the same once sanitized; say so.
fn spacing_marked(before: &str, after: &str, b: String, a: String) -> (String, String) {
    if b == a && before != after {
        return (b, format!("{a} (spacing changed)"));
    }
    (b, a)
}

/// Runs of non-space and of space characters, in order: concatenated they are the text.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut space = None;
    for (i, c) in s.char_indices() {
        let is_space = c.is_whitespace();
        if space.is_some_and(|s| s != is_space) {
            out.push(&s[start..i]);
            start = i;
        }
        space = Some(is_space);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn is_word(t: &str) -> bool {
    !t.starts_with(char::is_whitespace)
}

/// The shared start, cut to its last few words.
fn lead(shared: &[&str]) -> String {
    let words = shared.iter().filter(|t| is_word(t)).count();
    if words <= CONTEXT_WORDS {
        return shared.concat();
    }
    let mut seen = 0;
    let mut from = shared.len();
    while from > 0 && seen < CONTEXT_WORDS {
        from -= 1;
        if is_word(shared[from]) {
            seen += 1;
        }
    }
    format!("… {}", shared[from..].concat().trim_start())
}

/// The shared end, cut to its first few words.
fn tail(shared: &[&str]) -> String {
    let words = shared.iter().filter(|t| is_word(t)).count();
    if words <= CONTEXT_WORDS {
        return shared.concat();
    }
    let mut seen = 0;
    let mut to = 0;
    while to < shared.len() && seen < CONTEXT_WORDS {
        if is_word(shared[to]) {
            seen += 1;
        }
        to += 1;
    }
    format!("{} …", shared[..to].concat().trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: &str = "Leads that came to us through the website, a chat or the online store, \
        scored by how much they engaged and how well they fit the sweet spot.";

    #[test]
    fn an_appended_word_shows_at_the_end_of_both_sides() {
        let (b, a) = excerpts(LONG, &format!("{LONG} (edited)"));
        assert_eq!(b, "… the sweet spot.");
        assert_eq!(a, "… the sweet spot. (edited)");
    }

    #[test]
    fn a_change_in_the_middle_keeps_a_few_words_either_side() {
        let after = LONG.replace("a chat", "a phone call");
        let (b, a) = excerpts(LONG, &after);
        assert_eq!(b, "… the website, a chat or the online …");
        assert_eq!(a, "… the website, a phone call or the online …");
    }

    #[test]
    fn short_texts_are_shown_whole() {
        assert_eq!(
            excerpts("Inbound Demand", "Inbound Demand v2"),
            ("Inbound Demand".into(), "Inbound Demand v2".into())
        );
        assert_eq!(excerpts("", "new"), (String::new(), "new".into()));
    }

    #[test]
    fn a_rewrite_is_cut_after_the_difference_not_before() {
        let after = format!("Completely new. {}", "x ".repeat(100));
        let (b, a) = excerpts(LONG, &after);
        assert!(b.starts_with("Leads that came"), "{b}");
        assert!(a.starts_with("Completely new."), "{a}");
        assert!(display_width(&a) <= MAX_CHANGED + 1, "{a}");
    }

    #[test]
    fn a_spacing_change_is_named() {
        let (b, a) = excerpts("two  spaces", "two spaces");
        assert_eq!(b, "two  spaces");
        assert_eq!(a, "two spaces");
        let (b, a) = excerpts("line\nbreak", "line break");
        assert_eq!(b, "line break");
        assert_eq!(a, "line break (spacing changed)");
    }

    #[test]
    fn control_characters_stay_inert() {
        let (_, a) = excerpts(LONG, &format!("{LONG} \u{1b}[2J"));
        assert!(!a.contains('\u{1b}'), "{a}");
        assert!(a.ends_with("\\u{1b}[2J"), "{a}");
    }
}
