//! A save refused because someone else changed the rule: the three versions side by side
//! (base as loaded, theirs as the org has it now, yours as typed) and what to do about it —
//! re-apply theirs + mine (only when no field collides), overwrite (yours, guarded again
//! against theirs), or discard. Never a silent overwrite. A rule deleted meanwhile gets its own
//! dialog: re-create it as a new rule, or discard.

use crossterm::event::{KeyCode, KeyEvent};

use super::model::FormData;
use super::{Form, Outcome, Stage};
use crate::domain::conflict::{FieldState, RuleField, ThreeWay, three_way};
use crate::domain::evaluate::criteria_text;
use crate::domain::{OrgSnapshot, ScoringRule};

/// One field of the rule in the three versions, as readable lines.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldRow {
    pub field: RuleField,
    pub state: FieldState,
    pub base: Vec<String>,
    pub theirs: Vec<String>,
    pub yours: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConflictView {
    pub theirs: ScoringRule,
    pub merge: ThreeWay,
    pub rows: Vec<FieldRow>,
    /// "changed by Ana at 2026-…".
    pub who: String,
    pub scroll: u16,
    /// Rows of the fields shown, as of the last update: a page for PgUp / PgDn.
    pub visible: u16,
    /// Discard was pressed: waiting for a yes.
    pub asking_discard: bool,
}

/// The rule was deleted meanwhile.
#[derive(Clone, Debug, PartialEq)]
pub struct DeletedView {
    pub asking_discard: bool,
}

impl ConflictView {
    pub fn new(
        base: &ScoringRule,
        theirs: ScoringRule,
        yours: &ScoringRule,
        snap: &OrgSnapshot,
    ) -> ConflictView {
        let merge = three_way(base, &theirs, yours);
        let rows = merge
            .fields
            .iter()
            .map(|f| FieldRow {
                field: f.field,
                state: f.state,
                base: value_lines(f.field, base, snap),
                theirs: value_lines(f.field, &theirs, snap),
                yours: value_lines(f.field, yours, snap),
            })
            .collect();
        let who = theirs
            .modified_by
            .as_ref()
            .map(|u| crate::display::sanitize(&u.name))
            .unwrap_or_else(|| "someone else".into());
        let when = theirs
            .modified_time
            .as_deref()
            .map(|t| format!(" at {}", crate::display::sanitize(t)))
            .unwrap_or_default();
        ConflictView {
            theirs,
            merge,
            rows,
            who: format!("changed by {who}{when}"),
            scroll: 0,
            visible: 0,
            asking_discard: false,
        }
    }
}

/// What a field holds, one line per item; criteria in words, signals by their label. Scores
/// come first so a narrow column cuts the criteria, not the number.
pub fn value_lines(field: RuleField, rule: &ScoringRule, snap: &OrgSnapshot) -> Vec<String> {
    let schema = snap.module(&rule.module.api_name);
    let lines: Vec<String> = match field {
        RuleField::Name => vec![rule.name.clone()],
        RuleField::Description => rule
            .description
            .as_deref()
            .filter(|d| !d.is_empty())
            .map(|d| d.lines().map(String::from).collect())
            .unwrap_or_default(),
        RuleField::Layout => vec![match &rule.layout {
            None => "all layouts".into(),
            Some(l) => l
                .display_label
                .clone()
                .or_else(|| l.api_name.clone())
                .unwrap_or_else(|| l.id.to_string()),
        }],
        RuleField::Active => vec![if rule.active { "active" } else { "inactive" }.into()],
        RuleField::FieldRules => rule
            .field_rules
            .iter()
            .map(|f| {
                let when = match schema {
                    Some(s) => criteria_text(&f.criteria, s),
                    None => "(criteria of an unknown module)".into(),
                };
                format!("{:+} when {when}", f.score)
            })
            .collect(),
        RuleField::SignalRules => rule
            .signal_rules
            .iter()
            .map(|s| {
                let label = snap
                    .signals
                    .iter()
                    .find(|x| x.id == s.signal.id)
                    .map_or_else(|| s.signal.id.to_string(), |x| x.display_label.clone());
                format!("{:+} {label}", s.score)
            })
            .collect(),
        RuleField::CustomFields => rule
            .custom_fields
            .iter()
            .map(|c| {
                c.field_label
                    .clone()
                    .or_else(|| c.api_name.clone())
                    .unwrap_or_else(|| "(unnamed)".into())
            })
            .collect(),
    };
    let lines: Vec<String> = lines
        .into_iter()
        .map(|l| crate::display::sanitize(&l))
        .collect();
    if lines.is_empty() {
        vec!["(none)".into()]
    } else {
        lines
    }
}

/// Rows a PgUp / PgDn moves by: a page, keeping one row of the last in view.
fn page(visible: u16) -> u16 {
    visible.saturating_sub(1).max(1)
}

impl Form {
    /// The form continues from `base` (the org's rule now) with `data` typed: what a re-apply
    /// and a re-create start from. Focus stays where it was.
    fn reopen(&mut self, base: Option<ScoringRule>, data: FormData) {
        let focus = self.focus;
        let mut next = Form::with(&self.module, self.layout.clone(), base, data);
        next.focus = focus;
        *self = next;
    }

    pub(super) fn conflict_key(&mut self, key: KeyEvent) -> Outcome {
        let Stage::Conflict(view) = &mut self.stage else {
            return Outcome::Nothing;
        };
        if view.asking_discard {
            return match key.code {
                KeyCode::Char('y' | 'Y') => Outcome::Discard,
                KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                    view.asking_discard = false;
                    Outcome::Nothing
                }
                _ => Outcome::Nothing,
            };
        }
        match key.code {
            KeyCode::Esc => self.stage = super::Stage::Editing,
            // The app clamps the offset to the last page after every key.
            KeyCode::Char('j') | KeyCode::Down => view.scroll = view.scroll.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => view.scroll = view.scroll.saturating_sub(1),
            KeyCode::PageDown => view.scroll = view.scroll.saturating_add(page(view.visible)),
            KeyCode::PageUp => view.scroll = view.scroll.saturating_sub(page(view.visible)),
            KeyCode::Char('g') | KeyCode::Home => view.scroll = 0,
            KeyCode::Char('G') | KeyCode::End => view.scroll = u16::MAX,
            KeyCode::Char('d') => view.asking_discard = true,
            KeyCode::Char('r') => {
                let Some(merged) = view.merge.merged.clone() else {
                    return Outcome::Notice {
                        text: "no re-apply: both changed the same field; overwrite or discard"
                            .into(),
                        error: true,
                    };
                };
                let theirs = view.theirs.clone();
                self.reopen(Some(theirs), FormData::from_rule(&merged));
                return Outcome::Reapplied;
            }
            KeyCode::Char('o') => {
                // Yours as typed, guarded again: refused once more if the rule moved on.
                let theirs = view.theirs.clone();
                self.base = Some(theirs);
                self.stage = Stage::Editing;
                return Outcome::Send;
            }
            _ => {}
        }
        Outcome::Nothing
    }

    pub(super) fn deleted_key(&mut self, key: KeyEvent) -> Outcome {
        let Stage::Deleted(view) = &mut self.stage else {
            return Outcome::Nothing;
        };
        if view.asking_discard {
            return match key.code {
                KeyCode::Char('y' | 'Y') => Outcome::Discard,
                KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                    view.asking_discard = false;
                    Outcome::Nothing
                }
                _ => Outcome::Nothing,
            };
        }
        match key.code {
            KeyCode::Esc => self.stage = Stage::Editing,
            KeyCode::Char('d') => view.asking_discard = true,
            KeyCode::Char('c') => {
                let data = self.data.clone();
                self.reopen(None, data);
                return Outcome::Reapplied;
            }
            _ => {}
        }
        Outcome::Nothing
    }
}
