//! Exact amounts: integer atomic units (`u128`) plus the asset's number of decimals.
//!
//! Backends send amounts as decimal strings ("25", "25.10", "0.00000001"). This module parses
//! them without ever touching a float, rejects anything that is not a plain non-negative
//! decimal that fits the asset, and formats them back exactly, for display and for copying.

use std::fmt;

/// An exact, non-negative amount of one asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount {
    atomic: u128,
    decimals: u8,
}

/// Why an amount string cannot be used as money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount is empty")]
    Empty,
    #[error("amount \"{0}\" is negative; amounts to pay are never negative")]
    Negative(String),
    #[error("amount \"{0}\" uses exponent notation; send a plain decimal such as \"0.0000001\"")]
    Exponent(String),
    #[error("amount \"{0}\" is not a plain decimal number (digits with an optional '.')")]
    NotDecimal(String),
    #[error("amount \"{0}\" has {1} decimals; this asset allows at most {2}")]
    TooPrecise(String, usize, u8),
    #[error("amount \"{0}\" is too large to represent exactly")]
    Overflow(String),
}

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

impl fmt::Display for Amount {
    /// The canonical plain decimal: no exponent, no trailing zeros, at least one integer digit
    /// ("0.00000001", "25.1", "25"). This is the text shown, copied and put in wallet URIs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scale = 10u128.checked_pow(u32::from(self.decimals));
        let Some(scale) = scale else {
            // decimals > 38: print the digits and place the point by hand.
            let digits = self.atomic.to_string();
            let d = usize::from(self.decimals);
            let frac = format!("{digits:0>d$}");
            let frac = frac.trim_end_matches('0');
            return if frac.is_empty() { f.write_str("0") } else { write!(f, "0.{frac}") };
        };
        let int = self.atomic / scale;
        let frac = self.atomic % scale;
        if frac == 0 {
            return write!(f, "{int}");
        }
        let width = usize::from(self.decimals);
        let frac = format!("{frac:0width$}");
        write!(f, "{int}.{}", frac.trim_end_matches('0'))
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

    proptest! {
        #[test]
        fn parse_of_format_is_identity(atomic in any::<u128>(), decimals in 0u8..=18) {
            let a = Amount::from_atomic(atomic, decimals);
            let text = a.to_string();
            prop_assert!(!text.contains(['e', 'E']));
            prop_assert_eq!(Amount::parse(&text, decimals).unwrap(), a);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,48}", decimals in 0u8..=40) {
            let _ = Amount::parse(&s, decimals);
        }
    }
}
