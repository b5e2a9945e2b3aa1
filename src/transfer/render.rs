//! How plans, criteria and values read to a person: one line per step, changes below it.
//!
//! Names and values come from files and orgs that may hold anything, so every string is shown
//! quoted and escaped: a rule name cannot clear the terminal or reverse the text after it.

use serde_json::Value;

use super::format::{FileCriteria, FileCustomField, FileFieldRule, FileSignalRule};
use super::plan::{Plan, Step};

/// A string as a JSON literal, with bidirectional-text controls escaped too (JSON leaves them).
pub fn quote(s: &str) -> String {
    escape_bidi(&Value::String(s.to_string()).to_string())
}

/// A JSON value on one line, escaped like `quote`.
pub fn json(v: &Value) -> String {
    escape_bidi(&v.to_string())
}

fn escape_bidi(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
            {
                format!("\\u{:04x}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect()
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
    format!("{:+} on {}", sr.score, quote(&sr.signal))
}

/// `"Partner Referral Score" holding Score`.
pub fn custom_field(cf: &FileCustomField) -> String {
    match &cf.reference_field {
        Some(r) => format!("{} holding {}", quote(&cf.field_label), quote(r)),
        None => format!("{} holding an unknown score", quote(&cf.field_label)),
    }
}

pub const NONE: &str = "(none)";

impl Plan {
    /// The plan for a person: one line per step in execution order, each change indented
    /// below its step, deletions (`--prune`) apart after the rest, then the org rules without
    /// a file that are kept, then a summary such as `2 to create, 1 to update, 0 to delete,
    /// 9 unchanged`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut deletes = String::new();
        let mut counts = [0usize; 5];
        for step in &self.steps {
            let (i, mark, verb, what) = match step {
                Step::Create { file, .. } => (0, "+", "create", file.clone()),
                Step::Update { file, .. } => (1, "~", "update", file.clone()),
                Step::Recreate { file, .. } => (
                    2,
                    "-/+",
                    "recreate",
                    format!(
                        "{file} (Zoho cannot move a rule to another layout: deleted, then created again)"
                    ),
                ),
                Step::Delete {
                    rule_id,
                    name,
                    module,
                } => (
                    3,
                    "-",
                    "delete",
                    format!(
                        "{module} rule {} (id {rule_id}): no file for it",
                        quote(name)
                    ),
                ),
                Step::Unchanged { file, .. } => (4, "=", "unchanged", file.clone()),
            };
            counts[i] += 1;
            let into = if i == 3 { &mut deletes } else { &mut out };
            into.push_str(&format!("{mark:<3} {verb:<9} {what}\n"));
            for c in step.changes() {
                into.push_str(&format!("      {}: {} → {}\n", c.path, c.before, c.after));
            }
        }
        if !deletes.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str("deleted (--prune: org rules of these layouts without a file):\n");
            out.push_str(&deletes);
        }
        if !self.kept.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str("kept (no file for them; --prune would delete them):\n");
            for k in &self.kept {
                out.push_str(&format!(
                    "    {} rule {} (id {}) in {}/{}/\n",
                    k.module,
                    quote(&k.name),
                    k.rule_id,
                    k.module,
                    k.layout_dir
                ));
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let [create, update, recreate, delete, unchanged] = counts;
        let recreate = if recreate > 0 {
            format!("{recreate} to recreate, ")
        } else {
            String::new()
        };
        let kept = if self.kept.is_empty() {
            String::new()
        } else {
            format!(", {} kept without a file", self.kept.len())
        };
        out.push_str(&format!(
            "{create} to create, {update} to update, {recreate}{delete} to delete, {unchanged} unchanged{kept}\n"
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn quotes_escape_terminal_and_bidi_controls() {
        assert_eq!(quote("a\u{1b}[2Jb"), r#""a\u001b[2Jb""#);
        assert_eq!(quote("x\u{202E}y"), r#""x\u202ey""#);
        assert_eq!(quote("Déjà"), "\"Déjà\"");
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
