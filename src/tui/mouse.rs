//! The mouse, as a convenience over the keys: a click focuses the pane under it and selects the
//! row clicked; the wheel scrolls the focused list or the detail (or the history popup). It
//! hit-tests against the same layout the view draws, so what is clicked is what was seen.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::app::{App, Pane, Popup};
use super::effects::Effect;
use super::view;

/// Lines the detail pane scrolls per wheel notch.
const DETAIL_STEP: i16 = 3;

impl App {
    pub fn mouse(&mut self, event: MouseEvent, area: Rect) -> Vec<Effect> {
        match event.kind {
            MouseEventKind::ScrollDown => self.wheel(1),
            MouseEventKind::ScrollUp => self.wheel(-1),
            MouseEventKind::Down(MouseButton::Left) if self.popup.is_none() => {
                self.click(Position::new(event.column, event.row), area);
            }
            _ => {}
        }
        Vec::new()
    }

    fn wheel(&mut self, delta: i16) {
        match &mut self.popup {
            Some(Popup::History(h)) => h.scroll = h.scroll.saturating_add_signed(delta),
            Some(_) => {}
            None if self.focus == Pane::Detail => {
                self.detail_scroll = self
                    .detail_scroll
                    .saturating_add_signed(delta * DETAIL_STEP);
            }
            None => {
                if let Some(i) = self.list_index(self.focus) {
                    self.select_index(self.focus, i.saturating_add_signed(isize::from(delta)));
                }
            }
        }
    }

    fn click(&mut self, at: Position, area: Rect) {
        let main = view::main_area(self, area);
        let Some((pane, rect)) = view::pane_areas(self.focus, main)
            .into_iter()
            .find(|(_, r)| r.contains(at))
        else {
            return;
        };
        // A click elsewhere ends typing into a filter (the filter stays).
        self.filtering = false;
        self.focus = pane;
        if pane == Pane::Detail {
            return;
        }
        let inner = rect.inner(ratatui::layout::Margin::new(1, 1));
        if !inner.contains(at) {
            return;
        }
        let offset = list_offset(self.list_index(pane), usize::from(inner.height));
        let index = offset + usize::from(at.y - inner.y);
        if index < self.list_len(pane) {
            self.select_index(pane, index);
        }
    }
}

/// The first row a list shows: ratatui starts each frame at the top and scrolls just enough to
/// show the selected row (the view keeps no scroll state between frames).
pub fn list_offset(selected: Option<usize>, height: usize) -> usize {
    match selected {
        Some(s) if height > 0 => (s + 1).saturating_sub(height),
        _ => 0,
    }
}
