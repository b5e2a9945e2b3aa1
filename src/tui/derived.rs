//! Figures derived from the snapshot, the filters and the selection, worked out in `update`
//! when one of them changes and kept in state, so drawing a frame only reads them: the three
//! lists (`select::Lists`), the quota usage of the selected module and layout, and the selected
//! rule's detail with its lint findings (judging repeats means reading every rule of the
//! layout: far too slow to redo per frame with hundreds of rules, so the layout's criteria
//! texts are kept until the layout or the snapshot changes), wrapped to the detail
//! pane's width (a rule repeated across a large layout has hundreds of findings, so the frame
//! draws only the rows on screen).

use std::borrow::Cow;
use std::collections::HashMap;

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
    /// The criteria texts of the selected rule's layout, by rule id, for the detail's lint
    /// (each rule is compared with all of its layout's): made when the snapshot or the layout
    /// changes, so moving through hundreds of rules does not render them all again per move.
    layout_texts: HashMap<Id, Vec<String>>,
    layout_texts_key: Option<LayoutKey>,
}

/// A snapshot generation, a module and a layout (`None`: the rules for every layout).
type LayoutKey = (u64, String, Option<Id>);

impl Derived {
    /// The kept criteria texts, when they are those of `rule`'s layout in this snapshot.
    pub(crate) fn layout_texts_of(
        &self,
        generation: u64,
        rule: &crate::domain::ScoringRule,
    ) -> Option<&HashMap<Id, Vec<String>>> {
        let key = layout_key(generation, rule);
        (self.layout_texts_key.as_ref() == Some(&key)).then_some(&self.layout_texts)
    }
}

fn layout_key(generation: u64, rule: &crate::domain::ScoringRule) -> LayoutKey {
    (
        generation,
        rule.module.api_name.clone(),
        rule.layout_id().cloned(),
    )
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
        self.refresh_layout_texts();
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

    /// Keeps the criteria texts of the selected rule's layout (see `Derived::layout_texts`).
    fn refresh_layout_texts(&mut self) {
        let Some(rule) = self.current_rule() else {
            return;
        };
        let key = layout_key(self.snapshot_generation, rule);
        if self.derived.layout_texts_key.as_ref() == Some(&key) {
            return;
        }
        let snap = self.snapshot.as_ref();
        let texts = match (snap, snap.and_then(|s| s.module(&key.1))) {
            (Some(snap), Some(schema)) => snap
                .rules_of(&key.1)
                .filter(|r| r.layout_id() == key.2.as_ref())
                .filter_map(|r| Some((r.id.clone()?, crate::lab::lint::criteria_texts(r, schema))))
                .collect(),
            _ => HashMap::new(),
        };
        self.derived.layout_texts = texts;
        self.derived.layout_texts_key = Some(key);
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
