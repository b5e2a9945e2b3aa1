//! Background work that knows nothing about who watches it: it reports progress as events on a
//! channel, so the CLI draws progress bars from them and the TUI a progress view.
//!
//! `execute` sends executions (and follows their jobs where the server says how far they got);
//! `verify` checks that an execution's scores landed, where Zoho says nothing;
//! `move_rule` moves a rule to another layout in four journaled writes.

pub mod execute;
pub mod move_rule;
pub mod verify;
