//! Figures derived from the snapshot, the filters and the selection, worked out in `update`
//! when one of them changes and kept in state, so drawing a frame only reads them: the three
//! lists (`select::Lists`), the quota usage of the selected module and layout, and the selected
//! rule's detail with its lint findings (judging repeats means reading every rule of the
//! layout: far too slow to redo per frame with hundreds of rules), wrapped to the detail
//! pane's width (a rule repeated across a large layout has hundreds of findings, so the frame
//! draws only the rows on screen).

use std::borrow::Cow;

use super::app::App;
use super::select::Lists;
use super::text::{Para, Row};
use crate::audit::Usage;
use crate::domain::Id;

#[derive(Clone, Debug, Default)]
pub struct Derived {
    pub(crate) lists: Option<Lists>,
    usage: Option<String>,
    detail: Vec<Para>,
    detail_key: Option<DetailKey>,
    /// `detail` wrapped at `detail_width` columns.
    detail_rows: Vec<Row>,
    detail_width: Option<usize>,
}

/// What the detail was built from: a reload, another rule, or a preview finishing (it adds
/// "matches none of the sampled records") rebuilds it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DetailKey {
    generation: u64,
    rule: Option<Id>,
    preview: Option<(u64, bool)>,
}

impl App {
    /// Brings what is derived up to date and clamps every scroll offset: run at the end of each
    /// update, so the frame drawn next only reads state.
    pub(crate) fn settle(&mut self) {
        self.refresh_command_index();
        if self.refresh_lists() {
            self.derived.usage = usage_text(self);
        }
        let key = self.detail_key();
        if self.derived.detail_key.as_ref() != Some(&key) {
            self.derived.detail = super::detail::doc(self);
            self.derived.detail_key = Some(key);
            self.derived.detail_width = None;
        }
        let width = self.detail_wrap_width();
        if self.derived.detail_width != Some(width) {
            self.derived.detail_rows = super::text::rows(&self.derived.detail, width);
            self.derived.detail_width = Some(width);
        }
        self.clamp_scrolls();
    }

    /// The selected rule's detail as rows `width` columns wide: kept since the last update
    /// when that is the width the screen gives it, else wrapped afresh.
    pub fn detail_rows(&self, width: usize) -> Cow<'_, [Row]> {
        let settled = self.derived.detail_key.as_ref() == Some(&self.detail_key());
        if settled && self.derived.detail_width == Some(width) {
            return Cow::Borrowed(&self.derived.detail_rows);
        }
        Cow::Owned(super::text::rows(&self.detail_doc(), width))
    }

    fn detail_key(&self) -> DetailKey {
        DetailKey {
            generation: self.snapshot_generation,
            rule: self.current_rule().and_then(|r| r.id.clone()),
            preview: self
                .lab
                .view
                .as_ref()
                .map(|v| (v.request, v.ready().is_some())),
        }
    }

    /// "layout 3/5 active · 7/10 rules · module 9/25 active": kept since the last update, or
    /// worked out afresh when the selection was changed without one.
    pub fn usage(&self) -> Option<Cow<'_, str>> {
        if self.lists_settled() {
            return self.derived.usage.as_deref().map(Cow::Borrowed);
        }
        usage_text(self).map(Cow::Owned)
    }

    /// The selected rule's detail: kept since the last update, or built afresh when the
    /// selection was changed without one.
    pub fn detail_doc(&self) -> Cow<'_, [Para]> {
        if self.derived.detail_key.as_ref() == Some(&self.detail_key()) {
            return Cow::Borrowed(&self.derived.detail);
        }
        Cow::Owned(super::detail::doc(self))
    }
}

/// The bucket of the selected layout against the per-layout limits, then the module against
/// the module limit.
fn usage_text(app: &App) -> Option<String> {
    let snap = app.snapshot.as_ref()?;
    let module = app.current_module()?;
    let usage = Usage::of(snap, &module.module.api_name);
    let limits = snap.edition.limits();
    let module_part = format!(
        "module {}/{} active",
        usage.active, limits.active_per_module
    );
    let Some(layout) = app.current_layout() else {
        return Some(module_part);
    };
    let (active, total) = usage.bucket(layout.id.as_ref());
    Some(format!(
        "layout {active}/{} active · {total}/{} rules · {module_part}",
        limits.active_per_layout, limits.total_per_layout
    ))
}
