//! The score lab's explanation view (`w`): one record's "why this score?", scrollable, with a
//! type-ahead above it that finds another record of the sample by part of its name (or id)
//! and explains that one on Enter. The explanation's text and the matches are computed here,
//! when the record or the query changes, never while drawing.

use super::{LabAction, Phase, PreviewView};
use crate::domain::evaluate::EvalContext;
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::lab::explain::{RecordExplanation, explain, render_text};
use crate::lab::names::label;
use crate::lab::preview::RecordOutcome;

/// Matches kept for the list under the query; more only say "and N more".
pub const MAX_MATCHES: usize = 50;
/// Lines PgUp / PgDn move the explanation by.
const PAGE: usize = 10;

#[derive(Clone, Debug)]
pub struct Explaining {
    pub explanation: RecordExplanation,
    /// `render_text` of the explanation, a line each.
    pub lines: Vec<String>,
    /// First line shown.
    pub scroll: usize,
    /// What has been typed to find another record.
    pub query: String,
    /// The records whose name or id contains the query: `(label, id, after-score)`, at most
    /// `MAX_MATCHES`.
    pub matches: Vec<(String, Id, i64)>,
    /// How many records match in all.
    pub match_count: usize,
    /// Index into `matches`.
    pub picked: usize,
}

impl Explaining {
    pub fn new(explanation: RecordExplanation) -> Explaining {
        let lines = render_text(&explanation)
            .lines()
            .map(str::to_string)
            .collect();
        Explaining {
            explanation,
            lines,
            scroll: 0,
            query: String::new(),
            matches: Vec::new(),
            match_count: 0,
            picked: 0,
        }
    }

    /// Recomputes the matches for the current query over `records` (the preview's scored
    /// records): case-insensitive, in the preview's order.
    fn refresh(&mut self, records: &[RecordOutcome]) {
        self.picked = 0;
        self.matches.clear();
        self.match_count = 0;
        let needle = self.query.trim().to_lowercase();
        if needle.is_empty() {
            return;
        }
        for r in records {
            let hit = r
                .name
                .as_deref()
                .is_some_and(|n| n.to_lowercase().contains(&needle))
                || r.id.as_str().contains(&needle);
            if hit {
                self.match_count += 1;
                if self.matches.len() < MAX_MATCHES {
                    self.matches
                        .push((label(r.name.as_deref(), &r.id), r.id.clone(), r.after));
                }
            }
        }
    }
}

/// What the view does with a key; `None` when it is not the explanation's to handle.
/// `Back` with a query clears the query; without one it closes the explanation.
pub fn act(
    view: &mut PreviewView,
    schema: &ModuleSchema,
    action: LabAction,
) -> Option<Result<(), String>> {
    let PreviewView {
        phase: Phase::Ready(ready),
        explanation,
        ..
    } = view
    else {
        return None;
    };
    let records = &ready.report.records;
    let e = explanation.as_mut()?;
    match action {
        LabAction::Type(c) => {
            e.query.push(c);
            e.refresh(records);
        }
        LabAction::Erase => {
            e.query.pop();
            e.refresh(records);
        }
        LabAction::Next | LabAction::Prev if !e.matches.is_empty() => {
            e.picked = if action == LabAction::Next {
                (e.picked + 1).min(e.matches.len() - 1)
            } else {
                e.picked.saturating_sub(1)
            };
        }
        LabAction::Next => e.scroll = (e.scroll + 1).min(last_line(e)),
        LabAction::Prev => e.scroll = e.scroll.saturating_sub(1),
        LabAction::PageDown => e.scroll = (e.scroll + PAGE).min(last_line(e)),
        LabAction::PageUp => e.scroll = e.scroll.saturating_sub(PAGE),
        LabAction::Back if !e.query.is_empty() => {
            e.query.clear();
            e.refresh(records);
        }
        LabAction::Back => *explanation = None,
        LabAction::Explain => {
            if e.query.trim().is_empty() {
                return Some(Ok(()));
            }
            let Some((_, id, _)) = e.matches.get(e.picked).cloned() else {
                return Some(Err(format!(
                    "no record of the sample matches {:?}",
                    e.query
                )));
            };
            return Some(explain_record(view, schema, &id));
        }
        _ => return None,
    }
    Some(Ok(()))
}

fn last_line(e: &Explaining) -> usize {
    e.lines.len().saturating_sub(1)
}

/// Explains record `id` of the preview's sample, replacing what is shown.
pub fn explain_record(
    view: &mut PreviewView,
    schema: &ModuleSchema,
    id: &Id,
) -> Result<(), String> {
    let ready = view
        .ready()
        .ok_or_else(|| "the preview has no records yet".to_string())?;
    let record = ready
        .sample
        .records
        .iter()
        .find(|s| s.record.id == *id)
        .ok_or_else(|| format!("record {id} is not in the sample"))?;
    let ctx: &EvalContext = &ready.ctx;
    let explanation = explain(schema, &view.after, record, ctx);
    view.explanation = Some(Explaining::new(explanation));
    Ok(())
}
