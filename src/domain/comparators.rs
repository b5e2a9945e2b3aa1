//! Which comparators a field's data type takes (B §1.3): the one table the validator, the
//! evaluator, the audit, lint and the form's comparator choices read.

use super::metadata::DataType;
use super::rule::Comparator;

use Comparator as C;

const TEXT: &[Comparator] = &[
    C::Equal,
    C::NotEqual,
    C::Like,
    C::NotLike,
    C::StartsWith,
    C::EndsWith,
    C::Contains,
    C::NotContains,
    C::In,
    C::NotIn,
];
const PICKLIST: &[Comparator] = &[
    C::Equal,
    C::NotEqual,
    C::In,
    C::NotIn,
    C::StartsWith,
    C::EndsWith,
    C::Contains,
    C::NotContains,
];
const MULTI_PICKLIST: &[Comparator] = &[
    C::Equal,
    C::NotEqual,
    C::In,
    C::NotIn,
    C::Contains,
    C::NotContains,
];
const NUMBER: &[Comparator] = &[
    C::Equal,
    C::NotEqual,
    C::LessThan,
    C::LessEqual,
    C::GreaterThan,
    C::GreaterEqual,
    C::Between,
    C::NotBetween,
    C::In,
    C::NotIn,
];
const TEMPORAL: &[Comparator] = &[
    C::Equal,
    C::NotEqual,
    C::LessThan,
    C::LessEqual,
    C::GreaterThan,
    C::GreaterEqual,
    C::Between,
    C::NotBetween,
];
const EQUALITY: &[Comparator] = &[C::Equal, C::NotEqual];
const MULTI_LOOKUP: &[Comparator] = &[
    C::Equal,
    C::NotEqual,
    C::IncludeAll,
    C::IncludeAny,
    C::ExcludeAll,
    C::ExcludeAny,
];

/// Comparators a field of this (effective) data type accepts.
pub fn comparators_for(dt: &DataType) -> &'static [Comparator] {
    match dt {
        DataType::Picklist => PICKLIST,
        DataType::Multiselectpicklist => MULTI_PICKLIST,
        t if t.is_textual() => TEXT,
        t if t.is_numeric() => NUMBER,
        t if t.is_temporal() => TEMPORAL,
        t if t.is_multi_lookup() => MULTI_LOOKUP,
        _ => EQUALITY,
    }
}
