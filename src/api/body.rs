//! The one place a response body is read: chunk by chunk against a cap, so a server that
//! announces or streams more than any legitimate answer (chunked data that never ends) fails
//! the call instead of filling memory. A declared length past the cap is refused before a byte
//! of the body is read. Silence between chunks is bounded by the client's idle timeout.

use super::auth::without_url;

/// A legitimate page of 200 rules with their criteria is a few hundred kilobytes; 16 MiB is
/// far beyond any, and small enough that no machine notices.
pub const DEFAULT_MAX_BODY: u64 = 16 << 20;

#[derive(Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than the cap: the server is broken or hostile; asking again would not help.
    TooLarge { cap: u64 },
    /// The transfer broke or went silent (a lost answer: retried where that is safe).
    Cut(String),
}

/// The whole body, or `TooLarge` as soon as it is known to pass `cap` bytes.
pub async fn read_capped(mut resp: reqwest::Response, cap: u64) -> Result<Vec<u8>, BodyError> {
    if resp.content_length().is_some_and(|n| n > cap) {
        return Err(BodyError::TooLarge { cap });
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| BodyError::Cut(without_url(&e)))?
    {
        if (body.len() + chunk.len()) as u64 > cap {
            return Err(BodyError::TooLarge { cap });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `16 MiB`, `512 KiB`, `1000 bytes`: a cap as people write it.
pub fn describe_cap(cap: u64) -> String {
    if cap >= 1 << 20 && cap.is_multiple_of(1 << 20) {
        format!("{} MiB", cap >> 20)
    } else if cap >= 1 << 10 && cap.is_multiple_of(1 << 10) {
        format!("{} KiB", cap >> 10)
    } else {
        format!("{cap} bytes")
    }
}
