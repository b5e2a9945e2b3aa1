//! What the app knows of the screen: the terminal's size (given at start and by every resize)
//! and, through the view's layout functions, how many rows each scrolled area shows. Keys move
//! a scroll offset freely (`G` asks for the end as `u16::MAX`); `clamp_scrolls` then brings each
//! offset within its content, once per update, so the last page shows the last line at the
//! bottom, `k` right after `G` moves one line, and no view clamps on its own.

use super::action::Action;
use super::app::{App, Pane, Popup};
use super::form::Stage;
use super::view::layout;

impl App {
    /// The terminal's new size, as a resize (or the start) reports it.
    pub(crate) fn resized(&mut self, width: u16, height: u16) {
        self.screen = ratatui::layout::Rect::new(0, 0, width, height);
    }

    /// Every scroll offset within its content at the current screen size; each scrolled view
    /// also learns its height, for its page keys.
    pub(crate) fn clamp_scrolls(&mut self) {
        let area = self.screen;
        let main = layout::main_area(self, area);
        if self.detail_scroll > 0 {
            let text = layout::detail_text(self.focus, main);
            let rows = self.detail_rows(self.detail_wrap_width()).len();
            self.detail_scroll = clamp(self.detail_scroll, rows, text.height);
        }
        match &mut self.popup {
            Some(Popup::Help(scroll)) => {
                let lines = self.keys.text.overlay_lines();
                let visible = layout::inner(layout::help_box(main, lines)).height;
                *scroll = clamp(*scroll, lines, visible);
            }
            Some(Popup::History(h)) => {
                let text = layout::inner(layout::history_box(area));
                let rows = super::view::history_rows(h, text.width);
                h.visible = text.height;
                h.scroll = clamp(h.scroll, rows, text.height);
            }
            Some(Popup::Report(r)) => r.fit(layout::inner(layout::history_box(area)).height),
            Some(Popup::Found(f)) => {
                f.visible = super::view::found_visible(layout::inner(layout::history_box(area)));
            }
            Some(Popup::Notice(n)) => {
                let text = layout::inner(layout::history_box(area));
                let rows = layout::whole_notice_rows(&n.notice, text.width).len();
                n.visible = text.height;
                n.scroll = clamp(n.scroll, rows, text.height);
            }
            _ => {}
        }
        if let Some(form) = self.form.as_mut()
            && let Stage::Conflict(view) = &mut form.stage
        {
            let [_, body, _] = layout::conflict_parts(area);
            let rows = super::view::conflict_rows(view, body.width);
            view.visible = body.height;
            view.scroll = clamp(view.scroll, rows, body.height);
        }
    }

    /// PgDn / PgUp: a page of the detail, or of the focused list.
    pub(crate) fn page(&mut self, direction: i16) {
        if self.focus == Pane::Detail {
            let page = self.detail_visible().saturating_sub(1).max(1);
            let by = i16::try_from(page).unwrap_or(i16::MAX) * direction;
            self.detail_scroll = self.detail_scroll.saturating_add_signed(by);
            return;
        }
        let page = usize::from(self.list_visible(self.focus).max(1));
        let Some(current) = self.list_index(self.focus) else {
            return;
        };
        let to = if direction > 0 {
            current.saturating_add(page)
        } else {
            current.saturating_sub(page)
        };
        self.select_index(self.focus, to);
    }

    /// Columns the detail's text wraps to on this screen.
    pub(crate) fn detail_wrap_width(&self) -> usize {
        let main = layout::main_area(self, self.screen);
        super::detail::wrap_width(layout::detail_text(self.focus, main).width)
    }

    /// Rows of the detail pane's text: a page for PgUp / PgDn there.
    pub(crate) fn detail_visible(&self) -> u16 {
        layout::detail_text(self.focus, layout::main_area(self, self.screen)).height
    }

    /// Rows of the key help's box.
    pub(crate) fn help_visible(&self) -> u16 {
        let main = layout::main_area(self, self.screen);
        layout::inner(layout::help_box(main, self.keys.text.overlay_lines())).height
    }

    /// Rows a list pane shows: a page for PgUp / PgDn in it.
    pub(crate) fn list_visible(&self, pane: Pane) -> u16 {
        let main = layout::main_area(self, self.screen);
        layout::pane_areas(self.focus, main)
            .into_iter()
            .find(|(p, _)| *p == pane)
            .map_or(1, |(_, r)| layout::inner(r).height)
    }
}

/// `scroll` kept within `rows` of content shown `visible` at a time.
fn clamp(scroll: u16, rows: usize, visible: u16) -> u16 {
    let last_top = rows.saturating_sub(usize::from(visible));
    scroll.min(u16::try_from(last_top).unwrap_or(u16::MAX))
}

/// The offset a scrolling action asks for, `visible` rows being a page (a page key keeps one
/// row of the last page in view); unclamped, so the end is `u16::MAX`. `None`: not a scrolling
/// action.
pub fn scrolled(scroll: u16, action: &Action, visible: u16) -> Option<u16> {
    let page = visible.saturating_sub(1).max(1);
    Some(match action {
        Action::SelectNext => scroll.saturating_add(1),
        Action::SelectPrev => scroll.saturating_sub(1),
        Action::PageDown => scroll.saturating_add(page),
        Action::PageUp => scroll.saturating_sub(page),
        Action::SelectFirst => 0,
        Action::SelectLast => u16::MAX,
        _ => return None,
    })
}
