//! Connecting a command (`crate::connect` does the work): unless quiet, it says on stderr
//! which org it got when none was named, whom it waits for when the built-in sandbox is busy,
//! and every retry, so a slow or throttling server never means silence.

use super::output::errln;
use crate::api::Client;
pub use crate::connect::{ConnectError, Connection, Target, connect_telling};
use crate::domain::OrgSnapshot;

/// Connects, saying on stderr (unless quiet) which org and, for the built-in sandbox, whom it
/// waits for.
pub async fn connect(target: &Target) -> Result<Connection, ConnectError> {
    let quiet = target.quiet;
    let conn = connect_telling(target, &mut |m: &str| {
        if !quiet {
            errln!("zscore: {m}");
        }
    })
    .await?;
    if !quiet {
        if let Some(n) = &conn.notice {
            errln!("zscore: {n}");
        }
        announce_retries(&conn.client);
    }
    Ok(conn)
}

/// The org's rules and metadata, `modules` only (all when empty), a failure in words.
pub async fn load(conn: &Connection, modules: &[String]) -> Result<OrgSnapshot, String> {
    conn.client
        .load_snapshot(conn.edition, modules)
        .await
        .map_err(|e| e.to_string())
}

/// Every retry and rate-limit wait of `client`, said on stderr.
pub fn announce_retries(client: &Client) {
    client.on_retry(std::sync::Arc::new(|n: &crate::api::RetryNotice| {
        errln!("zscore: {}", n.text());
    }));
}
