//! Seeded scoring rules: `rules.json` → rules exactly as GET returns them.
//!
//! Every rule is checked here against the same constraints Zoho applies on create (names,
//! scores, fields in the layout, comparators and values per data type, signals, custom fields,
//! per-layout limits), so a hand-edited seed fails at load with the offending JSON path instead
//! of serving rules the sandbox itself would reject.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Map, Value};

use super::files::{RuleEntry, RulesFile};
use super::rng::fnv1a;
use super::schema::BuiltModule;
use super::{IdGen, MAX_DAYS_FROM_NOW, SeedError, SeedUser, zoho_time};
use crate::domain::edition::{
    MAX_CUSTOM_FIELDS_PER_RULE, MAX_DESCRIPTION_CHARS, MAX_FIELD_RULES, MAX_GROUP, MAX_NAME_CHARS,
    MAX_SCORE, MAX_SIGNAL_RULES, MIN_GROUP, MIN_SCORE,
};
use crate::domain::metadata::{SCORE_FIELDS, UserRef};
use crate::domain::operand::{comparators_for, parse_operand};
use crate::domain::rule::{
    CustomField, FieldRef, Group, LayoutRef, ModuleRef, ReferenceField, SignalRef,
};
use crate::domain::{
    Comparator, Condition, Criteria, DataType, FieldRule, GroupOperator, ModuleSchema, ScoringRule,
    Signal, SignalRule,
};

/// Zoho's per-layout limits on editions with multiple-layout support (Part A #9).
pub(super) const MAX_ACTIVE_PER_LAYOUT: usize = 5;
pub(super) const MAX_TOTAL_PER_LAYOUT: usize = 10;

/// Characters Zoho forbids in rule names.
pub(super) const FORBIDDEN_NAME_CHARS: &str = "`~#%^&*()+=\";<>[]{}|\\";

pub(super) struct Refs<'a> {
    pub modules: &'a [BuiltModule],
    pub signals: &'a [Signal],
    pub users: &'a [SeedUser],
    pub offset: FixedOffset,
    pub now: DateTime<Utc>,
}

pub(super) fn build_rules(
    f: RulesFile,
    file: &str,
    refs: &Refs<'_>,
    ids: &mut IdGen,
) -> Result<Vec<ScoringRule>, SeedError> {
    let mut rules: Vec<ScoringRule> = Vec::with_capacity(f.rules.len());
    // Lower-cased names so far → their rule: a large org has thousands of rules.
    let mut names: HashMap<String, usize> = HashMap::with_capacity(f.rules.len());
    for (i, entry) in f.rules.into_iter().enumerate() {
        let ctx = Ctx {
            file,
            path: format!("$.rules[{i}]"),
        };
        let rule = build_rule(entry, &ctx, refs, ids)?;
        if let Some(&other) = names.get(&rule.name.to_lowercase()) {
            return Err(ctx.err(
                ".name",
                format!(
                    "{:?} is already the name of another rule ({:?}); names are unique ignoring case",
                    rule.name, rules[other].name
                ),
            ));
        }
        names.insert(rule.name.to_lowercase(), rules.len());
        rules.push(rule);
    }
    check_layout_limits(&rules, file)?;
    Ok(rules)
}

struct Ctx<'a> {
    file: &'a str,
    path: String,
}

impl Ctx<'_> {
    fn err(&self, suffix: &str, problem: impl Into<String>) -> SeedError {
        SeedError::invalid(self.file, format!("{}{suffix}", self.path), problem)
    }
}

fn build_rule(
    e: RuleEntry,
    ctx: &Ctx<'_>,
    refs: &Refs<'_>,
    ids: &mut IdGen,
) -> Result<ScoringRule, SeedError> {
    check_name(&e.name).map_err(|p| ctx.err(".name", p))?;
    if let Some(d) = &e.description
        && d.chars().count() > MAX_DESCRIPTION_CHARS
    {
        return Err(ctx.err(
            ".description",
            format!("longer than {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    let built = refs
        .modules
        .iter()
        .find(|m| m.schema.module.api_name == e.module)
        .ok_or_else(|| ctx.err(".module", format!("no module {:?} in the seed", e.module)))?;
    let schema = &built.schema;
    if schema.module.scoring_supported == Some(false) {
        return Err(ctx.err(
            ".module",
            format!("{} has scoring_supported = false", e.module),
        ));
    }
    let layout = match &e.layout {
        None => None,
        Some(name) => Some(
            schema
                .layouts
                .iter()
                .find(|l| l.api_name() == name)
                .ok_or_else(|| {
                    ctx.err(
                        ".layout",
                        format!("no layout {name:?} in {}", schema.module.api_name),
                    )
                })?,
        ),
    };
    if e.field_rules.is_empty() && e.signal_rules.is_empty() {
        return Err(ctx.err("", "needs field_rules or signal_rules"));
    }
    if e.field_rules.len() > MAX_FIELD_RULES {
        return Err(ctx.err(
            ".field_rules",
            format!("more than {MAX_FIELD_RULES} field rules"),
        ));
    }
    if e.signal_rules.len() > MAX_SIGNAL_RULES {
        return Err(ctx.err(
            ".signal_rules",
            format!("more than {MAX_SIGNAL_RULES} signal rules"),
        ));
    }
    if !e.signal_rules.is_empty() && !schema.is_people() {
        return Err(ctx.err(
            ".signal_rules",
            format!(
                "only Leads and Contacts take signal rules, not {}",
                schema.module.api_name
            ),
        ));
    }

    let rule_id = ids.next();
    let scope = Scope {
        schema,
        layout: layout.map(|l| l.api_name()),
        users: refs.users,
    };
    let mut field_rules = Vec::with_capacity(e.field_rules.len());
    for (j, fr) in e.field_rules.into_iter().enumerate() {
        let path = format!(".field_rules[{j}]");
        check_score(fr.score).map_err(|p| ctx.err(&format!("{path}.score"), p))?;
        let criteria = criteria(
            &fr.criteria,
            &format!("{}{path}.criteria", ctx.path),
            ctx,
            &scope,
        )?;
        if let Some(k) = field_rules
            .iter()
            .position(|x: &FieldRule| x.criteria == criteria)
        {
            return Err(ctx.err(
                &format!("{path}.criteria"),
                format!("the same criteria as field_rules[{k}]"),
            ));
        }
        field_rules.push(FieldRule {
            id: Some(ids.next()),
            score: fr.score,
            criteria,
        });
    }

    let mut signal_rules: Vec<SignalRule> = Vec::with_capacity(e.signal_rules.len());
    for (j, sr) in e.signal_rules.into_iter().enumerate() {
        let path = format!(".signal_rules[{j}]");
        check_score(sr.score).map_err(|p| ctx.err(&format!("{path}.score"), p))?;
        let signal = refs
            .signals
            .iter()
            .find(|s| s.namespace == sr.signal)
            .ok_or_else(|| {
                ctx.err(
                    &format!("{path}.signal"),
                    format!("no signal with namespace {:?}", sr.signal),
                )
            })?;
        if !signal.usable_for_scoring() {
            return Err(ctx.err(
                &format!("{path}.signal"),
                format!(
                    "{} is not available for scoring (feature_availability.scoring = false)",
                    sr.signal
                ),
            ));
        }
        if signal_rules.iter().any(|x| x.signal.namespace == sr.signal) {
            return Err(ctx.err(
                &format!("{path}.signal"),
                format!("{} is already used by this rule", sr.signal),
            ));
        }
        signal_rules.push(SignalRule {
            id: Some(ids.next()),
            score: sr.score,
            signal: SignalRef {
                namespace: signal.namespace.clone(),
                id: signal.id.clone(),
            },
        });
    }

    if e.custom_fields.len() > MAX_CUSTOM_FIELDS_PER_RULE {
        return Err(ctx.err(
            ".custom_fields",
            format!("more than {MAX_CUSTOM_FIELDS_PER_RULE} custom fields"),
        ));
    }
    let mut custom_fields: Vec<CustomField> = Vec::with_capacity(e.custom_fields.len());
    for (j, cf) in e.custom_fields.into_iter().enumerate() {
        let path = format!(".custom_fields[{j}]");
        let field = schema.field(&cf.api_name).ok_or_else(|| {
            ctx.err(
                &format!("{path}.api_name"),
                format!(
                    "no field {:?} in {}: add it as an integer field of the module",
                    cf.api_name, schema.module.api_name
                ),
            )
        })?;
        if field.data_type != DataType::Integer || field.custom_field != Some(true) {
            return Err(ctx.err(
                &format!("{path}.api_name"),
                "a score field of a rule is a custom integer field",
            ));
        }
        let reference = &cf.reference_field.api_name;
        let touch_point = reference.starts_with("Touch_Point");
        if !SCORE_FIELDS.contains(&reference.as_str()) || (touch_point && !schema.is_people()) {
            return Err(ctx.err(
                &format!("{path}.reference_field.api_name"),
                format!(
                    "{reference:?} is not a score field of {}",
                    schema.module.api_name
                ),
            ));
        }
        let taken = custom_fields.iter().any(|c| {
            c.reference_field
                .as_ref()
                .and_then(|r| r.api_name.as_deref())
                == Some(reference.as_str())
                || c.api_name.as_deref() == Some(cf.api_name.as_str())
        });
        if taken {
            return Err(ctx.err(
                &path,
                "each custom field and reference field may appear once per rule",
            ));
        }
        custom_fields.push(CustomField {
            id: Some(field.id.clone()),
            api_name: Some(field.api_name.clone()),
            field_label: Some(cf.field_label),
            reference_field: Some(ReferenceField {
                api_name: Some(reference.clone()),
                id: None,
            }),
        });
    }

    let created_by = user_ref(refs.users, &e.created_by).ok_or_else(|| {
        ctx.err(
            ".created_by",
            format!("no user with email {:?}", e.created_by),
        )
    })?;
    let modified_by = match &e.modified_by {
        None => None,
        Some(email) => Some(
            user_ref(refs.users, email)
                .ok_or_else(|| ctx.err(".modified_by", format!("no user with email {email:?}")))?,
        ),
    };
    if modified_by.is_some() != e.modified_days_ago.is_some() {
        return Err(ctx.err(
            "",
            "give modified_by and modified_days_ago together, or neither",
        ));
    }
    if e.modified_days_ago.is_some_and(|m| m > e.created_days_ago) {
        return Err(ctx.err(
            ".modified_days_ago",
            "a rule cannot be modified before it was created",
        ));
    }
    if i64::from(e.created_days_ago) > MAX_DAYS_FROM_NOW {
        return Err(ctx.err(
            ".created_days_ago",
            format!("more than {MAX_DAYS_FROM_NOW} days ago"),
        ));
    }
    // A few minutes' spread per rule, so the rules don't all share `now`'s time of day.
    let minutes = (fnv1a(&e.name) % 600) as i64;
    let at = |days: u32, key: &str| {
        zoho_time(
            refs.now,
            i64::from(days) * 86_400 + minutes * 60,
            refs.offset,
        )
        .ok_or_else(|| ctx.err(key, "outside the supported date range"))
    };
    let created_time = at(e.created_days_ago, ".created_days_ago")?;
    let modified_time = match e.modified_days_ago {
        Some(days) => Some(at(days, ".modified_days_ago")?),
        None => None,
    };

    Ok(ScoringRule {
        id: Some(rule_id),
        name: e.name,
        description: e.description,
        module: ModuleRef {
            api_name: schema.module.api_name.clone(),
            id: Some(schema.module.id.clone()),
        },
        layout: layout.map(|l| LayoutRef {
            id: l.id.clone(),
            api_name: Some(l.api_name().to_string()),
            display_label: Some(l.label().to_string()),
        }),
        active: e.active,
        has_signal_rules: Some(!signal_rules.is_empty()),
        field_rules,
        signal_rules,
        custom_fields,
        created_time: Some(created_time),
        modified_time,
        created_by: Some(created_by),
        modified_by,
    })
}

/// Zoho's name rules (Part A #5), as an explanation when broken.
pub(super) fn check_name(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if n == 0 || name.trim().is_empty() {
        return Err("a rule needs a name".into());
    }
    if n > MAX_NAME_CHARS {
        return Err(format!(
            "{name:?} is {n} characters; names are at most {MAX_NAME_CHARS}"
        ));
    }
    if let Some(c) = name.chars().find(|c| FORBIDDEN_NAME_CHARS.contains(*c)) {
        return Err(format!(
            "{name:?} contains {c:?}, which Zoho forbids in names"
        ));
    }
    Ok(())
}

fn check_score(score: i64) -> Result<(), String> {
    if (MIN_SCORE..=MAX_SCORE).contains(&score) {
        Ok(())
    } else {
        Err(format!("{score} is outside {MIN_SCORE}..{MAX_SCORE}"))
    }
}

fn user_ref(users: &[SeedUser], email: &str) -> Option<UserRef> {
    users
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(email))
        .map(|u| UserRef {
            name: u.name.clone(),
            id: u.id.clone(),
            zuid: Some(u.zuid.clone()),
        })
}

struct Scope<'a> {
    schema: &'a ModuleSchema,
    /// `None`: a layout-less rule, whose fields must be on every layout.
    layout: Option<&'a str>,
    users: &'a [SeedUser],
}

/// Types one criteria node (a condition or a group), filling in field ids and user lookups.
fn criteria(
    v: &Value,
    path: &str,
    ctx: &Ctx<'_>,
    scope: &Scope<'_>,
) -> Result<Criteria, SeedError> {
    let err = |suffix: &str, problem: String| {
        SeedError::invalid(ctx.file, format!("{path}{suffix}"), problem)
    };
    let Value::Object(obj) = v else {
        return Err(err("", "a criterion is a JSON object".into()));
    };
    if obj.contains_key("group_operator") || obj.contains_key("group") {
        if let Some(k) = obj.keys().find(|k| *k != "group_operator" && *k != "group") {
            return Err(err(&format!(".{k}"), "unexpected key in a group".into()));
        }
        let op = obj
            .get("group_operator")
            .and_then(Value::as_str)
            .and_then(GroupOperator::parse)
            .ok_or_else(|| err(".group_operator", "must be \"AND\" or \"OR\"".into()))?;
        let members = obj
            .get("group")
            .and_then(Value::as_array)
            .ok_or_else(|| err(".group", "must be an array of criteria".into()))?;
        if !(MIN_GROUP..=MAX_GROUP).contains(&members.len()) {
            return Err(err(
                ".group",
                format!(
                    "a group has {MIN_GROUP}..{MAX_GROUP} members, not {}",
                    members.len()
                ),
            ));
        }
        let group = members
            .iter()
            .enumerate()
            .map(|(k, m)| criteria(m, &format!("{path}.group[{k}]"), ctx, scope))
            .collect::<Result<_, _>>()?;
        return Ok(Criteria::Group(Group {
            group_operator: op,
            group,
        }));
    }

    if let Some(k) = obj.keys().find(|k| {
        !matches!(
            k.as_str(),
            "field" | "comparator" | "value" | "type" | "removed_value"
        )
    }) {
        return Err(err(
            &format!(".{k}"),
            "unexpected key in a condition".into(),
        ));
    }
    let api_name = obj
        .get("field")
        .and_then(|f| f.get("api_name"))
        .and_then(Value::as_str)
        .ok_or_else(|| err(".field.api_name", "missing".into()))?;
    let schema = scope.schema;
    let field = schema.field(api_name).ok_or_else(|| {
        err(
            ".field.api_name",
            format!("no field {api_name:?} in {}", schema.module.api_name),
        )
    })?;
    if field.is_score_or_layout() {
        return Err(err(
            ".field.api_name",
            format!("{api_name} is a score or layout field, which criteria cannot use"),
        ));
    }
    match scope.layout {
        Some(layout) => {
            let on_layout = schema
                .layouts
                .iter()
                .any(|l| l.api_name() == layout && l.has_field(api_name));
            if !on_layout {
                return Err(err(
                    ".field.api_name",
                    format!("{api_name} is not on the {layout} layout"),
                ));
            }
        }
        None => {
            if let Some(l) = schema.layouts.iter().find(|l| !l.has_field(api_name)) {
                return Err(err(
                    ".field.api_name",
                    format!(
                        "{api_name} is not on the {} layout, and this rule applies to every layout",
                        l.api_name()
                    ),
                ));
            }
        }
    }
    let comparator = Comparator::parse(
        obj.get("comparator")
            .and_then(Value::as_str)
            .ok_or_else(|| err(".comparator", "missing".into()))?,
    );
    let allowed = comparators_for(&field.effective_type());
    if !allowed.contains(&comparator) {
        let names: Vec<&str> = allowed.iter().map(Comparator::as_str).collect();
        return Err(err(
            ".comparator",
            format!(
                "{} does not apply to {api_name} ({}); use one of {}",
                comparator.as_str(),
                field.effective_type().as_str(),
                names.join(", ")
            ),
        ));
    }
    let raw = obj
        .get("value")
        .ok_or_else(|| err(".value", "missing".into()))?;
    let value = resolve_users(raw, scope.users).map_err(|p| err(".value", p))?;
    // `"removed_value": true`: the picklist value was deleted after the rule was saved. Zoho
    // keeps such a condition (it can never match again), so the seed may hold one: its value
    // is checked against the field as it was, with that value still among its options.
    let removed = obj.get("removed_value") == Some(&Value::Bool(true));
    let as_it_was;
    let checked_field = match value.as_str() {
        Some(gone) if removed => {
            let mut f = field.clone();
            f.pick_list_values
                .push(crate::domain::metadata::PickListValue {
                    display_value: gone.to_string(),
                    actual_value: gone.to_string(),
                    id: None,
                    sequence_number: None,
                    kind: None,
                });
            as_it_was = f;
            &as_it_was
        }
        _ => field,
    };
    parse_operand(&comparator, checked_field, &value).map_err(|e| {
        let mut problem = e.hint;
        if let Some(supported) = e.supported_values {
            problem.push_str(&format!(" (values: {})", supported.join(", ")));
        }
        err(".value", problem)
    })?;
    let kind = match obj.get("type") {
        None => "value".to_string(),
        Some(Value::String(s)) if s == "value" => s.clone(),
        Some(_) => {
            return Err(err(
                ".type",
                "seeded conditions compare with literal values (\"value\")".into(),
            ));
        }
    };
    Ok(Criteria::Condition(Condition {
        field: FieldRef {
            api_name: field.api_name.clone(),
            id: Some(field.id.clone()),
        },
        comparator,
        value,
        kind: Some(kind),
        disrupted: None,
    }))
}

/// `{"$user": email}` → `{"id", "name"}` of that user, anywhere in a value, so seed files need
/// no ids.
fn resolve_users(v: &Value, users: &[SeedUser]) -> Result<Value, String> {
    match v {
        Value::Object(m) if m.contains_key("$user") => {
            let email = m.get("$user").and_then(Value::as_str).unwrap_or_default();
            if m.len() != 1 {
                return Err("{\"$user\": email} takes no other keys".into());
            }
            let u = users
                .iter()
                .find(|u| u.email.eq_ignore_ascii_case(email))
                .ok_or_else(|| format!("no user with email {email:?}"))?;
            let mut out = Map::new();
            out.insert("id".into(), Value::String(u.id.to_string()));
            out.insert("name".into(), Value::String(u.name.clone()));
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|x| resolve_users(x, users))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

fn check_layout_limits(rules: &[ScoringRule], file: &str) -> Result<(), SeedError> {
    let mut buckets: BTreeMap<(&str, Option<&str>), (usize, usize)> = BTreeMap::new();
    for (i, r) in rules.iter().enumerate() {
        let key = (
            r.module.api_name.as_str(),
            r.layout.as_ref().map(|l| l.id.as_str()),
        );
        let (active, total) = buckets.entry(key).or_insert((0, 0));
        *total += 1;
        *active += usize::from(r.active);
        let where_ = match &r.layout {
            Some(l) => format!("the {} layout", l.api_name.as_deref().unwrap_or("?")),
            None => "layout-less rules".to_string(),
        };
        if *active > MAX_ACTIVE_PER_LAYOUT {
            return Err(SeedError::invalid(
                file,
                format!("$.rules[{i}].active"),
                format!(
                    "{} has more than {MAX_ACTIVE_PER_LAYOUT} active rules for {where_}",
                    r.module.api_name
                ),
            ));
        }
        if *total > MAX_TOTAL_PER_LAYOUT {
            return Err(SeedError::invalid(
                file,
                format!("$.rules[{i}]"),
                format!(
                    "{} has more than {MAX_TOTAL_PER_LAYOUT} rules for {where_}",
                    r.module.api_name
                ),
            ));
        }
    }
    Ok(())
}
