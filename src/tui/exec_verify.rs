//! The verification half of the execution view: after `x` / `X` the runner predicts a sample's
//! scores, sends the execution, follows its jobs where the server has them, then polls the
//! sample until it carries the prediction (`jobs::verify`, the workflow `zscore execute
//! --verify` drives too). Each step comes back as a `VerifyStep`; this module keeps what the
//! view says about them.

use crate::display::sanitize;
use crate::jobs::verify::{Outcome, VerifyEvent, VerifyReport};
use crate::lab::expected::Difference;
use crate::lab::names::label;

/// What the runner reports about verifying one execution.
#[derive(Clone, Debug, PartialEq)]
pub enum VerifyStep {
    /// Sampling the module's records before the execution is sent.
    Predicting {
        sample: usize,
    },
    Predicted {
        records: usize,
        expected_changes: usize,
        outside_window: usize,
    },
    /// No prediction, so no verification; the execution is sent anyway.
    PredictFailed(String),
    /// No request was scheduled: nothing to verify.
    NothingScheduled,
    Progress(VerifyEvent),
    Done(Box<VerifyReport>),
}

/// Where verification stands, as the view shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Verification {
    Predicting,
    /// Predicted; waiting for the execution (and its jobs) to finish.
    Predicted {
        records: usize,
        expected_changes: usize,
    },
    Unavailable(String),
    NothingScheduled,
    Polling {
        poll: u32,
        verified: usize,
        total: usize,
        last_error: Option<String>,
    },
    Ended(Box<VerifyReport>),
}

impl Verification {
    /// Folds one step in (a pause between polls changes nothing shown).
    pub fn apply(&mut self, step: VerifyStep) {
        *self = match step {
            VerifyStep::Predicting { .. } => Verification::Predicting,
            VerifyStep::Predicted {
                records,
                expected_changes,
                ..
            } => Verification::Predicted {
                records,
                expected_changes,
            },
            VerifyStep::PredictFailed(e) => Verification::Unavailable(e),
            VerifyStep::NothingScheduled => Verification::NothingScheduled,
            VerifyStep::Progress(VerifyEvent::Polled {
                poll,
                verified,
                total,
                ..
            }) => Verification::Polling {
                poll,
                verified,
                total,
                last_error: None,
            },
            VerifyStep::Progress(VerifyEvent::PollFailed { poll, error }) => match self {
                Verification::Polling {
                    verified, total, ..
                } => Verification::Polling {
                    poll,
                    verified: *verified,
                    total: *total,
                    last_error: Some(error),
                },
                _ => Verification::Polling {
                    poll,
                    verified: 0,
                    total: 0,
                    last_error: Some(error),
                },
            },
            VerifyStep::Progress(VerifyEvent::Waiting { .. }) => return,
            VerifyStep::Done(report) => Verification::Ended(report),
        };
    }

    /// Polling is under way (Esc stops it).
    pub fn polling(&self) -> bool {
        matches!(self, Verification::Polling { .. })
    }

    /// Verified / total, once a poll read them.
    pub fn ratio(&self) -> Option<f64> {
        let (verified, total) = match self {
            Verification::Polling {
                verified, total, ..
            } => (*verified, *total),
            Verification::Ended(r) => {
                let c = r.check.as_ref()?;
                (c.verified, c.total)
            }
            _ => return None,
        };
        (total > 0).then(|| verified as f64 / total as f64)
    }

    /// The verification's line(s) under the requests.
    pub fn text(&self) -> String {
        match self {
            Verification::Predicting => {
                "Predicting the sample's scores before sending…".to_string()
            }
            Verification::Predicted {
                records,
                expected_changes,
            } => format!(
                "Verification: {records} sampled records predicted ({expected_changes} expected to change); checked once the execution has run"
            ),
            Verification::Unavailable(e) => {
                format!(
                    "Not verified: could not predict the scores ({})",
                    sanitize(e)
                )
            }
            Verification::NothingScheduled => "Nothing was scheduled, so nothing to verify".into(),
            Verification::Polling {
                poll,
                verified,
                total,
                last_error,
            } => {
                let mut t = format!(
                    "Verifying (poll {poll}): verified {verified} / {total} records carry the expected scores"
                );
                if let Some(e) = last_error {
                    t.push_str(&format!("; the last poll failed: {}", sanitize(e)));
                }
                t
            }
            Verification::Ended(r) => {
                let how = match r.outcome {
                    Outcome::Verified => "",
                    Outcome::TimedOut => "; timed out, the execution may still be running",
                    Outcome::Stopped => "; stopped, the execution itself goes on in Zoho",
                };
                format!(
                    "{}{how} ({}, {} API calls)",
                    upper_first(&r.summary()),
                    super::exec::plural(r.polls as usize, "poll", "polls"),
                    r.prediction_calls + r.poll_calls
                )
            }
        }
    }

    /// The records still different after the last poll.
    pub fn differing(&self) -> &[Difference] {
        match self {
            Verification::Ended(r) => r.check.as_ref().map_or(&[], |c| c.differing.as_slice()),
            _ => &[],
        }
    }

    /// Said when the view is closed while polling.
    pub fn closed_text(&self) -> Option<String> {
        match self {
            Verification::Polling {
                verified, total, ..
            } => Some(format!(
                "stopped verifying at {verified} / {total}; the execution itself goes on in Zoho"
            )),
            Verification::Predicted { .. } => {
                Some("not verified; the execution itself goes on in Zoho".into())
            }
            _ => None,
        }
    }
}

/// A record still different: `Acme · 5843…: expected 40, actual 25 (Inbound Demand 30 ≠ 15)`.
pub fn difference_text(d: &Difference) -> String {
    let rules: Vec<String> = d
        .rules
        .iter()
        .map(|r| {
            format!(
                "{} expected {}, actual {}",
                sanitize(&r.name),
                r.expected,
                r.actual
            )
        })
        .collect();
    format!(
        "{}: expected {}, actual {} ({})",
        label(d.name.as_deref(), &d.id),
        d.expected,
        d.actual,
        rules.join("; ")
    )
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::expected::Check;

    fn ended(polls: u32, outcome: Outcome) -> Verification {
        Verification::Ended(Box::new(VerifyReport {
            module: "Leads".into(),
            outcome,
            check: Some(Check {
                verified: 178,
                total: 178,
                differing: Vec::new(),
            }),
            expected_changes: 0,
            polls,
            prediction_calls: 4,
            poll_calls: 2 * u64::from(polls),
            elapsed_ms: 0,
            last_error: None,
        }))
    }

    #[test]
    fn the_report_counts_its_polls_in_words() {
        assert_eq!(
            ended(1, Outcome::Verified).text(),
            "Verified 178 / 178 records carry the expected scores (1 poll, 6 API calls)"
        );
        assert_eq!(
            ended(3, Outcome::Verified).text(),
            "Verified 178 / 178 records carry the expected scores (3 polls, 10 API calls)"
        );
    }
}
