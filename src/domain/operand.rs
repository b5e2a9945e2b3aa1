//! What a condition's `value` means: which comparators a field's data type takes, and the typed
//! operand a `(comparator, field, value)` triple reads as.
//!
//! This is the one place that decides the value shapes of B §1.3: validation accepts a value
//! exactly when `parse_operand` does, and the evaluator compiles conditions from the same
//! `Operand`, so what the forms accept, what the sandbox accepts and what gets scored agree.

use chrono::{DateTime, NaiveDate};
use serde_json::Value;

use super::id::{Id, id_from_json};
use super::metadata::{DataType, Field};
use super::rule::Comparator;

pub const EMPTY: &str = "${EMPTY}";
pub const NOT_EMPTY: &str = "${NOTEMPTY}";
/// Most values an array operand may hold (OAS-new `maxItems`).
pub const MAX_VALUES: usize = 500;
/// Most lookups in an include/exclude operand of a request.
pub const MAX_LOOKUP_VALUES: usize = 5;

pub use super::comparators::comparators_for;

use Comparator as C;

/// The typed meaning of a condition's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `${EMPTY}`: with `equal` the field is empty, with `not_equal` it has a value.
    Empty,
    /// `${NOTEMPTY}`: the reverse of `Empty`.
    NotEmpty,
    Text(Vec<String>),
    Number(Vec<f64>),
    Bool(bool),
    Date(Vec<DateSpec>),
    Lookup(Vec<LookupSpec>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum LookupSpec {
    Id(Id),
    CurrentUser,
    CurrentUserRole,
}

/// A point or period in time as a criterion names it; resolved against "now" when evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum DateSpec {
    /// A calendar day (days since 1970-01-01).
    Day(i32),
    /// An instant (seconds since the epoch).
    Instant(i64),
    Relative(Relative),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relative {
    Today,
    Yesterday,
    Tomorrow,
    ThisWeek,
    LastWeek,
    NextWeek,
    ThisMonth,
    LastMonth,
    NextMonth,
    ThisYear,
    LastYear,
    NextYear,
    /// `${LAST_N_DAYS:n}` and friends: the n units before today.
    LastN(u32, Unit),
    /// `${NEXT_N_DAYS:n}` and friends: the n units after today.
    NextN(u32, Unit),
    /// `${AGEINDAYS}+n`: the day n days ago.
    AgeInDays(i64),
    /// `${DUEINDAYS}+n`: the day n days ahead.
    DueInDays(i64),
}

/// Why a value does not fit; turned into an INVALID_DATA violation at `….value`.
#[derive(Clone, Debug, PartialEq)]
pub struct OperandError {
    /// Zoho's wire message.
    pub message: &'static str,
    /// What a person should read.
    pub hint: String,
    /// `details.expected_data_type`, when the problem is the JSON type.
    pub expected_data_type: Option<&'static str>,
    /// `details.supported_values`, when the value must be one of a list (picklists).
    pub supported_values: Option<Vec<String>>,
}

impl OperandError {
    fn shape(hint: impl Into<String>, expected: &'static str) -> Self {
        OperandError {
            message: "Invalid data type",
            hint: hint.into(),
            expected_data_type: Some(expected),
            supported_values: None,
        }
    }

    fn invalid(hint: impl Into<String>) -> Self {
        OperandError {
            message: "invalid data",
            hint: hint.into(),
            expected_data_type: None,
            supported_values: None,
        }
    }
}

/// Reads `value` as the operand of `comparator` on `field`. The comparator must already be one
/// `comparators_for(field.effective_type())` allows (validation checks that first).
pub fn parse_operand(
    comparator: &Comparator,
    field: &Field,
    value: &Value,
) -> Result<Operand, OperandError> {
    let dt = field.effective_type();
    if let Value::String(s) = value {
        let placeholder = s.trim();
        if placeholder == EMPTY || placeholder == NOT_EMPTY {
            if !matches!(comparator, C::Equal | C::NotEqual) {
                return Err(OperandError::invalid(format!(
                    "{placeholder} works only with equal / not_equal, not {}",
                    comparator.as_str()
                )));
            }
            return Ok(if placeholder == EMPTY {
                Operand::Empty
            } else {
                Operand::NotEmpty
            });
        }
    }
    match comparator {
        C::Between | C::NotBetween => {
            let items = value
                .as_array()
                .ok_or_else(|| OperandError::shape("between takes [lower, upper]", "jsonarray"))?;
            if items.len() != 2 {
                return Err(OperandError::invalid(format!(
                    "between takes exactly two values [lower, upper], got {}",
                    items.len()
                )));
            }
            scalars(&dt, field, items)
        }
        C::In | C::NotIn => {
            let items = value.as_array().ok_or_else(|| {
                OperandError::shape("in / not_in take a list of values", "jsonarray")
            })?;
            check_count(items.len(), MAX_VALUES)?;
            scalars(&dt, field, items)
        }
        C::IncludeAll | C::IncludeAny | C::ExcludeAll | C::ExcludeAny => {
            let items = value.as_array().ok_or_else(|| {
                OperandError::shape("include / exclude take a list of lookups", "jsonarray")
            })?;
            check_count(items.len(), MAX_LOOKUP_VALUES)?;
            items
                .iter()
                .map(lookup)
                .collect::<Result<_, _>>()
                .map(Operand::Lookup)
        }
        C::LessThan | C::LessEqual | C::GreaterThan | C::GreaterEqual => {
            if value.is_array() {
                return Err(OperandError::shape(
                    format!("{} takes a single value", comparator.as_str()),
                    if dt.is_numeric() { "double" } else { "text" },
                ));
            }
            scalars(&dt, field, std::slice::from_ref(value))
        }
        C::Like | C::NotLike | C::StartsWith | C::EndsWith | C::Contains | C::NotContains => {
            let items = one_or_many(value)?;
            let mut out = Vec::with_capacity(items.len());
            for v in items {
                let s = v
                    .as_str()
                    .ok_or_else(|| OperandError::shape("text comparators take text", "text"))?;
                if s.is_empty() {
                    return Err(OperandError::invalid(format!(
                        "{} needs some text to look for",
                        comparator.as_str()
                    )));
                }
                out.push(s.to_string());
            }
            Ok(Operand::Text(out))
        }
        C::Equal | C::NotEqual => {
            let items = one_or_many(value)?;
            scalars(&dt, field, items)
        }
        C::Unknown(s) => Err(OperandError::invalid(format!("unknown comparator {s:?}"))),
    }
}

fn one_or_many(value: &Value) -> Result<&[Value], OperandError> {
    match value {
        Value::Array(items) => {
            check_count(items.len(), MAX_VALUES)?;
            Ok(items.as_slice())
        }
        Value::Null => Err(OperandError::invalid("a value is required")),
        v => Ok(std::slice::from_ref(v)),
    }
}

fn check_count(n: usize, max: usize) -> Result<(), OperandError> {
    if n == 0 {
        Err(OperandError::invalid("give at least one value"))
    } else if n > max {
        Err(OperandError::invalid(format!("at most {max} values ({n})")))
    } else {
        Ok(())
    }
}

/// Values of the field's own kind: numbers for numeric fields, dates for date fields, ….
fn scalars(dt: &DataType, field: &Field, items: &[Value]) -> Result<Operand, OperandError> {
    if dt.is_numeric() {
        items
            .iter()
            .map(number)
            .collect::<Result<_, _>>()
            .map(Operand::Number)
    } else if dt.is_temporal() {
        let datetime = *dt == DataType::Datetime;
        items
            .iter()
            .map(|v| date(v, datetime))
            .collect::<Result<_, _>>()
            .map(Operand::Date)
    } else if *dt == DataType::Boolean {
        match items {
            [v] => boolean(v).map(Operand::Bool),
            _ => Err(OperandError::shape(
                "a checkbox compares with true or false",
                "boolean",
            )),
        }
    } else if dt.is_lookup() || dt.is_multi_lookup() {
        items
            .iter()
            .map(lookup)
            .collect::<Result<_, _>>()
            .map(Operand::Lookup)
    } else {
        let mut out = Vec::with_capacity(items.len());
        for v in items {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err(OperandError::shape("this field compares with text", "text")),
            };
            if matches!(dt, DataType::Picklist | DataType::Multiselectpicklist)
                && !field.pick_list_values.is_empty()
            {
                let known = field.pick_list_values.iter().any(|p| {
                    p.actual_value.eq_ignore_ascii_case(&s)
                        || p.display_value.eq_ignore_ascii_case(&s)
                });
                if !known {
                    let supported: Vec<String> = field
                        .pick_list_values
                        .iter()
                        .map(|p| p.actual_value.clone())
                        .collect();
                    return Err(OperandError {
                        message: "invalid data",
                        hint: format!("{s:?} is not a value of {}", field.label()),
                        expected_data_type: None,
                        supported_values: Some(supported),
                    });
                }
            }
            out.push(s);
        }
        Ok(Operand::Text(out))
    }
}

fn number(v: &Value) -> Result<f64, OperandError> {
    match v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| OperandError::invalid("not a finite number")),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| OperandError::shape(format!("{s:?} is not a number"), "double")),
        _ => Err(OperandError::shape(
            "this field compares with numbers",
            "double",
        )),
    }
}

fn boolean(v: &Value) -> Result<bool, OperandError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(OperandError::shape(
            "a checkbox compares with true or false",
            "boolean",
        )),
    }
}

fn lookup(v: &Value) -> Result<LookupSpec, OperandError> {
    let special = |s: &str| match s.trim() {
        "${CURRENTUSER}" => Some(LookupSpec::CurrentUser),
        "${CURRENTUSERROLE}" => Some(LookupSpec::CurrentUserRole),
        _ => None,
    };
    match v {
        Value::Object(m) => {
            for key in ["id", "name"] {
                if let Some(s) = m.get(key).and_then(Value::as_str)
                    && let Some(sp) = special(s)
                {
                    return Ok(sp);
                }
            }
            m.get("id")
                .and_then(id_from_json)
                .map(LookupSpec::Id)
                .ok_or_else(|| {
                    OperandError::invalid("a lookup value needs the record's numeric id")
                })
        }
        Value::String(s) => special(s)
            .or_else(|| Id::parse(s).map(LookupSpec::Id))
            .ok_or_else(|| OperandError::invalid(format!("{s:?} is not a record id"))),
        Value::Number(_) => id_from_json(v)
            .map(LookupSpec::Id)
            .ok_or_else(|| OperandError::invalid("not a record id")),
        _ => Err(OperandError::shape(
            "a lookup compares with {\"id\": …}",
            "jsonobject",
        )),
    }
}

fn date(v: &Value, datetime: bool) -> Result<DateSpec, OperandError> {
    let s = v
        .as_str()
        .ok_or_else(|| {
            OperandError::shape("dates are written as text, e.g. \"2025-01-31\"", "text")
        })?
        .trim();
    if let Some(r) = parse_relative(s) {
        return Ok(DateSpec::Relative(r));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        // A bare date means the whole day, on date-time fields too.
        return Ok(DateSpec::Day(days_from_epoch(d)));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(if datetime {
            DateSpec::Instant(t.timestamp())
        } else {
            DateSpec::Day(days_from_epoch(t.date_naive()))
        });
    }
    Err(OperandError::invalid(format!(
        "{s:?} is not a date (use YYYY-MM-DD, an ISO date-time, or a placeholder such as ${{TODAY}} or ${{LAST_N_DAYS:30}})"
    )))
}

pub fn days_from_epoch(d: NaiveDate) -> i32 {
    const EPOCH_CE_DAYS: i32 = 719_163;
    use chrono::Datelike;
    d.num_days_from_ce() - EPOCH_CE_DAYS
}

fn parse_relative(s: &str) -> Option<Relative> {
    let fixed = match s {
        "${TODAY}" => Some(Relative::Today),
        "${YESTERDAY}" => Some(Relative::Yesterday),
        "${TOMORROW}" => Some(Relative::Tomorrow),
        "${THISWEEK}" => Some(Relative::ThisWeek),
        "${LASTWEEK}" => Some(Relative::LastWeek),
        "${NEXTWEEK}" => Some(Relative::NextWeek),
        "${THISMONTH}" => Some(Relative::ThisMonth),
        "${LASTMONTH}" => Some(Relative::LastMonth),
        "${NEXTMONTH}" => Some(Relative::NextMonth),
        "${THISYEAR}" => Some(Relative::ThisYear),
        "${LASTYEAR}" => Some(Relative::LastYear),
        "${NEXTYEAR}" => Some(Relative::NextYear),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    for (prefix, make) in [
        ("${AGEINDAYS}", Relative::AgeInDays as fn(i64) -> Relative),
        ("${DUEINDAYS}", Relative::DueInDays as fn(i64) -> Relative),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let rest = rest.trim();
            let n = if rest.is_empty() {
                0
            } else {
                rest.strip_prefix('+').unwrap_or(rest).trim().parse().ok()?
            };
            return Some(make(n));
        }
    }
    let inner = s.strip_prefix("${")?.strip_suffix('}')?;
    let (head, n) = inner.split_once(':')?;
    let n: u32 = n.parse().ok()?;
    let (dir, unit) = head.split_at(head.find("N_")? + 2);
    let unit = match unit {
        "DAYS" => Unit::Days,
        "WEEKS" => Unit::Weeks,
        "MONTHS" => Unit::Months,
        "YEARS" => Unit::Years,
        _ => return None,
    };
    match dir {
        "LAST_N_" => Some(Relative::LastN(n, unit)),
        "NEXT_N_" => Some(Relative::NextN(n, unit)),
        _ => None,
    }
}

/// Relative dates a form offers for date and date-time fields, each one `parse_operand` reads
/// (the `n` forms with a typical n, which the user can edit).
pub const DATE_PRESETS: &[&str] = &[
    "${TODAY}",
    "${YESTERDAY}",
    "${TOMORROW}",
    "${THISWEEK}",
    "${LASTWEEK}",
    "${NEXTWEEK}",
    "${THISMONTH}",
    "${LASTMONTH}",
    "${NEXTMONTH}",
    "${THISYEAR}",
    "${LASTYEAR}",
    "${NEXTYEAR}",
    "${LAST_N_DAYS:30}",
    "${NEXT_N_DAYS:30}",
    "${AGEINDAYS}+30",
    "${DUEINDAYS}+30",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metadata::PickListValue;
    use serde_json::json;

    fn field(dt: DataType) -> Field {
        Field {
            id: Id::new("1"),
            api_name: "F".into(),
            field_label: Some("F".into()),
            display_label: None,
            data_type: dt,
            json_type: None,
            custom_field: None,
            read_only: None,
            visible: None,
            system_mandatory: None,
            length: None,
            decimal_place: None,
            pick_list_values: vec![],
            lookup: None,
            formula: None,
            rollup_summary: None,
        }
    }

    #[test]
    fn every_date_preset_reads_as_a_date() {
        for dt in [DataType::Date, DataType::Datetime] {
            for p in DATE_PRESETS {
                let got = parse_operand(&C::LessThan, &field(dt.clone()), &json!(p));
                assert!(matches!(got, Ok(Operand::Date(_))), "{p}: {got:?}");
            }
        }
    }

    #[test]
    fn placeholders_work_only_with_equality() {
        let f = field(DataType::Text);
        assert_eq!(
            parse_operand(&C::NotEqual, &f, &json!("${EMPTY}")),
            Ok(Operand::Empty)
        );
        assert!(parse_operand(&C::Contains, &f, &json!("${EMPTY}")).is_err());
    }

    #[test]
    fn between_needs_exactly_two_values_of_the_fields_kind() {
        let f = field(DataType::Integer);
        assert_eq!(
            parse_operand(&C::Between, &f, &json!([1, 5])),
            Ok(Operand::Number(vec![1.0, 5.0]))
        );
        assert!(parse_operand(&C::Between, &f, &json!([1])).is_err());
        assert!(parse_operand(&C::Between, &f, &json!(["a", "b"])).is_err());
    }

    #[test]
    fn dates_and_relative_placeholders() {
        let f = field(DataType::Date);
        assert_eq!(
            parse_operand(&C::Equal, &f, &json!("1970-01-02")),
            Ok(Operand::Date(vec![DateSpec::Day(1)]))
        );
        assert_eq!(
            parse_operand(&C::GreaterThan, &f, &json!("${DUEINDAYS}+12")),
            Ok(Operand::Date(vec![DateSpec::Relative(
                Relative::DueInDays(12)
            )]))
        );
        assert_eq!(
            parse_operand(&C::GreaterThan, &f, &json!("${LAST_N_WEEKS:3}")),
            Ok(Operand::Date(vec![DateSpec::Relative(Relative::LastN(
                3,
                Unit::Weeks
            ))]))
        );
        assert!(parse_operand(&C::Equal, &f, &json!("31/01/2025")).is_err());
    }

    #[test]
    fn picklist_values_must_exist() {
        let mut f = field(DataType::Picklist);
        f.pick_list_values = vec![PickListValue {
            display_value: "Hot".into(),
            actual_value: "Hot".into(),
            id: None,
            sequence_number: None,
            kind: None,
        }];
        assert!(parse_operand(&C::Equal, &f, &json!("hot")).is_ok());
        let e = parse_operand(&C::In, &f, &json!(["Hot", "Lukewarm"])).unwrap_err();
        assert_eq!(e.supported_values, Some(vec!["Hot".to_string()]));
    }

    #[test]
    fn every_type_allows_equality() {
        for dt in [
            "text",
            "picklist",
            "integer",
            "date",
            "boolean",
            "lookup",
            "multiuserlookup",
            "weird",
        ] {
            assert!(
                comparators_for(&DataType::parse(dt)).contains(&C::Equal),
                "{dt}"
            );
        }
        assert!(!comparators_for(&DataType::Boolean).contains(&C::Contains));
    }
}
