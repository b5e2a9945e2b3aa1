//! The domain core: zscore's model of scoring rules, their validation and their evaluation.
//!
//! Pure code, no I/O. The sandbox validates and scores with it, the CLI audits with it and the
//! TUI's forms validate with it, so all three agree on what a valid rule is and what it scores.

pub mod comparators;
pub mod conflict;
pub mod edition;
pub mod evaluate;
pub mod id;
pub mod layout_ref;
pub mod lint;
pub mod metadata;
pub mod operand;
pub mod pattern;
pub mod record;
pub mod rule;
pub mod snapshot;
pub mod stamp;
pub mod validate;
pub mod violation;

pub use edition::{Edition, Limits};
pub use id::Id;
pub use layout_ref::find_layout;
pub use metadata::{DataType, Field, Layout, Module, ModuleSchema, Signal};
pub use record::{EntityScore, FieldValue, Record};
pub use rule::{
    Comparator, Condition, Criteria, FieldRule, GroupOperator, ScoringRule, SignalRule,
};
pub use snapshot::OrgSnapshot;
pub use violation::{RulePath, Violation, codes};
