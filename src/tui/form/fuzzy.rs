//! Fuzzy ranking for the form's pickers: which choices a typed query matches, best first.
//! The matching itself is `nucleo-matcher`'s (the matcher of the helix editor): space-separated
//! words each match in order-free fashion, case is ignored and accents are folded, and a match
//! at a word's start or in one run scores higher, so "lead so" puts "Lead Source" first.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The indices of the `haystacks` that `query` matches, best first; ties keep the haystacks'
/// order. An empty (or blank) query matches everything, in order.
pub fn rank<S: AsRef<str>>(query: &str, haystacks: &[S]) -> Vec<usize> {
    if query.trim().is_empty() {
        return (0..haystacks.len()).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(usize, u32)> = haystacks
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            pattern
                .score(Utf32Str::new(h.as_ref(), &mut buf), &mut matcher)
                .map(|s| (i, s))
        })
        .collect();
    // A stable sort: equal scores stay in the list's own order (fields by label).
    scored.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
    scored.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
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
        let found = rank("lead so", &fields);
        assert_eq!(found.first(), Some(&2), "{found:?}");
        assert!(!found.contains(&0), "{found:?}");
        assert_eq!(rank("", &fields), vec![0, 1, 2, 3, 4]);
        assert!(rank("zzz", &fields).is_empty());
    }

    #[test]
    fn api_names_match_as_well_as_labels() {
        let fields = ["Company Company", "Email Email", "Lead Source Lead_Source"];
        assert_eq!(rank("lead_source", &fields), vec![2]);
    }
}
