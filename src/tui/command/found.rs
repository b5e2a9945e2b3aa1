//! `:find TEXT`: every rule of the org matching TEXT, in any module and layout, with its
//! place and the part that matched (its name, description, a condition, a signal: the same
//! search as the rules pane's `/`). j / k move, Enter jumps to the rule, Esc closes.

use crossterm::event::{KeyCode, KeyEvent};

use super::search::{Part, RuleText};
use crate::display::sanitize;
use crate::tui::app::{App, Popup};
use crate::tui::effects::Effect;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundView {
    /// Sanitized, as typed.
    pub query: String,
    pub hits: Vec<Hit>,
    pub selected: usize,
    /// Rows of hits shown, as of the last update: a page.
    pub visible: u16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// An index into the snapshot's rules.
    pub rule: usize,
    /// Sanitized: the rule's name, its place, and which part matched.
    pub name: String,
    pub place: String,
    pub part: String,
}

impl App {
    pub(crate) fn open_found(&mut self, query: &str) {
        let Some(snap) = &self.snapshot else {
            return;
        };
        let lower = query.to_lowercase();
        let current = self.commands.index.generation == Some(self.snapshot_generation);
        let hits = snap
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, rule)| {
                let part = match self.commands.index.rules.get(i).filter(|_| current) {
                    Some(text) => text.find_lower(&lower),
                    None => RuleText::of(rule, snap.module(&rule.module.api_name), snap)
                        .find_lower(&lower),
                }?;
                Some(Hit {
                    rule: i,
                    name: sanitize(&rule.name),
                    place: super::place(snap, rule),
                    part: match part {
                        Part::Name => "name".into(),
                        other => sanitize(&other.describe()),
                    },
                })
            })
            .collect();
        self.popup = Some(Popup::Found(FoundView {
            query: sanitize(query),
            hits,
            selected: 0,
            visible: 0,
        }));
    }

    /// A key while the results are open.
    pub(crate) fn found_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(Popup::Found(view)) = &mut self.popup else {
            return Vec::new();
        };
        let last = view.hits.len().saturating_sub(1);
        let page = usize::from(view.visible.max(2) / 2).max(1);
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => self.popup = None,
            KeyCode::Down | KeyCode::Char('j') => view.selected = (view.selected + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => view.selected = view.selected.saturating_sub(1),
            KeyCode::PageDown => view.selected = (view.selected + page).min(last),
            KeyCode::PageUp => view.selected = view.selected.saturating_sub(page),
            KeyCode::Home | KeyCode::Char('g') => view.selected = 0,
            KeyCode::End | KeyCode::Char('G') => view.selected = last,
            KeyCode::Enter => {
                if let Some(rule) = view.hits.get(view.selected).map(|h| h.rule) {
                    self.popup = None;
                    self.jump_to_rule(rule);
                }
            }
            _ => {}
        }
        Vec::new()
    }
}
