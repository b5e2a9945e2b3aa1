//! Fuzzy ranking for the command line's completions, through `nucleo-matcher` (the matcher
//! of the helix editor: fzf-like scores, smart case, Unicode-aware). Kept private to the
//! command line; the form's pickers have their own wrapper until the two are merged.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The indices of `items` that match `query`, best first (ties keep the items' order), at
/// most `limit`. An empty query matches every item, in order.
pub fn rank<'a>(query: &str, items: impl Iterator<Item = &'a str>, limit: usize) -> Vec<usize> {
    if query.trim().is_empty() {
        return items.take(limit).enumerate().map(|(i, _)| i).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(u32, usize)> = items
        .enumerate()
        .filter_map(|(i, text)| {
            let score = pattern.score(Utf32Str::new(text, &mut buf), &mut matcher)?;
            Some((score, i))
        })
        .collect();
    // Stable: equal scores stay in the items' order.
    scored.sort_by_key(|&(score, _)| std::cmp::Reverse(score));
    scored.truncate(limit);
    scored.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::rank;

    #[test]
    fn ranks_fuzzy_matches_first_and_drops_the_rest() {
        let items = ["lint", "reload", "readonly", "quit"];
        assert_eq!(rank("rld", items.iter().copied(), 10), vec![1]);
        assert_eq!(rank("ronly", items.iter().copied(), 10), vec![2]);
        assert!(rank("zz", items.iter().copied(), 10).is_empty());
        assert_eq!(rank("", items.iter().copied(), 2), vec![0, 1]);
    }
}
