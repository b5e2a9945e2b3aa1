//! Bulk changes as one plan: activate, deactivate, delete, clone or re-score a set of rules.
//!
//! - `select`: which rules (ids, or a module / layout / name filter);
//! - `plan`: every step, the rules left alone, and the validator's verdict (`limits`: how many
//!   activations or clones the edition's limits let through);
//! - `run`: sends the plan as one journal group (undone as one), on Zoho's bulk endpoints where
//!   they exist, within the client's in-flight limit, reporting progress on a channel;
//! - `report`, `render`: the plan and the outcome in words, the same for the CLI and the TUI.
//!
//! The CLI drives it (`zscore activate`, `deactivate`, `delete`, `clone`, `set-score`); a TUI
//! selection can drive the same calls.

mod limits;
pub mod plan;
pub mod render;
pub mod report;
pub mod run;
pub mod select;

pub use limits::LimitConflict;
pub use plan::{Operation, Plan, ScoreChange, Step};
pub use report::{Now, Report, StepReport, StepState};
pub use run::{BulkEvent, run};
pub use select::Selection;
