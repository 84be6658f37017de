//! The names of the DOM events of the public contract, in one place: the form dispatches them
//! (`events` in the payform crate), the hosted checkout relays them to its parent, and
//! `core/tests/contract_codes.rs` checks that `payform.d.ts` and the README list each one.
//! The error codes of `payform:error` are [`crate::error::ErrorCode`].

/// The first valid payment was rendered: `{payment}`.
pub const READY: &str = "payform:ready";
/// The status changed: `{status, previous, payment}`.
pub const STATUS: &str = "payform:status";
/// `paid` or `overpaid`, exactly once: `{payment}`.
pub const PAID: &str = "payform:paid";
/// `expired`: `{payment}`.
pub const EXPIRED: &str = "payform:expired";
/// `failed`, `cancelled`, `refunded`: `{payment, reason}`.
pub const FAILED: &str = "payform:failed";
/// A fetch or validation problem: `{code, message, retry_in_ms}`.
pub const ERROR: &str = "payform:error";
/// `openCheckout` only, posted by the hosted checkout: the page's height, `{height}`.
pub const RESIZE: &str = "payform:resize";
/// `openCheckout` only, dispatched by `payform.js`: the shopper closed the checkout.
pub const CLOSE: &str = "payform:close";

/// The events a form dispatches on its root element, in the order of the contract's table
/// (and the ones the hosted checkout relays to its parent).
pub const FORM_EVENTS: [&str; 6] = [READY, STATUS, PAID, EXPIRED, FAILED, ERROR];

/// Every event of the contract: the form's, then `openCheckout`'s own.
pub const ALL_EVENTS: [&str; 8] = [READY, STATUS, PAID, EXPIRED, FAILED, ERROR, RESIZE, CLOSE];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_namespaced() {
        let mut seen = std::collections::HashSet::new();
        for name in ALL_EVENTS {
            let event = name.strip_prefix("payform:").unwrap_or_else(|| panic!("{name}"));
            assert!(!event.is_empty() && event.bytes().all(|b| b.is_ascii_lowercase()), "{name}");
            assert!(seen.insert(name), "{name} twice");
        }
        assert_eq!(ALL_EVENTS[..FORM_EVENTS.len()], FORM_EVENTS);
    }
}
