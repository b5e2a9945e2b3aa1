//! Compiled leaf tests and how they read a record's value.
//!
//! A `Test` is the positive form of a comparator with its operand pre-converted (needles
//! lowercased, numbers as `f64`, dates as spans, lookup ids resolved); negated comparators are
//! the same test with `Leaf::negate` set. Each test reads only the value kinds its field type
//! stores; any other kind, `Null` and empty values count as "no value", which fails every
//! positive test and therefore passes every negated one.

use super::dates::{Axis, DAY, Span};
use super::fold::{self, Needle, TextOp};
use crate::domain::id::Id;
use crate::domain::record::{FieldValue, LookupValue};

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Test {
    /// The condition does not resolve (unknown field, value that does not parse, …).
    Never,
    /// `${EMPTY}`-style: the value is Null, "" or an empty list.
    Empty,
    /// Any needle matches the text.
    Text(TextOp, Box<[Needle]>),
    /// A multi-select picklist's selection includes any of the needles.
    Selection(Box<[Needle]>),
    Number(NumTest),
    Time(Axis, TimeTest),
    Bool(bool),
    /// The lookup's id, or any of a multi lookup's ids, is one of these.
    LookupAny(Box<[Id]>),
    /// A multi lookup holds every one of these ids.
    LookupAll(Box<[Id]>),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum NumTest {
    AnyOf(Box<[f64]>),
    Less(f64),
    LessEqual(f64),
    Greater(f64),
    GreaterEqual(f64),
    /// Inclusive on both ends; matches nothing when the bounds are inverted.
    Between(f64, f64),
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum TimeTest {
    /// Inside any of the spans.
    Within(Box<[Span]>),
    Before(i64),
    AtOrAfter(i64),
}

/// One leaf of the flattened criteria program: a test and where to go next.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Leaf {
    /// Index into `Record::values` (aligned with `ModuleSchema::fields`).
    pub field: u32,
    pub negate: bool,
    pub test: Test,
    /// Next leaf index, or `TRUE` / `FALSE` (see `program`), when the test passes / fails.
    pub on_true: u32,
    pub on_false: u32,
}

static NULL: FieldValue = FieldValue::Null;

impl Leaf {
    #[inline]
    pub fn eval(&self, values: &[FieldValue]) -> bool {
        let value = values.get(self.field as usize).unwrap_or(&NULL);
        match &self.test {
            Test::Never => false,
            test => test.positive(value) != self.negate,
        }
    }
}

impl Test {
    #[inline]
    pub(super) fn positive(&self, value: &FieldValue) -> bool {
        match self {
            Test::Never => false,
            Test::Empty => value.is_empty(),
            Test::Text(op, needles) => match value {
                FieldValue::Text(s) if !s.is_empty() => any_text(*op, needles, s),
                _ => false,
            },
            Test::Selection(needles) => match value {
                FieldValue::Multi(items) => items
                    .iter()
                    .any(|s| !s.is_empty() && any_text(TextOp::Equal, needles, s)),
                // A single stored choice reads as a selection of one.
                FieldValue::Text(s) if !s.is_empty() => any_text(TextOp::Equal, needles, s),
                _ => false,
            },
            Test::Number(t) => match value {
                FieldValue::Number(v) => t.eval(*v),
                _ => false,
            },
            Test::Time(axis, t) => time_value(value, *axis).is_some_and(|v| t.eval(v)),
            Test::Bool(b) => matches!(value, FieldValue::Bool(v) if v == b),
            Test::LookupAny(ids) => match value {
                FieldValue::Lookup(l) => has_id(ids, l),
                FieldValue::MultiLookup(ls) => ls.iter().any(|l| has_id(ids, l)),
                _ => false,
            },
            Test::LookupAll(ids) => match value {
                FieldValue::Lookup(l) => ids.iter().all(|id| *id == l.id),
                FieldValue::MultiLookup(ls) if !ls.is_empty() => {
                    ids.iter().all(|id| ls.iter().any(|l| l.id == *id))
                }
                _ => false,
            },
        }
    }
}

impl Test {
    /// `positive(&FieldValue::Text(value))` without building the value: the batch evaluator
    /// keeps distinct texts in one buffer.
    #[inline]
    pub(super) fn positive_text(&self, value: &str) -> bool {
        match self {
            Test::Empty => value.is_empty(),
            Test::Text(op, needles) => !value.is_empty() && any_text(*op, needles, value),
            Test::Selection(needles) => {
                !value.is_empty() && any_text(TextOp::Equal, needles, value)
            }
            // Numbers, times, booleans and lookups never read text.
            _ => false,
        }
    }
}

#[inline]
fn any_text(op: TextOp, needles: &[Needle], value: &str) -> bool {
    fold::any_match(op, needles, value)
}

#[inline]
fn has_id(ids: &[Id], l: &LookupValue) -> bool {
    ids.contains(&l.id)
}

/// A date or date-time value on `axis`. A value stored with the other granularity is read
/// leniently: a date as the start of its UTC day, a date-time as the UTC day it falls on.
#[inline]
pub(super) fn time_value(value: &FieldValue, axis: Axis) -> Option<i64> {
    match (value, axis) {
        (FieldValue::Date(d), Axis::Days) => Some(i64::from(*d)),
        (FieldValue::Date(d), Axis::Seconds) => Some(i64::from(*d) * DAY),
        (FieldValue::DateTime(s), Axis::Seconds) => Some(*s),
        (FieldValue::DateTime(s), Axis::Days) => Some(s.div_euclid(DAY)),
        _ => None,
    }
}

impl NumTest {
    #[inline]
    pub(super) fn eval(&self, v: f64) -> bool {
        match *self {
            NumTest::AnyOf(ref xs) => xs.contains(&v),
            NumTest::Less(x) => v < x,
            NumTest::LessEqual(x) => v <= x,
            NumTest::Greater(x) => v > x,
            NumTest::GreaterEqual(x) => v >= x,
            NumTest::Between(lo, hi) => lo <= v && v <= hi,
        }
    }
}

impl TimeTest {
    #[inline]
    pub(super) fn eval(&self, v: i64) -> bool {
        match *self {
            TimeTest::Within(ref spans) => spans.iter().any(|s| s.contains(v)),
            TimeTest::Before(x) => v < x,
            TimeTest::AtOrAfter(x) => v >= x,
        }
    }
}
