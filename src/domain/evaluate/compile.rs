//! From a condition to a `Leaf`, and from a criteria tree to a flat jump program.
//!
//! A criteria tree compiles to its leaves in depth-first order, each carrying the index of the
//! leaf to evaluate next when it passes and when it fails (the classic short-circuit code
//! generation for boolean expressions). In an AND group a passing member jumps to the next
//! member and a failing one to wherever the whole group's failure goes; OR is the mirror image.
//! Evaluation is then a loop over a slice with no recursion and no stack; every jump goes
//! forward, so it always terminates.
//!
//! Conditions go through `operand::parse_operand`, the same reading validation uses. Anything
//! that does not resolve compiles to `Test::Never` and is reported as disrupted.

use super::compare::{Leaf, NumTest, Test, TimeTest};
use super::dates::{Axis, Span, resolve};
use super::fold::{Needle, TextOp};
use super::{EvalContext, FALSE, TRUE};
use crate::domain::id::Id;
use crate::domain::metadata::{DataType, ModuleSchema};
use crate::domain::operand::{LookupSpec, Operand, comparators_for, parse_operand};
use crate::domain::rule::{Comparator, Condition, Criteria, GroupOperator};

/// Appends the leaves of `criteria` to `leaves`, linked, and returns the entry point (a leaf
/// index, or `TRUE`/`FALSE` when the criteria is a constant such as an empty group).
/// `disrupted` receives the depth-first positions, within this criteria, of unresolvable leaves.
pub(super) fn compile_criteria(
    criteria: &Criteria,
    schema: &ModuleSchema,
    ctx: &EvalContext,
    leaves: &mut Vec<Leaf>,
    disrupted: &mut Vec<usize>,
) -> u32 {
    let base = leaves.len();
    for (i, condition) in criteria.conditions().into_iter().enumerate() {
        let (field, negate, test) =
            compile_condition(condition, schema, ctx).unwrap_or_else(|| {
                disrupted.push(i);
                (0, false, Test::Never)
            });
        leaves.push(Leaf {
            field,
            negate,
            test,
            on_true: TRUE,
            on_false: FALSE,
        });
    }
    link(criteria, base, TRUE, FALSE, leaves)
}

/// Sets the jump targets of the leaves of `criteria` (whose first leaf is `first`), given where
/// control goes when the whole criteria is true (`t`) or false (`f`); returns its entry point.
fn link(criteria: &Criteria, first: usize, t: u32, f: u32, leaves: &mut [Leaf]) -> u32 {
    match criteria {
        Criteria::Condition(_) => match leaves.get_mut(first) {
            Some(leaf) => {
                leaf.on_true = t;
                leaf.on_false = f;
                first as u32
            }
            None => f,
        },
        Criteria::Group(g) => {
            let mut starts = Vec::with_capacity(g.group.len());
            let mut at = first;
            for member in &g.group {
                starts.push(at);
                at += member.leaf_count();
            }
            // An empty group has no member to enter: it is false, like any unresolvable part.
            if g.group.is_empty() {
                return f;
            }
            // Members are linked last to first so each knows the entry of the one after it.
            let mut next = match g.group_operator {
                GroupOperator::And => t,
                GroupOperator::Or => f,
            };
            for (member, start) in g.group.iter().zip(starts).rev() {
                next = match g.group_operator {
                    GroupOperator::And => link(member, start, next, f, leaves),
                    GroupOperator::Or => link(member, start, t, next, leaves),
                };
            }
            next
        }
    }
}

/// `(field index, negate, test)`, or `None` when the condition cannot be resolved.
fn compile_condition(
    c: &Condition,
    schema: &ModuleSchema,
    ctx: &EvalContext,
) -> Option<(u32, bool, Test)> {
    let index = schema
        .fields
        .iter()
        .position(|f| f.api_name == c.field.api_name)?;
    let field = schema.fields.get(index)?;
    // A value that names another field or a merge field would need that field's value, which
    // the criteria model does not carry: comparing it as a literal would score wrongly.
    if matches!(c.kind.as_deref(), Some("field" | "merge_field")) {
        return None;
    }
    let dt = field.effective_type();
    if !comparators_for(&dt).contains(&c.comparator) {
        return None;
    }
    let operand = parse_operand(&c.comparator, field, &c.value).ok()?;
    let (negate, test) = compile_operand(&dt, &c.comparator, operand, ctx)?;
    Some((u32::try_from(index).ok()?, negate, test))
}

/// The positive form a comparator is evaluated as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Base {
    Equal,
    Text(TextOp),
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Between,
    IncludeAny,
    IncludeAll,
}

/// `(base, negate)`: every negated comparator is exactly "not" its positive partner, so a
/// value that fails the positive test (including Null and empty) passes the negated one.
fn split(c: &Comparator) -> Option<(Base, bool)> {
    use Comparator as C;
    Some(match c {
        C::Equal | C::In => (Base::Equal, false),
        C::NotEqual | C::NotIn => (Base::Equal, true),
        C::Like => (Base::Text(TextOp::Like), false),
        C::NotLike => (Base::Text(TextOp::Like), true),
        C::StartsWith => (Base::Text(TextOp::StartsWith), false),
        C::EndsWith => (Base::Text(TextOp::EndsWith), false),
        C::Contains => (Base::Text(TextOp::Contains), false),
        C::NotContains => (Base::Text(TextOp::Contains), true),
        C::LessThan => (Base::Less, false),
        C::LessEqual => (Base::LessEqual, false),
        C::GreaterThan => (Base::Greater, false),
        C::GreaterEqual => (Base::GreaterEqual, false),
        C::Between => (Base::Between, false),
        C::NotBetween => (Base::Between, true),
        C::IncludeAny => (Base::IncludeAny, false),
        C::ExcludeAll => (Base::IncludeAny, true),
        C::IncludeAll => (Base::IncludeAll, false),
        C::ExcludeAny => (Base::IncludeAll, true),
        C::Unknown(_) => return None,
    })
}

pub(super) fn compile_operand(
    dt: &DataType,
    comparator: &Comparator,
    operand: Operand,
    ctx: &EvalContext,
) -> Option<(bool, Test)> {
    let (base, negate) = split(comparator)?;
    let test = match operand {
        // equal ${EMPTY} / not_equal ${NOTEMPTY}: is empty; the other two: has a value.
        Operand::Empty | Operand::NotEmpty => {
            let wants_empty = (operand == Operand::Empty) != negate;
            return Some((!wants_empty, Test::Empty));
        }
        Operand::Text(values) => text_test(dt, base, &values)?,
        Operand::Number(values) => Test::Number(number_test(base, &values)?),
        Operand::Date(specs) => {
            let axis = if *dt == DataType::Datetime {
                Axis::Seconds
            } else {
                Axis::Days
            };
            let spans: Vec<Span> = specs.iter().map(|s| resolve(s, axis, ctx.now)).collect();
            Test::Time(axis, time_test(base, &spans)?)
        }
        Operand::Bool(b) if base == Base::Equal => Test::Bool(b),
        Operand::Bool(_) => return None,
        Operand::Lookup(specs) => {
            // One unresolvable member (no current user) makes the whole condition unresolvable:
            // dropping it would silently widen include_all / narrow not_equal.
            let ids = specs
                .iter()
                .map(|s| match s {
                    LookupSpec::Id(id) => Some(id.clone()),
                    LookupSpec::CurrentUser => ctx.current_user.clone(),
                    LookupSpec::CurrentUserRole => ctx.current_role.clone(),
                })
                .collect::<Option<Box<[Id]>>>()?;
            match base {
                Base::Equal | Base::IncludeAny => Test::LookupAny(ids),
                Base::IncludeAll => Test::LookupAll(ids),
                _ => return None,
            }
        }
    };
    Some((negate, test))
}

fn text_test(dt: &DataType, base: Base, values: &[String]) -> Option<Test> {
    let needles: Box<[Needle]> = values.iter().map(|v| Needle::new(v)).collect();
    if *dt == DataType::Multiselectpicklist {
        // On a selection, equal / in / contains all ask "is one of these chosen".
        return match base {
            Base::Equal | Base::Text(TextOp::Contains) => Some(Test::Selection(needles)),
            _ => None,
        };
    }
    match base {
        Base::Equal => Some(Test::Text(TextOp::Equal, needles)),
        Base::Text(op) => Some(Test::Text(op, needles)),
        _ => None,
    }
}

fn number_test(base: Base, values: &[f64]) -> Option<NumTest> {
    let first = values.first().copied();
    Some(match base {
        Base::Equal => NumTest::AnyOf(values.into()),
        Base::Less => NumTest::Less(first?),
        Base::LessEqual => NumTest::LessEqual(first?),
        Base::Greater => NumTest::Greater(first?),
        Base::GreaterEqual => NumTest::GreaterEqual(first?),
        Base::Between => match values {
            [lo, hi] => NumTest::Between(*lo, *hi),
            _ => return None,
        },
        _ => return None,
    })
}

/// Against a span `[s, e)`: `<` is before `s`, `>` at or after `e`, `≤` before `e`, `≥` at or
/// after `s`; between runs from the first span's start to the second's end.
fn time_test(base: Base, spans: &[Span]) -> Option<TimeTest> {
    let first = spans.first().copied();
    Some(match base {
        Base::Equal => TimeTest::Within(spans.into()),
        Base::Less => TimeTest::Before(first?.start),
        Base::LessEqual => TimeTest::Before(first?.end),
        Base::Greater => TimeTest::AtOrAfter(first?.end),
        Base::GreaterEqual => TimeTest::AtOrAfter(first?.start),
        Base::Between => match spans {
            [lo, hi] if lo.start < hi.end => TimeTest::Within(Box::new([Span {
                start: lo.start,
                end: hi.end,
            }])),
            [_, _] => TimeTest::Within(Box::new([])),
            _ => return None,
        },
        _ => return None,
    })
}
