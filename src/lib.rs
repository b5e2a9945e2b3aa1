//! zscore: manage Zoho CRM lead-scoring rules from the terminal.
//!
//! `domain` is the pure core (model, validation, evaluation); `sandbox` is the local emulator of
//! Zoho's API that every test and demo runs against.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod domain;
pub mod sandbox;
pub mod transfer;
