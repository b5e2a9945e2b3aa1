//! Dates and date-times against the fixed clock: Monday 2026-11-23T10:00:00Z.

use rstest::rstest;
use serde_json::{Value, json};

use super::{NOW, ctx, date, datetime, day, matches, secs};
use crate::domain::evaluate::compile::compile_operand;
use crate::domain::evaluate::dates::{DAY, civil_from_days, days_from_civil, relative_days};
use crate::domain::metadata::DataType;
use crate::domain::operand::{DateSpec, Operand, Relative, Unit, days_from_epoch};
use crate::domain::record::FieldValue;
use crate::domain::rule::Comparator;

/// `equal <placeholder>` on a date field: first and last day inside, the days either side out.
#[rstest]
#[case("${TODAY}", "2026-11-23", "2026-11-23")]
#[case("${YESTERDAY}", "2026-11-22", "2026-11-22")]
#[case("${TOMORROW}", "2026-11-24", "2026-11-24")]
#[case("${THISWEEK}", "2026-11-23", "2026-11-29")]
#[case("${LASTWEEK}", "2026-11-16", "2026-11-22")]
#[case("${NEXTWEEK}", "2026-11-30", "2026-12-06")]
#[case("${THISMONTH}", "2026-11-01", "2026-11-30")]
#[case("${LASTMONTH}", "2026-10-01", "2026-10-31")]
#[case("${NEXTMONTH}", "2026-12-01", "2026-12-31")]
#[case("${THISYEAR}", "2026-01-01", "2026-12-31")]
#[case("${LASTYEAR}", "2025-01-01", "2025-12-31")]
#[case("${NEXTYEAR}", "2027-01-01", "2027-12-31")]
#[case("${LAST_N_DAYS:7}", "2026-11-16", "2026-11-23")]
#[case("${NEXT_N_DAYS:7}", "2026-11-23", "2026-11-30")]
#[case("${LAST_N_WEEKS:2}", "2026-11-09", "2026-11-23")]
#[case("${NEXT_N_WEEKS:1}", "2026-11-23", "2026-11-30")]
#[case("${LAST_N_MONTHS:1}", "2026-10-23", "2026-11-23")]
#[case("${NEXT_N_MONTHS:3}", "2026-11-23", "2027-02-23")]
#[case("${LAST_N_YEARS:1}", "2025-11-23", "2026-11-23")]
#[case("${NEXT_N_YEARS:2}", "2026-11-23", "2028-11-23")]
#[case("${AGEINDAYS}+3", "2026-11-20", "2026-11-20")]
#[case("${AGEINDAYS}", "2026-11-23", "2026-11-23")]
#[case("${DUEINDAYS}+12", "2026-12-05", "2026-12-05")]
fn relative_periods_on_a_date_field(
    #[case] placeholder: &str,
    #[case] first: &str,
    #[case] last: &str,
) {
    let eq = |d: i32| {
        matches(
            "Last_Activity_Date",
            "equal",
            json!(placeholder),
            FieldValue::Date(d),
        )
    };
    assert!(eq(day(first)), "{placeholder} includes {first}");
    assert!(eq(day(last)), "{placeholder} includes {last}");
    assert!(
        !eq(day(first) - 1),
        "{placeholder} excludes the day before {first}"
    );
    assert!(
        !eq(day(last) + 1),
        "{placeholder} excludes the day after {last}"
    );
    let ne = matches(
        "Last_Activity_Date",
        "not_equal",
        json!(placeholder),
        FieldValue::Null,
    );
    assert!(
        ne,
        "not_equal {placeholder} matches a record without a date"
    );
}

/// The same periods on a date-time field cover whole UTC days.
#[rstest]
#[case("${TODAY}", "2026-11-23T00:00:00Z", "2026-11-23T23:59:59Z")]
#[case("${THISWEEK}", "2026-11-23T00:00:00Z", "2026-11-29T23:59:59Z")]
#[case("${LASTMONTH}", "2026-10-01T00:00:00Z", "2026-10-31T23:59:59Z")]
#[case("${LAST_N_DAYS:30}", "2026-10-24T00:00:00Z", "2026-11-23T23:59:59Z")]
#[case("${DUEINDAYS}+1", "2026-11-24T00:00:00Z", "2026-11-24T23:59:59Z")]
fn relative_periods_on_a_datetime_field(
    #[case] placeholder: &str,
    #[case] first: &str,
    #[case] last: &str,
) {
    let eq = |s: i64| {
        matches(
            "Created_Time",
            "equal",
            json!(placeholder),
            FieldValue::DateTime(s),
        )
    };
    assert!(eq(secs(first)) && eq(secs(last)));
    assert!(!eq(secs(first) - 1) && !eq(secs(last) + 1));
}

#[rstest]
// ordering against a period: < before its start, > at/after its end, ≤ before its end, ≥ from
// its start
#[case("Last_Activity_Date", "less_than", json!("${TODAY}"), date("2026-11-22"), true)]
#[case("Last_Activity_Date", "less_than", json!("${TODAY}"), date("2026-11-23"), false)]
#[case("Last_Activity_Date", "less_equal", json!("${TODAY}"), date("2026-11-23"), true)]
#[case("Last_Activity_Date", "less_equal", json!("${TODAY}"), date("2026-11-24"), false)]
#[case("Last_Activity_Date", "greater_than", json!("${TODAY}"), date("2026-11-24"), true)]
#[case("Last_Activity_Date", "greater_than", json!("${TODAY}"), date("2026-11-23"), false)]
#[case("Last_Activity_Date", "greater_equal", json!("${TODAY}"), date("2026-11-23"), true)]
#[case("Last_Activity_Date", "greater_equal", json!("${TODAY}"), date("2026-11-22"), false)]
#[case("Last_Activity_Date", "less_than", json!("${THISWEEK}"), date("2026-11-22"), true)]
#[case("Last_Activity_Date", "greater_than", json!("${THISWEEK}"), date("2026-11-29"), false)]
#[case("Last_Activity_Date", "greater_than", json!("${THISWEEK}"), date("2026-11-30"), true)]
#[case("Last_Activity_Date", "less_than", json!("${TODAY}"), FieldValue::Null, false)]
#[case("Last_Activity_Date", "less_than", json!("${AGEINDAYS}+30"), date("2026-10-23"), true)]
#[case("Last_Activity_Date", "less_than", json!("${AGEINDAYS}+30"), date("2026-10-24"), false)]
// fixed dates
#[case("Last_Activity_Date", "equal", json!("2026-11-23"), date("2026-11-23"), true)]
#[case("Last_Activity_Date", "equal", json!(["2026-01-01", "2026-11-23"]), date("2026-11-23"), true)]
#[case("Last_Activity_Date", "not_equal", json!("2026-11-23"), date("2026-11-23"), false)]
#[case("Last_Activity_Date", "greater_than", json!("2026-11-23"), date("2026-11-24"), true)]
// an ISO date-time on a date field names its (local) date
#[case("Last_Activity_Date", "equal", json!("2026-11-23T10:00:00Z"), date("2026-11-23"), true)]
// between: inclusive ends, from the first span's start to the second's end; inverted = nothing
#[case("Last_Activity_Date", "between", json!(["2026-11-01", "2026-11-30"]), date("2026-11-01"), true)]
#[case("Last_Activity_Date", "between", json!(["2026-11-01", "2026-11-30"]), date("2026-11-30"), true)]
#[case("Last_Activity_Date", "between", json!(["2026-11-01", "2026-11-30"]), date("2026-12-01"), false)]
#[case("Last_Activity_Date", "between", json!(["2026-11-01", "2026-11-30"]), date("2026-10-31"), false)]
#[case("Last_Activity_Date", "between", json!(["2026-11-30", "2026-11-01"]), date("2026-11-15"), false)]
#[case("Last_Activity_Date", "between", json!(["2026-11-23", "2026-11-23"]), date("2026-11-23"), true)]
#[case("Last_Activity_Date", "not_between", json!(["2026-11-30", "2026-11-01"]), date("2026-11-15"), true)]
#[case("Last_Activity_Date", "not_between", json!(["2026-11-01", "2026-11-30"]), date("2026-11-15"), false)]
#[case("Last_Activity_Date", "not_between", json!(["2026-11-01", "2026-11-30"]), FieldValue::Null, true)]
#[case("Last_Activity_Date", "between", json!(["${LASTMONTH}", "${THISMONTH}"]), date("2026-10-01"), true)]
#[case("Last_Activity_Date", "between", json!(["${LASTMONTH}", "${THISMONTH}"]), date("2026-11-30"), true)]
#[case("Last_Activity_Date", "between", json!(["${LASTMONTH}", "${THISMONTH}"]), date("2026-12-01"), false)]
// date-times: instants are single seconds
#[case("Created_Time", "equal", json!("2026-11-23T10:00:00Z"), FieldValue::DateTime(NOW), true)]
#[case("Created_Time", "equal", json!("2026-11-23T15:30:00+05:30"), FieldValue::DateTime(NOW), true)]
#[case("Created_Time", "equal", json!("2026-11-23T10:00:00Z"), FieldValue::DateTime(NOW + 1), false)]
#[case("Created_Time", "less_than", json!("2026-11-23T10:00:00Z"), FieldValue::DateTime(NOW - 1), true)]
#[case("Created_Time", "less_than", json!("2026-11-23T10:00:00Z"), FieldValue::DateTime(NOW), false)]
#[case("Created_Time", "less_equal", json!("2026-11-23T10:00:00Z"), FieldValue::DateTime(NOW), true)]
#[case("Created_Time", "greater_than", json!("2026-11-23T10:00:00Z"), FieldValue::DateTime(NOW), false)]
#[case("Created_Time", "greater_equal", json!("2026-11-23T10:00:00Z"), FieldValue::DateTime(NOW), true)]
// a plain date on a date-time field means that whole UTC day
#[case("Created_Time", "equal", json!("2026-11-23"), datetime("2026-11-23T00:00:00Z"), true)]
#[case("Created_Time", "equal", json!("2026-11-23"), FieldValue::DateTime(NOW), true)]
#[case("Created_Time", "greater_equal", json!("2026-11-23"), FieldValue::DateTime(NOW), true)]
// the doc example: greater_than ${DUEINDAYS}+12 = from the day after that day
#[case("Created_Time", "greater_than", json!("${DUEINDAYS}+12"), datetime("2026-12-06T00:00:00Z"), true)]
#[case("Created_Time", "greater_than", json!("${DUEINDAYS}+12"), datetime("2026-12-05T23:59:59Z"), false)]
#[case("Created_Time", "between", json!(["${YESTERDAY}", "${TODAY}"]), datetime("2026-11-22T00:00:00Z"), true)]
#[case("Created_Time", "between", json!(["${YESTERDAY}", "${TODAY}"]), datetime("2026-11-24T00:00:00Z"), false)]
// values stored at the other granularity are read leniently
#[case("Created_Time", "equal", json!("${TODAY}"), date("2026-11-23"), true)]
#[case("Last_Activity_Date", "equal", json!("${TODAY}"), FieldValue::DateTime(NOW), true)]
#[case("Last_Activity_Date", "equal", json!("${TODAY}"), FieldValue::Text("2026-11-23".into()), false)]
fn date_comparators(
    #[case] api: &str,
    #[case] comparator: &str,
    #[case] value: Value,
    #[case] v: FieldValue,
    #[case] expected: bool,
) {
    assert_eq!(matches(api, comparator, value, v), expected);
}

/// A calendar day against a date-time field means that whole UTC day, at every comparator.
#[rstest]
#[case(Comparator::Equal, "2026-11-23T00:00:00Z", true)]
#[case(Comparator::Equal, "2026-11-23T23:59:59Z", true)]
#[case(Comparator::Equal, "2026-11-24T00:00:00Z", false)]
#[case(Comparator::LessThan, "2026-11-22T23:59:59Z", true)]
#[case(Comparator::LessThan, "2026-11-23T00:00:00Z", false)]
#[case(Comparator::GreaterThan, "2026-11-23T23:59:59Z", false)]
#[case(Comparator::GreaterThan, "2026-11-24T00:00:00Z", true)]
#[case(Comparator::LessEqual, "2026-11-23T23:59:59Z", true)]
#[case(Comparator::GreaterEqual, "2026-11-23T00:00:00Z", true)]
fn a_day_against_a_datetime_field(
    #[case] comparator: Comparator,
    #[case] at: &str,
    #[case] expected: bool,
) {
    let operand = Operand::Date(vec![DateSpec::Day(day("2026-11-23"))]);
    let (negate, test) =
        compile_operand(&DataType::Datetime, &comparator, operand, &ctx()).unwrap();
    let leaf = crate::domain::evaluate::compare::Leaf {
        field: 0,
        negate,
        test,
        on_true: 0,
        on_false: 0,
    };
    assert_eq!(leaf.eval(&[FieldValue::DateTime(secs(at))]), expected);
}

#[rstest]
// months keep the day of month, clamped to the shorter month
#[case(
    "2026-03-31",
    Relative::LastN(1, Unit::Months),
    "2026-02-28",
    "2026-03-31"
)]
#[case(
    "2024-03-31",
    Relative::LastN(1, Unit::Months),
    "2024-02-29",
    "2024-03-31"
)]
#[case(
    "2024-02-29",
    Relative::NextN(1, Unit::Years),
    "2024-02-29",
    "2025-02-28"
)]
#[case("2026-01-15", Relative::LastMonth, "2025-12-01", "2025-12-31")]
#[case("2026-12-15", Relative::NextMonth, "2027-01-01", "2027-01-31")]
// a Sunday belongs to the week that started the Monday before
#[case("2026-11-29", Relative::ThisWeek, "2026-11-23", "2026-11-29")]
#[case("1970-01-01", Relative::ThisWeek, "1969-12-29", "1970-01-04")]
#[case("1969-12-31", Relative::AgeInDays(-1), "1970-01-01", "1970-01-01")]
fn relative_days_around_edges(
    #[case] today: &str,
    #[case] r: Relative,
    #[case] first: &str,
    #[case] last: &str,
) {
    let t = i64::from(day(today));
    assert_eq!(
        relative_days(r, t),
        (i64::from(day(first)), i64::from(day(last)) + 1)
    );
}

#[test]
fn calendar_agrees_with_chrono() {
    for d in (-1_000_000..1_000_000).step_by(97) {
        let Some(date) = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|e| e.checked_add_signed(chrono::TimeDelta::days(d)))
        else {
            continue;
        };
        assert_eq!(i64::from(days_from_epoch(date)), d);
        let (y, m, dd) = civil_from_days(d);
        use chrono::Datelike;
        assert_eq!(
            (y, m, dd),
            (
                i64::from(date.year()),
                i64::from(date.month()),
                i64::from(date.day())
            )
        );
        assert_eq!(days_from_civil(y, m, dd), d);
    }
}

#[test]
fn extreme_clocks_and_offsets_do_not_overflow() {
    for now in [i64::MIN, i64::MAX, 0, -1] {
        let t = now
            .clamp(-10_000_000_000_000, 10_000_000_000_000)
            .div_euclid(DAY);
        for r in [
            Relative::LastN(u32::MAX, Unit::Years),
            Relative::NextN(u32::MAX, Unit::Months),
            Relative::NextN(u32::MAX, Unit::Weeks),
            Relative::AgeInDays(i64::MIN),
            Relative::DueInDays(i64::MAX),
            Relative::NextYear,
        ] {
            let (start, end) = relative_days(r, t);
            assert!(start < end, "{r:?} at {now}");
        }
        let extreme = super::super::EvalContext { now, ..ctx() };
        let (_, disrupted) = super::matches_in(
            &extreme,
            "Created_Time",
            "between",
            json!(["${LAST_N_YEARS:4294967295}", "${NEXT_N_YEARS:4294967295}"]),
            FieldValue::DateTime(now),
        );
        assert!(disrupted.is_empty());
    }
}
