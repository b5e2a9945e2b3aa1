//! The score lab in the TUI: `p` previews the selected rule (or, through `preview_draft`, the
//! rule form's unsaved draft) against a sample of the module's records; `w` explains one
//! record of the movers list, and typing part of a name there finds any record of the sample
//! (`explaining`). Sampling and scoring run as an effect (`run`), off the UI task;
//! this module is the state and its pure transitions, called from `App::act` / `App::update`.
//!
//! Samples are cached per module for the session: previewing another rule of the same module
//! reuses the records (and shows when they were fetched and how long it took); `r` refetches,
//! `+` / `-` change the sample size.

pub mod explaining;
pub mod lint;
pub mod run;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::app::{App, Notice};
use super::effects::Effect;
use crate::domain::evaluate::EvalContext;
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::rule::ScoringRule;
use crate::lab::preview::{PreviewReport, RecordOutcome, SampleRecord, TOP_MOVERS};
use crate::lab::sample::fields_for;

/// The sizes `+` / `-` step through.
pub const SAMPLE_SIZES: [usize; 8] = [100, 250, 500, 1_000, 2_000, 5_000, 10_000, 20_000];
pub const DEFAULT_SAMPLE: usize = 2_000;

/// Records fetched for a module, kept for the session.
#[derive(Clone, Debug)]
pub struct CachedSample {
    pub records: Arc<Vec<SampleRecord>>,
    /// The fields the records were fetched with: a rule reading others needs a new fetch.
    pub fields: Vec<String>,
    /// The size asked for (the module may have had fewer records).
    pub size: usize,
    pub fetch_time: Duration,
    /// Unix seconds.
    pub fetched_at: i64,
}

impl CachedSample {
    fn covers(&self, fields: &[String], size: usize) -> bool {
        size <= self.size && fields.iter().all(|f| self.fields.contains(f))
    }
}

/// A finished preview.
#[derive(Clone, Debug)]
pub struct Ready {
    pub report: PreviewReport,
    pub sample: CachedSample,
    /// Whether the records came from the session cache rather than this run's fetch.
    pub cached: bool,
    /// Records left out because execution would not score them (older than six months).
    pub outside_window: usize,
    pub compute_time: Duration,
    pub ctx: EvalContext,
}

#[derive(Clone, Debug)]
pub enum Phase {
    /// Waiting for the records API (`what` says which step).
    Fetching {
        what: String,
    },
    Scoring {
        records: usize,
    },
    Ready(Box<Ready>),
    Failed(String),
}

#[derive(Clone, Debug)]
pub struct PreviewView {
    pub request: u64,
    pub module: String,
    pub title: String,
    pub before: Vec<Id>,
    pub after: Vec<ScoringRule>,
    pub phase: Phase,
    /// The records listed under the histogram: the top movers, or when nothing moves (an
    /// unchanged rule) the highest after-scores, so `w` always has records to explain.
    pub list: Vec<RecordOutcome>,
    pub list_is_movers: bool,
    /// Index into `list`.
    pub selected: usize,
    /// `w`: one record explained, with the type-ahead that picks another.
    pub explanation: Option<explaining::Explaining>,
}

impl PreviewView {
    pub fn running(&self) -> bool {
        matches!(self.phase, Phase::Fetching { .. } | Phase::Scoring { .. })
    }

    pub fn ready(&self) -> Option<&Ready> {
        match &self.phase {
            Phase::Ready(r) => Some(r),
            _ => None,
        }
    }
}

/// The lab's part of the app state.
#[derive(Clone, Debug)]
pub struct Lab {
    pub view: Option<PreviewView>,
    pub sample_size: usize,
    pub cache: HashMap<String, CachedSample>,
}

impl Default for Lab {
    fn default() -> Lab {
        Lab {
            view: None,
            sample_size: DEFAULT_SAMPLE,
            cache: HashMap::new(),
        }
    }
}

impl Lab {
    pub fn running(&self) -> bool {
        self.view.as_ref().is_some_and(PreviewView::running)
    }
}

/// What a key means while the preview is open (the keys are in `keys::table`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabAction {
    Next,
    Prev,
    Explain,
    Bigger,
    Smaller,
    Refetch,
    /// Esc: cancel a running preview, clear the type-ahead, close an explanation, or close the
    /// preview.
    Back,
    /// A character typed into the explanation's type-ahead.
    Type(char),
    /// Backspace in the type-ahead.
    Erase,
    PageDown,
    PageUp,
}

/// Messages from a running preview.
#[derive(Debug)]
pub enum LabMsg {
    Progress {
        request: u64,
        phase: Phase,
    },
    Done {
        request: u64,
        module: String,
        result: Result<Box<Ready>, String>,
    },
}

/// Work for the effect runner.
#[derive(Clone, Debug)]
pub enum LabEffect {
    Preview(Box<PreviewJob>),
    Cancel { request: u64 },
}

#[derive(Clone, Debug)]
pub struct PreviewJob {
    pub request: u64,
    pub schema: ModuleSchema,
    pub before: Vec<Id>,
    pub after: Vec<ScoringRule>,
    pub size: usize,
    /// Fields to fetch: what every rule of the module reads, so the cached sample serves them
    /// all.
    pub fields: Vec<String>,
    /// A cached sample that covers this preview, if any.
    pub cached: Option<CachedSample>,
}

impl PartialEq for LabEffect {
    fn eq(&self, other: &LabEffect) -> bool {
        match (self, other) {
            (LabEffect::Cancel { request: a }, LabEffect::Cancel { request: b }) => a == b,
            (LabEffect::Preview(a), LabEffect::Preview(b)) => {
                a.request == b.request && a.after == b.after && a.size == b.size
            }
            _ => false,
        }
    }
}

/// `p`: the selected rule, before (its scores in the org) vs after (evaluated now).
pub fn open_for_selected(app: &mut App) -> Vec<Effect> {
    let Some(rule) = app.current_rule().cloned() else {
        app.notice = Some(Notice {
            text: "select a rule to preview".into(),
            error: true,
        });
        return Vec::new();
    };
    let title = format!("Preview of “{}”", crate::display::sanitize(&rule.name));
    let before = rule.id.iter().cloned().collect();
    start(app, title, before, vec![rule], false)
}

/// The rule form's hook: preview an unsaved draft (a new rule, or an edit of an existing one,
/// whose current scores are then "before").
pub fn preview_draft(app: &mut App, draft: ScoringRule) -> Vec<Effect> {
    let title = format!(
        "Preview of draft “{}”",
        crate::display::sanitize(&draft.name)
    );
    let before = draft.id.iter().cloned().collect();
    start(app, title, before, vec![draft], false)
}

fn start(
    app: &mut App,
    title: String,
    before: Vec<Id>,
    after: Vec<ScoringRule>,
    refetch: bool,
) -> Vec<Effect> {
    let module = after
        .first()
        .map(|r| r.module.api_name.clone())
        .unwrap_or_default();
    let Some(schema) = app
        .snapshot
        .as_ref()
        .and_then(|s| s.module(&module))
        .cloned()
    else {
        app.notice = Some(Notice {
            text: format!("module {module} is not loaded; nothing to preview"),
            error: true,
        });
        return Vec::new();
    };
    let mut all_rules: Vec<ScoringRule> = app
        .snapshot
        .as_ref()
        .map(|s| s.rules_of(&module).cloned().collect())
        .unwrap_or_default();
    all_rules.extend(after.iter().cloned());
    let fields = fields_for(&all_rules, &schema);
    let size = app.lab.sample_size;
    let cached = app
        .lab
        .cache
        .get(&module)
        .filter(|c| !refetch && c.covers(&fields_for(&after, &schema), size))
        .cloned();
    let request = app.request_id();
    let mut effects = Vec::new();
    if let Some(old) = app.lab.view.take()
        && old.running()
    {
        effects.push(Effect::Lab(LabEffect::Cancel {
            request: old.request,
        }));
    }
    let what = match &cached {
        Some(_) => "using this session's sample".to_string(),
        None => format!("fetching up to {size} {module} records and their entity scores"),
    };
    app.lab.view = Some(PreviewView {
        request,
        module: module.clone(),
        title,
        before: before.clone(),
        after: after.clone(),
        phase: Phase::Fetching { what },
        list: Vec::new(),
        list_is_movers: true,
        selected: 0,
        explanation: None,
    });
    effects.push(Effect::Lab(LabEffect::Preview(Box::new(PreviewJob {
        request,
        schema,
        before,
        after,
        size,
        fields,
        cached,
    }))));
    effects
}

/// Closes the preview, cancelling its work if it is still running.
pub fn close(app: &mut App) -> Vec<Effect> {
    match app.lab.view.take() {
        Some(view) if view.running() => vec![Effect::Lab(LabEffect::Cancel {
            request: view.request,
        })],
        _ => Vec::new(),
    }
}

pub fn act(app: &mut App, action: LabAction) -> Vec<Effect> {
    let Some(view) = app.lab.view.as_mut() else {
        return Vec::new();
    };
    if view.explanation.is_some() {
        let schema = app.snapshot.as_ref().and_then(|s| s.module(&view.module));
        if let Some(schema) = schema
            && let Some(done) = explaining::act(view, schema, action)
        {
            if let Err(text) = done {
                app.notice = Some(Notice { text, error: true });
            }
            return Vec::new();
        }
    }
    match action {
        LabAction::Back => {
            if view.running() {
                let request = view.request;
                app.lab.view = None;
                app.notice = Some(Notice {
                    text: "preview cancelled".into(),
                    error: false,
                });
                return vec![Effect::Lab(LabEffect::Cancel { request })];
            }
            if view.explanation.take().is_none() {
                app.lab.view = None;
            }
        }
        LabAction::Next | LabAction::Prev => {
            let movers = view.list.len();
            if view.explanation.is_none() && movers > 0 {
                view.selected = if action == LabAction::Next {
                    (view.selected + 1).min(movers - 1)
                } else {
                    view.selected.saturating_sub(1)
                };
            }
        }
        LabAction::Explain => explain_selected(app),
        LabAction::Bigger | LabAction::Smaller => {
            let at = SAMPLE_SIZES
                .iter()
                .position(|&s| s >= app.lab.sample_size)
                .unwrap_or(SAMPLE_SIZES.len() - 1);
            let next = if action == LabAction::Bigger {
                (at + 1).min(SAMPLE_SIZES.len() - 1)
            } else {
                at.saturating_sub(1)
            };
            app.lab.sample_size = SAMPLE_SIZES.get(next).copied().unwrap_or(DEFAULT_SAMPLE);
            return restart(app, false);
        }
        LabAction::Refetch => return restart(app, true),
        LabAction::Type(_) | LabAction::Erase | LabAction::PageDown | LabAction::PageUp => {}
    }
    Vec::new()
}

fn restart(app: &mut App, refetch: bool) -> Vec<Effect> {
    let Some(view) = app.lab.view.as_ref() else {
        return Vec::new();
    };
    let (title, before, after) = (view.title.clone(), view.before.clone(), view.after.clone());
    if refetch {
        let module = view.module.clone();
        app.lab.cache.remove(&module);
    }
    start(app, title, before, after, refetch)
}

/// `w`: the selected mover's score, rule by rule. Pure and cheap (one record), so it runs here.
fn explain_selected(app: &mut App) {
    let Some(view) = app.lab.view.as_mut() else {
        return;
    };
    if view.ready().is_none() {
        return;
    }
    let Some(id) = view.list.get(view.selected).map(|m| m.id.clone()) else {
        app.notice = Some(Notice {
            text: "no records in the sample; nothing to explain".into(),
            error: true,
        });
        return;
    };
    let Some(schema) = app.snapshot.as_ref().and_then(|s| s.module(&view.module)) else {
        return;
    };
    if let Err(text) = explaining::explain_record(view, schema, &id) {
        app.notice = Some(Notice { text, error: true });
    }
}

pub fn on_msg(app: &mut App, msg: LabMsg) -> Vec<Effect> {
    match msg {
        LabMsg::Progress { request, phase } => {
            if let Some(view) = app.lab.view.as_mut()
                && view.request == request
                && view.running()
            {
                view.phase = phase;
            }
        }
        LabMsg::Done {
            request,
            module,
            result,
        } => {
            // A cancelled or superseded run still finished fetching: keep its records.
            if let Ok(ready) = &result
                && !ready.cached
            {
                app.lab.cache.insert(module, ready.sample.clone());
            }
            if let Some(view) = app.lab.view.as_mut()
                && view.request == request
            {
                if let Ok(ready) = &result {
                    (view.list, view.list_is_movers) = listed(&ready.report);
                }
                view.phase = match result {
                    Ok(ready) => Phase::Ready(ready),
                    Err(e) => Phase::Failed(crate::display::sanitize(&e)),
                };
                view.selected = 0;
            }
        }
    }
    Vec::new()
}

/// The top movers, or (nothing moved) the records with the highest after-scores.
fn listed(report: &PreviewReport) -> (Vec<RecordOutcome>, bool) {
    if !report.top_movers.is_empty() {
        return (report.top_movers.clone(), true);
    }
    let mut top: Vec<RecordOutcome> = report.records.clone();
    top.sort_by(|a, b| b.after.cmp(&a.after).then_with(|| a.id.cmp(&b.id)));
    top.truncate(TOP_MOVERS);
    (top, false)
}
