//! What the form's type-ahead lists offer, with the words an admin reads beside the API names:
//! the layout's fields with their types, the comparators a field's type takes, and the values
//! of a condition (a picklist's values, Zoho's date placeholders, `${EMPTY}` and the others).
//! Placeholders are offered only where the domain's `parse_operand` accepts them for the
//! row's comparator and field: the validator stays the one judge of what a value may be.

use serde_json::{Value, json};

use super::model::{CondForm, takes_list};
use super::options;
use crate::domain::Id;
use crate::domain::metadata::{DataType, Field, ModuleSchema};
use crate::domain::operand::{EMPTY, NOT_EMPTY, Operand, parse_operand};
use crate::domain::rule::Comparator;

/// One entry of a list: what the input gets, what is shown, and a note beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub value: String,
    pub label: String,
    /// The field's type, the comparator's API name, a placeholder's meaning.
    pub note: String,
    /// A value the input holds that the field no longer offers.
    pub dead: bool,
    /// Where the user types a number: the char index of `n` in `value` (`${LAST_N_DAYS:n}`).
    pub n_at: Option<usize>,
}

impl Item {
    fn new(value: impl Into<String>, label: impl Into<String>, note: impl Into<String>) -> Item {
        Item {
            value: value.into(),
            label: label.into(),
            note: note.into(),
            dead: false,
            n_at: None,
        }
    }

    /// What the type-ahead matches against: the label and the value (the API name).
    pub fn haystack(&self) -> String {
        if self.label == self.value {
            self.label.clone()
        } else {
            format!("{} {}", self.label, self.value)
        }
    }
}

/// A field's type as the CRM's field list names it.
pub fn type_name(dt: &DataType) -> &'static str {
    match dt {
        DataType::Text => "Text",
        DataType::Textarea => "Text area",
        DataType::Email => "Email",
        DataType::Phone => "Phone",
        DataType::Website => "URL",
        DataType::Autonumber => "Auto-number",
        DataType::Picklist => "Picklist",
        DataType::Multiselectpicklist => "Multi-select",
        DataType::Date => "Date",
        DataType::Datetime => "Date-time",
        DataType::Integer | DataType::Bigint => "Number",
        DataType::Currency => "Currency",
        DataType::Double | DataType::Decimal => "Decimal",
        DataType::Boolean => "Checkbox",
        DataType::Lookup => "Lookup",
        DataType::Ownerlookup | DataType::Userlookup => "User",
        DataType::Multiuserlookup => "Multi-user",
        DataType::Multiselectlookup => "Multi-lookup",
        DataType::Formula => "Formula",
        DataType::RollupSummary => "Rollup",
        DataType::Other(_) => "Other",
    }
}

/// The layout's fields (as `options::fields` chooses them), each with its type.
pub fn fields(schema: &ModuleSchema, layout: Option<&Id>) -> Vec<Item> {
    options::fields(schema, layout)
        .into_iter()
        .map(|c| {
            let note = schema
                .field(&c.value)
                .map_or("", |f| type_name(&f.effective_type()));
            Item::new(c.value, c.label, note)
        })
        .collect()
}

/// How a comparator reads in a sentence: `Rating is Hot`.
pub fn words(c: &Comparator) -> &str {
    match c {
        Comparator::Equal => "is",
        Comparator::NotEqual => "is not",
        Comparator::Like => "is like",
        Comparator::NotLike => "is not like",
        Comparator::LessThan => "less than",
        Comparator::LessEqual => "at most",
        Comparator::GreaterThan => "greater than",
        Comparator::GreaterEqual => "at least",
        Comparator::In => "is one of",
        Comparator::NotIn => "is none of",
        other => other.symbol(),
    }
}

/// The comparator's words with its API name beside them when the two differ by more than
/// the underscores: `is (equal)`, `starts with`.
pub fn comparator_label(c: &Comparator) -> String {
    let w = words(c);
    if w.replace(' ', "_") == c.as_str() {
        w.to_string()
    } else {
        format!("{w} ({})", c.as_str())
    }
}

/// The comparators the field's type takes: their words, the API name beside them.
pub fn comparators(schema: &ModuleSchema, field: &str) -> Vec<Item> {
    options::comparators(schema, field)
        .into_iter()
        .map(|c| {
            let cmp = Comparator::parse(&c.value);
            Item::new(c.value.clone(), words(&cmp), c.value)
        })
        .collect()
}

/// Zoho's date placeholders (B §1.3), with what each means; `n` marks where a number goes.
const DATES: &[(&str, &str)] = &[
    ("${TODAY}", "today"),
    ("${YESTERDAY}", "yesterday"),
    ("${TOMORROW}", "tomorrow"),
    ("${THISWEEK}", "this week"),
    ("${LASTWEEK}", "last week"),
    ("${NEXTWEEK}", "next week"),
    ("${THISMONTH}", "this month"),
    ("${LASTMONTH}", "last month"),
    ("${NEXTMONTH}", "next month"),
    ("${THISYEAR}", "this year"),
    ("${LASTYEAR}", "last year"),
    ("${NEXTYEAR}", "next year"),
    ("${LAST_N_DAYS:n}", "the last n days"),
    ("${LAST_N_WEEKS:n}", "the last n weeks"),
    ("${LAST_N_MONTHS:n}", "the last n months"),
    ("${LAST_N_YEARS:n}", "the last n years"),
    ("${NEXT_N_DAYS:n}", "the next n days"),
    ("${NEXT_N_WEEKS:n}", "the next n weeks"),
    ("${NEXT_N_MONTHS:n}", "the next n months"),
    ("${NEXT_N_YEARS:n}", "the next n years"),
    ("${AGEINDAYS}+n", "n days ago"),
    ("${DUEINDAYS}+n", "n days from today"),
];

/// Placeholders of any field, and of user fields.
const SPECIAL: &[(&str, &str)] = &[
    (EMPTY, "is empty"),
    (NOT_EMPTY, "has a value"),
    ("${CURRENTUSER}", "the current user"),
    ("${CURRENTUSERROLE}", "the current user's role"),
];

/// What a condition's value list offers, and whether several are picked at once (a picklist
/// with `in` / `not_in`). Empty when the field has nothing to choose from (free text, numbers).
pub fn values(field: &Field, row: &CondForm) -> (Vec<Item>, bool) {
    let cmp = Comparator::parse(&row.comparator);
    let dt = field.effective_type();
    let multi = matches!(cmp, Comparator::In | Comparator::NotIn);
    let mut items: Vec<Item> = Vec::new();
    if !field.pick_list_values.is_empty() {
        // Values typed or loaded that the field no longer has stay in the list, marked.
        for typed in typed_values(row) {
            let known = field.pick_list_values.iter().any(|p| {
                p.actual_value.eq_ignore_ascii_case(&typed)
                    || p.display_value.eq_ignore_ascii_case(&typed)
            });
            if !known && !typed.starts_with("${") {
                items.push(Item {
                    dead: true,
                    ..Item::new(typed.clone(), typed, "no longer a value of this field")
                });
            }
        }
        items.extend(field.pick_list_values.iter().map(|p| {
            let note = if p.display_value == p.actual_value {
                String::new()
            } else {
                p.actual_value.clone()
            };
            Item::new(p.actual_value.clone(), p.display_value.clone(), note)
        }));
    } else if dt == DataType::Boolean {
        items.push(Item::new("true", "true", "checked"));
        items.push(Item::new("false", "false", "not checked"));
    }
    if dt.is_temporal() {
        items.extend(DATES.iter().filter_map(|(p, w)| {
            // The placeholders are ASCII: the byte index is the char index.
            let n_at = (p.ends_with(":n}") || p.ends_with("+n"))
                .then(|| p.rfind('n'))
                .flatten();
            accepts(&cmp, field, &p.replace(":n", ":1").replace("+n", "+1")).then(|| Item {
                n_at,
                ..Item::new(*p, *p, *w)
            })
        }));
    }
    items.extend(
        SPECIAL
            .iter()
            .filter(|(p, _)| accepts(&cmp, field, p))
            .map(|(p, w)| Item::new(*p, *p, *w)),
    );
    (items, multi)
}

/// The row's value as separate values (`in` and `between` hold several, comma-separated).
pub fn typed_values(row: &CondForm) -> Vec<String> {
    let text = row.value.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if takes_list(&row.comparator) {
        text.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    } else {
        vec![text.to_string()]
    }
}

/// Whether the domain reads the placeholder `value` as a placeholder (not as plain text: a
/// text field takes `${CURRENTUSER}` as the literal words) for `cmp` on `field`, in the shape
/// the comparator sends it (two values for `between`, a list for `in`).
fn accepts(cmp: &Comparator, field: &Field, value: &str) -> bool {
    let v: Value = match cmp {
        Comparator::Between | Comparator::NotBetween => json!([value, value]),
        _ if takes_list(cmp.as_str()) => json!([value]),
        _ => Value::String(value.to_string()),
    };
    parse_operand(cmp, field, &v).is_ok_and(|op| !matches!(op, Operand::Text(_)))
}
