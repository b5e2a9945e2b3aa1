//! Date operands resolved against "now" into half-open spans, once, at compile time.
//!
//! Every date operand becomes a `[start, end)` span on the field's own axis: days for date
//! fields, seconds for date-time fields. A calendar day is a span of one day (86,400 seconds on a
//! date-time field), an instant a span of one second, and a relative period the days it covers.
//! The comparators then reduce to integer comparisons against span edges (see `TimeTest`).
//!
//! The calendar arithmetic is Howard Hinnant's proleptic-Gregorian `days_from_civil` /
//! `civil_from_days` on `i64` rather than chrono, because chrono's dates are bounded and
//! fallible, and compiling must be total: inputs are first clamped to a range (about ±300,000
//! years) in which nothing below can overflow.

use crate::domain::operand::{DateSpec, Relative, Unit};

pub(super) const DAY: i64 = 86_400;

/// Clamp for `now` (≈ ±317,000 years) so day counts stay far from `i64` limits.
const MAX_SECONDS: i64 = 10_000_000_000_000;
/// Clamp for `${AGEINDAYS}+n` / `${DUEINDAYS}+n` offsets (≈ ±27 million years).
const MAX_DAY_OFFSET: i64 = 10_000_000_000;

/// The unit a field's values and spans are counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Axis {
    Days,
    Seconds,
}

/// `[start, end)` on an `Axis`; empty when `start >= end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    #[inline]
    pub fn contains(&self, v: i64) -> bool {
        self.start <= v && v < self.end
    }
}

/// The UTC day that contains `now` (days since 1970-01-01).
pub(super) fn today(now: i64) -> i64 {
    now.clamp(-MAX_SECONDS, MAX_SECONDS).div_euclid(DAY)
}

pub(super) fn resolve(spec: &DateSpec, axis: Axis, now: i64) -> Span {
    match *spec {
        DateSpec::Day(d) => on_axis(i64::from(d), i64::from(d) + 1, axis),
        DateSpec::Instant(s) => match axis {
            Axis::Seconds => Span {
                start: s,
                end: s.saturating_add(1),
            },
            // An instant on a date field means the UTC day it falls on.
            Axis::Days => {
                let d = s.div_euclid(DAY);
                Span {
                    start: d,
                    end: d + 1,
                }
            }
        },
        DateSpec::Relative(r) => {
            let (start, end) = relative_days(r, today(now));
            on_axis(start, end, axis)
        }
    }
}

fn on_axis(start_day: i64, end_day: i64, axis: Axis) -> Span {
    match axis {
        Axis::Days => Span {
            start: start_day,
            end: end_day,
        },
        Axis::Seconds => Span {
            start: start_day.saturating_mul(DAY),
            end: end_day.saturating_mul(DAY),
        },
    }
}

/// The days `[start, end)` a relative period covers when today is day `t`.
pub(super) fn relative_days(r: Relative, t: i64) -> (i64, i64) {
    use Relative as R;
    // Weeks start on Monday; 1970-01-01 was a Thursday (index 3 counting from Monday = 0).
    let week = t - (t + 3).rem_euclid(7);
    let (y, m, _) = civil_from_days(t);
    let month = y * 12 + (m - 1);
    match r {
        R::Today => (t, t + 1),
        R::Yesterday => (t - 1, t),
        R::Tomorrow => (t + 1, t + 2),
        R::ThisWeek => (week, week + 7),
        R::LastWeek => (week - 7, week),
        R::NextWeek => (week + 7, week + 14),
        R::ThisMonth => (month_start(month), month_start(month + 1)),
        R::LastMonth => (month_start(month - 1), month_start(month)),
        R::NextMonth => (month_start(month + 1), month_start(month + 2)),
        R::ThisYear => (days_from_civil(y, 1, 1), days_from_civil(y + 1, 1, 1)),
        R::LastYear => (days_from_civil(y - 1, 1, 1), days_from_civil(y, 1, 1)),
        R::NextYear => (days_from_civil(y + 1, 1, 1), days_from_civil(y + 2, 1, 1)),
        R::LastN(n, unit) => (shift(t, -i64::from(n), unit), t + 1),
        R::NextN(n, unit) => (t, shift(t, i64::from(n), unit) + 1),
        R::AgeInDays(n) => {
            let d = t - n.clamp(-MAX_DAY_OFFSET, MAX_DAY_OFFSET);
            (d, d + 1)
        }
        R::DueInDays(n) => {
            let d = t + n.clamp(-MAX_DAY_OFFSET, MAX_DAY_OFFSET);
            (d, d + 1)
        }
    }
}

/// Day `t` moved by `k` units; months and years keep the day of the month, clamped to the
/// target month's length (31 March − 1 month = 28/29 February).
fn shift(t: i64, k: i64, unit: Unit) -> i64 {
    match unit {
        Unit::Days => t + k,
        Unit::Weeks => t + 7 * k,
        Unit::Months => add_months(t, k),
        Unit::Years => add_months(t, 12 * k),
    }
}

fn add_months(t: i64, k: i64) -> i64 {
    let (y, m, d) = civil_from_days(t);
    let target = y * 12 + (m - 1) + k;
    let (ty, tm) = (target.div_euclid(12), target.rem_euclid(12) + 1);
    days_from_civil(ty, tm, d.min(days_in_month(ty, tm)))
}

fn month_start(month_index: i64) -> i64 {
    days_from_civil(
        month_index.div_euclid(12),
        month_index.rem_euclid(12) + 1,
        1,
    )
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of the proleptic-Gregorian date `y-m-d` (`m` in 1..=12).
pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day count since 1970-01-01.
pub(super) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
