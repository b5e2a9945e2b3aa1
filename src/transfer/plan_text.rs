//! How a plan reads to a person: one line per step, the changes below it, deletions and kept
//! rules apart, and a summary.

use super::render::string;
use super::steps::{Plan, Step};

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
                        string(name)
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
                    string(&k.name),
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
