//! Sending a plan: every write journaled as one group, several rules per request where Zoho has
//! a bulk endpoint (delete by `?ids=`, update with up to 25 items), one request per rule where
//! it has none (activate, deactivate, clone), all within the client's in-flight limit, with
//! each step's state reported on a channel as it changes.
//!
//! Guarded like every write zscore sends: the module's rules are read once before sending, and
//! a rule deleted or changed since the plan is not sent. Read once more after the answers, the
//! rules say what exists now: that is what the report tells, and an answer lost on the way is
//! settled by it where it can be (the rule is active now, or gone).

use std::collections::{BTreeSet, HashMap};

use futures::future::{join_all, try_join_all};
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;

use super::plan::{Operation, Plan, Step};
use super::report::{Now, Report, StepReport, StepState};
use crate::api::{ApiError, Client, Conflict, ItemResult, RuleFilter};
use crate::domain::conflict::changed_since;
use crate::domain::edition::MAX_RULES_PER_UPDATE;
use crate::domain::{Id, ScoringRule};
use crate::journal::Journal;

/// Zoho's `ids` parameter takes at most 255 characters.
const MAX_IDS_CHARS: usize = 255;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkEvent {
    Step {
        index: usize,
        state: StepState,
    },
    /// Every answer is in; reading the rules to say what exists now.
    Checking,
}

/// One request: the steps (indices into the plan) it carries.
struct Request {
    steps: Vec<usize>,
}

/// A step sent: its journal entry and what came back.
struct Sent {
    index: usize,
    seq: Option<u64>,
    state: StepState,
    /// A clone's copy.
    created: Option<Id>,
}

/// Sends the plan's first `count` steps. `Err` only when nothing was sent (the rules could not
/// be read first, or the journal cannot be written); everything after is in the report.
pub async fn run(
    client: &Client,
    journal: &Journal,
    plan: &Plan,
    count: usize,
    events: &UnboundedSender<BulkEvent>,
) -> Result<Report, String> {
    let steps = &plan.steps[..count.min(plan.steps.len())];
    if steps.is_empty() {
        return Err("nothing to send".into());
    }
    let emit = |index, state: &StepState| {
        let _ = events.send(BulkEvent::Step {
            index,
            state: state.clone(),
        });
    };
    let mut states = vec![StepState::Queued; steps.len()];
    for (i, s) in states.iter().enumerate() {
        emit(i, s);
    }
    let modules: BTreeSet<&str> = steps
        .iter()
        .map(|s| s.rule.module.api_name.as_str())
        .collect();
    let before = read_rules(client, &modules)
        .await
        .map_err(|e| format!("cannot read the rules before sending ({e}); nothing was sent"))?;
    let label = plan.label(steps.len());
    let group = journal
        .begin_group(&label, plan.to_json(steps.len()))
        .map_err(|e| format!("{e}; nothing was sent"))?;

    let mut ready = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        match before.get(&step.id) {
            None => states[i] = StepState::NotSent("deleted since the plan".into()),
            Some(now) if changed_since(&step.rule, now) => {
                let c = Conflict {
                    base: step.rule.clone(),
                    theirs: now.clone(),
                };
                states[i] = StepState::NotSent(format!(
                    "changed since the plan ({}); plan again to include it",
                    c.describe()
                ));
            }
            Some(_) => ready.push(i),
        }
        if !matches!(states[i], StepState::Queued) {
            emit(i, &states[i]);
        }
    }

    let requests = requests(&plan.op, steps, &ready);
    let sends = requests
        .iter()
        .map(|r| send(client, journal, group, &plan.op, steps, &before, r, &emit));
    let sent: Vec<Sent> = join_all(sends).await.into_iter().flatten().collect();

    let _ = events.send(BulkEvent::Checking);
    let after = read_rules(client, &modules).await;
    let mut journal_errors = Vec::new();
    let mut created: HashMap<usize, Id> = HashMap::new();
    for s in sent {
        let step = &steps[s.index];
        let state = match &after {
            Ok(now) => settle(&plan.op, step, s.state, now.get(&step.id)),
            Err(_) => s.state,
        };
        if let Some(seq) = s.seq {
            let after_id = s.created.clone().unwrap_or_else(|| step.id.clone());
            let after_rule = after
                .as_ref()
                .ok()
                .and_then(|m| m.get(&after_id))
                .and_then(|r| serde_json::to_value(r).ok());
            let (ok, answer) = answer(&state);
            if let Err(e) = journal.end(seq, ok, answer, Some(after_id.as_str()), after_rule) {
                journal_errors.push(e.to_string());
            }
        }
        if let Some(id) = s.created {
            created.insert(s.index, id);
        }
        emit(s.index, &state);
        states[s.index] = state;
    }
    let applied = states
        .iter()
        .filter(|s| matches!(s, StepState::Applied))
        .count();
    let tried = states
        .iter()
        .filter(|s| !matches!(s, StepState::NotSent(_)))
        .count();
    if let Err(e) = journal.end_group(group, applied, tried) {
        journal_errors.push(e.to_string());
    }

    let steps = steps
        .iter()
        .zip(states)
        .enumerate()
        .map(|(i, (step, state))| {
            let look = |id: &Id| match &after {
                Err(_) => Now::Unread,
                Ok(m) => m
                    .get(id)
                    .map_or(Now::Gone, |r| Now::Is(Box::new(r.clone()))),
            };
            StepReport {
                id: step.id.clone(),
                name: step.rule.name.clone(),
                state,
                now: look(&step.id),
                copy: created.get(&i).map(look),
                edited: step.edits.iter().map(|e| e.number).collect(),
            }
        })
        .collect();
    Ok(Report {
        label,
        group,
        steps,
        unread: after.err().map(|e| e.to_string()),
        journal_errors,
    })
}

/// The module's rules by id.
async fn read_rules(
    client: &Client,
    modules: &BTreeSet<&str>,
) -> Result<HashMap<Id, ScoringRule>, ApiError> {
    let lists = try_join_all(
        modules
            .iter()
            .map(|m| async move { client.list_rules(&RuleFilter::module(m)).await }),
    )
    .await?;
    Ok(lists
        .into_iter()
        .flatten()
        .filter_map(|r| Some((r.id.clone()?, r)))
        .collect())
}

/// The requests that carry the ready steps: deletes as many ids as `ids` holds, score edits 25
/// rules per update, the rest one rule per request (Zoho has no bulk form of them).
fn requests(op: &Operation, steps: &[Step], ready: &[usize]) -> Vec<Request> {
    let mut out: Vec<Request> = Vec::new();
    match op {
        Operation::Delete => {
            let mut chars = 0;
            for &i in ready {
                let len = steps[i].id.as_str().len() + 1;
                match out.last_mut() {
                    Some(r) if chars + len <= MAX_IDS_CHARS + 1 => {
                        r.steps.push(i);
                        chars += len;
                    }
                    _ => {
                        out.push(Request { steps: vec![i] });
                        chars = len;
                    }
                }
            }
        }
        Operation::SetScore(_) => out.extend(
            ready
                .chunks(MAX_RULES_PER_UPDATE)
                .map(|c| Request { steps: c.to_vec() }),
        ),
        _ => out.extend(ready.iter().map(|&i| Request { steps: vec![i] })),
    }
    out
}

/// Journals and sends one request; a step whose entry cannot be journaled is not sent.
#[allow(clippy::too_many_arguments)]
async fn send(
    client: &Client,
    journal: &Journal,
    group: u64,
    op: &Operation,
    steps: &[Step],
    before: &HashMap<Id, ScoringRule>,
    request: &Request,
    emit: &(impl Fn(usize, &StepState) + Sync),
) -> Vec<Sent> {
    let mut out = Vec::new();
    // Past the command's time budget the call would give up before it is sent: journal no
    // write that never went out.
    if client.budget_spent() {
        return request
            .steps
            .iter()
            .map(|&i| Sent {
                index: i,
                seq: None,
                state: StepState::NotSent(
                    "the command's time budget ran out (--timeout sets it)".into(),
                ),
                created: None,
            })
            .collect();
    }
    let mut sending = Vec::new();
    for &i in &request.steps {
        let step = &steps[i];
        let was = before
            .get(&step.id)
            .and_then(|r| serde_json::to_value(r).ok());
        match journal.start_in(
            Some(group),
            op.journal_op(),
            Some(step.id.as_str()),
            Some(&step.rule.name),
            was,
            step.item.clone(),
        ) {
            Ok(seq) => {
                emit(i, &StepState::Sending);
                sending.push((i, seq));
            }
            Err(e) => out.push(Sent {
                index: i,
                seq: None,
                state: StepState::NotSent(format!("{e}")),
                created: None,
            }),
        }
    }
    let Some(&(first, _)) = sending.first() else {
        return out;
    };
    let id = &steps[first].id;
    let answers: Result<Vec<ItemResult>, ApiError> = match op {
        Operation::Activate => client.activate(id).await.map(|s| vec![Ok(s)]),
        Operation::Deactivate => client.deactivate(id).await.map(|s| vec![Ok(s)]),
        Operation::Clone => client.clone_rule(id).await.map(|s| vec![Ok(s)]),
        Operation::Delete => {
            let ids: Vec<Id> = sending.iter().map(|(i, _)| steps[*i].id.clone()).collect();
            client.delete_rules(&ids).await
        }
        Operation::SetScore(_) => {
            let items: Vec<Value> = sending
                .iter()
                .filter_map(|(i, _)| steps[*i].item.clone())
                .collect();
            client.update_rules(&items).await
        }
    };
    for (n, (i, seq)) in sending.into_iter().enumerate() {
        let (state, created) = match &answers {
            // A refusal of the whole request (a single-rule call's refusal comes back so) is
            // every rule's answer: Zoho did none of it.
            Err(ApiError::Zoho(z)) => (
                StepState::Refused {
                    code: z.code.clone(),
                    message: z.message.clone(),
                },
                None,
            ),
            Err(e) => (StepState::Unknown(e.to_string()), None),
            Ok(items) => match item_for(items, n, &steps[i].id, op) {
                Some(Ok(s)) => (
                    StepState::Applied,
                    if matches!(op, Operation::Clone) {
                        s.id()
                    } else {
                        None
                    },
                ),
                Some(Err(z)) => (
                    StepState::Refused {
                        code: z.code.clone(),
                        message: z.message.clone(),
                    },
                    None,
                ),
                None => (StepState::Unknown("no answer for this rule".into()), None),
            },
        };
        emit(i, &state);
        out.push(Sent {
            index: i,
            seq: Some(seq),
            state,
            created,
        });
    }
    out
}

/// The answer item for the `n`-th rule of a request: found by its id where the items name one
/// (a delete's refusals name only the id), else by position.
fn item_for<'a>(
    items: &'a [ItemResult],
    n: usize,
    id: &Id,
    op: &Operation,
) -> Option<&'a ItemResult> {
    if matches!(op, Operation::Clone) {
        return items.first();
    }
    let named = |r: &ItemResult| {
        let details = match r {
            Ok(s) => &s.details,
            Err(z) => &z.details,
        };
        details.get("id").and_then(crate::domain::id::id_from_json)
    };
    items
        .iter()
        .find(|r| named(r).as_ref() == Some(id))
        .or_else(|| items.get(n).filter(|r| named(r).is_none()))
}

/// A step's state given the rule as it is now: an answer lost on the way, or a delete refused
/// because a lost answer's retry found the rule already gone, is settled by what exists.
fn settle(op: &Operation, step: &Step, state: StepState, now: Option<&ScoringRule>) -> StepState {
    let unsure = match &state {
        StepState::Unknown(_) => true,
        StepState::Refused { code, .. } => {
            code == "INVALID_DATA" && matches!(op, Operation::Delete)
        }
        _ => false,
    };
    if !unsure {
        return state;
    }
    let done = match (op, now) {
        (Operation::Delete, None) => Some(true),
        (Operation::Delete, Some(_)) => Some(false),
        (Operation::Activate, Some(r)) => Some(r.active),
        (Operation::Deactivate, Some(r)) => Some(!r.active),
        (Operation::SetScore(c), Some(r)) => Some(step.edits.iter().all(|e| {
            r.field_rules
                .get(e.number - 1)
                .is_some_and(|f| f.score == c.to)
        })),
        _ => None,
    };
    match (done, state) {
        (Some(true), _) => StepState::Applied,
        (Some(false), StepState::Unknown(why)) => {
            StepState::Failed(format!("{why}; the rule is unchanged"))
        }
        (_, state) => state,
    }
}

/// The journal's record of a step's answer.
fn answer(state: &StepState) -> (bool, Value) {
    match state {
        StepState::Applied => (true, json!({"code": "SUCCESS"})),
        StepState::Refused { code, message } => (false, json!({"code": code, "message": message})),
        // Found unchanged after a lost answer: nothing happened, as with a refusal.
        StepState::Failed(why) => (false, json!({"code": "NOT_APPLIED", "message": why})),
        // No answer came: neither done nor refused, as `journal::describe` tells it.
        StepState::Unknown(why) => (false, json!({"error": why, "unanswered": true})),
        StepState::NotSent(why) => (false, json!({"error": why})),
        StepState::Queued | StepState::Sending => (false, json!({"error": "no answer"})),
    }
}
