//! Timestamps: RFC 3339, Unix-seconds and HTTP-date parsing into Unix milliseconds. The core
//! never reads a clock itself: the time a reply arrived is passed in with it
//! (`session::Reply::received_at_ms`), so tests simply choose the times.

/// Milliseconds since the Unix epoch (UTC).
pub type UnixMs = i64;

/// Why a timestamp cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("timestamp \"{0}\" is neither RFC 3339 (2026-11-24T02:00:00Z) nor Unix seconds")]
pub struct TimeError(pub String);

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
        millis = format!("{frac:0<3}").parse::<i64>().map_err(|_| err())?;
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
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, mon, year, hms, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let m = MONTHS.iter().position(|x| x == mon)? + 1;
    let iso = format!("{year:0>4}-{m:02}-{day:0>2}T{hms}Z");
    parse_timestamp(&iso).ok()
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
}
