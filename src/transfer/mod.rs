//! Moving scoring rules between orgs as files: `zscore export` / `zscore import`.
//!
//! Zoho's sandbox → production deploys leave scoring rules behind (USER-NEEDS A.3.5), so rules
//! travel as one JSON file per rule, `DIR/<module>/<layout api_name or _all>/<name>.json`, in a
//! form that names everything by api_name and carries no ids or timestamps (`format`). A
//! sidecar, `DIR/.zscore-ids.json`, remembers which org rule each file came from, so that
//! re-importing into the same org matches rules by id even after a rename.
//!
//! Pure code, no network: `export` turns an `OrgSnapshot` into files, `read_dir` reads them
//! back with errors that name the file and the JSON path, and `plan` compares them with a
//! target org and says what to create, update, recreate, delete or leave alone, with the
//! request bodies ready to send. The HTTP client executes a plan's steps in order.

pub mod apply;
mod bodies;
mod diff;
pub mod edit;
mod error;
mod export;
mod format;
mod names;
mod normal;
mod plan;
mod plan_text;
mod read;
mod render;
mod resolve;
mod sim;
mod single;
mod stale;
mod steps;
pub mod write;

#[cfg(test)]
mod tests;

pub use error::TransferError;
pub use export::{ExportFile, export};
pub use format::{
    FileCondition, FileCriteria, FileCustomField, FileFieldRule, FileGroup, FileSignalRule,
    IdEntry, RuleFile, SIDECAR, Sidecar,
};
pub use names::{ALL_LAYOUTS, file_stem};
pub use plan::{PlanOptions, plan, plan_with};
pub use read::{ExportSet, FileRule, Links, read_dir, read_dir_with};
pub use single::{read_rule, read_rule_file};
pub use stale::{StaleRule, rebase_sidecar, refusal as stale_refusal, stale_rules};
pub use steps::{Change, Plan, Step, Unfiled};
