//! The Zoho CRM API client: one request pipeline (in-flight limit, token refresh, retries with
//! backoff, typed errors) and typed calls for every endpoint zscore uses. It never prints; it
//! logs through `tracing`, with tokens and secrets never written.

pub mod auth;
pub mod body;
pub mod client;
mod client_config;
pub mod error;
pub mod execution;
pub mod guard;
pub mod items;
mod load;
mod meter;
pub use load::Part;
pub mod metadata;
pub mod patience;
pub mod rules;
pub mod url;

pub use auth::Credentials;
pub use client::{Client, ClientConfig, Retry, http_client};
pub use error::{ApiError, ZohoError};
pub use execution::{ExecTarget, JobStatus};
pub use guard::{Conflict, GuardedError};
pub use items::{ItemResult, Success};
pub use metadata::OrgInfo;
pub use meter::{CallCount, CallMeter};
pub use patience::{Budget, RetryHook, RetryNotice, Timeouts};
pub use rules::RuleFilter;
