//! Journaled writes in batches, as Zoho takes them: creates 20 per request, updates 25, deletes
//! by id lists (`ids` of at most 255 characters). Each rule still gets its own journal entry
//! with its state before and after, as a single write's; those states, and the guard against
//! someone else's change, come from one rule list per module per batch instead of a read per
//! rule. A batch whose answer is lost is judged by reading the rules again: a rule is updated
//! if it differs from before, deleted if gone; nothing is sent twice (a create's lost answer is
//! `create_rules`' to settle, by name). A write nobody could judge, because no answer came and
//! the rules could not be read again, is journaled as unanswered: outcome unknown, as a single
//! write's (`Outcome::unanswered`).

use std::collections::{BTreeSet, HashMap};

use serde_json::{Value, json};

use super::writes::{JournaledClient, error_answer, unanswered};
use crate::api::rules::is_ambiguous;
use crate::api::{ApiError, Conflict, ItemResult, RuleFilter};
use crate::domain::conflict::{changed_since, differing_fields};
use crate::domain::edition::{MAX_RULES_PER_CREATE, MAX_RULES_PER_UPDATE};
use crate::domain::{Id, ScoringRule};

/// Zoho's `ids` parameter holds at most 255 characters (OAS-new).
const MAX_IDS_CHARS: usize = 255;

/// One rule to update or delete: its module (whose list gives its state), the request body
/// (updates), and the rule as the caller loaded it, for the guard (`None`: overwrite).
#[derive(Clone)]
pub struct Target<'a> {
    pub id: &'a Id,
    pub module: &'a str,
    pub body: Option<&'a Value>,
    pub base: Option<&'a ScoringRule>,
}

/// A rule a batch wrote: its id and, read back after the write, its modification time.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    pub id: Id,
    pub modified_time: Option<String>,
}

/// What happened to one rule of a batch, or why it was not written.
pub type Outcome = Result<Written, String>;

impl JournaledClient<'_> {
    /// The rules of `modules` as the server has them now, by id: one list per module.
    async fn rules_of(
        &self,
        modules: &BTreeSet<&str>,
    ) -> Result<HashMap<Id, ScoringRule>, ApiError> {
        let mut out = HashMap::new();
        for m in modules {
            for r in self.client.list_rules(&RuleFilter::module(m)).await? {
                if let Some(id) = r.id.clone() {
                    out.insert(id, r);
                }
            }
        }
        Ok(out)
    }

    /// Creates `items` (create bodies) 20 per request; one outcome per item, in order.
    pub async fn create_batch(&self, items: &[&Value]) -> Vec<Outcome> {
        let mut out = Vec::with_capacity(items.len());
        for chunk in items.chunks(MAX_RULES_PER_CREATE) {
            out.extend(self.create_chunk(chunk).await);
        }
        out
    }

    async fn create_chunk(&self, chunk: &[&Value]) -> Vec<Outcome> {
        let mut seqs = Vec::with_capacity(chunk.len());
        for item in chunk {
            let name = item.get("name").and_then(Value::as_str);
            match self
                .journal
                .start("create", None, name, None, Some((*item).clone()))
            {
                Ok(seq) => seqs.push(seq),
                Err(e) => return vec![Err(format!("{e}; nothing was sent")); chunk.len()],
            }
        }
        let bodies: Vec<Value> = chunk.iter().map(|v| (*v).clone()).collect();
        // `create_rules` never sends a create twice: after a lost answer it looks the rules
        // up by name and re-sends only the missing ones.
        let results: Vec<ItemResult> = match self.client.create_rules(&bodies).await {
            Ok(r) => r,
            Err(e) => {
                let answer = error_answer(&e);
                for seq in &seqs {
                    let _ = self.journal.end(*seq, false, answer.clone(), None, None);
                }
                return vec![Err(e.to_string()); chunk.len()];
            }
        };
        let modules: BTreeSet<&str> = chunk
            .iter()
            .filter_map(|i| i.pointer("/module/api_name").and_then(Value::as_str))
            .collect();
        let after = self.rules_of(&modules).await.unwrap_or_default();
        let mut out = Vec::with_capacity(chunk.len());
        for (k, seq) in seqs.into_iter().enumerate() {
            let result = results.get(k).cloned().unwrap_or_else(|| {
                Err(crate::api::ZohoError {
                    status: 0,
                    code: "NO_ANSWER".into(),
                    message: "no answer for this item".into(),
                    details: Value::Null,
                })
            });
            let (ok, answer, id) = match &result {
                Ok(s) => (
                    true,
                    json!({"code": s.code, "message": s.message, "details": s.details}),
                    s.id(),
                ),
                Err(z) => (
                    false,
                    json!({"code": z.code, "message": z.message, "details": z.details}),
                    None,
                ),
            };
            let state = id
                .as_ref()
                .and_then(|i| after.get(i))
                .and_then(|r| serde_json::to_value(r).ok());
            let ended = self
                .journal
                .end(seq, ok, answer, id.as_ref().map(Id::as_str), state);
            let modified_time = id
                .as_ref()
                .and_then(|i| after.get(i))
                .and_then(|r| r.modified_time.clone());
            out.push(match (result, id, ended) {
                (Ok(_), Some(id), Ok(())) => Ok(Written { id, modified_time }),
                (Ok(_), Some(id), Err(e)) => Err(format!("created as {id}, but {e}")),
                (Ok(_), None, _) => Err("the answer named no rule id".into()),
                (Err(z), _, _) => Err(z.to_string()),
            });
        }
        out
    }

    /// Updates `targets` (each with a body) 25 per request; a rule changed or deleted since
    /// its base is left alone and reported, unless it has no base.
    pub async fn update_batch(&self, targets: &[Target<'_>]) -> Vec<Outcome> {
        let mut out = Vec::with_capacity(targets.len());
        for chunk in targets.chunks(MAX_RULES_PER_UPDATE) {
            out.extend(self.write_chunk(chunk, Op::Update).await);
        }
        out
    }

    /// Deletes `targets` by id lists; guarded like `update_batch`.
    pub async fn delete_batch(&self, targets: &[Target<'_>]) -> Vec<Outcome> {
        let mut out = Vec::with_capacity(targets.len());
        let mut start = 0;
        while start < targets.len() {
            let mut end = start;
            let mut chars = 0;
            while end < targets.len() {
                let extra = targets[end].id.as_str().len() + usize::from(end > start);
                if end > start && chars + extra > MAX_IDS_CHARS {
                    break;
                }
                chars += extra;
                end += 1;
            }
            out.extend(self.write_chunk(&targets[start..end], Op::Delete).await);
            start = end;
        }
        out
    }

    async fn write_chunk(&self, chunk: &[Target<'_>], op: Op) -> Vec<Outcome> {
        let modules: BTreeSet<&str> = chunk.iter().map(|t| t.module).collect();
        let before = match self.rules_of(&modules).await {
            Ok(b) => b,
            Err(e) => return vec![Err(format!("{e}; nothing was sent")); chunk.len()],
        };
        let mut out: Vec<Option<Outcome>> = Vec::with_capacity(chunk.len());
        // (position in the chunk, journal entry, the rule before)
        let mut sent: Vec<(usize, u64, &ScoringRule)> = Vec::new();
        for (k, t) in chunk.iter().enumerate() {
            let Some(now) = before.get(t.id) else {
                out.push(Some(Err(format!(
                    "rule {} was deleted since it was loaded; nothing was sent",
                    t.id
                ))));
                continue;
            };
            if let Some(base) = t.base
                && changed_since(base, now)
            {
                let c = Conflict {
                    base: base.clone(),
                    theirs: now.clone(),
                };
                out.push(Some(Err(format!(
                    "rule {} was changed since it was loaded ({}); nothing was sent",
                    t.id,
                    c.describe()
                ))));
                continue;
            }
            match self.journal.start(
                op.name(),
                Some(t.id.as_str()),
                Some(&now.name),
                serde_json::to_value(now).ok(),
                t.body.cloned(),
            ) {
                Ok(seq) => sent.push((k, seq, now)),
                Err(e) => {
                    out.push(Some(Err(format!("{e}; nothing was sent"))));
                    continue;
                }
            }
            out.push(None);
        }
        if sent.is_empty() {
            return out.into_iter().flatten().collect();
        }
        let answers = self.send(chunk, &sent, op).await;
        // The outcome is what the org holds now, whatever the answer said.
        let after = self.rules_of(&modules).await;
        for ((k, seq, was), answer) in sent.into_iter().zip(answers) {
            let id = chunk[k].id;
            let now = after.as_ref().ok().and_then(|a| a.get(id));
            let done = match (op, &after) {
                (_, Err(_)) => answer.ok,
                (Op::Delete, Ok(_)) => now.is_none(),
                (Op::Update, Ok(_)) => now.is_some_and(|n| {
                    n.modified_time != was.modified_time || !differing_fields(was, n).is_empty()
                }),
            };
            // Judged by reading back: what the org holds is the outcome, answer or not.
            let mut journal = answer.journal.clone();
            if after.is_ok()
                && let Some(o) = journal.as_object_mut()
            {
                o.remove("unanswered");
            }
            let state = match op {
                Op::Update => now.and_then(|r| serde_json::to_value(r).ok()),
                Op::Delete => None,
            };
            let ended = self
                .journal
                .end(seq, done, journal, Some(id.as_str()), state);
            out[k] = Some(match (done, ended) {
                (true, Ok(())) => Ok(Written {
                    id: id.clone(),
                    modified_time: now.and_then(|r| r.modified_time.clone()),
                }),
                (true, Err(e)) => Err(format!("{} {id}, but {e}", op.done())),
                (false, _) => Err(answer.message),
            });
        }
        out.into_iter().flatten().collect()
    }

    /// Sends one request for the rules of `sent`; each rule's answer.
    async fn send(
        &self,
        chunk: &[Target<'_>],
        sent: &[(usize, u64, &ScoringRule)],
        op: Op,
    ) -> Vec<Answer> {
        let result = match op {
            Op::Update => {
                let items: Vec<Value> = sent
                    .iter()
                    .map(|(k, _, _)| {
                        let t = &chunk[*k];
                        let mut body = t.body.cloned().unwrap_or_else(|| json!({}));
                        if let Some(o) = body.as_object_mut() {
                            o.insert("id".into(), json!(t.id));
                        }
                        body
                    })
                    .collect();
                self.client.update_rules_once(&items).await
            }
            Op::Delete => {
                let ids: Vec<Id> = sent.iter().map(|(k, _, _)| chunk[*k].id.clone()).collect();
                self.client.delete_rules(&ids).await
            }
        };
        match result {
            Ok(items) => (0..sent.len())
                .map(|i| match items.get(i) {
                    Some(Ok(s)) => Answer {
                        ok: true,
                        journal: json!({"code": s.code, "message": s.message, "details": s.details}),
                        message: s.message.clone(),
                    },
                    Some(Err(z)) => Answer {
                        ok: false,
                        journal: json!({"code": z.code, "message": z.message, "details": z.details}),
                        message: z.to_string(),
                    },
                    None => Answer {
                        ok: false,
                        journal: json!({"error": "no answer for this item"}),
                        message: "no answer for this item".into(),
                    },
                })
                .collect(),
            Err(e) => {
                let message = if is_ambiguous(&e) || unanswered(&e) {
                    format!("{e} (the answer was lost; run the import again to finish)")
                } else {
                    e.to_string()
                };
                let journal = error_answer(&e);
                (0..sent.len())
                    .map(|_| Answer {
                        ok: false,
                        journal: journal.clone(),
                        message: message.clone(),
                    })
                    .collect()
            }
        }
    }
}

/// One rule's answer in a batch: as the journal records it and as a person reads it.
struct Answer {
    ok: bool,
    journal: Value,
    message: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Update,
    Delete,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Op::Update => "updated",
            Op::Delete => "deleted",
        }
    }
}
