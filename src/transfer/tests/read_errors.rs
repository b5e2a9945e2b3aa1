//! Bad export directories: each problem is a specific error naming the file and, inside it,
//! the JSON path. Nothing panics.

use rstest::rstest;

use super::*;
use crate::transfer::{TransferError, read_dir};

const GOOD: &str = r#"{
  "name": "Hot web leads",
  "description": null,
  "module": "Leads",
  "layout": "Standard",
  "active": true,
  "field_rules": [
    { "score": 10, "criteria": { "field": "Lead_Source", "comparator": "equal", "value": "Web Download" } }
  ],
  "signal_rules": [ { "score": 5, "signal": "EmailInsight_Open__s" } ],
  "custom_fields": []
}
"#;

/// Reads a directory holding one file, `text` at `rel`.
fn read_one(rel: &str, text: &[u8]) -> Result<crate::transfer::ExportSet, TransferError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    read_dir(dir.path())
}

fn error(rel: &str, text: &str) -> String {
    read_one(rel, text.as_bytes()).unwrap_err().to_string()
}

const X: &str = "Leads/Standard/x.json";

#[test]
fn a_good_file_reads() {
    let set = read_one(X, GOOD.as_bytes()).unwrap();
    assert_eq!(set.rules.len(), 1);
    assert_eq!(set.rules[0].rel_path, X);
    assert_eq!(set.rules[0].layout_dir, "Standard");
    assert_eq!(set.modules, ["Leads"]);
    assert!(set.ids.is_empty());
}

#[rstest]
#[case::wrong_type(
    GOOD.replace("\"score\": 10", "\"score\": \"10\""),
    "Leads/Standard/x.json: field_rules[0].score: invalid type: string \"10\", expected i64 (line 8, column"
)]
#[case::fraction(
    GOOD.replace("\"score\": 10", "\"score\": 10.5"),
    "Leads/Standard/x.json: field_rules[0].score: invalid type: floating point `10.5`, expected i64"
)]
#[case::unknown_top_key(
    GOOD.replace("\"active\"", "\"actve\""),
    "Leads/Standard/x.json: actve: unknown field `actve`, expected one of `name`, `description`"
)]
#[case::unknown_criteria_key(
    GOOD.replace("\"comparator\"", "\"comparater\""),
    "Leads/Standard/x.json: field_rules[0].criteria.comparater: unknown field `comparater`, expected one of `field`"
)]
#[case::unknown_signal_key(
    GOOD.replace("\"signal\":", "\"signal_id\":"),
    "Leads/Standard/x.json: signal_rules[0].signal_id: unknown field `signal_id`, expected `score` or `signal`"
)]
#[case::missing_name(
    GOOD.replace("\"name\": \"Hot web leads\",", ""),
    "Leads/Standard/x.json: missing field `name` (line"
)]
#[case::missing_comparator(
    GOOD.replace("\"comparator\": \"equal\", ", ""),
    "Leads/Standard/x.json: field_rules[0].criteria: missing field `comparator` (line"
)]
#[case::unknown_comparator(
    GOOD.replace("\"equal\"", "\"equals\""),
    "Leads/Standard/x.json: field_rules[0].criteria.comparator: invalid value: string \"equals\", expected a comparator: equal, not_equal,"
)]
#[case::wire_field(
    GOOD.replace("\"field\": \"Lead_Source\"", "\"field\": {\"api_name\": \"Lead_Source\"}"),
    "Leads/Standard/x.json: field_rules[0].criteria.field: invalid type: map, expected a field api_name as a string, e.g. \"Lead_Source\""
)]
#[case::bad_operator(
    GOOD.replace("{ \"field\": \"Lead_Source\", \"comparator\": \"equal\", \"value\": \"Web Download\" }",
        "{ \"group_operator\": \"XOR\", \"group\": [] }"),
    "Leads/Standard/x.json: field_rules[0].criteria.group_operator: invalid value: string \"XOR\", expected AND or OR"
)]
#[case::group_and_condition(
    GOOD.replace("\"comparator\": \"equal\",", "\"comparator\": \"equal\", \"group\": [],"),
    "Leads/Standard/x.json: field_rules[0].criteria: a criterion is either a condition (field, comparator, value, type) or a group (group_operator, group), not both"
)]
#[case::bad_kind(
    GOOD.replace("\"value\": \"Web Download\"", "\"value\": \"Web Download\", \"type\": \"literal\""),
    "Leads/Standard/x.json: field_rules[0].criteria.type: invalid value: string \"literal\", expected value, merge_field, pre_defined or field"
)]
#[case::duplicate_key(
    GOOD.replace("\"active\": true,", "\"active\": true, \"active\": false,"),
    "Leads/Standard/x.json: duplicate field `active`"
)]
#[case::malformed(
    GOOD.replace("\"active\": true,", "\"active\": true"),
    "Leads/Standard/x.json: expected `,` or `}` (line 7, column 3)"
)]
#[case::truncated(
    GOOD[..40].to_string(),
    "Leads/Standard/x.json: EOF while parsing a string (line 3, column 11)"
)]
#[case::trailing(
    format!("{GOOD}{{}}"),
    "Leads/Standard/x.json: trailing characters (line 13, column 1)"
)]
#[case::not_an_object(
    "[1, 2]".to_string(),
    "Leads/Standard/x.json: expected a JSON object (line 1, column 1)"
)]
#[case::empty("".to_string(), "Leads/Standard/x.json: the file is empty; expected a JSON object")]
#[case::blank("  \n\t\n".to_string(), "Leads/Standard/x.json: the file is empty; expected a JSON object")]
#[case::module_mismatch(
    GOOD.replace("\"module\": \"Leads\"", "\"module\": \"Contacts\""),
    "Leads/Standard/x.json: module: \"Contacts\" does not match the directory: the file is in Leads/"
)]
#[case::layout_mismatch(
    GOOD.replace("\"layout\": \"Standard\"", "\"layout\": \"Event_Leads\""),
    "Leads/Standard/x.json: layout: \"Event_Leads\" does not match the directory: the file is in Leads/Standard/"
)]
#[case::layout_null_in_a_layout_dir(
    GOOD.replace("\"layout\": \"Standard\"", "\"layout\": null"),
    "Leads/Standard/x.json: layout: null (every layout) does not match the directory"
)]
fn bad_files_are_specific_errors(#[case] text: String, #[case] expected: &str) {
    let err = error(X, &text);
    assert!(
        err.starts_with(expected),
        "got:      {err}\nexpected: {expected}"
    );
}

#[test]
fn a_layout_file_in_the_all_directory_is_a_mismatch() {
    let err = error("Leads/_all/x.json", GOOD);
    assert!(
        err.starts_with("Leads/_all/x.json: layout: \"Standard\" does not match the directory: the file is in Leads/_all/"),
        "{err}"
    );
}

#[test]
fn parse_errors_carry_path_and_position() {
    let text = GOOD.replace("\"score\": 10", "\"score\": \"10\"");
    let Err(TransferError::Parse {
        place,
        path,
        message,
        line,
        column,
    }) = read_one(X, text.as_bytes())
    else {
        panic!()
    };
    assert_eq!((place.as_str(), path.as_str()), (X, "field_rules[0].score"));
    assert_eq!(message, "invalid type: string \"10\", expected i64");
    assert_eq!((line, column), (8, 19));
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let err = read_one(X, b"{\"name\": \"\xff\"}")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("Leads/Standard/x.json: not UTF-8 text"),
        "{err}"
    );
}

#[test]
fn a_byte_order_mark_is_fine() {
    let text = format!("\u{feff}{GOOD}");
    assert_eq!(read_one(X, text.as_bytes()).unwrap().rules.len(), 1);
}

#[test]
fn lists_may_be_null_and_optional_keys_left_out() {
    let text = r#"{"name": "Short", "module": "Deals", "field_rules": [{"score": 1, "criteria":
        {"field": "Stage", "comparator": "equal", "value": "Won"}}], "signal_rules": null}"#;
    let set = read_one("Deals/_all/short.json", text.as_bytes()).unwrap();
    let r = &set.rules[0].rule;
    assert!(r.active && r.layout.is_none() && r.description.is_none());
    assert!(r.signal_rules.is_empty() && r.custom_fields.is_empty());
}

#[rstest]
#[case::top_level(
    "x.json",
    "x.json: a rule file belongs in <module>/<layout api_name or _all>/"
)]
#[case::module_level("Leads/x.json", "Leads/x.json: a rule file belongs in <module>/")]
#[case::too_deep(
    "Leads/Standard/sub/x.json",
    "Leads/Standard/sub/: unexpected directory: rule files are DIR/<module>/<layout>/<name>.json"
)]
fn files_in_the_wrong_place_are_errors(#[case] rel: &str, #[case] expected: &str) {
    let err = error(rel, GOOD);
    assert!(err.starts_with(expected), "{err}");
}

#[test]
fn hidden_entries_and_other_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ExportFile {
                rel_path: X.into(),
                contents: GOOD.into(),
            },
            ExportFile {
                rel_path: "README.md".into(),
                contents: "# rules".into(),
            },
            ExportFile {
                rel_path: ".git/config.json".into(),
                contents: "not json".into(),
            },
            ExportFile {
                rel_path: "Leads/Standard/.x.json.swp".into(),
                contents: "junk".into(),
            },
            ExportFile {
                rel_path: "Leads/Standard/notes.txt".into(),
                contents: "junk".into(),
            },
        ],
    );
    assert_eq!(read_dir(dir.path()).unwrap().rules.len(), 1);
}

#[test]
fn two_files_may_not_name_the_same_rule() {
    let dir = tempfile::tempdir().unwrap();
    let other = GOOD.replace("\"Hot web leads\"", "\"HOT WEB LEADS \"");
    write(
        dir.path(),
        &[
            ExportFile {
                rel_path: X.into(),
                contents: GOOD.into(),
            },
            ExportFile {
                rel_path: "Leads/Standard/y.json".into(),
                contents: other,
            },
        ],
    );
    let err = read_dir(dir.path()).unwrap_err().to_string();
    assert_eq!(
        err,
        "Leads/Standard/y.json: name: \"HOT WEB LEADS \" is also the rule in Leads/Standard/x.json; rule names are unique in an org, ignoring case"
    );
}

#[test]
fn every_bad_file_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("Leads/Standard/a.json", ""),
        ("Leads/Standard/b.json", "{"),
        ("Leads/Standard/c.json", GOOD),
        (
            ".zscore-ids.json",
            r#"{"Leads/Standard/c.json": {"rule_id": true}}"#,
        ),
    ];
    let files: Vec<ExportFile> = files
        .iter()
        .map(|(r, c)| ExportFile {
            rel_path: r.to_string(),
            contents: c.to_string(),
        })
        .collect();
    write(dir.path(), &files);
    let err = read_dir(dir.path()).unwrap_err();
    let places: Vec<&str> = err.errors().iter().filter_map(|e| e.place()).collect();
    assert_eq!(
        places,
        [
            "Leads/Standard/a.json",
            "Leads/Standard/b.json",
            ".zscore-ids.json"
        ]
    );
    assert!(
        err.to_string().contains(
            ".zscore-ids.json: Leads/Standard/c.json.rule_id: invalid type: boolean `true`, expected an id"
        ),
        "{err}"
    );
}

#[test]
fn a_missing_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("nope");
    let err = read_dir(&gone).unwrap_err();
    assert!(matches!(err, TransferError::Io { .. }));
    assert!(err.to_string().starts_with(&gone.display().to_string()));
}

#[test]
fn hostile_json_does_not_panic() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_criteria = format!(
        r#"{{"name":"x","module":"Leads","layout":"Standard","field_rules":[{{"score":1,"criteria":{}{}}}]}}"#,
        r#"{"group_operator":"AND","group":["#.repeat(200),
        "]}".repeat(200)
    );
    for text in [
        deep.as_str(),
        deep_criteria.as_str(),
        "\u{0}",
        "nul\u{0}l",
        "1e999999",
        "{\"name\": 1e400}",
    ] {
        assert!(read_one(X, text.as_bytes()).is_err());
    }
}
