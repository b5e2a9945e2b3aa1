//! The four panes, left to right, and moving between them.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Modules,
    Layouts,
    Rules,
    Detail,
}

impl Pane {
    pub const ALL: [Pane; 4] = [Pane::Modules, Pane::Layouts, Pane::Rules, Pane::Detail];

    pub fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1).min(3)]
    }

    pub(crate) fn prev(self) -> Pane {
        Pane::ALL[self.index().saturating_sub(1)]
    }

    /// The next pane, the first after the last (Tab); `back` the other way (Shift-Tab).
    pub(crate) fn cycle(self, back: bool) -> Pane {
        let n = Pane::ALL.len();
        let step = if back { n - 1 } else { 1 };
        Pane::ALL[(self.index() + step) % n]
    }
}
