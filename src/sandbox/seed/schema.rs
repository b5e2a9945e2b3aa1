//! Org, users, signals and module metadata: seed files → the domain's wire types, with ids.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Value, json};

use super::files::{Gen, LayoutEntry, ModuleFile, OrgFile, PickEntry, SignalsFile, UsersFile};
use super::{IdGen, SeedError, SeedUser, zoho_time};
use crate::domain::metadata::{
    FeatureAvailability, FormulaInfo, PickListValue, Section, SectionField, SignalExtension,
};
use crate::domain::{DataType, Field, Layout, Module, ModuleSchema, Signal};

pub(super) struct BuiltOrg {
    pub value: Value,
    pub offset: FixedOffset,
}

pub(super) struct BuiltUsers {
    pub list: Vec<SeedUser>,
    pub owner_weights: Vec<u32>,
}

pub(super) struct BuiltSignals {
    pub list: Vec<Signal>,
    /// Aligned with `list`.
    pub record_weights: Vec<u32>,
}

/// A module's metadata plus what the record generator needs from its seed file.
pub(super) struct BuiltModule {
    pub schema: ModuleSchema,
    /// The file's label, for errors found after loading it.
    pub file: String,
    /// The file's name as the manifest lists it.
    pub source_name: String,
    pub display_field: usize,
    pub record_count: usize,
    /// Aligned with `schema.layouts`.
    pub layout_weights: Vec<u32>,
    /// Aligned with `schema.fields`.
    pub extras: Vec<FieldExtra>,
}

pub(super) struct FieldExtra {
    pub r#gen: Option<Gen>,
    pub null_rate: Option<f64>,
    pub system_mandatory: bool,
    /// Index of the module a (multi-select) lookup points at; set by `link_modules`.
    pub lookup_target: Option<usize>,
    lookup_name: Option<String>,
    /// Aligned with the field's `pick_list_values`.
    pub pick_weights: Vec<u32>,
}

const ORG_KEYS: [&str; 10] = [
    "company_name",
    "domain_name",
    "time_zone",
    "currency",
    "iso_code",
    "country_code",
    "primary_zuid",
    "zgid",
    "type",
    "max_per_page",
];

const LICENSE_KEYS: [&str; 8] = [
    "paid",
    "paid_type",
    "paid_expiry",
    "trial_type",
    "trial_expiry",
    "trial_action",
    "users_license_purchased",
    "portal_users_license_purchased",
];

pub(super) fn build_org(
    f: OrgFile,
    file: &str,
    ids: &mut IdGen,
    now: DateTime<Utc>,
) -> Result<BuiltOrg, SeedError> {
    let offset: FixedOffset = f.utc_offset.parse().map_err(|_| {
        SeedError::invalid(
            file,
            "$.utc_offset",
            format!("{:?} is not an offset like \"+05:30\"", f.utc_offset),
        )
    })?;
    let mut org = f.org;
    if org.contains_key("id") {
        return Err(SeedError::invalid(
            file,
            "$.org.id",
            "ids are assigned at load time; remove the key",
        ));
    }
    for key in ORG_KEYS {
        if !org.contains_key(key) {
            return Err(SeedError::invalid(
                file,
                format!("$.org.{key}"),
                "missing (GET /org returns it)",
            ));
        }
    }
    let Some(Value::Object(license)) = org.get_mut("license_details") else {
        return Err(SeedError::invalid(
            file,
            "$.org.license_details",
            "missing or not an object",
        ));
    };
    for key in LICENSE_KEYS {
        if !license.contains_key(key) {
            return Err(SeedError::invalid(
                file,
                format!("$.org.license_details.{key}"),
                "missing (GET /org returns it)",
            ));
        }
    }
    if license.get("paid_expiry").is_some_and(Value::is_null) {
        const YEAR: i64 = 365 * 86_400;
        let expiry = zoho_time(now, -YEAR, offset).ok_or_else(|| {
            SeedError::invalid(
                file,
                "$.org.license_details.paid_expiry",
                "one year after now is outside the supported date range",
            )
        })?;
        license.insert("paid_expiry".into(), Value::String(expiry));
    }
    org.insert("id".into(), Value::String(ids.next().to_string()));
    Ok(BuiltOrg {
        value: Value::Object(org),
        offset,
    })
}

pub(super) fn build_users(
    f: UsersFile,
    file: &str,
    ids: &mut IdGen,
) -> Result<BuiltUsers, SeedError> {
    if f.users.is_empty() {
        return Err(SeedError::invalid(
            file,
            "$.users",
            "needs at least the admin (the first user is the current user)",
        ));
    }
    let mut roles: Vec<(crate::domain::Id, String)> = Vec::new();
    let mut profiles: Vec<(crate::domain::Id, String)> = Vec::new();
    let mut list = Vec::with_capacity(f.users.len());
    let mut owner_weights = Vec::with_capacity(f.users.len());
    for (i, u) in f.users.into_iter().enumerate() {
        let path = format!("$.users[{i}]");
        if u.name.trim().is_empty() {
            return Err(SeedError::invalid(file, format!("{path}.name"), "is empty"));
        }
        if !u.email.contains('@') {
            return Err(SeedError::invalid(
                file,
                format!("{path}.email"),
                format!("{:?} is not an email address", u.email),
            ));
        }
        if list
            .iter()
            .any(|x: &SeedUser| x.email.eq_ignore_ascii_case(&u.email))
        {
            return Err(SeedError::invalid(
                file,
                format!("{path}.email"),
                format!(
                    "{:?} is used by another user (rules refer to users by email)",
                    u.email
                ),
            ));
        }
        let role = intern(&mut roles, &u.role, ids);
        let profile = intern(&mut profiles, &u.profile, ids);
        list.push(SeedUser {
            id: ids.next(),
            name: u.name,
            email: u.email,
            zuid: u.zuid,
            role,
            profile,
        });
        owner_weights.push(u.owner_weight);
    }
    if owner_weights.iter().all(|&w| w == 0) {
        return Err(SeedError::invalid(
            file,
            "$.users",
            "every owner_weight is 0, so no user could own records",
        ));
    }
    Ok(BuiltUsers {
        list,
        owner_weights,
    })
}

/// Roles and profiles are shared by name; each distinct name gets one id.
fn intern(
    seen: &mut Vec<(crate::domain::Id, String)>,
    name: &str,
    ids: &mut IdGen,
) -> (crate::domain::Id, String) {
    if let Some(hit) = seen.iter().find(|(_, n)| n == name) {
        return hit.clone();
    }
    let entry = (ids.next(), name.to_string());
    seen.push(entry.clone());
    entry
}

pub(super) fn build_signals(
    f: SignalsFile,
    file: &str,
    ids: &mut IdGen,
) -> Result<BuiltSignals, SeedError> {
    let mut extensions = Vec::with_capacity(f.extensions.len());
    for (i, e) in f.extensions.into_iter().enumerate() {
        if extensions
            .iter()
            .any(|x: &SignalExtension| x.namespace == e.namespace)
        {
            return Err(SeedError::invalid(
                file,
                format!("$.extensions[{i}].namespace"),
                format!("{:?} is listed twice", e.namespace),
            ));
        }
        extensions.push(SignalExtension {
            display_label: e.display_label,
            namespace: e.namespace,
            id: ids.next(),
            kind: 2,
        });
    }
    let mut list: Vec<Signal> = Vec::with_capacity(f.signals.len());
    let mut record_weights = Vec::with_capacity(f.signals.len());
    for (i, s) in f.signals.into_iter().enumerate() {
        let path = format!("$.signals[{i}]");
        if list.iter().any(|x| x.namespace == s.namespace) {
            return Err(SeedError::invalid(
                file,
                format!("{path}.namespace"),
                format!("{:?} is listed twice", s.namespace),
            ));
        }
        let extension = extensions
            .iter()
            .find(|e| e.namespace == s.extension)
            .cloned()
            .ok_or_else(|| {
                SeedError::invalid(
                    file,
                    format!("{path}.extension"),
                    format!("no extension with namespace {:?}", s.extension),
                )
            })?;
        if s.record_weight > 0 && !s.scoring {
            return Err(SeedError::invalid(
                file,
                format!("{path}.record_weight"),
                "records only carry signals that scoring can use (scoring = true)",
            ));
        }
        list.push(Signal {
            id: ids.next(),
            namespace: s.namespace,
            display_label: s.display_label,
            extension: Some(extension),
            feature_availability: Some(FeatureAvailability {
                scoring: s.scoring,
                signals: s.signals,
            }),
            chat_enabled: Some(s.chat_enabled),
            enabled: Some(s.enabled),
            negative_signal: s.negative_signal.then_some(true),
        });
        record_weights.push(s.record_weight);
    }
    Ok(BuiltSignals {
        list,
        record_weights,
    })
}

pub(super) fn is_api_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn default_json_type(dt: &DataType) -> &'static str {
    match dt {
        DataType::Multiselectpicklist | DataType::Multiuserlookup | DataType::Multiselectlookup => {
            "jsonarray"
        }
        DataType::Lookup | DataType::Ownerlookup | DataType::Userlookup => "jsonobject",
        DataType::Integer | DataType::Bigint => "integer",
        DataType::Currency | DataType::Double | DataType::Decimal => "double",
        DataType::Boolean => "boolean",
        DataType::Other(_) => "jsonobject",
        _ => "string",
    }
}

fn default_length(dt: &DataType) -> Option<i64> {
    Some(match dt {
        DataType::Text | DataType::Website | DataType::Picklist => 255,
        DataType::Textarea => 32_000,
        DataType::Email => 100,
        DataType::Phone => 30,
        DataType::Integer => 9,
        DataType::Bigint => 18,
        DataType::Currency | DataType::Double | DataType::Decimal => 16,
        DataType::Multiselectpicklist => 2_000,
        _ => return None,
    })
}

/// Return types a formula or roll-up may have: the scalar types records hold.
fn is_scalar_type(dt: &DataType) -> bool {
    dt.is_textual() || dt.is_numeric() || dt.is_temporal() || *dt == DataType::Boolean
}

pub(super) fn build_module(
    f: ModuleFile,
    file: &str,
    ids: &mut IdGen,
) -> Result<BuiltModule, SeedError> {
    let m = f.module;
    if !is_api_name(&m.api_name) {
        return Err(SeedError::invalid(
            file,
            "$.module.api_name",
            format!("{:?} is not an api_name (letters, digits, _)", m.api_name),
        ));
    }
    let module = Module {
        id: ids.next(),
        api_name: m.api_name,
        module_name: Some(m.module_name),
        singular_label: Some(m.singular_label),
        plural_label: Some(m.plural_label),
        generated_type: Some(m.generated_type),
        api_supported: Some(m.api_supported),
        scoring_supported: Some(m.scoring_supported),
        visible: Some(m.visible),
        creatable: Some(m.creatable),
        editable: Some(m.editable),
        status: Some(m.status),
    };

    let mut fields: Vec<Field> = Vec::with_capacity(f.fields.len());
    let mut extras = Vec::with_capacity(f.fields.len());
    for (i, e) in f.fields.into_iter().enumerate() {
        let path = format!("$.fields[{i}]");
        let bad =
            |key: &str, problem: String| SeedError::invalid(file, format!("{path}{key}"), problem);
        if !is_api_name(&e.api_name) {
            return Err(bad(
                ".api_name",
                format!("{:?} is not an api_name (letters, digits, _)", e.api_name),
            ));
        }
        if fields.iter().any(|x| x.api_name == e.api_name) {
            return Err(bad(
                ".api_name",
                format!("{:?} is defined twice in this module", e.api_name),
            ));
        }
        if e.field_label.trim().is_empty() {
            return Err(bad(".field_label", "is empty".into()));
        }
        let data_type = DataType::parse(&e.data_type);
        let is_picklist = matches!(
            data_type,
            DataType::Picklist | DataType::Multiselectpicklist
        );
        if is_picklist && e.pick_list_values.is_empty() {
            return Err(bad(
                ".pick_list_values",
                format!("a {} needs values", data_type.as_str()),
            ));
        }
        if !is_picklist && !e.pick_list_values.is_empty() {
            return Err(bad(
                ".pick_list_values",
                format!(
                    "only picklists have values, this is a {}",
                    data_type.as_str()
                ),
            ));
        }
        for (j, p) in e.pick_list_values.iter().enumerate() {
            if p.display().trim().is_empty() || p.actual().trim().is_empty() {
                return Err(bad(&format!(".pick_list_values[{j}]"), "is empty".into()));
            }
            let dup = e.pick_list_values[..j]
                .iter()
                .any(|q| q.actual().eq_ignore_ascii_case(p.actual()));
            if dup {
                return Err(bad(
                    &format!(".pick_list_values[{j}]"),
                    format!("{:?} is listed twice", p.actual()),
                ));
            }
        }
        let wants_lookup = matches!(data_type, DataType::Lookup | DataType::Multiselectlookup);
        if wants_lookup != e.lookup.is_some() {
            return Err(bad(
                ".lookup",
                if wants_lookup {
                    format!("a {} needs the module it points at", data_type.as_str())
                } else {
                    format!(
                        "only lookups point at a module, this is a {}",
                        data_type.as_str()
                    )
                },
            ));
        }
        let formula = computed(&data_type, DataType::Formula, e.formula, |p| {
            bad(".formula", p)
        })?;
        let rollup_summary =
            computed(&data_type, DataType::RollupSummary, e.rollup_summary, |p| {
                bad(".rollup_summary", p)
            })?;
        if let Some(rate) = e.null_rate
            && !(0.0..=1.0).contains(&rate)
        {
            return Err(bad(".null_rate", format!("{rate} is not between 0 and 1")));
        }

        let id = ids.next();
        let pick_list_values = e
            .pick_list_values
            .iter()
            .enumerate()
            .map(|(j, p)| PickListValue {
                display_value: p.display().to_string(),
                actual_value: p.actual().to_string(),
                id: Some(ids.next()),
                sequence_number: Some(j as i64 + 1),
                kind: Some("used".into()),
            })
            .collect();
        let lookup = e.lookup.as_ref().map(|target| {
            json!({
                "display_label": e.field_label,
                "api_name": null,
                "id": null,
                "module": { "api_name": target, "id": null },
            })
        });
        let json_type =
            e.json_type
                .unwrap_or_else(|| match formula.as_ref().or(rollup_summary.as_ref()) {
                    Some(c) => default_json_type(&DataType::parse(
                        c.return_type.as_deref().unwrap_or_default(),
                    ))
                    .to_string(),
                    None => default_json_type(&data_type).to_string(),
                });
        extras.push(FieldExtra {
            r#gen: e.r#gen,
            null_rate: e.null_rate,
            system_mandatory: e.system_mandatory,
            lookup_target: None,
            lookup_name: e.lookup,
            pick_weights: e.pick_list_values.iter().map(PickEntry::weight).collect(),
        });
        fields.push(Field {
            id,
            api_name: e.api_name,
            display_label: Some(e.field_label.clone()),
            field_label: Some(e.field_label),
            json_type: Some(json_type),
            custom_field: Some(e.custom_field),
            read_only: Some(e.read_only),
            visible: Some(true),
            system_mandatory: Some(e.system_mandatory),
            length: e.length.or_else(|| default_length(&data_type)),
            decimal_place: e.decimal_place,
            pick_list_values,
            lookup,
            formula,
            rollup_summary,
            data_type,
        });
    }

    let display_field = fields
        .iter()
        .position(|x| x.api_name == f.display_field)
        .ok_or_else(|| {
            SeedError::invalid(
                file,
                "$.display_field",
                format!("no field {:?} in this module", f.display_field),
            )
        })?;
    if !fields[display_field].effective_type().is_textual() {
        return Err(SeedError::invalid(
            file,
            "$.display_field",
            "must be a text field: its value names the record in lookups",
        ));
    }

    if f.layouts.is_empty() {
        return Err(SeedError::invalid(
            file,
            "$.layouts",
            "a module needs at least one layout",
        ));
    }
    let mut layouts: Vec<Layout> = Vec::with_capacity(f.layouts.len());
    let mut layout_weights = Vec::with_capacity(f.layouts.len());
    for (j, l) in f.layouts.into_iter().enumerate() {
        layout_weights.push(l.weight);
        let layout = build_layout(l, &fields, &layouts, file, j, ids)?;
        layouts.push(layout);
    }
    if f.record_count > 0 && layout_weights.iter().all(|&w| w == 0) {
        return Err(SeedError::invalid(
            file,
            "$.layouts",
            "every layout weight is 0, so records have no layout to go in",
        ));
    }

    Ok(BuiltModule {
        schema: ModuleSchema {
            module,
            layouts,
            fields,
        },
        file: file.to_string(),
        source_name: String::new(),
        display_field,
        record_count: f.record_count,
        layout_weights,
        extras,
    })
}

fn computed(
    dt: &DataType,
    kind: DataType,
    entry: Option<super::files::ComputedEntry>,
    bad: impl Fn(String) -> SeedError,
) -> Result<Option<FormulaInfo>, SeedError> {
    match entry {
        None if *dt == kind => Err(bad(format!(
            "a {} field needs {{\"return_type\": …}}",
            kind.as_str()
        ))),
        None => Ok(None),
        Some(_) if *dt != kind => Err(bad(format!(
            "only {} fields have this key, this is a {}",
            kind.as_str(),
            dt.as_str()
        ))),
        Some(c) => {
            if !is_scalar_type(&DataType::parse(&c.return_type)) {
                return Err(bad(format!(
                    "return_type {:?} is not a scalar type (text, integer, currency, date, boolean, …)",
                    c.return_type
                )));
            }
            Ok(Some(FormulaInfo {
                return_type: Some(c.return_type),
            }))
        }
    }
}

fn build_layout(
    l: LayoutEntry,
    fields: &[Field],
    earlier: &[Layout],
    file: &str,
    j: usize,
    ids: &mut IdGen,
) -> Result<Layout, SeedError> {
    let path = format!("$.layouts[{j}]");
    if !is_api_name(&l.api_name) {
        return Err(SeedError::invalid(
            file,
            format!("{path}.api_name"),
            format!("{:?} is not an api_name (letters, digits, _)", l.api_name),
        ));
    }
    if earlier.iter().any(|x| x.api_name() == l.api_name) {
        return Err(SeedError::invalid(
            file,
            format!("{path}.api_name"),
            format!("layout {:?} is defined twice", l.api_name),
        ));
    }
    if l.sections.is_empty() {
        return Err(SeedError::invalid(
            file,
            format!("{path}.sections"),
            "a layout needs at least one section",
        ));
    }
    let name = l.name.unwrap_or_else(|| l.api_name.clone());
    let id = ids.next();
    let mut placed: HashSet<&str> = HashSet::new();
    let mut sections = Vec::with_capacity(l.sections.len());
    for (k, s) in l.sections.into_iter().enumerate() {
        let mut section_fields = Vec::with_capacity(s.fields.len());
        for (n, api_name) in s.fields.iter().enumerate() {
            let where_ = format!("{path}.sections[{k}].fields[{n}]");
            let field = fields
                .iter()
                .find(|f| f.api_name == *api_name)
                .ok_or_else(|| {
                    SeedError::invalid(
                        file,
                        &where_,
                        format!("no field {api_name:?} in this module"),
                    )
                })?;
            if !placed.insert(field.api_name.as_str()) {
                return Err(SeedError::invalid(
                    file,
                    &where_,
                    format!("{api_name:?} is already placed in this layout"),
                ));
            }
            section_fields.push(SectionField {
                api_name: field.api_name.clone(),
                id: Some(field.id.clone()),
                field_label: field.field_label.clone(),
                data_type: Some(field.data_type.clone()),
            });
        }
        sections.push(Section {
            id: Some(ids.next()),
            name: Some(s.display_label.clone()),
            api_name: Some(s.display_label.replace(' ', "_")),
            display_label: Some(s.display_label),
            sequence_number: Some(k as i64 + 1),
            column_count: Some(s.column_count),
            fields: section_fields,
        });
    }
    Ok(Layout {
        id,
        display_label: Some(l.display_label.unwrap_or_else(|| name.clone())),
        name,
        api_name: Some(l.api_name),
        status: Some(l.status),
        visible: Some(l.visible),
        generated_type: Some(l.generated_type),
        sections,
    })
}

/// Resolves lookups between modules once all are loaded: module names must be unique and every
/// lookup must point at a module of the seed.
pub(super) fn link_modules(modules: &mut [BuiltModule]) -> Result<(), SeedError> {
    for i in 0..modules.len() {
        let name = &modules[i].schema.module.api_name;
        if modules[..i]
            .iter()
            .any(|m| m.schema.module.api_name == *name)
        {
            return Err(SeedError::invalid(
                &modules[i].file,
                "$.module.api_name",
                format!("another module file already defines {name:?}"),
            ));
        }
    }
    let directory: Vec<(String, crate::domain::Id)> = modules
        .iter()
        .map(|m| (m.schema.module.api_name.clone(), m.schema.module.id.clone()))
        .collect();
    for m in modules.iter_mut() {
        for (i, extra) in m.extras.iter_mut().enumerate() {
            let Some(target) = &extra.lookup_name else {
                continue;
            };
            let Some(t) = directory.iter().position(|(n, _)| n == target) else {
                return Err(SeedError::invalid(
                    &m.file,
                    format!("$.fields[{i}].lookup"),
                    format!("no module {target:?} in the seed"),
                ));
            };
            extra.lookup_target = Some(t);
            if let Some(Value::Object(lookup)) = m.schema.fields[i].lookup.as_mut() {
                lookup.insert(
                    "module".into(),
                    json!({ "api_name": target, "id": directory[t].1 }),
                );
            }
        }
    }
    Ok(())
}
