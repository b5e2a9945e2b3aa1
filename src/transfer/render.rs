//! How the values of a rule file read to a person in a plan: texts, criteria, field rules,
//! signal rules and custom fields, each on one line (`plan_text` lays out the plan itself).
//!
//! Names and values come from files and orgs that may hold anything, so every string is shown
//! quoted and escaped: a rule name cannot clear the terminal or reverse the text after it.

use serde_json::Value;

use crate::display::inert_json;

use super::format::{FileCriteria, FileCustomField, FileFieldRule, FileSignalRule};

/// A text of a file (a name, a description, a label) as a plan shows it: whole, as the JSON
/// literal it is in the file, like every other value (`json`). Messages quote text with
/// `display::quote` instead, which shortens it.
pub fn string(s: &str) -> String {
    json(&Value::String(s.to_string()))
}

/// A JSON value on one line, escaped like `string`.
pub fn json(v: &Value) -> String {
    inert_json(&v.to_string())
}

/// `Lead_Source = "Web"`, `(A = 1 OR B in [2,3]) AND C > 4`.
pub fn criteria(c: &FileCriteria) -> String {
    match c {
        FileCriteria::Condition(cond) => {
            let mut s = format!(
                "{} {} {}",
                cond.field,
                cond.comparator.symbol(),
                json(&cond.value)
            );
            if let Some(kind) = &cond.kind {
                s.push_str(&format!(" ({kind})"));
            }
            s
        }
        FileCriteria::Group(g) => g
            .group
            .iter()
            .map(|m| match m {
                FileCriteria::Group(_) => format!("({})", criteria(m)),
                FileCriteria::Condition(_) => criteria(m),
            })
            .collect::<Vec<_>>()
            .join(&format!(" {} ", g.group_operator.as_str())),
    }
}

/// `+10 when Lead_Source = "Web"`.
pub fn field_rule(fr: &FileFieldRule) -> String {
    format!("{:+} when {}", fr.score, criteria(&fr.criteria))
}

/// `+5 on EmailInsight_Open__s`.
pub fn signal_rule(sr: &FileSignalRule) -> String {
    format!("{:+} on {}", sr.score, string(&sr.signal))
}

/// `"Partner Referral Score" holding Score`.
pub fn custom_field(cf: &FileCustomField) -> String {
    match &cf.reference_field {
        Some(r) => format!("{} holding {}", string(&cf.field_label), string(r)),
        None => format!("{} holding an unknown score", string(&cf.field_label)),
    }
}

pub const NONE: &str = "(none)";

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn strings_escape_terminal_and_bidi_controls() {
        assert_eq!(string("a\u{1b}[2Jb"), r#""a\u001b[2Jb""#);
        assert_eq!(string("x\u{202E}y"), r#""x\u202ey""#);
        assert_eq!(string("c1\u{9b}zw\u{200d}"), r#""c1\u009bzw\u200d""#);
        assert_eq!(string("Déjà"), "\"Déjà\"");
    }

    #[test]
    fn criteria_read_like_a_sentence() {
        let c: FileCriteria = serde_json::from_value(json!({"group_operator": "AND", "group": [
            {"field": "A", "comparator": "equal", "value": "x"},
            {"group_operator": "OR", "group": [
                {"field": "B", "comparator": "greater_than", "value": 3},
                {"field": "C", "comparator": "in", "value": [1, 2], "type": "field"}
            ]}
        ]}))
        .unwrap();
        assert_eq!(criteria(&c), r#"A = "x" AND (B > 3 OR C in [1,2] (field))"#);
    }
}
