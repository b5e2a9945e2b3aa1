//! A journal entry in the words a person reads, the same in `zscore history`, the TUI's `H` and
//! its undo confirmation: the outcome (applied, refused with Zoho's code, or unknown), what the
//! write changed (only if it took effect, and a deletion only for a delete) and what reverting
//! it will change, all through `rule_diff`.

use serde_json::Value;

use super::Entry;
use super::group::GROUP_OP;
use crate::display::sanitize;
use crate::domain::{OrgSnapshot, ScoringRule};
use crate::rule_diff::{self, Change, DiffLine, Names};

/// How a journaled write ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Zoho accepted it: the change took effect.
    Applied,
    /// Zoho answered with an error: nothing changed.
    Refused { code: String, message: String },
    /// No answer was recorded (zscore stopped in between) or the request failed on the way
    /// (a timeout, a dropped connection): it may or may not have taken effect.
    Unknown { why: String },
}

impl Outcome {
    pub fn of(e: &Entry) -> Outcome {
        let Some(o) = &e.outcome else {
            return Outcome::Unknown {
                why: "no answer recorded (zscore stopped before it)".into(),
            };
        };
        if o.ok {
            return Outcome::Applied;
        }
        if o.unanswered() {
            return Outcome::Unknown {
                why: format!("no answer came ({})", super::answer_text(&o.answer)),
            };
        }
        let text = |k: &str| o.answer.get(k).and_then(Value::as_str).map(sanitize);
        match (text("code"), text("message")) {
            (Some(code), message) => Outcome::Refused {
                code,
                message: message.unwrap_or_default(),
            },
            (None, _) => Outcome::Unknown {
                why: text("error").unwrap_or_else(|| sanitize(&o.answer.to_string())),
            },
        }
    }

    pub fn applied(&self) -> bool {
        matches!(self, Outcome::Applied)
    }

    /// `applied`, `refused: LIMIT_EXCEEDED (More than 10 …)`, `outcome unknown: …; check the rule`.
    pub fn text(&self) -> String {
        match self {
            Outcome::Applied => "applied".into(),
            Outcome::Refused { code, message } if message.trim().is_empty() => {
                format!("refused: {code}")
            }
            Outcome::Refused { code, message } => {
                format!("refused: {code} ({})", message.trim_end_matches('.'))
            }
            Outcome::Unknown { why } => format!("outcome unknown: {why}; check the rule"),
        }
    }
}

fn rule(v: Option<&Value>) -> Option<ScoringRule> {
    serde_json::from_value(v?.clone()).ok()
}

fn before(e: &Entry) -> Option<ScoringRule> {
    rule(e.before.as_ref())
}

fn after(e: &Entry) -> Option<ScoringRule> {
    rule(e.outcome.as_ref().and_then(|o| o.after.as_ref()))
}

/// The module the entry's rule belongs to, for its field and layout names.
pub fn module(e: &Entry) -> Option<String> {
    let after = e.outcome.as_ref().and_then(|o| o.after.as_ref());
    [e.before.as_ref(), after, e.request.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|v| {
            v.get("module")?
                .get("api_name")?
                .as_str()
                .map(str::to_string)
        })
}

fn names<'a>(e: &Entry, snapshot: Option<&'a OrgSnapshot>) -> Names<'a> {
    match module(e) {
        Some(m) => Names::of(snapshot, &m),
        None => Names::none(),
    }
}

/// The rule's name as the entry knows it.
pub fn rule_name(e: &Entry) -> String {
    let after = e.outcome.as_ref().and_then(|o| o.after.as_ref());
    let named = |v: Option<&Value>| v?.get("name")?.as_str().map(str::to_string);
    let name = e
        .rule_name
        .clone()
        .or_else(|| named(e.request.as_ref()))
        .or_else(|| named(after))
        .unwrap_or_default();
    sanitize(&name)
}

/// What the write was, as a verb on the rule: `edit “Inbound Demand”`.
pub fn action(e: &Entry) -> String {
    let verb = match e.op.as_str() {
        "update" => "edit",
        other => other,
    };
    format!("{} “{}”", sanitize(verb), rule_name(e))
}

/// What the write changed, read from the rule before and after it. Nothing for a refused write
/// (a refused clone is no deletion, a refused edit no edit); for one that got no answer, the
/// difference to the rule as read afterwards.
pub fn changes(e: &Entry, snapshot: Option<&OrgSnapshot>) -> Vec<DiffLine> {
    match Outcome::of(e) {
        Outcome::Applied => {}
        // A write with no answer records the rule as read afterwards: what it shows is what
        // the org holds now, whoever made it so.
        Outcome::Unknown { .. } if after(e).is_some() => {}
        _ => return Vec::new(),
    }
    let names = names(e, snapshot);
    match e.op.as_str() {
        "create" => rule_diff::diff(None, after(e).as_ref(), names),
        "clone" => match after(e) {
            Some(copy) => vec![DiffLine {
                change: Change::Added,
                text: format!(
                    "rule “{}”, a copy of “{}”, starts {}",
                    sanitize(&copy.name),
                    rule_name(e),
                    if copy.active { "active" } else { "inactive" }
                ),
            }],
            None => Vec::new(),
        },
        "delete" => rule_diff::diff(before(e).as_ref(), None, names),
        _ => rule_diff::diff(before(e).as_ref(), after(e).as_ref(), names),
    }
}

/// The entry as text, as `zscore history` prints it: `#12 <time> edit “X” (rule 58…) — applied`,
/// then each change indented, in the save review's words.
pub fn text_lines(e: &Entry, snapshot: Option<&OrgSnapshot>) -> Vec<String> {
    if e.op == GROUP_OP {
        return vec![group_line(e)];
    }
    let group = e
        .group
        .map_or_else(String::new, |g| format!(" in group #{g}"));
    let rule = e
        .rule_id
        .clone()
        .or_else(|| e.outcome.as_ref().and_then(|o| o.rule_id.clone()))
        .map_or_else(String::new, |id| format!(" (rule {})", sanitize(&id)));
    let mut out = vec![format!(
        "#{} {} {}{rule}{group} — {}",
        e.seq,
        sanitize(&e.time),
        action(e),
        Outcome::of(e).text()
    )];
    out.extend(
        changes(e, snapshot)
            .iter()
            .map(|l| format!("    {}", l.signed())),
    );
    out
}

/// A group entry (a bulk change) in a line: its label, how many of its writes took effect
/// (each is listed on its own, naming the group) and how to undo them.
fn group_line(e: &Entry) -> String {
    let tally = e
        .outcome
        .as_ref()
        .and_then(|o| o.answer.get("message"))
        .and_then(Value::as_str)
        .map(sanitize);
    let outcome = match (Outcome::of(e), tally) {
        (Outcome::Applied, Some(t)) => format!(
            "applied ({t}); `zscore revert {}` undoes them as one",
            e.seq
        ),
        (Outcome::Applied, None) => format!("applied; `zscore revert {}` undoes it", e.seq),
        (Outcome::Refused { .. }, Some(t)) => format!("nothing applied ({t})"),
        (Outcome::Refused { .. }, None) => "nothing applied".into(),
        (Outcome::Unknown { .. }, _) => {
            "unfinished: zscore stopped before every write was answered; see its writes".into()
        }
    };
    format!(
        "#{} {} group “{}” — {outcome}",
        e.seq,
        sanitize(&e.time),
        rule_name(e)
    )
}

/// What reverting the entry does, in a line: the undo confirmation's heading for it.
pub fn revert_text(e: &Entry) -> String {
    let name = rule_name(e);
    let made = e
        .outcome
        .as_ref()
        .and_then(|o| o.rule_id.clone())
        .unwrap_or_default();
    // The rule as the write left it: the name it has now, unless changed since.
    let now = after(e).map_or_else(|| name.clone(), |r| sanitize(&r.name));
    match e.op.as_str() {
        "create" => format!("delete “{now}” (rule {made}), which it created"),
        "clone" => format!("delete the copy “{now}” (rule {made}), which it created"),
        "delete" => match before(e) {
            Some(r) if !r.custom_fields.is_empty() => format!(
                "re-create “{name}” under a new id; its custom fields come back empty (their data went with the rule)"
            ),
            _ => format!("re-create “{name}” under a new id"),
        },
        "update" => format!("put “{now}” back as it was before the edit"),
        "activate" => format!("deactivate “{now}” again"),
        "deactivate" => format!("activate “{now}” again"),
        GROUP_OP => format!("revert every write of group “{name}” that took effect"),
        other => format!("cannot revert a {:?} entry", sanitize(other)),
    }
}

/// What reverting the entry changes: the write's change read backwards (the rule after it
/// becomes the rule before it), so an undone deactivation reads `state inactive → active`.
pub fn revert_changes(e: &Entry, snapshot: Option<&OrgSnapshot>) -> Vec<DiffLine> {
    if !Outcome::of(e).applied() {
        return Vec::new();
    }
    let names = names(e, snapshot);
    let (before, after) = (before(e), after(e));
    match (e.op.as_str(), before, after) {
        ("create" | "clone", _, after) => rule_diff::diff(after.as_ref(), None, names),
        ("delete", before, _) => rule_diff::diff(None, before.as_ref(), names),
        // `JournaledClient::revert` restores these parts of an edit, and no others.
        ("update", Some(b), Some(a)) => {
            let restored = ScoringRule {
                layout: a.layout.clone(),
                custom_fields: a.custom_fields.clone(),
                ..b
            };
            rule_diff::diff(Some(&a), Some(&restored), names)
        }
        // An undone (de)activation sets the state back, nothing else.
        (_, Some(b), Some(a)) => {
            let restored = ScoringRule {
                active: b.active,
                ..a.clone()
            };
            rule_diff::diff(Some(&a), Some(&restored), names)
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests;
