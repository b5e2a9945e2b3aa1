//! zscore: manage Zoho CRM lead-scoring rules from the terminal.
//!
//! - `domain`: the pure core (model, validation, criteria evaluation, lint checks);
//! - `api`: the Zoho client (bounded reads, retries, the in-flight limit, the call meter);
//! - `config`: profiles, secrets and `[keys]`; `connect`: which org to talk to (CLI and TUI);
//! - `audit`, `lab` (preview, explanations, lint findings), `bulk` (plans over many rules),
//!   `transfer` (export / import / edit files), `rule_diff` (a change in words): pure cores of
//!   the commands, shared by the CLI and the TUI;
//! - `jobs`: workflows that report progress (execute, verify, move); `journal`: every write
//!   recorded, history, revert and undo;
//! - `display`: org text kept inert and aligned on screen and in CSV; `editor`, `files`: the
//!   user's editor and bounded file reads;
//! - `cli`: the subcommands; `tui`: the terminal UI; `sandbox`: the local emulator of Zoho's
//!   API that every test and demo runs against; `fuzzing`: inputs for the fuzz targets.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod api;
pub mod audit;
pub mod bulk;
pub mod cli;
pub mod config;
pub mod connect;
pub mod display;
pub mod domain;
pub mod editor;
pub mod files;
pub mod fuzzing;
pub mod jobs;
pub mod journal;
pub mod lab;
pub mod rule_diff;
pub mod sandbox;
pub mod transfer;
pub mod tui;
