//! Exact amounts: integer atomic units (`u128`) plus the asset's number of decimals.
//!
//! Backends send amounts as decimal strings ("25", "25.10", "0.00000001"). This module parses
//! them without ever touching a float, rejects anything that is not a plain non-negative
//! decimal that fits the asset, and formats them back exactly, for display and for copying.

use crate::text;
use std::fmt;

/// An exact, non-negative amount of one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount {
    atomic: u128,
    decimals: u8,
}

/// Why an amount string cannot be used as money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmountError {
    Empty,
    Negative(String),
    Exponent(String),
    NotDecimal(String),
    /// The text, its significant decimals, the asset's decimals.
    TooPrecise(String, usize, u8),
    Overflow(String),
}

// The messages are built with `cat!` and `Display` only writes them: `thiserror`'s
// `#[error("… {0}")]` expands to `write!`, which would put `core::fmt` in the wasm
// (see `crate::text`).
impl AmountError {
    /// The English explanation, for the merchant (`payform:error`'s `detail.message`).
    pub fn message(&self) -> String {
        match self {
            AmountError::Empty => "the amount is empty".into(),
            AmountError::Negative(t) => {
                crate::cat!("amount \"", t, "\" is negative; amounts to pay are never negative")
            }
            AmountError::Exponent(t) => crate::cat!(
                "amount \"",
                t,
                "\" uses exponent notation; send a plain decimal such as \"0.0000001\""
            ),
            AmountError::NotDecimal(t) => {
                crate::cat!("amount \"", t, "\" is not a plain decimal number (digits with an optional '.')")
            }
            AmountError::TooPrecise(t, found, allowed) => crate::cat!(
                "amount \"",
                t,
                "\" has ",
                found,
                " decimals; this asset allows at most ",
                allowed
            ),
            AmountError::Overflow(t) => crate::cat!("amount \"", t, "\" is too large to represent exactly"),
        }
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for AmountError {}

impl AmountError {
    /// The stable `payform:error` code.
    pub fn code(&self) -> crate::error::ErrorCode {
        crate::error::ErrorCode::InvalidAmount
    }
}

impl Amount {
    /// An amount from atomic units (satoshi, wei, sun, …).
    pub const fn from_atomic(atomic: u128, decimals: u8) -> Amount {
        Amount { atomic, decimals }
    }

    pub const fn zero(decimals: u8) -> Amount {
        Amount { atomic: 0, decimals }
    }

    pub const fn atomic(&self) -> u128 {
        self.atomic
    }

    pub const fn decimals(&self) -> u8 {
        self.decimals
    }

    pub const fn is_zero(&self) -> bool {
        self.atomic == 0
    }

    /// Parses a decimal string for an asset with `decimals` decimals.
    ///
    /// Accepts `"25"`, `"25.10"`, `"0.00000001"`, `".5"` is rejected (write `"0.5"`), and so
    /// are signs, exponents, spaces, `NaN`, and more decimals than the asset has.
    pub fn parse(text: &str, decimals: u8) -> Result<Amount, AmountError> {
        let owned = || text.to_owned();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        if text.starts_with('-') {
            return Err(AmountError::Negative(owned()));
        }
        if text.contains(['e', 'E']) && text.chars().all(|c| c.is_ascii_digit() || "eE.+-".contains(c)) {
            return Err(AmountError::Exponent(owned()));
        }
        let (int, frac) = match text.split_once('.') {
            Some((i, f)) => (i, f),
            None => (text, ""),
        };
        let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !plain(int) || !plain(frac) || (text.contains('.') && frac.is_empty()) {
            return Err(AmountError::NotDecimal(owned()));
        }
        // Trailing zeros past the asset's precision carry no value: "1.500" is fine for 2 decimals.
        let significant = frac.trim_end_matches('0');
        if significant.len() > usize::from(decimals) {
            return Err(AmountError::TooPrecise(owned(), significant.len(), decimals));
        }
        let mut atomic: u128 = 0;
        let digits = int.bytes().chain(significant.bytes());
        let padding = usize::from(decimals) - significant.len();
        for b in digits.chain(std::iter::repeat_n(b'0', padding)) {
            atomic = atomic
                .checked_mul(10)
                .and_then(|a| a.checked_add(u128::from(b - b'0')))
                .ok_or_else(|| AmountError::Overflow(owned()))?;
        }
        Ok(Amount { atomic, decimals })
    }

    /// `self - other`, or `None` if other is larger or the assets differ in decimals.
    pub fn checked_sub(self, other: Amount) -> Option<Amount> {
        if self.decimals != other.decimals {
            return None;
        }
        Some(Amount { atomic: self.atomic.checked_sub(other.atomic)?, decimals: self.decimals })
    }

    /// `self + other`, or `None` on overflow or mixed decimals.
    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        if self.decimals != other.decimals {
            return None;
        }
        Some(Amount { atomic: self.atomic.checked_add(other.atomic)?, decimals: self.decimals })
    }
}

impl Amount {
    /// The canonical plain decimal: no exponent, no trailing zeros, at least one integer digit
    /// ("0.00000001", "25.1", "25"). This is the text shown, copied and put in wallet URIs.
    /// Written with `crate::text`, not `core::fmt` (which would weigh on the wasm).
    pub fn to_decimal(&self) -> String {
        let mut out = String::new();
        let d = usize::from(self.decimals);
        match 10u128.checked_pow(u32::from(self.decimals)) {
            Some(scale) => {
                text::push_u128(&mut out, self.atomic / scale);
                let frac = self.atomic % scale;
                if frac != 0 {
                    out.push('.');
                    text::push_padded(&mut out, frac, d);
                }
            }
            // decimals > 38: every atomic amount is below one unit; place the point by hand.
            None => {
                out.push_str("0.");
                text::push_padded(&mut out, self.atomic, d);
            }
        }
        // Only a fraction has trailing zeros to drop ("0.0" of a zero amount: "0").
        if out.contains('.') {
            let kept = out.trim_end_matches('0').trim_end_matches('.').len();
            out.truncate(kept);
        }
        out
    }
}

impl Amount {
    /// The text shown to the shopper: money of a currency with two decimals or fewer (the bank
    /// rails' EUR, BRL, INR, …) with all of them, as money is written (`25.00`); crypto amounts
    /// as [`to_decimal`](Amount::to_decimal) writes them (`0.00025`, `25`).
    pub fn to_shown(&self) -> String {
        let text = self.to_decimal();
        let d = usize::from(self.decimals);
        if d == 0 || d > 2 {
            return text;
        }
        let have = text.split_once('.').map_or(0, |(_, f)| f.len());
        let mut out = text;
        if have == 0 {
            out.push('.');
        }
        out.extend(std::iter::repeat_n('0', d - have));
        out
    }
}

impl fmt::Display for Amount {
    /// [`Amount::to_decimal`]. Only `write_str`: no formatting machinery.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_strings_backends_send() {
        assert_eq!(Amount::parse("25", 6).unwrap().atomic(), 25_000_000);
        assert_eq!(Amount::parse("25.10", 6).unwrap().atomic(), 25_100_000);
        assert_eq!(Amount::parse("0.00000001", 8).unwrap().atomic(), 1);
        assert_eq!(Amount::parse("1.500", 2).unwrap().atomic(), 150);
        assert_eq!(Amount::parse("0", 18).unwrap().atomic(), 0);
    }

    #[test]
    fn rejects_what_is_not_money() {
        use AmountError::*;
        assert_eq!(Amount::parse("", 2), Err(Empty));
        assert_eq!(Amount::parse("-1", 2), Err(Negative("-1".into())));
        assert_eq!(Amount::parse("1e-7", 8), Err(Exponent("1e-7".into())));
        assert_eq!(Amount::parse("1E5", 8), Err(Exponent("1E5".into())));
        for bad in ["NaN", "inf", " 1", "1 ", "1,5", ".5", "5.", "+1", "0x10", "1.2.3", "١"] {
            assert_eq!(Amount::parse(bad, 8), Err(NotDecimal(bad.into())), "{bad:?}");
        }
        assert_eq!(Amount::parse("0.001", 2), Err(TooPrecise("0.001".into(), 3, 2)));
        assert_eq!(Amount::parse("1.5", 0), Err(TooPrecise("1.5".into(), 1, 0)));
        let huge = "340282366920938463463374607431768211456"; // u128::MAX + 1
        assert_eq!(Amount::parse(huge, 0), Err(Overflow(huge.into())));
        assert!(Amount::parse("340282366920938463463374607431768211455", 0).is_ok());
        assert_eq!(Amount::parse("4", 38), Err(Overflow("4".into())));
    }

    #[test]
    fn formats_exactly() {
        assert_eq!(Amount::from_atomic(1, 8).to_string(), "0.00000001");
        assert_eq!(Amount::from_atomic(25_100_000, 6).to_string(), "25.1");
        assert_eq!(Amount::from_atomic(25_000_000, 6).to_string(), "25");
        assert_eq!(
            Amount::from_atomic(u128::MAX, 18).to_string(),
            "340282366920938463463.374607431768211455"
        );
        assert_eq!(Amount::from_atomic(0, 0).to_string(), "0");
    }

    #[test]
    fn subtraction_is_exact_and_never_negative() {
        let a = Amount::parse("25", 6).unwrap();
        let b = Amount::parse("10.5", 6).unwrap();
        assert_eq!(a.checked_sub(b).unwrap().to_string(), "14.5");
        assert_eq!(b.checked_sub(a), None);
        assert_eq!(a.checked_sub(Amount::zero(8)), None);
    }

    /// `Display` before `crate::text`: the oracle of the hand-written one.
    fn old_display(a: Amount) -> String {
        let Some(scale) = 10u128.checked_pow(u32::from(a.decimals())) else {
            let digits = a.atomic().to_string();
            let d = usize::from(a.decimals());
            let frac = format!("{digits:0>d$}");
            let frac = frac.trim_end_matches('0');
            return if frac.is_empty() { "0".into() } else { format!("0.{frac}") };
        };
        let int = a.atomic() / scale;
        let frac = a.atomic() % scale;
        if frac == 0 {
            return format!("{int}");
        }
        let width = usize::from(a.decimals());
        let frac = format!("{frac:0width$}");
        format!("{int}.{}", frac.trim_end_matches('0'))
    }

    #[test]
    fn the_edges_are_written_as_before() {
        for decimals in [0u8, 1, 2, 6, 8, 9, 18, 19, 37, 38, 39, 40, 77, 255] {
            for atomic in
                [0, 1, 9, 10, 100, 1_000_000, 10u128.pow(19), 10u128.pow(38), u128::MAX - 1, u128::MAX]
            {
                let a = Amount::from_atomic(atomic, decimals);
                assert_eq!(a.to_decimal(), old_display(a), "{atomic} {decimals}");
                assert_eq!(a.to_string(), a.to_decimal());
            }
        }
    }

    #[test]
    fn every_error_says_what_it_said() {
        use AmountError::*;
        let t = "1.2345";
        let cases = [
            (Empty, "the amount is empty".to_string()),
            (Negative(t.into()), format!("amount \"{t}\" is negative; amounts to pay are never negative")),
            (
                Exponent(t.into()),
                format!("amount \"{t}\" uses exponent notation; send a plain decimal such as \"0.0000001\""),
            ),
            (
                NotDecimal(t.into()),
                format!("amount \"{t}\" is not a plain decimal number (digits with an optional '.')"),
            ),
            (
                TooPrecise(t.into(), 4, 2),
                format!("amount \"{t}\" has {} decimals; this asset allows at most {}", 4usize, 2u8),
            ),
            (
                TooPrecise(t.into(), usize::MAX, u8::MAX),
                format!("amount \"{t}\" has {} decimals; this asset allows at most {}", usize::MAX, u8::MAX),
            ),
            (Overflow(t.into()), format!("amount \"{t}\" is too large to represent exactly")),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
            assert_eq!(err.message(), want);
        }
    }

    proptest! {
        #[test]
        fn parse_of_format_is_identity(atomic in any::<u128>(), decimals in 0u8..=18) {
            let a = Amount::from_atomic(atomic, decimals);
            let text = a.to_string();
            prop_assert!(!text.contains(['e', 'E']));
            prop_assert_eq!(Amount::parse(&text, decimals).unwrap(), a);
        }

        #[test]
        fn display_is_the_old_display(atomic in any::<u128>(), small in 0u128..1_000_000_000, decimals in any::<u8>()) {
            for atomic in [atomic, small, atomic % 10u128.pow(20)] {
                let a = Amount::from_atomic(atomic, decimals);
                prop_assert_eq!(a.to_string(), old_display(a));
            }
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,48}", decimals in 0u8..=40) {
            let _ = Amount::parse(&s, decimals);
        }
    }

    #[test]
    fn money_of_two_decimals_is_shown_with_both() {
        let shown = |t: &str, d: u8| Amount::parse(t, d).unwrap().to_shown();
        assert_eq!(shown("25", 2), "25.00");
        assert_eq!(shown("25.5", 2), "25.50");
        assert_eq!(shown("0.05", 2), "0.05");
        assert_eq!(shown("7", 0), "7");
        assert_eq!(shown("0.00025", 8), "0.00025");
        assert_eq!(shown("25", 6), "25");
    }
}
