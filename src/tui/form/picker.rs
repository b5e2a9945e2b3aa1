//! An open type-ahead list over one input: the items, the query typed so far, the items it
//! matches (ranked by `fuzzy::rank` when the query changes, never per frame), the highlighted
//! one, and for a multi-select list (`in` / `not_in` on a picklist) the marked ones.

use super::picks::Item;
use super::target::Target;
use crate::tui::fuzzy;

#[derive(Clone, Debug, PartialEq)]
pub struct Picker {
    pub target: Target,
    /// What the list is of ("fields", "values of Lead Source").
    pub title: String,
    pub items: Vec<Item>,
    haystacks: Vec<String>,
    pub query: String,
    /// Indices into `items` the query matches, best first.
    pub shown: Vec<usize>,
    /// Index into `shown`.
    pub selected: usize,
    /// Space marks several; Enter takes the marked ones.
    pub multi: bool,
    /// Per item: marked (multi-select only).
    pub marked: Vec<bool>,
}

impl Picker {
    /// A list over `items`, highlighting the first of `current` it holds (and, when `multi`,
    /// marking every one of them), narrowed by `query`.
    pub fn new(
        target: Target,
        title: String,
        items: Vec<Item>,
        multi: bool,
        current: &[String],
        query: &str,
    ) -> Picker {
        let is_current = |it: &Item| {
            current
                .iter()
                .any(|c| c.eq_ignore_ascii_case(&it.value) || c.eq_ignore_ascii_case(&it.label))
        };
        let marked = items.iter().map(|it| multi && is_current(it)).collect();
        let haystacks = items.iter().map(Item::haystack).collect();
        let mut p = Picker {
            target,
            title,
            items,
            haystacks,
            query: query.to_string(),
            shown: Vec::new(),
            selected: 0,
            multi,
            marked,
        };
        p.rank();
        if query.is_empty()
            && let Some(k) = p.shown.iter().position(|&i| is_current(&p.items[i]))
        {
            p.selected = k;
        }
        p
    }

    fn rank(&mut self) {
        self.shown = fuzzy::rank(
            &self.query,
            self.haystacks.iter().map(String::as_str),
            usize::MAX,
        );
        self.selected = 0;
    }

    pub fn push(&mut self, c: char) {
        self.query.push(c);
        self.rank();
    }

    pub fn pop(&mut self) {
        self.query.pop();
        self.rank();
    }

    /// Moves the highlight by `step`, wrapping.
    pub fn step(&mut self, step: isize) {
        let n = self.shown.len() as isize;
        if n > 0 {
            self.selected = (self.selected as isize + step).rem_euclid(n) as usize;
        }
    }

    pub fn highlighted(&self) -> Option<&Item> {
        self.shown
            .get(self.selected)
            .and_then(|&i| self.items.get(i))
    }

    /// Space in a multi-select list: the highlighted item in or out.
    pub fn toggle(&mut self) {
        if let Some(&i) = self.shown.get(self.selected)
            && let Some(m) = self.marked.get_mut(i)
        {
            *m = !*m;
        }
    }

    /// What Enter takes: the marked items in list order, or the highlighted one when none is
    /// marked.
    pub fn chosen(&self) -> Vec<&Item> {
        let marked: Vec<&Item> = self
            .items
            .iter()
            .zip(&self.marked)
            .filter(|(_, m)| **m)
            .map(|(it, _)| it)
            .collect();
        if marked.is_empty() {
            self.highlighted().into_iter().collect()
        } else {
            marked
        }
    }
}
