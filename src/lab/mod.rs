//! The score lab: what a rule change would do to real records before it is saved. Records come
//! from the records API and are scored with the domain evaluator the sandbox executes with, so
//! a preview's after-scores are the entity scores execution would write.
//!
//! `records` turns API JSON into `Record`s; `names` names them; `sample` fetches records and
//! their entity scores; `preview` compares before and after; `explain` breaks one record's
//! score down; `expected` predicts the scores an execution writes and checks them (for
//! `jobs::verify`); `lint` finds rules that cannot work as meant; `histogram` draws
//! distributions as text.

pub mod expected;
pub mod explain;
pub mod histogram;
pub mod lint;
pub mod names;
pub mod preview;
pub mod records;
pub mod sample;

#[cfg(test)]
mod tests;
