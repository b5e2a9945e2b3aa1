//! The API-call meter: how many calls a client sent, so an admin can budget Zoho's daily API
//! credits. Every HTTP request the pipeline sends counts, retries included (Zoho charges each
//! one); the OAuth token calls do not (they go to the accounts server and cost no credits), nor
//! the sandbox identity request `cli::connect` sends outside the pipeline.
//!
//! A meter is shared: clones count into the same numbers, so one meter can be handed to every
//! client a command or a session creates and read at the end (`zscore -v`) or on each update
//! (a status bar): reading is two atomic loads. A piece of work that reports its own cost
//! (`execute --verify`) sends through `Client::counting(&its_meter)`: its requests count into
//! its meter as well as the client's.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use reqwest::Method;

#[derive(Clone, Debug, Default)]
pub struct CallMeter {
    counts: Arc<Counts>,
}

#[derive(Debug, Default)]
struct Counts {
    reads: AtomicU64,
    writes: AtomicU64,
}

/// The calls sent so far: GETs are reads, every other method a write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallCount {
    pub reads: u64,
    pub writes: u64,
}

impl CallCount {
    pub fn total(&self) -> u64 {
        self.reads + self.writes
    }
}

impl CallMeter {
    pub fn new() -> CallMeter {
        CallMeter::default()
    }

    /// Counts one request about to be sent.
    pub fn count(&self, method: &Method) {
        let n = if method == Method::GET || method == Method::HEAD {
            &self.counts.reads
        } else {
            &self.counts.writes
        };
        n.fetch_add(1, Ordering::Relaxed);
    }

    pub fn get(&self) -> CallCount {
        CallCount {
            reads: self.counts.reads.load(Ordering::Relaxed),
            writes: self.counts.writes.load(Ordering::Relaxed),
        }
    }
}

/// `12 API calls (9 reads, 3 writes)`.
impl fmt::Display for CallCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.total();
        let plural = if total == 1 { "call" } else { "calls" };
        write!(
            f,
            "{total} API {plural} ({} {}, {} {})",
            self.reads,
            if self.reads == 1 { "read" } else { "reads" },
            self.writes,
            if self.writes == 1 { "write" } else { "writes" },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_count_into_one_meter_and_gets_are_reads() {
        let meter = CallMeter::new();
        let other = meter.clone();
        meter.count(&Method::GET);
        other.count(&Method::PUT);
        other.count(&Method::DELETE);
        meter.count(&Method::POST);
        assert_eq!(
            meter.get(),
            CallCount {
                reads: 1,
                writes: 3
            }
        );
        assert_eq!(meter.get().to_string(), "4 API calls (1 read, 3 writes)");
        assert_eq!(
            CallCount::default().to_string(),
            "0 API calls (0 reads, 0 writes)"
        );
    }
}
