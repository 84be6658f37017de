//! The polling schedule: how long to wait before asking the backend again, given what the last
//! request returned. Pure arithmetic over a [`Jitter`] source, so it is tested without timers.
//!
//! Base interval 3 s (configurable); slower while confirming; exponential backoff with full
//! jitter on server and network errors, capped at 60 s; `429` waits at least `Retry-After`;
//! while the page is hidden, at most one request per 30 s.

/// The default base interval between polls.
pub const DEFAULT_INTERVAL_MS: u64 = 3_000;
/// The longest wait after repeated failures.
pub const MAX_BACKOFF_MS: u64 = 60_000;
/// The slowest rate while the page is hidden.
pub const HIDDEN_INTERVAL_MS: u64 = 30_000;
/// A request that has not answered by then is abandoned and counts as a failure.
pub const REQUEST_TIMEOUT_MS: u64 = 10_000;
/// The shortest wait, so a bad answer never turns into a tight loop.
pub const MIN_DELAY_MS: u64 = 500;

/// A source of randomness for jitter: a uniform integer in `0..=max`.
pub trait Jitter {
    fn upto(&mut self, max: u64) -> u64;
}

/// What the last request came back with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A fresh payment (200) or an unchanged one (304).
    Ok { confirming: bool },
    /// 429, with the `Retry-After` delay in ms if the server gave one.
    RateLimited { retry_after_ms: Option<u64> },
    /// 5xx, a timeout, a dropped connection or an unreadable body.
    Failed,
}

/// The schedule of one form. Holds the count of consecutive failures.
#[derive(Debug, Clone)]
pub struct Schedule {
    interval_ms: u64,
    failures: u32,
}

impl Schedule {
    pub fn new(interval_ms: u64) -> Schedule {
        Schedule { interval_ms: interval_ms.max(MIN_DELAY_MS), failures: 0 }
    }

    /// Consecutive failures so far (0 after any success).
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// The delay before the next request.
    pub fn next_delay(&mut self, outcome: Outcome, hidden: bool, jitter: &mut impl Jitter) -> u64 {
        let delay = match outcome {
            Outcome::Ok { confirming } => {
                self.failures = 0;
                if confirming {
                    self.interval_ms * 2
                } else {
                    self.interval_ms
                }
            }
            Outcome::RateLimited { retry_after_ms } => {
                self.failures = self.failures.saturating_add(1);
                match retry_after_ms {
                    Some(wait) => wait,
                    None => self.backoff(jitter),
                }
            }
            Outcome::Failed => {
                self.failures = self.failures.saturating_add(1);
                self.backoff(jitter)
            }
        };
        let delay = delay.max(MIN_DELAY_MS);
        if hidden {
            delay.max(HIDDEN_INTERVAL_MS)
        } else {
            delay
        }
    }

    /// Full jitter: uniform in `0..=min(cap, base * 2^failures)`, floored at [`MIN_DELAY_MS`].
    fn backoff(&self, jitter: &mut impl Jitter) -> u64 {
        let exp = self.failures.min(20);
        let ceiling = self.interval_ms.saturating_mul(1 << exp).min(MAX_BACKOFF_MS);
        jitter.upto(ceiling).max(MIN_DELAY_MS)
    }
}

/// Test jitter that always picks the ceiling: the worst case of full jitter.
#[cfg(test)]
pub(crate) struct Max;

#[cfg(test)]
impl Jitter for Max {
    fn upto(&mut self, max: u64) -> u64 {
        max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_at_the_base_interval_and_slower_while_confirming() {
        let mut s = Schedule::new(3_000);
        assert_eq!(s.next_delay(Outcome::Ok { confirming: false }, false, &mut Max), 3_000);
        assert_eq!(s.next_delay(Outcome::Ok { confirming: true }, false, &mut Max), 6_000);
    }

    #[test]
    fn backs_off_exponentially_up_to_the_cap_and_recovers() {
        let mut s = Schedule::new(3_000);
        let delays: Vec<u64> = (0..7).map(|_| s.next_delay(Outcome::Failed, false, &mut Max)).collect();
        assert_eq!(delays, [6_000, 12_000, 24_000, 48_000, 60_000, 60_000, 60_000]);
        assert_eq!(s.next_delay(Outcome::Ok { confirming: false }, false, &mut Max), 3_000);
        assert_eq!(s.failures(), 0);
    }

    #[test]
    fn rate_limit_waits_at_least_retry_after() {
        let mut s = Schedule::new(3_000);
        let d = s.next_delay(Outcome::RateLimited { retry_after_ms: Some(30_000) }, false, &mut Max);
        assert_eq!(d, 30_000);
    }

    #[test]
    fn hidden_pages_poll_at_most_every_30_seconds() {
        let mut s = Schedule::new(3_000);
        assert_eq!(s.next_delay(Outcome::Ok { confirming: false }, true, &mut Max), 30_000);
    }
}
