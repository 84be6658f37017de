//! A small, strict JSON reader (RFC 8259) for untrusted backend bodies.
//!
//! Payform reads every backend answer through this module instead of `serde_json`: it keeps
//! the WebAssembly bundle small, and a plain value tree is what both the presets and the
//! declarative JSON-Pointer mapping need. Numbers are kept as their source text, so money
//! never passes through a float.
//!
//! There is one reading of a body. RFC 8259 leaves duplicate object keys undefined, and
//! readers disagree (`JSON.parse` and `serde_json` keep the last value, others the first), so
//! a body such as `{"amount":"1","amount":"1000"}` could mean one thing to the merchant's
//! server and another to this form. The reader refuses it instead: a duplicate key in any
//! object, at any depth, compared after unescaping (`"a"` and `"\u0061"` are the same key),
//! is the error `"duplicate key"`.
//!
//! Everything is bounded, so a hostile body can exhaust neither the stack nor memory nor time
//! (payment replies are under 4 KB; locale files under 6 KB). Each bound has its own reason:
//!
//! | bound              | limit                       | reason                |
//! |--------------------|-----------------------------|-----------------------|
//! | [`MAX_LEN`]        | 256 KiB of body             | `"body too large"`    |
//! | [`MAX_DEPTH`]      | 32 nested arrays / objects  | `"nesting too deep"`  |
//! | [`MAX_STRING_LEN`] | 16 KiB per string (decoded) | `"string too long"`   |
//! | [`MAX_NUMBER_LEN`] | 64 characters per number    | `"number too long"`   |
//! | [`MAX_ITEMS`]      | 1024 items / members        | `"too many items"`    |
//!
//! Beyond these and duplicate keys, a body is accepted exactly when `serde_json` accepts it
//! (`core/tests/json_oracle.rs` checks this on generated and mutated documents), except that a
//! number too large for an `f64` (`1e400`) is kept as text here where `serde_json` refuses it.

use std::fmt;

/// The largest body accepted, in bytes: 64 times the largest payment reply seen in practice
/// (under 4 KB), and far below what could stall the page.
pub const MAX_LEN: usize = 256 * 1024;
/// The deepest nesting of arrays and objects accepted (`[[1]]` is 2 deep); real payment
/// objects are a few levels deep. The reader recurses once per level, so this also bounds
/// its stack.
pub const MAX_DEPTH: usize = 32;
/// The longest string (object keys included) accepted, in bytes of UTF-8 after unescaping.
/// The longest real value, a BOLT11 invoice, is under 2 KB.
pub const MAX_STRING_LEN: usize = 16 * 1024;
/// The longest number accepted, in characters of its source text (sign, digits, `.`, `e`).
/// Amounts with 18 decimals and 30 integer digits still fit.
pub const MAX_NUMBER_LEN: usize = 64;
/// The most items of one array, or members of one object, accepted.
pub const MAX_ITEMS: usize = 1024;

/// A parsed JSON value. Object keys keep their order; numbers keep their exact text.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number exactly as written (validated against the JSON grammar).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Why a body is not JSON (or is refused), with the byte offset where reading stopped; for a
/// duplicate key, the offset of its second occurrence. `reason` is one of a fixed set of
/// phrases (see the module documentation for those of the bounds).
///
/// Its message is built with [`cat!`](crate::cat), not a thiserror `#[error]` template: those
/// expand to `write!`, and the wasm carries no `core::fmt` machinery (see [`crate::text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub offset: usize,
    pub reason: &'static str,
}

impl JsonError {
    /// `the response is not valid JSON: {reason} at byte {offset}`.
    pub fn message(&self) -> String {
        crate::cat!("the response is not valid JSON: ", self.reason, " at byte ", self.offset)
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for JsonError {}

impl Json {
    /// Parses a whole document; trailing non-whitespace, a duplicate key or a body over one
    /// of the bounds is an error.
    pub fn parse(text: &str) -> Result<Json, JsonError> {
        if text.len() > MAX_LEN {
            return Err(JsonError { offset: MAX_LEN, reason: "body too large" });
        }
        let mut p = Parser { s: text.as_bytes(), i: 0 };
        p.ws();
        let v = p.value(0)?;
        p.ws();
        if p.i != p.s.len() {
            return p.err("unexpected trailing characters");
        }
        Ok(v)
    }

    /// The member `key` of an object, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Resolves an RFC 6901 JSON Pointer (`""` is the whole document, `/a/0/b` walks down).
    pub fn pointer(&self, pointer: &str) -> Option<&Json> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut cur = self;
        for raw in rest.split('/') {
            let token = raw.replace("~1", "/").replace("~0", "~");
            cur = match cur {
                Json::Object(_) => cur.get(&token)?,
                Json::Array(items) => {
                    if token.len() > 1 && token.starts_with('0') {
                        return None;
                    }
                    items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(cur)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a string or number value: backends send amounts as either.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Json::String(s) | Json::Number(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    /// A short name of the value's type, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl Json {
    /// Serialises compactly onto `out`; strings are escaped so the output is always valid
    /// JSON. Written by hand rather than with `write!` (no `core::fmt` in the wasm; see
    /// [`crate::text`]).
    pub fn write_to(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_to(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(out, k);
                    out.push(':');
                    v.write_to(out);
                }
                out.push('}');
            }
        }
    }
}

impl fmt::Display for Json {
    /// Serialises compactly (see [`Json::write_to`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write_to(&mut out);
        f.write_str(&out)
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // `\u{:04x}`: a control character is below 0x20, so its first two digits are 00.
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                crate::text::push_hex2(out, c as u8);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err<T>(&self, reason: &'static str) -> Result<T, JsonError> {
        Err(JsonError { offset: self.i, reason })
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn lit(&mut self, word: &str, v: Json) -> Result<Json, JsonError> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(v)
        } else {
            self.err("invalid literal")
        }
    }

    /// One value; `depth` is the number of arrays and objects around it.
    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if let Some(b'[' | b'{') = self.s.get(self.i) {
            if depth >= MAX_DEPTH {
                return self.err("nesting too deep");
            }
        }
        match self.s.get(self.i) {
            None => self.err("unexpected end of input"),
            Some(b'n') => self.lit("null", Json::Null),
            Some(b't') => self.lit("true", Json::Bool(true)),
            Some(b'f') => self.lit("false", Json::Bool(false)),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b']') {
                    self.i += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    self.ws();
                    if items.len() == MAX_ITEMS {
                        return self.err("too many items");
                    }
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(Json::Array(items));
                        }
                        _ => return self.err("expected ',' or ']'"),
                    }
                }
            }
            Some(b'{') => {
                self.i += 1;
                let mut members: Vec<(String, Json)> = Vec::new();
                // Indices of `members`, sorted by key: a duplicate is found in O(log n) comparisons.
                let mut sorted: Vec<usize> = Vec::new();
                self.ws();
                if self.s.get(self.i) == Some(&b'}') {
                    self.i += 1;
                    return Ok(Json::Object(members));
                }
                loop {
                    self.ws();
                    if self.s.get(self.i) != Some(&b'"') {
                        return self.err("expected a string key");
                    }
                    if members.len() == MAX_ITEMS {
                        return self.err("too many items");
                    }
                    let at = self.i;
                    let k = self.string()?;
                    match sorted.binary_search_by(|&m| members[m].0.as_str().cmp(&k)) {
                        Ok(_) => return Err(JsonError { offset: at, reason: "duplicate key" }),
                        Err(pos) => sorted.insert(pos, members.len()),
                    }
                    self.ws();
                    if self.s.get(self.i) != Some(&b':') {
                        return self.err("expected ':'");
                    }
                    self.i += 1;
                    self.ws();
                    let v = self.value(depth + 1)?;
                    members.push((k, v));
                    self.ws();
                    match self.s.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b'}') => {
                            self.i += 1;
                            return Ok(Json::Object(members));
                        }
                        _ => return self.err("expected ',' or '}'"),
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.err("unexpected character"),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.i;
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.err("invalid number"),
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return self.err("invalid number");
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            if let Some(b'+' | b'-') = self.s.get(self.i) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return self.err("invalid number");
            }
        }
        if self.i - start > MAX_NUMBER_LEN {
            self.i = start;
            return self.err("number too long");
        }
        // The slice holds only ASCII digits and signs, so it is valid UTF-8.
        let text = std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default();
        Ok(Json::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let Some(chunk) = self.s.get(self.i..self.i + 4) else {
            return self.err("truncated \\u escape");
        };
        let mut v = 0u32;
        for &b in chunk {
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return self.err("invalid \\u escape"),
            };
            v = v * 16 + u32::from(d);
        }
        self.i += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.i += 1; // opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // The input came from a &str and we split at ASCII bytes, so this is valid UTF-8.
            out.push_str(std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default());
            if out.len() > MAX_STRING_LEN {
                return self.err("string too long");
            }
            match self.s.get(self.i) {
                None => return self.err("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else {
                        return self.err("unterminated string");
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !self.s[self.i..].starts_with(b"\\u") {
                                    return self.err("unpaired surrogate");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err("unpaired surrogate");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return self.err("unpaired surrogate");
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(c) => out.push(c),
                                None => return self.err("invalid \\u escape"),
                            }
                        }
                        _ => return self.err("invalid escape"),
                    }
                }
                Some(_) => return self.err("control character in string"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::any;

    #[test]
    fn parses_a_payment_object_keeping_number_text() {
        let v = Json::parse(r#"{"a": "25.10", "n": 1.50e2, "b": [true, null], "s": "\u00e9\ud83d\ude00"}"#)
            .unwrap();
        assert_eq!(v.get("a").and_then(Json::as_str), Some("25.10"));
        assert_eq!(v.get("n"), Some(&Json::Number("1.50e2".into())));
        assert_eq!(v.pointer("/b/1"), Some(&Json::Null));
        assert_eq!(v.get("s").and_then(Json::as_str), Some("é😀"));
    }

    #[test]
    fn rejects_what_rfc8259_rejects() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "+1",
            "NaN",
            "'x'",
            "\"\\x\"",
            "\"a\nb\"",
            "{a:1}",
            "[1] x",
            "\"\\ud800\"",
            "tru",
            "-",
        ] {
            assert!(Json::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(10_000);
        assert_eq!(Json::parse(&deep).unwrap_err().reason, "nesting too deep");
    }

    #[test]
    fn json_pointer_follows_rfc6901_including_escapes() {
        let v = Json::parse(r#"{"a/b": {"m~n": [10, 20]}, "": 1}"#).unwrap();
        assert_eq!(v.pointer("/a~1b/m~0n/1"), Some(&Json::Number("20".into())));
        assert_eq!(v.pointer("/"), Some(&Json::Number("1".into())));
        assert_eq!(v.pointer("/a~1b/m~0n/01"), None);
        assert_eq!(v.pointer("/missing"), None);
        assert_eq!(v.pointer("no-slash"), None);
    }

    #[test]
    fn display_round_trips() {
        let src = r#"{"k":"q\"\\\n\u0001","a":[1,-2.5e3,true,false,null],"o":{}}"#;
        let v = Json::parse(src).unwrap();
        assert_eq!(Json::parse(&v.to_string()).unwrap(), v);
    }

    fn reason(text: &str) -> &'static str {
        Json::parse(text).unwrap_err().reason
    }

    #[test]
    fn refuses_duplicate_keys_at_any_depth() {
        let err = Json::parse(r#"{"amount":"1","amount":"1000"}"#).unwrap_err();
        assert_eq!(err, JsonError { offset: 14, reason: "duplicate key" });
        assert_eq!(reason(r#"{"a":{"b":1,"c":2,"b":3}}"#), "duplicate key");
        assert_eq!(reason(r#"[1,{"x":[{"k":1,"k":1}]}]"#), "duplicate key");
        assert_eq!(reason(r#"{"a":1,"b":2,"c":3,"d":4,"b":5}"#), "duplicate key");
        // The same key in sibling objects, or nested under itself, is fine.
        assert!(Json::parse(r#"[{"a":1},{"a":2}]"#).is_ok());
        assert!(Json::parse(r#"{"a":{"a":{"a":1}}}"#).is_ok());
        // Case and (non-)normalisation make different keys.
        assert!(Json::parse(r#"{"a":1,"A":2,"\u00e9":3,"e\u0301":4}"#).is_ok());
    }

    #[test]
    fn compares_keys_after_unescaping() {
        assert_eq!(reason(r#"{"a":1,"\u0061":2}"#), "duplicate key");
        assert_eq!(reason(r#"{"a/b":1,"a\/b":2}"#), "duplicate key");
        assert_eq!(reason(r#"{"\ud83d\ude00":1,"😀":2}"#), "duplicate key");
        assert_eq!(reason(r#"{"\n":1,"\u000A":2}"#), "duplicate key");
    }

    /// `n` arrays around a number.
    fn nested(n: usize) -> String {
        format!("{}0{}", "[".repeat(n), "]".repeat(n))
    }

    #[test]
    fn depth_is_bounded_at_max_depth() {
        assert!(Json::parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(reason(&nested(MAX_DEPTH + 1)), "nesting too deep");
        let objects = |n: usize| format!("{}1{}", r#"{"k":"#.repeat(n), "}".repeat(n));
        assert!(Json::parse(&objects(MAX_DEPTH)).is_ok());
        assert_eq!(reason(&objects(MAX_DEPTH + 1)), "nesting too deep");
    }

    #[test]
    fn strings_are_bounded_after_unescaping() {
        let plain = |n: usize| format!("\"{}\"", "x".repeat(n));
        assert!(Json::parse(&plain(MAX_STRING_LEN)).is_ok());
        assert_eq!(reason(&plain(MAX_STRING_LEN + 1)), "string too long");
        // Six bytes of escape are one byte of string: the decoded length counts.
        let escaped = |n: usize| format!("\"{}\"", "\\u0041".repeat(n));
        assert_eq!(
            Json::parse(&escaped(MAX_STRING_LEN)).unwrap().as_str().map(str::len),
            Some(MAX_STRING_LEN)
        );
        assert_eq!(reason(&escaped(MAX_STRING_LEN + 1)), "string too long");
        // A multi-byte character counts as its UTF-8 bytes.
        assert!(Json::parse(&format!("\"{}\"", "é".repeat(MAX_STRING_LEN / 2))).is_ok());
        assert_eq!(reason(&format!("\"{}x\"", "é".repeat(MAX_STRING_LEN / 2))), "string too long");
        // Keys too.
        assert_eq!(reason(&format!("{{{}:1}}", plain(MAX_STRING_LEN + 1))), "string too long");
    }

    #[test]
    fn numbers_are_bounded_in_characters() {
        let digits = |n: usize| "1".repeat(n);
        assert_eq!(Json::parse(&digits(MAX_NUMBER_LEN)).unwrap(), Json::Number(digits(MAX_NUMBER_LEN)));
        assert_eq!(reason(&digits(MAX_NUMBER_LEN + 1)), "number too long");
        let with_sign = |n: usize| format!("-1.{}e+5", "0".repeat(n - 6));
        assert!(Json::parse(&with_sign(MAX_NUMBER_LEN)).is_ok());
        let err = Json::parse(&format!("[{}]", with_sign(MAX_NUMBER_LEN + 1))).unwrap_err();
        assert_eq!(err, JsonError { offset: 1, reason: "number too long" });
    }

    #[test]
    fn items_and_members_are_bounded() {
        let array = |n: usize| format!("[{}]", vec!["0"; n].join(","));
        assert_eq!(Json::parse(&array(MAX_ITEMS)).unwrap().as_array().map(<[Json]>::len), Some(MAX_ITEMS));
        assert_eq!(reason(&array(MAX_ITEMS + 1)), "too many items");
        let object = |n: usize| {
            let members: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
            format!("{{{}}}", members.join(","))
        };
        assert!(Json::parse(&object(MAX_ITEMS)).is_ok());
        assert_eq!(reason(&object(MAX_ITEMS + 1)), "too many items");
    }

    /// The `write!`-based writer `Json::write_to` replaced, kept as the oracle.
    fn old_display(v: &Json, out: &mut String) {
        use std::fmt::Write;
        match v {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => write!(out, "{b}").unwrap(),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => old_string(out, s),
            Json::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    old_display(v, out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    old_string(out, k);
                    out.push(':');
                    old_display(v, out);
                }
                out.push('}');
            }
        }
    }

    fn old_string(out: &mut String, s: &str) {
        use std::fmt::Write;
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
                c => write!(out, "{c}").unwrap(),
            }
        }
        out.push('"');
    }

    #[test]
    fn the_writer_writes_what_write_wrote() {
        let every_control: String = (0u8..0x20).map(char::from).collect();
        let all = Json::Object(vec![
            (every_control.clone(), Json::String(every_control + "\"\\/\u{7f}é😀\u{2028}")),
            ("a".into(), Json::Array(vec![Json::Null, Json::Bool(true), Json::Bool(false)])),
            ("n".into(), Json::Number("-2.5e3".into())),
            ("o".into(), Json::Object(vec![])),
            ("e".into(), Json::Array(vec![Json::Array(vec![]), Json::String(String::new())])),
        ]);
        let mut old = String::new();
        old_display(&all, &mut old);
        assert_eq!(all.to_string(), old);
        assert!(old.contains("\\u0000\\u0001") && old.contains("\\u001f"), "{old}");
        assert_eq!(Json::parse(&all.to_string()).unwrap(), all);
    }

    proptest::proptest! {
        #[test]
        fn the_writer_matches_the_old_one_on_any_string(s in "\\PC*|[\\x00-\\x20\"\\\\]*", k in any::<String>()) {
            let v = Json::Array(vec![Json::Object(vec![(k, Json::String(s))])]);
            let mut old = String::new();
            old_display(&v, &mut old);
            proptest::prop_assert_eq!(v.to_string(), old);
        }
    }

    #[test]
    fn the_error_message_is_the_old_template() {
        for (offset, reason) in
            [(0, "unexpected end of input"), (14, "duplicate key"), (MAX_LEN, "body too large")]
        {
            let err = JsonError { offset, reason };
            assert_eq!(err.to_string(), format!("the response is not valid JSON: {reason} at byte {offset}"));
        }
    }

    #[test]
    fn the_body_is_bounded() {
        let padded = |n: usize| format!("0{}", " ".repeat(n - 1));
        assert_eq!(Json::parse(&padded(MAX_LEN)), Ok(Json::Number("0".into())));
        assert_eq!(reason(&padded(MAX_LEN + 1)), "body too large");
    }
}
