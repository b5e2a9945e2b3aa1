//! What changed between two versions of a rule, in words: `~ field rule 2: score +15 → +30`.
//! One function for every place that shows a change (the rule form's save review, a rule's
//! history in `H` and `zscore history`, the undo confirmation), so they all read alike. Names
//! come from the org's metadata when it is at hand, API names otherwise. Sub-items are paired
//! by id, else by content (a revert replaces whole lists, so ids change while content does not).

pub mod text;

use crate::display::sanitize;
use crate::domain::evaluate::{condition_text, criteria_text};
use crate::domain::metadata::{Module, ModuleSchema, Signal};
use crate::domain::pattern;
use crate::domain::rule::{CustomField, LayoutRef, SignalRef};
use crate::domain::{Criteria, Id, OrgSnapshot, ScoringRule};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn sign(self) -> char {
        match self {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffLine {
    pub change: Change,
    pub text: String,
}

impl DiffLine {
    /// The line with its sign, as plain text shows it: `~ name “A” → “B”`.
    pub fn signed(&self) -> String {
        format!("{} {}", self.change.sign(), self.text)
    }
}

fn line(change: Change, text: String) -> DiffLine {
    DiffLine { change, text }
}

/// What names a rule's parts: its module's fields and layouts, the org's signals. Without a
/// schema (the metadata could not be read), fields and layouts go by their API names.
#[derive(Clone, Copy, Debug)]
pub struct Names<'a> {
    pub schema: Option<&'a ModuleSchema>,
    pub signals: &'a [Signal],
}

impl<'a> Names<'a> {
    /// The names of `module` in `snapshot`, or API names when there is none.
    pub fn of(snapshot: Option<&'a OrgSnapshot>, module: &str) -> Names<'a> {
        Names {
            schema: snapshot.and_then(|s| s.module(module)),
            signals: snapshot.map_or(&[], |s| s.signals.as_slice()),
        }
    }

    /// API names only.
    pub fn none() -> Names<'static> {
        Names {
            schema: None,
            signals: &[],
        }
    }

    fn criteria(&self, c: &Criteria) -> String {
        match self.schema {
            Some(schema) => sanitize(&criteria_text(c, schema)),
            None => sanitize(&criteria_text(c, &no_fields())),
        }
    }

    fn condition(&self, c: &crate::domain::rule::Condition) -> String {
        match self.schema {
            Some(schema) => sanitize(&condition_text(c, schema)),
            None => sanitize(&condition_text(c, &no_fields())),
        }
    }

    fn signal(&self, r: &SignalRef) -> String {
        self.signals.iter().find(|s| s.id == r.id).map_or_else(
            || sanitize(&format!("signal {}", r.id)),
            |s| sanitize(&s.full_label()),
        )
    }

    fn layout(&self, l: Option<&LayoutRef>) -> String {
        let Some(l) = l else {
            return "every layout".into();
        };
        let label = self
            .schema
            .and_then(|s| s.layout(&l.id))
            .map(|x| x.label().to_string())
            .or_else(|| l.display_label.clone())
            .or_else(|| l.api_name.clone())
            .unwrap_or_else(|| l.id.to_string());
        sanitize(&label)
    }
}

/// A schema with no fields: criteria read with API names.
fn no_fields() -> ModuleSchema {
    ModuleSchema {
        module: Module {
            id: Id::default(),
            api_name: String::new(),
            module_name: None,
            singular_label: None,
            plural_label: None,
            generated_type: None,
            api_supported: None,
            scoring_supported: None,
            visible: None,
            creatable: None,
            editable: None,
            status: None,
        },
        layouts: Vec::new(),
        fields: Vec::new(),
    }
}

fn score(s: i64) -> String {
    format!("{s:+}")
}

fn quoted(s: &str) -> String {
    format!("“{s}”")
}

/// One text on its own (a new rule's name), cut like a change's side when it is long.
fn shown(s: &str) -> String {
    quoted(&text::excerpts("", s).1)
}

/// `“before” → “after”`, each side cut around the change (see `text::excerpts`).
fn text_change(before: &str, after: &str) -> String {
    let (b, a) = text::excerpts(before, after);
    format!("{} → {}", quoted(&b), quoted(&a))
}

fn state(active: bool) -> &'static str {
    if active { "active" } else { "inactive" }
}

/// The changes from `before` to `after`: `None` before is a new rule (what it starts with),
/// `None` after a deleted one.
pub fn diff(
    before: Option<&ScoringRule>,
    after: Option<&ScoringRule>,
    names: Names,
) -> Vec<DiffLine> {
    match (before, after) {
        (None, None) => Vec::new(),
        (None, Some(a)) => created(a, names),
        (Some(b), None) => deleted(b),
        (Some(b), Some(a)) => changed(b, a, names),
    }
}

fn created(after: &ScoringRule, names: Names) -> Vec<DiffLine> {
    let mut out = vec![line(Change::Added, format!("name {}", shown(&after.name)))];
    if let Some(d) = after.description.as_deref().filter(|d| !d.is_empty()) {
        out.push(line(Change::Added, format!("description {}", shown(d))));
    }
    out.push(line(
        Change::Added,
        format!("starts {}", state(after.active)),
    ));
    let field_rules = after.field_rules.iter().map(|fr| {
        let when = names.criteria(&fr.criteria);
        format!("field rule {} when {when}", score(fr.score))
    });
    let signal_rules = after.signal_rules.iter().map(|s| {
        let on = names.signal(&s.signal);
        format!("signal rule {} on {on}", score(s.score))
    });
    let custom_fields = after.custom_fields.iter().map(custom_text);
    let parts = field_rules.chain(signal_rules).chain(custom_fields);
    out.extend(parts.map(|text| line(Change::Added, text)));
    out
}

fn deleted(before: &ScoringRule) -> Vec<DiffLine> {
    let mut text = format!("rule {}", shown(&before.name));
    if !before.custom_fields.is_empty() {
        let labels: Vec<String> = before.custom_fields.iter().map(custom_label).collect();
        text.push_str(&format!(
            " and its custom field(s) {} with their data",
            labels.join(", ")
        ));
    }
    vec![line(Change::Removed, text)]
}

fn changed(before: &ScoringRule, after: &ScoringRule, names: Names) -> Vec<DiffLine> {
    let mut out = Vec::new();
    if before.name != after.name {
        let text = format!("name {}", text_change(&before.name, &after.name));
        out.push(line(Change::Changed, text));
    }
    let desc = |r: &ScoringRule| r.description.clone().unwrap_or_default();
    if desc(before) != desc(after) {
        let text = format!("description {}", text_change(&desc(before), &desc(after)));
        out.push(line(Change::Changed, text));
    }
    if before.layout_id() != after.layout_id() {
        let text = format!(
            "layout {} → {}",
            names.layout(before.layout.as_ref()),
            names.layout(after.layout.as_ref())
        );
        out.push(line(Change::Changed, text));
    }
    if before.active != after.active {
        let text = format!("state {} → {}", state(before.active), state(after.active));
        out.push(line(Change::Changed, text));
    }
    field_rules(before, after, names, &mut out);
    signal_rules(before, after, names, &mut out);
    custom_fields(before, after, &mut out);
    out
}

/// For each item of `after`, the index of the item of `before` it is a version of: the same
/// id, else an unpaired item with the same content.
fn pair<T>(
    before: &[T],
    after: &[T],
    id: impl Fn(&T) -> Option<&Id>,
    same: impl Fn(&T, &T) -> bool,
) -> Vec<Option<usize>> {
    let mut taken = vec![false; before.len()];
    let mut out: Vec<Option<usize>> = after
        .iter()
        .map(|a| {
            let i = id(a).and_then(|x| before.iter().position(|b| id(b) == Some(x)))?;
            taken[i] = true;
            Some(i)
        })
        .collect();
    for (slot, a) in out.iter_mut().zip(after) {
        if slot.is_none()
            && let Some(i) = (0..before.len()).find(|&i| !taken[i] && same(&before[i], a))
        {
            taken[i] = true;
            *slot = Some(i);
        }
    }
    out
}

fn unpaired(len: usize, pairs: &[Option<usize>]) -> impl Iterator<Item = usize> + '_ {
    (0..len).filter(move |i| !pairs.contains(&Some(*i)))
}

fn field_rules(before: &ScoringRule, after: &ScoringRule, names: Names, out: &mut Vec<DiffLine>) {
    // Without ids (a rule read back from a file sends its field rules anew), a field rule is
    // paired by what its criteria say, and then by the criteria alone: a score change.
    let text = |c: &Criteria| names.criteria(c);
    let mut pairs = pair(
        &before.field_rules,
        &after.field_rules,
        |f| f.id.as_ref(),
        |b, a| {
            b.score == a.score
                && (b.criteria == a.criteria || text(&b.criteria) == text(&a.criteria))
        },
    );
    for (k, a) in after.field_rules.iter().enumerate() {
        if pairs.get(k).is_some_and(Option::is_none)
            && let Some(i) = (0..before.field_rules.len()).find(|&i| {
                !pairs.contains(&Some(i))
                    && text(&before.field_rules[i].criteria) == text(&a.criteria)
            })
        {
            pairs[k] = Some(i);
        }
    }
    for (n, (fr, old)) in after.field_rules.iter().zip(&pairs).enumerate() {
        let Some(old) = old.and_then(|i| before.field_rules.get(i)) else {
            let text = format!(
                "field rule {} when {}",
                score(fr.score),
                names.criteria(&fr.criteria)
            );
            out.push(line(Change::Added, text));
            continue;
        };
        if old.score != fr.score {
            let text = format!(
                "field rule {}: score {} → {}",
                n + 1,
                score(old.score),
                score(fr.score)
            );
            out.push(line(Change::Changed, text));
        }
        if old.criteria != fr.criteria && text(&old.criteria) != text(&fr.criteria) {
            criteria_change(n + 1, &old.criteria, &fr.criteria, names, out);
        }
    }
    for i in unpaired(before.field_rules.len(), &pairs) {
        let old = &before.field_rules[i];
        let text = format!(
            "field rule {} when {}",
            score(old.score),
            names.criteria(&old.criteria)
        );
        out.push(line(Change::Removed, text));
    }
}

/// A criteria change as the form makes it, in the form's terms where they say it shortly: only
/// the pattern (`pattern 1 OR (2 AND 3) → (1 OR 2) AND 3`), or only some conditions
/// (`condition 2: Title contains VP → Title contains CEO`); anything else as whole sentences.
fn criteria_change(
    n: usize,
    before: &Criteria,
    after: &Criteria,
    names: Names,
    out: &mut Vec<DiffLine>,
) {
    let (old_conditions, old_pattern) = pattern::split(before);
    let (new_conditions, new_pattern) = pattern::split(after);
    let old_texts: Vec<String> = old_conditions.iter().map(|c| names.condition(c)).collect();
    let new_texts: Vec<String> = new_conditions.iter().map(|c| names.condition(c)).collect();
    let changed = |text: String| line(Change::Changed, format!("field rule {n}: {text}"));
    if old_texts.len() > 1 && old_texts == new_texts && old_pattern != new_pattern {
        out.push(changed(format!(
            "pattern {} → {}",
            pattern::text(&old_pattern),
            pattern::text(&new_pattern)
        )));
    } else if old_texts.len() > 1
        && old_texts.len() == new_texts.len()
        && old_pattern == new_pattern
        && old_texts != new_texts
    {
        for (i, (b, a)) in old_texts.iter().zip(&new_texts).enumerate() {
            if b != a {
                out.push(changed(format!("condition {}: {b} → {a}", i + 1)));
            }
        }
    } else {
        out.push(changed(format!(
            "criteria {} → {}",
            names.criteria(before),
            names.criteria(after)
        )));
    }
}

fn signal_rules(before: &ScoringRule, after: &ScoringRule, names: Names, out: &mut Vec<DiffLine>) {
    let pairs = pair(
        &before.signal_rules,
        &after.signal_rules,
        |s| s.id.as_ref(),
        |b, a| b.score == a.score && b.signal == a.signal,
    );
    for (s, old) in after.signal_rules.iter().zip(&pairs) {
        let label = names.signal(&s.signal);
        match old.and_then(|i| before.signal_rules.get(i)) {
            None => out.push(line(
                Change::Added,
                format!("signal rule {} on {label}", score(s.score)),
            )),
            Some(old) if old.score != s.score || old.signal != s.signal => {
                let text = format!(
                    "signal rule {} on {} → {} on {label}",
                    score(old.score),
                    names.signal(&old.signal),
                    score(s.score)
                );
                out.push(line(Change::Changed, text));
            }
            Some(_) => {}
        }
    }
    for i in unpaired(before.signal_rules.len(), &pairs) {
        let old = &before.signal_rules[i];
        let text = format!(
            "signal rule {} on {}",
            score(old.score),
            names.signal(&old.signal)
        );
        out.push(line(Change::Removed, text));
    }
}

fn custom_fields(before: &ScoringRule, after: &ScoringRule, out: &mut Vec<DiffLine>) {
    let pairs = pair(
        &before.custom_fields,
        &after.custom_fields,
        |c| c.id.as_ref(),
        |b, a| b.field_label == a.field_label && b.reference_field == a.reference_field,
    );
    for (c, old) in after.custom_fields.iter().zip(&pairs) {
        match old.and_then(|i| before.custom_fields.get(i)) {
            None => out.push(line(Change::Added, custom_text(c))),
            Some(old) if old.field_label != c.field_label => {
                let text = format!("custom field {} → {}", custom_label(old), custom_label(c));
                out.push(line(Change::Changed, text));
            }
            Some(_) => {}
        }
    }
    for i in unpaired(before.custom_fields.len(), &pairs) {
        let text = format!(
            "{} (Zoho deletes its data)",
            custom_text(&before.custom_fields[i])
        );
        out.push(line(Change::Removed, text));
    }
}

fn custom_label(c: &CustomField) -> String {
    let label = c
        .field_label
        .as_deref()
        .or(c.api_name.as_deref())
        .unwrap_or("(unnamed)");
    quoted(&sanitize(label))
}

fn custom_text(c: &CustomField) -> String {
    let target = c
        .reference_field
        .as_ref()
        .and_then(|r| r.api_name.as_deref())
        .unwrap_or("?");
    format!(
        "custom field {} mapping {}",
        custom_label(c),
        sanitize(target)
    )
}

#[cfg(test)]
mod tests;
