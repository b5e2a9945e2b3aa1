//! Machine-readable audit output: JSON for scripts, CSV for spreadsheets.
//!
//! Both keep org text as the org has it, but inert: JSON writes control, bidi and invisible
//! characters as `\uXXXX` escapes (the data is unchanged), CSV escapes them visibly and guards
//! against formulas (`csv_cell`), since either may well be shown raw in a terminal.

use super::AuditRow;
use crate::display::{csv_cell, inert_json};

/// The columns of both formats, in the order of `AuditRow`'s fields.
const COLUMNS: [&str; 12] = [
    "module",
    "layout_id",
    "layout_name",
    "rule_id",
    "rule_name",
    "active",
    "field_rules",
    "signal_rules",
    "conditions",
    "min_score",
    "max_score",
    "issues",
];

/// The rows as a pretty-printed JSON array (`AuditRow`'s keys, in order), ending with a newline
/// so it can be written as is.
pub fn render_json(rows: &[AuditRow]) -> String {
    // Serializing strings, numbers and booleans cannot fail; an empty array is the honest
    // fallback should that ever change.
    let mut out =
        inert_json(&serde_json::to_string_pretty(rows).unwrap_or_else(|_| "[]".to_string()));
    out.push('\n');
    out
}

/// A header line and one line per row, CRLF-terminated (RFC 4180). Missing layouts are empty
/// cells; issues are joined with "; ". Numbers are written bare so spreadsheets sum them.
pub fn render_csv(rows: &[AuditRow]) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let cells = [
            csv_cell(&r.module),
            r.layout_id.as_deref().map(csv_cell).unwrap_or_default(),
            r.layout_name.as_deref().map(csv_cell).unwrap_or_default(),
            csv_cell(&r.rule_id),
            csv_cell(&r.rule_name),
            r.active.to_string(),
            r.field_rules.to_string(),
            r.signal_rules.to_string(),
            r.conditions.to_string(),
            r.min_score.to_string(),
            r.max_score.to_string(),
            csv_cell(&r.issues.join("; ")),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::audit::{AuditOptions, audit};

    fn sample(name: &str, issues: &[&str]) -> AuditRow {
        AuditRow {
            module: "Leads".into(),
            layout_id: Some("111".into()),
            layout_name: Some("Standard".into()),
            rule_id: "222".into(),
            rule_name: name.into(),
            active: true,
            field_rules: 3,
            signal_rules: 1,
            conditions: 4,
            min_score: -10,
            max_score: 25,
            issues: issues.iter().map(|i| i.to_string()).collect(),
        }
    }

    const KEYS: [&str; 12] = [
        "module",
        "layout_id",
        "layout_name",
        "rule_id",
        "rule_name",
        "active",
        "field_rules",
        "signal_rules",
        "conditions",
        "min_score",
        "max_score",
        "issues",
    ];

    #[test]
    fn json_has_exactly_the_keys_in_order() {
        let s = crate::audit::tests::seeded();
        let rows = audit(&s, &AuditOptions::default()).unwrap();
        let json = render_json(&rows);
        assert!(json.ends_with("]\n"));
        let parsed: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_str(&json).unwrap();
        assert_eq!(parsed.len(), rows.len());
        for object in &parsed {
            let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
            keys.sort_unstable();
            let mut expected = KEYS.to_vec();
            expected.sort_unstable();
            assert_eq!(keys, expected);
        }
        // Order, from the text itself (serde_json's map sorts keys when parsing).
        let first_object: Vec<&str> = json
            .lines()
            .skip(2)
            .take(KEYS.len())
            .map(|l| l.trim().split('"').nth(1).unwrap())
            .collect();
        assert_eq!(first_object, KEYS);
        assert_eq!(COLUMNS, KEYS);
    }

    #[test]
    fn json_writes_null_layouts_and_issue_lists() {
        let mut row = sample("Junk Filter", &["a", "b"]);
        row.layout_id = None;
        row.layout_name = None;
        let v: serde_json::Value = serde_json::from_str(&render_json(&[row])).unwrap();
        assert!(v[0]["layout_id"].is_null() && v[0]["layout_name"].is_null());
        assert_eq!(v[0]["issues"], serde_json::json!(["a", "b"]));
        assert_eq!(v[0]["min_score"], -10);
        assert_eq!(render_json(&[]), "[]\n");
    }

    #[test]
    fn json_escapes_control_characters() {
        let json = render_json(&[sample("Evil\u{1b}[2J\0", &[])]);
        assert!(json.contains(r"Evil\u001b[2J\u0000"));
        assert!(!json.contains('\u{1b}'));
    }

    #[test]
    fn csv_header_and_plain_row() {
        let csv = render_csv(&[sample(
            "Inbound Demand",
            &["first issue", "second, with comma"],
        )]);
        assert_eq!(
            csv,
            "module,layout_id,layout_name,rule_id,rule_name,active,field_rules,signal_rules,conditions,min_score,max_score,issues\r\n\
             Leads,111,Standard,222,Inbound Demand,true,3,1,4,-10,25,\"first issue; second, with comma\"\r\n"
        );
    }

    #[test]
    fn csv_leaves_layout_less_cells_empty() {
        let mut row = sample("Junk Filter", &[]);
        row.layout_id = None;
        row.layout_name = None;
        row.active = false;
        let csv = render_csv(&[row]);
        assert_eq!(
            csv.lines().nth(1),
            Some("Leads,,,222,Junk Filter,false,3,1,4,-10,25,")
        );
    }

    #[rstest]
    #[case::formula("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    #[case::plus("+1", "'+1")]
    #[case::minus("-1", "'-1")]
    #[case::at("@x", "'@x")]
    #[case::quotes("The \"Best\" Leads", "\"The \"\"Best\"\" Leads\"")]
    #[case::newline("two\nlines", "\"two\nlines\"")]
    #[case::formula_and_comma("=1,2", "\"'=1,2\"")]
    fn csv_guards_rule_names(#[case] name: &str, #[case] cell: &str) {
        let csv = render_csv(&[sample(name, &[])]);
        let body = csv.split_once("\r\n").unwrap().1;
        assert_eq!(
            body,
            format!("Leads,111,Standard,222,{cell},true,3,1,4,-10,25,\r\n")
        );
    }

    #[test]
    fn csv_guards_issues_and_layouts_too() {
        let mut row = sample("x", &["-5 points"]);
        row.layout_name = Some("@Event".into());
        let csv = render_csv(&[row]);
        assert!(
            csv.ends_with(",'@Event,222,x,true,3,1,4,-10,25,'-5 points\r\n"),
            "{csv}"
        );
    }

    #[test]
    fn csv_of_the_demo_org_has_a_line_per_rule() {
        let s = crate::audit::tests::seeded();
        let rows = audit(
            &s,
            &AuditOptions {
                modules: vec![],
                include_inactive: true,
            },
        )
        .unwrap();
        let csv = render_csv(&rows);
        assert_eq!(csv.matches("\r\n").count(), rows.len() + 1);
    }
}
