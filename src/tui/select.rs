//! The lists the panes show, derived from the snapshot, the filters and the selection. The app
//! stores selections by key (module name, layout id, rule id), not by index, so a reload or a
//! filter keeps the cursor on the same thing when it is still there. The lists themselves are
//! derived once per change of their inputs and kept (`Lists`), not per frame.

use std::borrow::Cow;

use super::app::{App, Pane};
use super::sort::RuleOrder;
use crate::domain::{Id, ModuleSchema, ScoringRule};

/// An entry of the Layouts pane: one layout, or the bucket of rules that apply to all layouts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutItem {
    /// `None`: the "All layouts" entry.
    pub id: Option<Id>,
    pub label: String,
}

pub const ALL_LAYOUTS: &str = "All layouts";

fn matches(filter: &str, text: &str) -> bool {
    filter.is_empty() || text.to_lowercase().contains(&filter.to_lowercase())
}

pub fn module_label(m: &ModuleSchema) -> &str {
    m.module
        .plural_label
        .as_deref()
        .unwrap_or(&m.module.api_name)
}

/// The three lists as indices into the snapshot (the layouts as their entries), and what they
/// were derived from. Kept in state by `App::settle`; a list asked for while its inputs have
/// changed since (in the middle of an update) is derived afresh, so it is never stale.
#[derive(Clone, Debug, Default)]
pub struct Lists {
    key: ListKey,
    modules: Vec<usize>,
    layouts: Vec<LayoutItem>,
    rules: Vec<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ListKey {
    generation: u64,
    module: Option<String>,
    layout: Option<Option<Id>>,
    filters: [String; 3],
    order: RuleOrder,
}

impl App {
    fn lists_current(&self, l: &Lists) -> bool {
        let k = &l.key;
        k.generation == self.snapshot_generation
            && k.module == self.sel_module
            && k.layout == self.sel_layout
            && k.filters == self.filters
            && k.order == self.rule_order
    }

    /// The kept lists are those of the current snapshot, selection and filters.
    pub(crate) fn lists_settled(&self) -> bool {
        self.derived
            .lists
            .as_ref()
            .is_some_and(|l| self.lists_current(l))
    }

    fn lists(&self) -> Cow<'_, Lists> {
        match &self.derived.lists {
            Some(l) if self.lists_current(l) => Cow::Borrowed(l),
            _ => Cow::Owned(self.derive_lists()),
        }
    }

    /// The lists, kept unless their inputs changed: what `settle` calls.
    pub(crate) fn refresh_lists(&mut self) -> bool {
        if self
            .derived
            .lists
            .as_ref()
            .is_some_and(|l| self.lists_current(l))
        {
            return false;
        }
        self.derived.lists = Some(self.derive_lists());
        true
    }

    fn derive_lists(&self) -> Lists {
        let key = ListKey {
            generation: self.snapshot_generation,
            module: self.sel_module.clone(),
            layout: self.sel_layout.clone(),
            filters: self.filters.clone(),
            order: self.rule_order,
        };
        let Some(snap) = &self.snapshot else {
            return Lists {
                key,
                ..Lists::default()
            };
        };
        let filter = self.filter(Pane::Modules);
        let modules: Vec<usize> = snap
            .modules
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                matches(filter, module_label(m)) || matches(filter, &m.module.api_name)
            })
            .map(|(i, _)| i)
            .collect();
        let module = position(&modules, |&i| {
            Some(&snap.modules[i].module.api_name) == self.sel_module.as_ref()
        })
        .and_then(|k| modules.get(k))
        .and_then(|&i| snap.modules.get(i));
        let Some(module) = module else {
            return Lists {
                key,
                modules,
                ..Lists::default()
            };
        };
        let filter = self.filter(Pane::Layouts);
        let layouts: Vec<LayoutItem> = std::iter::once(LayoutItem {
            id: None,
            label: ALL_LAYOUTS.to_string(),
        })
        .chain(module.layouts.iter().map(|l| LayoutItem {
            id: Some(l.id.clone()),
            label: l.label().to_string(),
        }))
        .filter(|l| matches(filter, &l.label))
        .collect();
        let layout = position(&layouts, |l| Some(&l.id) == self.sel_layout.as_ref())
            .and_then(|k| layouts.get(k));
        let rules = match layout {
            Some(layout) => {
                let filter = self.filter(Pane::Rules).to_lowercase();
                let name = &module.module.api_name;
                let mut rules: Vec<usize> = snap
                    .rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| &r.module.api_name == name)
                    .filter(|(_, r)| r.layout_id() == layout.id.as_ref())
                    // Names, descriptions and criteria: the search `:find` makes.
                    .filter(|(i, _)| self.rule_passes(*i, &filter))
                    .map(|(i, _)| i)
                    .collect();
                self.rule_order.sort(&mut rules, &snap.rules);
                rules
            }
            None => Vec::new(),
        };
        Lists {
            key,
            modules,
            layouts,
            rules,
        }
    }

    pub fn modules(&self) -> Vec<&ModuleSchema> {
        let Some(snap) = &self.snapshot else {
            return Vec::new();
        };
        self.lists()
            .modules
            .iter()
            .filter_map(|&i| snap.modules.get(i))
            .collect()
    }

    pub fn module_index(&self) -> Option<usize> {
        let list = self.modules();
        position(&list, |m| {
            Some(&m.module.api_name) == self.sel_module.as_ref()
        })
    }

    pub fn current_module(&self) -> Option<&ModuleSchema> {
        let list = self.modules();
        self.module_index().and_then(|i| list.get(i).copied())
    }

    pub fn layouts(&self) -> Vec<LayoutItem> {
        self.lists().layouts.clone()
    }

    pub fn layout_index(&self) -> Option<usize> {
        let list = self.layouts();
        position(&list, |l| Some(&l.id) == self.sel_layout.as_ref())
    }

    pub fn current_layout(&self) -> Option<LayoutItem> {
        let list = self.layouts();
        self.layout_index().and_then(|i| list.get(i).cloned())
    }

    /// Rules of the selected module in the selected layout bucket, in the chosen order.
    pub fn rules(&self) -> Vec<&ScoringRule> {
        let Some(snap) = &self.snapshot else {
            return Vec::new();
        };
        self.lists()
            .rules
            .iter()
            .filter_map(|&i| snap.rules.get(i))
            .collect()
    }

    pub fn rule_index(&self) -> Option<usize> {
        let list = self.rules();
        position(&list, |r| r.id.is_some() && r.id == self.sel_rule)
    }

    pub fn current_rule(&self) -> Option<&ScoringRule> {
        let list = self.rules();
        self.rule_index().and_then(|i| list.get(i).copied())
    }

    /// Moves the selection of `pane` to `index` of its visible list (clamped), resetting what
    /// depends on it: a new module starts at its first layout bucket, a new layout at its
    /// first rule.
    pub(crate) fn select_index(&mut self, pane: Pane, index: usize) {
        match pane {
            Pane::Modules => {
                let key = clamp_get(&self.modules(), index).map(|m| m.module.api_name.clone());
                if key.is_some() && key != self.sel_module {
                    self.sel_module = key;
                    self.sel_layout = None;
                    self.sel_rule = None;
                    self.detail_scroll = 0;
                }
            }
            Pane::Layouts => {
                let key = clamp_get(&self.layouts(), index).map(|l| l.id.clone());
                if key.is_some() && key != self.sel_layout {
                    self.sel_layout = key;
                    self.sel_rule = None;
                    self.detail_scroll = 0;
                }
            }
            Pane::Rules => {
                let key = clamp_get(&self.rules(), index).and_then(|r| r.id.clone());
                if key.is_some() && key != self.sel_rule {
                    self.sel_rule = key;
                    self.detail_scroll = 0;
                }
            }
            Pane::Detail => {}
        }
    }

    pub(crate) fn list_len(&self, pane: Pane) -> usize {
        match pane {
            Pane::Modules => self.modules().len(),
            Pane::Layouts => self.layouts().len(),
            Pane::Rules => self.rules().len(),
            Pane::Detail => 0,
        }
    }

    pub(crate) fn list_index(&self, pane: Pane) -> Option<usize> {
        match pane {
            Pane::Modules => self.module_index(),
            Pane::Layouts => self.layout_index(),
            Pane::Rules => self.rule_index(),
            Pane::Detail => None,
        }
    }
}

/// Index of the selected item, or the first item when the selection is gone (filtered out,
/// deleted, never made): a list with items always has a cursor.
fn position<T>(list: &[T], selected: impl Fn(&T) -> bool) -> Option<usize> {
    if list.is_empty() {
        return None;
    }
    Some(list.iter().position(selected).unwrap_or(0))
}

fn clamp_get<T: Clone>(list: &[T], index: usize) -> Option<T> {
    let last = list.len().checked_sub(1)?;
    list.get(index.min(last)).cloned()
}

/// Lowest and highest total a rule can give: field rules and each signal rule once, saturating
/// because scores from an org are untrusted.
pub fn score_span(rule: &ScoringRule) -> (i64, i64) {
    let (lo, hi) = rule.field_score_span();
    rule.signal_rules.iter().fold((lo, hi), |(lo, hi), s| {
        (
            lo.saturating_add(s.score.min(0)),
            hi.saturating_add(s.score.max(0)),
        )
    })
}

/// "+25", "-10..+25": the range of totals a rule can give.
pub fn span_text((lo, hi): (i64, i64)) -> String {
    if lo == 0 {
        format!("{hi:+}")
    } else {
        format!("{lo:+}..{hi:+}")
    }
}
