//! The request schedule: **the one place that decides every wait** before the form asks the
//! backend again, whatever asked for it (the regular poll, a backoff after a failure, a
//! server's `Retry-After`, `refresh()`, the page becoming visible or the network coming back).
//! Pure arithmetic over times passed in as values and a [`Jitter`] source, so it is tested
//! with a virtual clock.
//!
//! The rules, each a property tested below and in `session`:
//! - **Floor:** no two requests start less than [`MIN_DELAY_MS`] apart, whatever triggers them.
//! - **Ceiling:** no wait is longer than [`MAX_DELAY_MS`], whatever `poll-interval`,
//!   `Retry-After` (delta-seconds of any size, or an HTTP-date) or the backoff say.
//! - **A wait the server asked for holds:** after `429`/`503` with `Retry-After`, nothing (not
//!   `refresh()`, `online` or visibility) sends a request before that time.
//! - Base interval 3 s by default (±25 % at random, so forms never poll in step), twice that
//!   while confirming; exponential backoff with full
//!   jitter on errors (capped at [`MAX_BACKOFF_MS`]); a server's `Retry-After` gets up to a
//!   quarter more, at random, so forms told the same time do not come back in one wave; while
//!   the page is hidden, one request per [`HIDDEN_INTERVAL_MS`]; while a push stream is
//!   healthy, the backup poll runs every [`PUSH_SAFETY_POLL_MS`] on its own clock.

use crate::time::UnixMs;

/// The default base interval between polls.
pub const DEFAULT_INTERVAL_MS: u64 = 3_000;
/// The longest wait after repeated failures without a `Retry-After`.
pub const MAX_BACKOFF_MS: u64 = 60_000;
/// The slowest rate while the page is hidden.
pub const HIDDEN_INTERVAL_MS: u64 = 30_000;
/// A request (headers and body) that has not completed by then is abandoned: a failure.
pub const REQUEST_TIMEOUT_MS: u64 = 10_000;
/// The floor: no two requests closer than this, and no wait shorter.
pub const MIN_DELAY_MS: u64 = 1_000;
/// The ceiling: no wait longer than this (10 minutes).
pub const MAX_DELAY_MS: u64 = 600_000;
/// While a push stream is healthy, the backup poll still runs this often.
pub const PUSH_SAFETY_POLL_MS: u64 = 30_000;

/// A source of randomness for jitter: a uniform integer in `0..=max`.
pub trait Jitter {
    fn upto(&mut self, max: u64) -> u64;
}

/// Any wait, clamped to the floor and the ceiling.
pub fn clamp(ms: u64) -> u64 {
    ms.clamp(MIN_DELAY_MS, MAX_DELAY_MS)
}

/// Reads a `Retry-After` header: delta-seconds (digits only, any length: saturates) or an
/// HTTP-date (then the wait is measured from `server_now_ms`, the reply's `Date` header when it
/// has one, so a wrong shopper clock does not matter). `None` when it is neither.
pub fn parse_retry_after(value: &str, server_now_ms: UnixMs) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        let secs = value.bytes().fold(0u64, |n, b| n.saturating_mul(10).saturating_add(u64::from(b - b'0')));
        return Some(secs.saturating_mul(1000));
    }
    let at = crate::time::parse_http_date(value)?;
    Some(u64::try_from(at.saturating_sub(server_now_ms)).unwrap_or(0))
}

/// How often to ask while all is well, by what the payment is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// The base interval: waiting for a payment.
    Normal,
    /// Twice the base interval: a payment is confirming (blocks take minutes).
    Confirming,
    /// The shopper said "I've sent the payment": every [`HURRY_INTERVAL_MS`] (or the base
    /// interval, if shorter) for [`HURRY_WINDOW_MS`], also beside a healthy push stream.
    Hurry,
    /// Expired: a late payment is still looked for, every [`LATE_INTERVAL_MS`] (or the base
    /// interval, if longer), for [`LATE_WATCH_MS`].
    AfterExpiry,
}

/// The pace after "I've sent the payment".
pub const HURRY_INTERVAL_MS: u64 = 1_500;
/// How long "I've sent the payment" keeps the fast pace.
pub const HURRY_WINDOW_MS: u64 = 120_000;
/// The pace while a payment is expired (a late payment can still arrive).
pub const LATE_INTERVAL_MS: u64 = 15_000;
/// How long after the form saw `expired` it still looks for a late payment (an hour: a
/// Bitcoin transaction sent in the last minute can take that long to be seen confirmed).
pub const LATE_WATCH_MS: u64 = 3_600_000;

/// What the last request came back with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A fresh payment (200) or an unchanged one (304), and how fast to ask next.
    Ok { pace: Pace },
    /// The server said when to come back (`Retry-After` on 429 or 503), in ms from now.
    Told { retry_after_ms: u64 },
    /// 5xx, 429 without `Retry-After`, a timeout, a dropped connection, an unusable body.
    Failed,
}

/// The schedule of one form: when its next request may start.
#[derive(Debug, Clone)]
pub struct Schedule {
    interval_ms: u64,
    failures: u32,
    /// When the last request started (local clock).
    last_start: Option<UnixMs>,
    /// When the regular next request is due.
    due: UnixMs,
    /// The earliest the server allows the next request (`Retry-After`).
    not_before: UnixMs,
    /// A healthy push stream: the regular poll is only a backup.
    push: bool,
}

impl Schedule {
    /// `interval_ms` (the `poll-interval` option) is clamped to the floor and the ceiling.
    pub fn new(interval_ms: u64) -> Schedule {
        Schedule {
            interval_ms: clamp(interval_ms),
            failures: 0,
            last_start: None,
            due: 0,
            not_before: 0,
            push: false,
        }
    }

    /// The base interval actually used.
    pub fn interval_ms(&self) -> u64 {
        self.interval_ms
    }

    /// Consecutive failures so far (0 after any success).
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Whether a push stream is carrying updates (the poll then runs as a slow backup).
    pub fn set_push(&mut self, healthy: bool) {
        self.push = healthy;
    }

    /// A request starts now.
    pub fn started(&mut self, now: UnixMs) {
        self.last_start = Some(now);
    }

    /// The request finished with `outcome` at `now`; returns the wait before the next regular
    /// request (always within the floor and the ceiling).
    pub fn finished(&mut self, outcome: Outcome, now: UnixMs, hidden: bool, jitter: &mut impl Jitter) -> u64 {
        let mut delay = match outcome {
            Outcome::Ok { pace } => {
                self.failures = 0;
                let base = match pace {
                    Pace::Normal => self.interval_ms,
                    Pace::Confirming => self.interval_ms.saturating_mul(2),
                    Pace::Hurry => self.interval_ms.min(HURRY_INTERVAL_MS),
                    Pace::AfterExpiry => self.interval_ms.max(LATE_INTERVAL_MS),
                };
                // ±25 % around the interval (same mean): forms that a rate limiter let through
                // together do not stay in step (the herd simulation showed 3-second waves at
                // 1.7 x the budget without it).
                base - base / 4 + jitter.upto(base / 2)
            }
            Outcome::Told { retry_after_ms } => {
                self.failures = self.failures.saturating_add(1);
                let told = clamp(retry_after_ms);
                self.not_before = self.not_before.max(now.saturating_add(told as i64));
                told.saturating_add(jitter.upto(told / 4))
            }
            Outcome::Failed => {
                self.failures = self.failures.saturating_add(1);
                self.backoff(jitter)
            }
        };
        if self.push && outcome != (Outcome::Ok { pace: Pace::Hurry }) {
            delay = delay.max(PUSH_SAFETY_POLL_MS);
        }
        if hidden {
            delay = delay.max(HIDDEN_INTERVAL_MS);
        }
        let delay = clamp(delay);
        self.due = now.saturating_add(delay as i64);
        delay
    }

    /// When the next request may start: at the regular due time, or as soon as allowed when
    /// `refresh` (the page became visible, the network came back, `refresh()`, a failed push
    /// stream), but never within the floor of the last start nor before a server-mandated time.
    pub fn next_at(&self, now: UnixMs, refresh: bool) -> UnixMs {
        let floor = self.last_start.map_or(i64::MIN, |t| t.saturating_add(MIN_DELAY_MS as i64));
        let base = if refresh { now } else { self.due };
        base.max(floor).max(self.not_before)
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

/// Test jitter that always picks zero: the most eager case.
#[cfg(test)]
pub(crate) struct Zero;

#[cfg(test)]
impl Jitter for Zero {
    fn upto(&mut self, _max: u64) -> u64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: UnixMs = 1_795_485_600_000;

    fn after(s: &mut Schedule, outcome: Outcome) -> u64 {
        s.finished(outcome, T0, false, &mut Max)
    }

    #[test]
    fn polls_at_the_base_interval_and_slower_while_confirming() {
        let mut s = Schedule::new(3_000);
        assert_eq!(after(&mut s, Outcome::Ok { pace: Pace::Normal }), 3_750, "3 s + 25 % at most");
        assert_eq!(s.finished(Outcome::Ok { pace: Pace::Normal }, T0, false, &mut Zero), 2_250, "3 s - 25 %");
        assert_eq!(after(&mut s, Outcome::Ok { pace: Pace::Confirming }), 7_500);
    }

    #[test]
    fn backs_off_exponentially_up_to_the_cap_and_recovers() {
        let mut s = Schedule::new(3_000);
        let delays: Vec<u64> = (0..7).map(|_| after(&mut s, Outcome::Failed)).collect();
        assert_eq!(delays, [6_000, 12_000, 24_000, 48_000, 60_000, 60_000, 60_000]);
        assert_eq!(after(&mut s, Outcome::Ok { pace: Pace::Normal }), 3_750);
        assert_eq!(s.failures(), 0);
    }

    #[test]
    fn a_told_wait_is_obeyed_plus_a_spread_and_holds_against_refresh() {
        let mut s = Schedule::new(3_000);
        s.started(T0 - 100);
        let d = s.finished(Outcome::Told { retry_after_ms: 30_000 }, T0, false, &mut Zero);
        assert_eq!(d, 30_000);
        assert_eq!(s.next_at(T0 + 5, true), T0 + 30_000, "a refresh does not skip the server's wait");
        let mut s = Schedule::new(3_000);
        assert_eq!(s.finished(Outcome::Told { retry_after_ms: 30_000 }, T0, false, &mut Max), 37_500);
    }

    #[test]
    fn every_wait_is_within_the_floor_and_the_ceiling() {
        for interval in [0, 1, 999, 1_000, 3_000, u64::MAX] {
            let mut s = Schedule::new(interval);
            assert!((MIN_DELAY_MS..=MAX_DELAY_MS).contains(&s.interval_ms()));
            for outcome in [
                Outcome::Ok { pace: Pace::Confirming },
                Outcome::Told { retry_after_ms: u64::MAX },
                Outcome::Told { retry_after_ms: 0 },
                Outcome::Failed,
            ] {
                for hidden in [false, true] {
                    for d in [
                        s.finished(outcome, T0, hidden, &mut Max),
                        s.finished(outcome, T0, hidden, &mut Zero),
                    ] {
                        assert!((MIN_DELAY_MS..=MAX_DELAY_MS).contains(&d), "{interval} {outcome:?}: {d}");
                    }
                }
            }
        }
    }

    #[test]
    fn retry_after_reads_seconds_of_any_size_and_http_dates() {
        assert_eq!(parse_retry_after("30", T0), Some(30_000));
        assert_eq!(parse_retry_after(" 0 ", T0), Some(0));
        assert_eq!(parse_retry_after("99999999999999999999999999", T0), Some(u64::MAX));
        assert_eq!(parse_retry_after("Tue, 24 Nov 2026 02:01:00 GMT", T0), Some(60_000));
        assert_eq!(parse_retry_after("Tue, 24 Nov 2026 01:00:00 GMT", T0), Some(0), "a past date: now");
        for bad in ["", "-5", "1.5", "soon", "30s"] {
            assert_eq!(parse_retry_after(bad, T0), None, "{bad:?}");
        }
    }

    #[test]
    fn refresh_asks_at_once_but_never_within_the_floor() {
        let mut s = Schedule::new(3_000);
        s.started(T0);
        s.finished(Outcome::Ok { pace: Pace::Normal }, T0 + 50, false, &mut Max);
        assert_eq!(s.next_at(T0 + 100, true), T0 + MIN_DELAY_MS as i64);
        assert_eq!(s.next_at(T0 + 2_000, true), T0 + 2_000);
        assert_eq!(s.next_at(T0 + 100, false), T0 + 3_800);
    }

    #[test]
    fn hidden_pages_and_push_streams_poll_slowly() {
        let mut s = Schedule::new(3_000);
        assert_eq!(s.finished(Outcome::Ok { pace: Pace::Normal }, T0, true, &mut Max), 30_000);
        s.set_push(true);
        assert_eq!(s.finished(Outcome::Ok { pace: Pace::Normal }, T0, false, &mut Max), PUSH_SAFETY_POLL_MS);
    }

    #[test]
    fn each_pace_has_its_interval_with_jitter_inside_the_floor() {
        let at = |pace, push: bool, hidden: bool| {
            let mut s = Schedule::new(DEFAULT_INTERVAL_MS);
            s.set_push(push);
            (
                s.finished(Outcome::Ok { pace }, T0, hidden, &mut Zero),
                s.finished(Outcome::Ok { pace }, T0, hidden, &mut Max),
            )
        };
        assert_eq!(at(Pace::Hurry, false, false), (1_125, 1_875), "1.5 s ± 25 %");
        assert_eq!(at(Pace::Hurry, true, false), (1_125, 1_875), "beside a push stream too");
        assert_eq!(at(Pace::Hurry, false, true).0, HIDDEN_INTERVAL_MS, "not while hidden");
        assert_eq!(at(Pace::AfterExpiry, false, false), (11_250, 18_750), "15 s ± 25 %");
        assert_eq!(at(Pace::AfterExpiry, true, false).0, PUSH_SAFETY_POLL_MS);
        // A base interval faster than the hurry, or slower than the late pace, is kept.
        let mut fast = Schedule::new(1_000);
        assert_eq!(fast.finished(Outcome::Ok { pace: Pace::Hurry }, T0, false, &mut Zero), MIN_DELAY_MS);
        let mut slow = Schedule::new(60_000);
        assert_eq!(slow.finished(Outcome::Ok { pace: Pace::AfterExpiry }, T0, false, &mut Max), 75_000);
    }
}
