//! zscore: manage Zoho CRM lead-scoring rules from the terminal.
//!
//! `domain` is the pure core (model, validation, evaluation); `audit` the pure core of
//! `zscore audit`; `display` keeps org text inert and aligned on screen and in CSV; `sandbox` is
//! the local emulator of Zoho's API that every test and demo runs against.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod audit;
pub mod cli;
pub mod display;
pub mod domain;
pub mod sandbox;
