//! Two admins, one rule: did someone else change it since I loaded it, and can their change and
//! mine both stand?
//!
//! Pure comparison of three versions of a rule, as a version-control merge does it:
//! - **base**: the rule as this client loaded it (what the user started editing from);
//! - **theirs**: the rule as the server has it now;
//! - **yours**: the rule as the user wants it.
//!
//! [`changed_since`] says whether the server's rule moved on from the base (its `modified_time`,
//! or its content when Zoho gives no timestamp).
//! [`three_way`] classifies every user-editable field ([`RuleField`]) and, when no field was
//! changed differently on both sides, gives the merged rule "theirs + mine".
//!
//! A three-way conflict view uses it like this:
//!
//! ```
//! # use zscore::domain::conflict::{three_way, FieldState};
//! # fn show(base: &zscore::domain::ScoringRule, theirs: &zscore::domain::ScoringRule,
//! #         yours: &zscore::domain::ScoringRule) {
//! let merge = three_way(base, theirs, yours);
//! for f in &merge.fields {
//!     // one row per field: f.field.label(), base / theirs / yours values, f.state
//!     let _ = (f.field.label(), f.state == FieldState::BothDifferent);
//! }
//! match &merge.merged {
//!     Some(rule) => { /* offer "re-apply theirs + mine": send `rule` with theirs as its new base */ let _ = rule; }
//!     None => { /* only "overwrite" (send yours with theirs as base) or "discard" */ }
//! }
//! # }
//! ```
//!
//! Granularity is the rule's top-level field: the field-rule list, say, is one field, so two
//! admins editing different field rules of one rule conflict. That is deliberate: criteria of one
//! rule interact (scores add up), so a silent per-item merge could produce a rule neither meant.

use std::fmt;

use super::rule::ScoringRule;

/// The parts of a rule a user edits. Ids, timestamps and authorship are not content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleField {
    Name,
    Description,
    Layout,
    Active,
    FieldRules,
    SignalRules,
    CustomFields,
}

impl RuleField {
    pub const ALL: [RuleField; 7] = [
        RuleField::Name,
        RuleField::Description,
        RuleField::Layout,
        RuleField::Active,
        RuleField::FieldRules,
        RuleField::SignalRules,
        RuleField::CustomFields,
    ];

    /// The field's wire name, as a person reads it in a message.
    pub fn label(self) -> &'static str {
        match self {
            RuleField::Name => "name",
            RuleField::Description => "description",
            RuleField::Layout => "layout",
            RuleField::Active => "active",
            RuleField::FieldRules => "field_rules",
            RuleField::SignalRules => "signal_rules",
            RuleField::CustomFields => "custom_fields",
        }
    }

    /// Whether `a` and `b` hold the same value in this field. Layouts compare by id (responses
    /// add labels a request does not carry); sub-rules compare without their ids, which the
    /// server assigns.
    pub fn same(self, a: &ScoringRule, b: &ScoringRule) -> bool {
        match self {
            RuleField::Name => a.name == b.name,
            RuleField::Description => {
                a.description.as_deref().unwrap_or("") == b.description.as_deref().unwrap_or("")
            }
            RuleField::Layout => a.layout_id() == b.layout_id(),
            RuleField::Active => a.active == b.active,
            RuleField::FieldRules => {
                a.field_rules.len() == b.field_rules.len()
                    && a.field_rules
                        .iter()
                        .zip(&b.field_rules)
                        .all(|(x, y)| x.score == y.score && x.criteria == y.criteria)
            }
            RuleField::SignalRules => {
                a.signal_rules.len() == b.signal_rules.len()
                    && a.signal_rules
                        .iter()
                        .zip(&b.signal_rules)
                        .all(|(x, y)| x.score == y.score && x.signal == y.signal)
            }
            RuleField::CustomFields => {
                a.custom_fields.len() == b.custom_fields.len()
                    && a.custom_fields
                        .iter()
                        .zip(&b.custom_fields)
                        .all(|(x, y)| custom_key(x) == custom_key(y))
            }
        }
    }

    /// Copies this field's value from `from` into `into`.
    fn copy(self, from: &ScoringRule, into: &mut ScoringRule) {
        match self {
            RuleField::Name => into.name = from.name.clone(),
            RuleField::Description => into.description = from.description.clone(),
            RuleField::Layout => into.layout = from.layout.clone(),
            RuleField::Active => into.active = from.active,
            RuleField::FieldRules => into.field_rules = from.field_rules.clone(),
            RuleField::SignalRules => into.signal_rules = from.signal_rules.clone(),
            RuleField::CustomFields => into.custom_fields = from.custom_fields.clone(),
        }
    }
}

impl fmt::Display for RuleField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A custom field is known by its api_name once created, by its label before.
fn custom_key(c: &super::rule::CustomField) -> (Option<&str>, Option<&str>) {
    (c.api_name.as_deref(), c.field_label.as_deref())
}

/// How one field moved from the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldState {
    /// Nobody changed it.
    Unchanged,
    /// Only you changed it: the merge takes yours.
    Ours,
    /// Only they changed it: the merge keeps theirs.
    Theirs,
    /// Both changed it to the same value: no conflict.
    BothSame,
    /// Both changed it, differently: a conflict only a person can settle.
    BothDifferent,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMerge {
    pub field: RuleField,
    pub state: FieldState,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThreeWay {
    /// Every field of [`RuleField::ALL`], in that order.
    pub fields: Vec<FieldMerge>,
    /// Theirs with your changes applied, when no field is [`FieldState::BothDifferent`]. It
    /// keeps theirs' id, sub-rule ids and timestamps, so it can serve as the next base.
    pub merged: Option<ScoringRule>,
}

impl ThreeWay {
    /// Fields both sides changed differently.
    pub fn conflicts(&self) -> Vec<RuleField> {
        self.with_state(FieldState::BothDifferent)
    }

    /// Fields they changed (alone or also you).
    pub fn changed_by_them(&self) -> Vec<RuleField> {
        self.fields
            .iter()
            .filter(|f| {
                matches!(
                    f.state,
                    FieldState::Theirs | FieldState::BothSame | FieldState::BothDifferent
                )
            })
            .map(|f| f.field)
            .collect()
    }

    pub fn with_state(&self, state: FieldState) -> Vec<RuleField> {
        self.fields
            .iter()
            .filter(|f| f.state == state)
            .map(|f| f.field)
            .collect()
    }
}

/// Classifies every field and merges "theirs + mine" when the sides do not collide.
pub fn three_way(base: &ScoringRule, theirs: &ScoringRule, yours: &ScoringRule) -> ThreeWay {
    let mut merged = theirs.clone();
    let mut clean = true;
    let fields = RuleField::ALL
        .iter()
        .map(|&field| {
            let ours_changed = !field.same(base, yours);
            let theirs_changed = !field.same(base, theirs);
            let state = match (ours_changed, theirs_changed) {
                (false, false) => FieldState::Unchanged,
                (true, false) => FieldState::Ours,
                (false, true) => FieldState::Theirs,
                (true, true) if field.same(theirs, yours) => FieldState::BothSame,
                (true, true) => FieldState::BothDifferent,
            };
            match state {
                FieldState::Ours => field.copy(yours, &mut merged),
                FieldState::BothDifferent => clean = false,
                _ => {}
            }
            FieldMerge { field, state }
        })
        .collect();
    ThreeWay {
        fields,
        merged: clean.then_some(merged),
    }
}

/// Fields whose values differ between two versions of a rule.
pub fn differing_fields(a: &ScoringRule, b: &ScoringRule) -> Vec<RuleField> {
    RuleField::ALL
        .into_iter()
        .filter(|f| !f.same(a, b))
        .collect()
}

/// Whether the server's rule (`now`) is no longer the one `base` was loaded as: its
/// `modified_time` differs, or, when either side carries none, its content does.
///
/// The timestamp is trusted when present (a list answer and a single-rule answer may spell the
/// same rule slightly differently, which must not look like someone else's change); its
/// one-second resolution means two saves within the same second are not told apart.
pub fn changed_since(base: &ScoringRule, now: &ScoringRule) -> bool {
    match (&base.modified_time, &now.modified_time) {
        (Some(a), Some(b)) => super::stamp::stamps_differ(a, b),
        _ => !differing_fields(base, now).is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(v: serde_json::Value) -> ScoringRule {
        let mut base = json!({
            "id": "1", "name": "Hot leads", "description": "d", "module": {"api_name": "Leads"},
            "layout": {"id": "10", "api_name": "Standard"}, "active": true,
            "field_rules": [{"id": "100", "score": 10, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web"}}],
            "modified_time": "2026-01-01T00:00:00+00:00"
        });
        if let (Some(b), Some(o)) = (base.as_object_mut(), v.as_object()) {
            for (k, x) in o {
                b.insert(k.clone(), x.clone());
            }
        }
        serde_json::from_value(base).unwrap()
    }

    fn state(m: &ThreeWay, f: RuleField) -> FieldState {
        m.fields.iter().find(|x| x.field == f).unwrap().state
    }

    #[test]
    fn disjoint_changes_merge_theirs_plus_mine() {
        let base = rule(json!({}));
        let theirs =
            rule(json!({"description": "theirs", "modified_time": "2026-01-02T00:00:00+00:00"}));
        let yours = rule(json!({"name": "Warm leads"}));
        let m = three_way(&base, &theirs, &yours);
        assert_eq!(state(&m, RuleField::Name), FieldState::Ours);
        assert_eq!(state(&m, RuleField::Description), FieldState::Theirs);
        assert_eq!(state(&m, RuleField::FieldRules), FieldState::Unchanged);
        assert!(m.conflicts().is_empty());
        let merged = m.merged.unwrap();
        assert_eq!(merged.name, "Warm leads");
        assert_eq!(merged.description.as_deref(), Some("theirs"));
        assert_eq!(
            merged.modified_time.as_deref(),
            Some("2026-01-02T00:00:00+00:00"),
            "the merge is based on theirs"
        );
    }

    #[test]
    fn the_same_field_changed_differently_is_a_conflict_without_merge() {
        let base = rule(json!({}));
        let theirs = rule(
            json!({"field_rules": [{"id": "100", "score": 20, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web"}}]}),
        );
        let yours = rule(
            json!({"field_rules": [{"id": "100", "score": 30, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web"}}]}),
        );
        let m = three_way(&base, &theirs, &yours);
        assert_eq!(m.conflicts(), vec![RuleField::FieldRules]);
        assert_eq!(m.changed_by_them(), vec![RuleField::FieldRules]);
        assert!(m.merged.is_none());
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = rule(json!({}));
        let theirs = rule(json!({"active": false}));
        let yours = rule(json!({"active": false, "description": null}));
        let m = three_way(&base, &theirs, &yours);
        assert_eq!(state(&m, RuleField::Active), FieldState::BothSame);
        assert_eq!(state(&m, RuleField::Description), FieldState::Ours);
        let merged = m.merged.unwrap();
        assert!(!merged.active && merged.description.is_none());
    }

    #[test]
    fn sub_rule_ids_and_layout_labels_are_not_content() {
        let base = rule(json!({}));
        let mut other = base.clone();
        other.field_rules[0].id = None;
        if let Some(l) = other.layout.as_mut() {
            l.display_label = Some("Standard".into());
        }
        assert!(differing_fields(&base, &other).is_empty());
        assert!(!changed_since(&base, &other));
    }

    #[test]
    fn a_new_timestamp_or_new_content_means_changed() {
        let base = rule(json!({}));
        let touched = rule(json!({"modified_time": "2026-01-01T00:00:01+00:00"}));
        assert!(changed_since(&base, &touched));
        let unstamped = rule(json!({"modified_time": null}));
        assert!(!changed_since(&base, &unstamped));
        let unstamped_edit = rule(json!({"modified_time": null, "description": "edited"}));
        assert!(changed_since(&base, &unstamped_edit));
        assert!(!changed_since(&base, &base.clone()));
    }
}
