//! Timestamps: RFC 3339, Unix-seconds and HTTP-date parsing into Unix milliseconds. The core
//! never reads a clock itself: the time a reply arrived is passed in with it
//! (`session::Reply::received_at_ms`), so tests simply choose the times.

use crate::text;

/// Milliseconds since the Unix epoch (UTC).
pub type UnixMs = i64;

/// Why a timestamp cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError(pub String);

// The message is built with `cat!` and `Display` only writes it: `thiserror`'s
// `#[error("… {0}")]` expands to `write!`, which would put `core::fmt` in the wasm
// (see `crate::text`).
impl TimeError {
    /// The English explanation (what `Display` writes).
    pub fn message(&self) -> String {
        crate::cat!("timestamp \"", self.0, "\" is neither RFC 3339 (2026-11-24T02:00:00Z) nor Unix seconds")
    }
}

impl std::fmt::Display for TimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for TimeError {}

/// Parses `2026-11-24T02:00:00Z`, `2026-11-24T02:00:00.123+01:00`, or a Unix-seconds string.
pub fn parse_timestamp(text: &str) -> Result<UnixMs, TimeError> {
    let err = || TimeError(text.to_owned());
    if !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse::<i64>().map(|s| s * 1000).map_err(|_| err());
    }
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return Err(err());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64, TimeError> {
        let s = text.get(r).ok_or_else(err)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(err());
        }
        s.parse::<i64>().map_err(|_| err())
    };
    let (y, mo, d, h, mi, s) =
        (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=days_in_month(y, mo)).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return Err(err());
    }
    let mut i = 19;
    let mut millis = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(err());
        }
        let frac = &text[start..i.min(start + 3)];
        // Milliseconds: the first three digits, zeros added after ("5" is 500).
        let mut ms = String::from(frac);
        while ms.len() < 3 {
            ms.push('0');
        }
        millis = ms.parse::<i64>().map_err(|_| err())?;
    }
    let offset_min = match &text[i..] {
        "Z" | "z" => 0,
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) && tz.as_bytes()[3] == b':' => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            sign * (num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?)
        }
        _ => return Err(err()),
    };
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + s - offset_min * 60;
    Ok(secs * 1000 + millis)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses an HTTP `Date` header (IMF-fixdate, `Tue, 24 Nov 2026 01:00:00 GMT`).
pub fn parse_http_date(text: &str) -> Option<UnixMs> {
    parse_timestamp(&http_date_as_rfc3339(text)?).ok()
}

/// `Tue, 24 Nov 2026 01:00:00 GMT` as `2026-11-24T01:00:00Z` (unchecked beyond the month).
fn http_date_as_rfc3339(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, mon, year, hms, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let m = MONTHS.iter().position(|x| x == mon)? + 1;
    // `{year:0>4}-{m:02}-{day:0>2}T{hms}Z`, without `core::fmt`.
    let mut iso = String::new();
    zeros_before(&mut iso, year, 4);
    iso.push('-');
    text::push_padded(&mut iso, m as u128, 2);
    iso.push('-');
    zeros_before(&mut iso, day, 2);
    iso.push('T');
    iso.push_str(hms);
    iso.push('Z');
    Some(iso)
}

/// Appends `s` with zeros before it up to `width` characters (as `format!("{s:0>width$}")`).
fn zeros_before(out: &mut String, s: &str, width: usize) {
    for _ in s.chars().count()..width {
        out.push('0');
    }
    out.push_str(s);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_variants() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_timestamp("2026-11-24T02:00:00Z"), Ok(1_795_485_600_000));
        assert_eq!(parse_timestamp("2026-11-24T03:00:00.5+01:00"), Ok(1_795_485_600_500));
        assert_eq!(parse_timestamp("2024-02-29T00:00:00Z"), Ok(1_709_164_800_000));
        assert_eq!(parse_timestamp("1795485600"), Ok(1_795_485_600_000));
    }

    #[test]
    fn rejects_malformed_timestamps() {
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-11-24",
            "2026-11-24T02:00:00",
            "tomorrow",
            "2026-11-24T02:00:00+0100",
            "-5",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn parses_http_dates() {
        assert_eq!(parse_http_date("Tue, 24 Nov 2026 02:00:00 GMT"), Some(1_795_485_600_000));
        assert_eq!(parse_http_date("yesterday"), None);
    }

    #[test]
    fn the_error_says_what_it_said() {
        for t in ["", "tomorrow", "2026-11-24T02:00:00", "\"quoted\" é"] {
            let want =
                format!("timestamp \"{t}\" is neither RFC 3339 (2026-11-24T02:00:00Z) nor Unix seconds");
            assert_eq!(TimeError(t.into()).to_string(), want);
            assert_eq!(parse_timestamp(t).unwrap_err().to_string(), want);
        }
    }

    /// `parse_http_date`'s RFC 3339 text before `crate::text`: the oracle.
    fn old_rfc3339(text: &str) -> Option<String> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        let [_, day, mon, year, hms, "GMT"] = parts.as_slice() else {
            return None;
        };
        const MONTHS: [&str; 12] =
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let m = MONTHS.iter().position(|x| x == mon)? + 1;
        Some(format!("{year:0>4}-{m:02}-{day:0>2}T{hms}Z"))
    }

    fn old_millis(frac: &str) -> String {
        format!("{frac:0<3}")
    }

    proptest::proptest! {
        #[test]
        fn http_dates_read_as_before(
            day in "[0-9]{0,3}|\\PC{0,3}",
            mon in "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Foo",
            year in "[0-9]{0,5}|\\PC{0,5}",
            hms in "[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,4})?|\\PC{0,9}",
        ) {
            let text = format!("Tue, {day} {mon} {year} {hms} GMT");
            proptest::prop_assert_eq!(http_date_as_rfc3339(&text), old_rfc3339(&text), "{}", text);
        }

        #[test]
        fn fractions_read_as_before(frac in "[0-9]{1,3}", more in "[0-9]{0,3}", secs in "[0-5][0-9]") {
            let text = format!("2026-11-24T02:00:{secs}.{frac}{more}Z");
            let whole = parse_timestamp(&format!("2026-11-24T02:00:{secs}Z")).unwrap();
            let digits = format!("{frac}{more}");
            let millis = old_millis(&digits[..digits.len().min(3)]).parse::<i64>().unwrap();
            proptest::prop_assert_eq!(parse_timestamp(&text), Ok(whole + millis));
        }
    }
}
