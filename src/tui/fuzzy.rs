//! Fuzzy ranking for the TUI's type-ahead lists (the form's pickers, the `:` command line):
//! which items a typed query matches, best first. The matching is `nucleo-matcher`'s (the
//! matcher of the helix editor): space-separated words each match, smart case, accents
//! folded, and a match at a word's start or in one run scores higher, so "lead so" puts
//! "Lead Source" first.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The indices of `items` that `query` matches, best first (ties keep the items' order), at
/// most `limit`. An empty (or blank) query matches every item, in order.
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

#[cfg(test)]
mod form_tests {
    use super::rank;

    #[test]
    fn words_narrow_and_the_closest_match_comes_first() {
        let fields = [
            "Annual Revenue Annual_Revenue",
            "Lead Owner Owner",
            "Lead Source Lead_Source",
            "Lead Status Lead_Status",
            "Last Activity Time Last_Activity_Time",
        ];
        let found = rank("lead so", fields.iter().copied(), usize::MAX);
        assert_eq!(found.first(), Some(&2), "{found:?}");
        assert!(!found.contains(&0), "{found:?}");
        assert_eq!(
            rank("", fields.iter().copied(), usize::MAX),
            vec![0, 1, 2, 3, 4]
        );
        assert!(rank("zzz", fields.iter().copied(), usize::MAX).is_empty());
    }

    #[test]
    fn api_names_match_as_well_as_labels() {
        let fields = ["Company Company", "Email Email", "Lead Source Lead_Source"];
        assert_eq!(
            rank("lead_source", fields.iter().copied(), usize::MAX),
            vec![2]
        );
    }
}
