//! Scoring-rule changes: create, update, delete, activate, clone. Each validates first with
//! the domain validator and then applies completely, so a refused request changes nothing.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::Org;
use crate::domain::metadata::{DataType, Field};
use crate::domain::rule::{Criteria, CustomField, LayoutRef, ModuleRef};
use crate::domain::validate::{self, Op, RuleContext};
use crate::domain::{FieldValue, Id, RulePath, ScoringRule, Violation, codes};

#[derive(Debug)]
pub enum RuleError {
    /// The rule id names no rule (a URL or `ids` parameter problem, answered bare).
    UnknownRule,
    /// The item was refused; the first violation is what Zoho would report.
    Invalid(Vec<Violation>),
}

impl From<Vec<Violation>> for RuleError {
    fn from(v: Vec<Violation>) -> Self {
        RuleError::Invalid(v)
    }
}

impl Org {
    /// `check` run against what the validator needs to know of `module`: the edition, its
    /// schema, the signals, and the module's other rules (all but `except`, the rule changed).
    fn in_context<T>(
        &self,
        except: Option<&Id>,
        module: &str,
        check: impl FnOnce(&RuleContext) -> T,
    ) -> Result<T, RuleError> {
        let others = self.summaries_except(except, module);
        let m = self.module(module).ok_or(RuleError::UnknownRule)?;
        Ok(check(&RuleContext {
            edition: self.edition,
            schema: &m.schema,
            signals: &self.signals,
            others: &others,
        }))
    }

    pub fn create_rule(&mut self, item: &Value, now: DateTime<Utc>) -> Result<Id, RuleError> {
        let mut rule = validate::parse_create(item)?;
        let module_name = self
            .module(&rule.module.api_name)
            .map(|m| m.api_name().to_string())
            .ok_or_else(|| {
                vec![
                    Violation::new(
                        codes::INVALID_DATA,
                        "Module specified seems to be invalid",
                        RulePath::root().key("module").key("api_name"),
                    )
                    .hint(format!(
                        "there is no module {:?} in this org",
                        rule.module.api_name
                    )),
                ]
            })?;
        let found = self.in_context(None, &module_name, |ctx| {
            validate::check_rule(&rule, ctx, Op::Create)
        })?;
        if !found.is_empty() {
            return Err(found.into());
        }
        let id = self.mint_id();
        rule.id = Some(id.clone());
        let user = self.current_user();
        rule.created_time = Some(Org::timestamp(now));
        rule.modified_time = Some(Org::timestamp(now));
        rule.created_by = Some(user.clone());
        rule.modified_by = Some(user);
        let new_fields = std::mem::take(&mut rule.custom_fields);
        rule.custom_fields = self.create_score_fields(&module_name, &id, new_fields);
        self.finish(&module_name, &mut rule);
        self.rules.insert(id.clone(), rule);
        self.changes.rules.insert(id.clone());
        Ok(id)
    }

    /// `require_id`: the bulk endpoint needs `id` in each item; the by-id one takes it from the
    /// URL (and refuses a different one in the body).
    pub fn update_rule(
        &mut self,
        id: &Id,
        item: &Value,
        now: DateTime<Utc>,
    ) -> Result<Id, RuleError> {
        let patch = validate::parse_update(item)?;
        if let Some(given) = &patch.id
            && given != id
        {
            return Err(RuleError::Invalid(vec![
                Violation::new(
                    codes::INVALID_DATA,
                    "The id given seems to be invalid",
                    RulePath::root().key("id"),
                )
                .hint(format!("the body names rule {given}, the URL rule {id}")),
            ]));
        }
        let existing = self.rules.get(id).ok_or(RuleError::UnknownRule)?;
        let patched = validate::apply_patch(existing, &patch)?;
        let module_name = existing.module.api_name.clone();
        let found = self.in_context(Some(id), &module_name, |ctx| patched.check(ctx))?;
        if !found.is_empty() {
            return Err(found.into());
        }
        let mut rule = patched.rule;
        let before: Vec<CustomField> = existing.custom_fields.clone();
        // Custom fields: removed ones disappear from the module, renamed ones are relabelled,
        // new ones are created, exactly as Zoho does with the fields a rule maps scores onto.
        let kept: Vec<CustomField> = rule
            .custom_fields
            .iter()
            .filter(|c| c.id.is_some())
            .cloned()
            .collect();
        for old in &before {
            if !kept.iter().any(|k| k.id == old.id) {
                self.drop_score_field(&module_name, old);
            }
        }
        for cf in &kept {
            if let (Some(fid), Some(label)) = (&cf.id, &cf.field_label)
                && let Some(m) = self.module_mut(&module_name)
                && let Some(f) = m.schema.fields.iter_mut().find(|f| &f.id == fid)
            {
                f.field_label = Some(label.clone());
                f.display_label = Some(label.clone());
                self.changes.schemas.insert(module_name.clone());
            }
        }
        let added: Vec<CustomField> = rule
            .custom_fields
            .iter()
            .filter(|c| c.id.is_none())
            .cloned()
            .collect();
        let mut fields = kept;
        fields.extend(self.create_score_fields(&module_name, id, added));
        rule.custom_fields = fields;
        rule.modified_time = Some(Org::timestamp(now));
        rule.modified_by = Some(self.current_user());
        self.finish(&module_name, &mut rule);
        self.rules.insert(id.clone(), rule);
        self.changes.rules.insert(id.clone());
        Ok(id.clone())
    }

    pub fn delete_rule(&mut self, id: &Id) -> Result<(), RuleError> {
        let rule = self.rules.remove(id).ok_or(RuleError::UnknownRule)?;
        let module = rule.module.api_name.clone();
        for cf in &rule.custom_fields {
            self.drop_score_field(&module, cf);
        }
        if let Some(m) = self.module_mut(&module) {
            m.scores.retain(|(_, rule_id), _| rule_id != id);
        }
        self.changes.rules.insert(id.clone());
        self.changes.rule_scores_dropped.push((module, id.clone()));
        Ok(())
    }

    pub fn set_active(
        &mut self,
        id: &Id,
        active: bool,
        now: DateTime<Utc>,
    ) -> Result<(), RuleError> {
        let rule = self.rules.get(id).ok_or(RuleError::UnknownRule)?;
        if rule.active == active {
            return Ok(());
        }
        if active
            && let Some(v) = self.in_context(Some(id), &rule.module.api_name, |ctx| {
                validate::check_capacity(rule.layout_id(), true, false, ctx)
            })?
        {
            return Err(RuleError::Invalid(vec![v.unlocated()]));
        }
        let user = self.current_user();
        if let Some(rule) = self.rules.get_mut(id) {
            rule.active = active;
            rule.modified_time = Some(Org::timestamp(now));
            rule.modified_by = Some(user);
        }
        self.changes.rules.insert(id.clone());
        Ok(())
    }

    /// A clone is always active (Doc-v7), so it must fit the active limits. It copies the field
    /// and signal rules under a new unique name; the source's custom fields stay with the source
    /// (a field can map only one rule's score).
    pub fn clone_rule(&mut self, id: &Id, now: DateTime<Utc>) -> Result<Id, RuleError> {
        let source = self.rules.get(id).ok_or(RuleError::UnknownRule)?.clone();
        if let Some(v) = self.in_context(None, &source.module.api_name, |ctx| {
            validate::check_capacity(source.layout_id(), true, true, ctx)
        })? {
            return Err(RuleError::Invalid(vec![v.unlocated()]));
        }
        let taken: Vec<String> = self.rules.values().map(|r| r.name.to_lowercase()).collect();
        let mut rule = source;
        let new_id = self.mint_id();
        rule.name = clone_name(&rule.name, &taken);
        rule.id = Some(new_id.clone());
        rule.active = true;
        rule.custom_fields.clear();
        for fr in &mut rule.field_rules {
            fr.id = None;
        }
        for sr in &mut rule.signal_rules {
            sr.id = None;
        }
        let user = self.current_user();
        rule.created_time = Some(Org::timestamp(now));
        rule.modified_time = Some(Org::timestamp(now));
        rule.created_by = Some(user.clone());
        rule.modified_by = Some(user);
        let module = rule.module.api_name.clone();
        self.finish(&module, &mut rule);
        self.rules.insert(new_id.clone(), rule);
        self.changes.rules.insert(new_id.clone());
        Ok(new_id)
    }

    /// Fills in what Zoho answers but a request need not give: ids of new sub-items, canonical
    /// module / layout / field / signal references.
    fn finish(&mut self, module: &str, rule: &mut ScoringRule) {
        for fr in &mut rule.field_rules {
            if fr.id.is_none() {
                fr.id = Some(self.mint_id());
            }
        }
        for sr in &mut rule.signal_rules {
            if sr.id.is_none() {
                sr.id = Some(self.mint_id());
            }
            if let Some(sig) = self.signals.iter().find(|s| s.id == sr.signal.id) {
                sr.signal.namespace = sig.namespace.clone();
            }
        }
        let Some(m) = self.module(module) else { return };
        rule.module = ModuleRef {
            api_name: m.api_name().to_string(),
            id: Some(m.schema.module.id.clone()),
        };
        if let Some(layout) = rule.layout.as_ref().and_then(|l| m.schema.layout(&l.id)) {
            rule.layout = Some(LayoutRef {
                id: layout.id.clone(),
                api_name: Some(layout.api_name().to_string()),
                display_label: Some(layout.label().to_string()),
            });
        }
        let schema = m.schema.clone();
        for fr in &mut rule.field_rules {
            fill_field_ids(&mut fr.criteria, &schema);
        }
        rule.has_signal_rules = Some(!rule.signal_rules.is_empty());
    }

    fn create_score_fields(
        &mut self,
        module: &str,
        rule_id: &Id,
        wanted: Vec<CustomField>,
    ) -> Vec<CustomField> {
        let mut out = Vec::with_capacity(wanted.len());
        for cf in wanted {
            let label = cf.field_label.clone().unwrap_or_default();
            let reference = cf
                .reference_field
                .as_ref()
                .and_then(|r| r.api_name.clone())
                .unwrap_or_default();
            let field_id = self.mint_id();
            let Some(m) = self.module_mut(module) else {
                continue;
            };
            let api_name = unique_api_name(&label, &m.schema.fields);
            m.schema.fields.push(score_field(
                field_id.clone(),
                api_name.clone(),
                label.clone(),
            ));
            for r in Arc::make_mut(&mut m.records) {
                r.values.push(FieldValue::Null);
            }
            m.score_fields
                .insert(api_name.clone(), (rule_id.clone(), reference.clone()));
            self.changes.schemas.insert(module.to_string());
            out.push(CustomField {
                id: Some(field_id),
                api_name: Some(api_name),
                field_label: Some(label),
                reference_field: cf.reference_field,
            });
        }
        out
    }

    fn drop_score_field(&mut self, module: &str, cf: &CustomField) {
        let Some(m) = self.module_mut(module) else {
            return;
        };
        let Some(idx) = m
            .schema
            .fields
            .iter()
            .position(|f| Some(&f.id) == cf.id.as_ref())
        else {
            return;
        };
        let field = m.schema.fields.remove(idx);
        for r in Arc::make_mut(&mut m.records) {
            if idx < r.values.len() {
                r.values.remove(idx);
            }
        }
        m.score_fields.remove(&field.api_name);
        self.changes.schemas.insert(module.to_string());
    }
}

fn fill_field_ids(c: &mut Criteria, schema: &crate::domain::ModuleSchema) {
    match c {
        Criteria::Group(g) => g.group.iter_mut().for_each(|m| fill_field_ids(m, schema)),
        Criteria::Condition(cond) => {
            if let Some(f) = schema.field(&cond.field.api_name) {
                cond.field.id = Some(f.id.clone());
            }
            if cond.kind.is_none() {
                cond.kind = Some("value".into());
            }
        }
    }
}

fn score_field(id: Id, api_name: String, label: String) -> Field {
    Field {
        id,
        api_name,
        field_label: Some(label.clone()),
        display_label: Some(label),
        data_type: DataType::Integer,
        json_type: Some("integer".into()),
        custom_field: Some(true),
        read_only: Some(true),
        visible: Some(true),
        system_mandatory: Some(false),
        length: Some(9),
        decimal_place: None,
        pick_list_values: vec![],
        lookup: None,
        formula: None,
        rollup_summary: None,
    }
}

/// Zoho derives a custom field's api_name from its label ("Lead - Scoring Score" →
/// "Lead_Scoring_Score").
fn unique_api_name(label: &str, fields: &[Field]) -> String {
    let mut base = String::new();
    for part in label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        if !base.is_empty() {
            base.push('_');
        }
        base.push_str(part);
    }
    if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        base.insert_str(0, "Score_Field");
    }
    let mut name = base.clone();
    let mut n = 1;
    while fields
        .iter()
        .any(|f| f.api_name.eq_ignore_ascii_case(&name))
    {
        n += 1;
        name = format!("{base}_{n}");
    }
    name
}

/// "Hot leads" → "Hot leads - Copy", then "… - Copy 2", always within 25 characters.
pub fn clone_name(name: &str, taken_lowercase: &[String]) -> String {
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            " - Copy".to_string()
        } else {
            format!(" - Copy {n}")
        };
        let room = 25usize.saturating_sub(suffix.chars().count());
        let base: String = name.chars().take(room).collect();
        let candidate = format!("{}{suffix}", base.trim_end());
        if !taken_lowercase.contains(&candidate.to_lowercase()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clone_names_fit_and_are_unique() {
        assert_eq!(clone_name("Hot leads", &[]), "Hot leads - Copy");
        let long = "A rule with a long name!!";
        let c = clone_name(long, &[]);
        assert!(c.chars().count() <= 25 && c.ends_with(" - Copy"), "{c}");
        let taken = vec!["hot leads - copy".to_string()];
        assert_eq!(clone_name("Hot leads", &taken), "Hot leads - Copy 2");
    }

    #[test]
    fn api_names_follow_labels() {
        assert_eq!(
            unique_api_name("Lead - Scoring Score", &[]),
            "Lead_Scoring_Score"
        );
        assert_eq!(unique_api_name("!!", &[]), "Score_Field");
    }
}
