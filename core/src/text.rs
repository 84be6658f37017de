//! Text without `core::fmt`: the few writers the form needs (decimal integers, zero padding,
//! pieces joined into one `String`), so that the release wasm carries no formatting machinery.
//!
//! `format!`, `write!`, `{:?}` and `to_string()` on integers all go through `core::fmt`'s
//! interpreter of `Arguments`, its padding rules and one digit writer per integer width: about
//! 10 KB of code before wasm-opt that a payment form uses only to join a few strings. Here a
//! message is built with [`cat!`](crate::cat) from [`Piece`]s instead: `&str`, `String`,
//! `char` and the unsigned and signed integers (as decimal). `scripts/fmt-gate.sh` (in
//! `make test`) fails when `core::fmt` code in the release wasm grows past a stated budget
//! (docs/size.md). Native tests hold every writer to `format!` as the oracle.

/// Joins pieces (`&str`, `String`, `char`, integers as decimal) into a new `String`:
/// `cat!("field \"", name, "\" has ", n, " items")`.
#[macro_export]
macro_rules! cat {
    ($($piece:expr),* $(,)?) => {{
        let mut out = ::std::string::String::new();
        $( $crate::text::Piece::push_to(&$piece, &mut out); )*
        out
    }};
}

/// Something [`cat!`](crate::cat) can append to a `String`.
pub trait Piece {
    /// Appends `self` to `out`.
    fn push_to(&self, out: &mut String);
}

impl Piece for str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    fn push_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

impl<T: Piece + ToOwned + ?Sized> Piece for std::borrow::Cow<'_, T> {
    fn push_to(&self, out: &mut String) {
        self.as_ref().push_to(out);
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn push_to(&self, out: &mut String) {
                push_u64(out, *self as u64);
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn push_to(&self, out: &mut String) {
                if *self < 0 {
                    out.push('-');
                }
                push_u64(out, self.unsigned_abs() as u64);
            }
        }
    )*};
}
signed!(i8, i16, i32, i64, isize);

impl Piece for u128 {
    fn push_to(&self, out: &mut String) {
        push_u128(out, *self);
    }
}

/// `n` in decimal.
pub fn decimal(n: u128) -> String {
    let mut out = String::new();
    push_u128(&mut out, n);
    out
}

/// Appends `n` in decimal, at least `width` digits (zeros in front): `"{n:0width$}"`.
pub fn push_padded(out: &mut String, n: u128, width: usize) {
    let digits = decimal(n);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// `n` in decimal, at least `width` digits (zeros in front): `format!("{n:0width$}")`.
pub fn padded(n: u128, width: usize) -> String {
    let mut out = String::new();
    push_padded(&mut out, n, width);
    out
}

/// Appends `n` in decimal.
pub fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// Appends `n` in decimal: the part above `u64` costs one 128-bit division per 19 digits.
pub fn push_u128(out: &mut String, n: u128) {
    const TEN19: u128 = 10_000_000_000_000_000_000;
    match u64::try_from(n) {
        Ok(small) => push_u64(out, small),
        Err(_) => {
            push_u128(out, n / TEN19);
            let low = (n % TEN19) as u64;
            let start = out.len();
            push_u64(out, low);
            let written = out.len() - start;
            out.insert_str(start, &"0000000000000000000"[..19 - written]);
        }
    }
}

/// Appends the two lower-case hex digits of a byte: `format!("{b:02x}")`.
pub fn push_hex2(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_edges_match_format() {
        for n in [
            0u128,
            9,
            10,
            99,
            100,
            u64::MAX as u128,
            u64::MAX as u128 + 1,
            10u128.pow(19),
            10u128.pow(19) - 1,
            10u128.pow(38),
            u128::MAX,
        ] {
            assert_eq!(decimal(n), format!("{n}"));
            assert_eq!(cat!(n), format!("{n}"));
        }
        for n in [0i64, -1, i64::MIN, i64::MAX, 42] {
            assert_eq!(cat!(n), format!("{n}"));
        }
        assert_eq!(
            cat!(i8::MIN, ' ', u8::MAX, "x", String::from("y"), &"z"),
            format!("{} {}xyz", i8::MIN, u8::MAX)
        );
        assert_eq!(padded(7, 3), "007");
        assert_eq!(padded(1234, 2), "1234");
        let mut s = String::new();
        for b in [0u8, 9, 10, 15, 16, 171, 255] {
            push_hex2(&mut s, b);
        }
        assert_eq!(s, "00090a0f10abff");
    }

    proptest! {
        #[test]
        fn integers_are_written_as_format_writes_them(n in any::<u128>(), m in any::<i64>(), w in 0usize..45) {
            prop_assert_eq!(decimal(n), format!("{n}"));
            prop_assert_eq!(cat!(m, n as u64, n as u32 as i32), format!("{m}{}{}", n as u64, n as u32 as i32));
            prop_assert_eq!(padded(n, w), format!("{n:0w$}"));
            let mut s = String::new();
            push_hex2(&mut s, n as u8);
            prop_assert_eq!(s, format!("{:02x}", n as u8));
        }
    }
}
