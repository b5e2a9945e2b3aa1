//! zscore: manage Zoho CRM lead-scoring rules from the terminal.
//!
//! `domain` is the pure core (model, validation, evaluation); `api` the Zoho client; `config`
//! profiles and secrets; `audit` the pure core of `zscore audit`; `jobs` background work that
//! reports progress; `rule_diff` says in words what changed between two versions of a rule; `display` keeps org text inert and aligned on screen and in CSV; `connect` which
//! org to talk to (shared by the CLI and the TUI); `cli` the subcommands; `sandbox` the local emulator of Zoho's API that every test and demo runs against.

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
