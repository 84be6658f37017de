//! `payform_core::json` against `serde_json` as the oracle, on generated JSON documents and on byte
//! mutations of them (5,000 + 6,000 cases, each checking the document and, for mutations, the
//! mutant too).
//!
//! The property: our reader accepts a document exactly when `serde_json` does, except that
//! ours also refuses a duplicate key or a document over one of its bounds (both detected here
//! independently, from `serde_json`'s reading and a scan of the text, and the refusal must
//! name one of them), and that `serde_json` alone refuses a number beyond the `f64` range
//! (`1e400`), which ours keeps as text. When both accept, the values are the same.
//!
//! Numbers: `serde_json` with `arbitrary_precision` would give the exact text, but the feature
//! would be unified into the devserver's `serde_json` (changing its `Value` numbers), so the
//! oracle is the plain build: where it reads an integer (`u64`/`i64`) our text must be that
//! exact integer; where it reads an `f64` our text must parse to the same `f64` within the
//! few ulps of its default (non-`float_roundtrip`) float parsing. Exactness is checked
//! separately: a generated document must read back as exactly the generated tree, numbers
//! as their exact text.

use payform_core::json::{Json, MAX_DEPTH, MAX_ITEMS, MAX_LEN, MAX_NUMBER_LEN, MAX_STRING_LEN};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeSet;
use std::fmt;

// ---------------------------------------------------------------------------------------------
// The oracle: serde_json reading into a tree that keeps every member, in order.

#[derive(Debug)]
enum Oracle {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    Arr(Vec<Oracle>),
    Obj(Vec<(String, Oracle)>),
}

impl<'de> Deserialize<'de> for Oracle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Oracle, D::Error> {
        d.deserialize_any(OracleVisitor)
    }
}

struct OracleVisitor;

impl<'de> Visitor<'de> for OracleVisitor {
    type Value = Oracle;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Oracle, E> {
        Ok(Oracle::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Oracle, E> {
        Ok(Oracle::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Oracle, E> {
        Ok(Oracle::U64(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Oracle, E> {
        Ok(Oracle::I64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Oracle, E> {
        Ok(Oracle::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Oracle, E> {
        Ok(Oracle::Str(v.to_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Oracle, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Oracle::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Oracle, A::Error> {
        let mut members = Vec::new();
        while let Some(entry) = map.next_entry::<String, Oracle>()? {
            members.push(entry);
        }
        Ok(Oracle::Obj(members))
    }
}

/// The refusals our reader owes a document that `serde_json` accepted (its reasons).
fn violations(doc: &str, tree: &Oracle) -> BTreeSet<&'static str> {
    fn walk(v: &Oracle, depth: usize, out: &mut BTreeSet<&'static str>) {
        let long = |s: &str| s.len() > MAX_STRING_LEN;
        match v {
            Oracle::Str(s) if long(s) => {
                out.insert("string too long");
            }
            Oracle::Arr(items) => {
                if depth + 1 > MAX_DEPTH {
                    out.insert("nesting too deep");
                }
                if items.len() > MAX_ITEMS {
                    out.insert("too many items");
                }
                items.iter().for_each(|i| walk(i, depth + 1, out));
            }
            Oracle::Obj(members) => {
                if depth + 1 > MAX_DEPTH {
                    out.insert("nesting too deep");
                }
                if members.len() > MAX_ITEMS {
                    out.insert("too many items");
                }
                let keys: BTreeSet<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
                if keys.len() != members.len() {
                    out.insert("duplicate key");
                }
                for (k, v) in members {
                    if long(k) {
                        out.insert("string too long");
                    }
                    walk(v, depth + 1, out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(tree, 0, &mut out);
    if number_tokens(doc).iter().any(|n| n.len() > MAX_NUMBER_LEN) {
        out.insert("number too long");
    }
    if doc.len() > MAX_LEN {
        out.insert("body too large");
    }
    out
}

/// The number tokens of a document `serde_json` accepted: outside strings, the maximal runs
/// of number characters (the `e` of `true`/`false` makes a harmless run of one).
fn number_tokens(doc: &str) -> Vec<&str> {
    let (b, mut out, mut i, mut in_string) = (doc.as_bytes(), Vec::new(), 0, false);
    while i < b.len() {
        match b[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            c if !in_string && (c.is_ascii_digit() || b"-+.eE".contains(&c)) => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_digit() || b"-+.eE".contains(&b[i])) {
                    i += 1;
                }
                out.push(&doc[start..i]);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether `ours` and `serde_json`'s reading are the same value (see the module docs).
fn same(ours: &Json, oracle: &Oracle) -> bool {
    match (ours, oracle) {
        (Json::Null, Oracle::Null) => true,
        (Json::Bool(a), Oracle::Bool(b)) => a == b,
        (Json::Number(t), Oracle::U64(n)) => t.parse::<i128>() == Ok(i128::from(*n)),
        (Json::Number(t), Oracle::I64(n)) => t.parse::<i128>() == Ok(i128::from(*n)),
        (Json::Number(t), Oracle::F64(f)) => t.parse::<f64>().is_ok_and(|a| close(a, *f)),
        (Json::String(a), Oracle::Str(b)) => a == b,
        (Json::Array(a), Oracle::Arr(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Json::Object(a), Oracle::Obj(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

/// Equal up to `serde_json`'s default float parsing: a significand times a power of ten, a
/// few roundings (relative 1e-14), and less exact still for subnormals (below 1e-290).
fn close(a: f64, b: f64) -> bool {
    let m = a.abs().max(b.abs());
    a == b || (a - b).abs() <= 1e-14 * m || m < 1e-290
}

/// The differential check of one document.
fn differential(doc: &str) -> Result<(), TestCaseError> {
    let ours = Json::parse(doc);
    match serde_json::from_str::<Oracle>(doc) {
        Ok(tree) => {
            let owed = violations(doc, &tree);
            match &ours {
                Ok(value) => {
                    prop_assert!(owed.is_empty(), "accepted {doc:?} despite {owed:?}");
                    prop_assert!(same(value, &tree), "{doc:?}: ours {value:?}, serde_json {tree:?}");
                }
                Err(e) => prop_assert!(
                    owed.contains(e.reason),
                    "refused {doc:?} ({e}) that serde_json accepts; owed only {owed:?}"
                ),
            }
        }
        Err(serde_err) => {
            if let Ok(value) = &ours {
                // The one thing serde_json refuses and we keep: a number beyond f64.
                let huge = number_tokens(doc).iter().any(|n| n.parse::<f64>().is_ok_and(|f| f.abs() > 1e300));
                prop_assert!(
                    serde_err.to_string().starts_with("number out of range") && huge,
                    "accepted {doc:?} as {value:?}; serde_json: {serde_err}"
                );
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Generated documents: a model tree, written out with random escapes and whitespace.

#[derive(Debug, Clone)]
enum Model {
    Null,
    Bool(bool),
    /// Exact number text, in the JSON grammar.
    Num(String),
    /// A string as (char, how to write it) pairs.
    Str(Vec<(char, u8)>),
    Arr(Vec<Model>),
    Obj(Vec<(Vec<(char, u8)>, Model)>),
    /// Token text near the grammar, valid or not (in mutated documents only).
    Raw(String),
}

fn decoded(s: &[(char, u8)]) -> String {
    s.iter().map(|(c, _)| c).collect()
}

impl Model {
    fn to_json(&self) -> Json {
        match self {
            Model::Null => Json::Null,
            Model::Bool(b) => Json::Bool(*b),
            Model::Num(t) => Json::Number(t.clone()),
            Model::Str(s) => Json::String(decoded(s)),
            Model::Arr(items) => Json::Array(items.iter().map(Model::to_json).collect()),
            Model::Obj(members) => {
                Json::Object(members.iter().map(|(k, v)| (decoded(k), v.to_json())).collect())
            }
            Model::Raw(_) => unreachable!("raw tokens are only in mutated documents"),
        }
    }

    /// The refusals owed to this tree (what [`violations`] finds from the text).
    fn owed(&self, depth: usize, out: &mut BTreeSet<&'static str>) {
        match self {
            Model::Num(t) if t.len() > MAX_NUMBER_LEN => {
                out.insert("number too long");
            }
            Model::Str(s) if decoded(s).len() > MAX_STRING_LEN => {
                out.insert("string too long");
            }
            Model::Arr(items) => {
                if depth + 1 > MAX_DEPTH {
                    out.insert("nesting too deep");
                }
                if items.len() > MAX_ITEMS {
                    out.insert("too many items");
                }
                items.iter().for_each(|i| i.owed(depth + 1, out));
            }
            Model::Obj(members) => {
                if depth + 1 > MAX_DEPTH {
                    out.insert("nesting too deep");
                }
                if members.len() > MAX_ITEMS {
                    out.insert("too many items");
                }
                let keys: BTreeSet<String> = members.iter().map(|(k, _)| decoded(k)).collect();
                if keys.len() != members.len() {
                    out.insert("duplicate key");
                }
                for (k, v) in members {
                    if decoded(k).len() > MAX_STRING_LEN {
                        out.insert("string too long");
                    }
                    v.owed(depth + 1, out);
                }
            }
            _ => {}
        }
    }

    fn write(&self, out: &mut String, ws: &mut Ws) {
        ws.put(out);
        match self {
            Model::Null => out.push_str("null"),
            Model::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Model::Num(t) | Model::Raw(t) => out.push_str(t),
            Model::Str(s) => write_string(s, out),
            Model::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out, ws);
                }
                ws.put(out);
                out.push(']');
            }
            Model::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    ws.put(out);
                    write_string(k, out);
                    ws.put(out);
                    out.push(':');
                    v.write(out, ws);
                }
                ws.put(out);
                out.push('}');
            }
        }
        ws.put(out);
    }
}

/// Writes a string, each character raw (where JSON allows), as a short escape (where one
/// exists) or as `\uXXXX` (a surrogate pair above U+FFFF), in lower or upper case hex.
fn write_string(s: &[(char, u8)], out: &mut String) {
    out.push('"');
    for &(c, style) in s {
        let short = match c {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            '\u{8}' => Some('b'),
            '\u{c}' => Some('f'),
            '\n' => Some('n'),
            '\r' => Some('r'),
            '\t' => Some('t'),
            _ => None,
        };
        let must_escape = c < ' ' || c == '"' || c == '\\';
        match (style % 4, short) {
            (0, _) if !must_escape => out.push(c),
            (1, Some(e)) => {
                out.push('\\');
                out.push(e);
            }
            (style, _) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&if style == 3 { format!("\\u{u:04X}") } else { format!("\\u{u:04x}") });
                }
            }
        }
    }
    out.push('"');
}

/// Optional whitespace between tokens, from a seeded generator.
struct Ws(u64);

impl Ws {
    fn put(&mut self, out: &mut String) {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if self.0.is_multiple_of(4) {
            for k in 0..1 + (self.0 >> 8) % 2 {
                out.push([' ', '\t', '\n', '\r'][((self.0 >> (16 + 2 * k)) % 4) as usize]);
            }
        }
    }
}

fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => prop::char::range('a', 'z'),
        2 => prop::sample::select(vec![
            '"', '\\', '/', '\u{0}', '\u{8}', '\u{c}', '\n', '\r', '\t', '\u{1f}', '\u{7f}', ' ', 'é', '中',
            '\u{2028}', '\u{fffd}', '\u{ffff}', '😀', '\u{10000}', '\u{10ffff}',
        ]),
        1 => any::<char>(),
    ]
}

fn string(max: usize) -> impl Strategy<Value = Vec<(char, u8)>> {
    prop::collection::vec((interesting_char(), 0u8..4), 0..max)
}

/// Keys from a small alphabet, so that duplicates (often differently escaped) happen.
fn key() -> impl Strategy<Value = Vec<(char, u8)>> {
    let c = prop::sample::select(vec!['a', 'b', 'c', '/', 'é', '😀']);
    prop::collection::vec((c, 0u8..4), 0..4)
}

/// Number text in every form of the grammar: sign, zero, long integers, fractions, exponents
/// of either case and sign, sometimes past `MAX_NUMBER_LEN` or past the f64 range.
fn number() -> impl Strategy<Value = String> {
    let int = prop_oneof![Just("0".to_owned()), "[1-9][0-9]{0,40}"];
    let frac = prop::option::of("\\.[0-9]{1,30}");
    let exp = prop::option::of(prop_oneof![9 => "[eE][+-]?[0-9]{1,2}", 1 => "[eE][+-]?[0-9]{3}"]);
    (any::<bool>(), int, frac, exp).prop_map(|(neg, i, f, e)| {
        format!("{}{i}{}{}", if neg { "-" } else { "" }, f.unwrap_or_default(), e.unwrap_or_default())
    })
}

fn leaf() -> impl Strategy<Value = Model> {
    prop_oneof![
        1 => Just(Model::Null),
        1 => any::<bool>().prop_map(Model::Bool),
        4 => number().prop_map(Model::Num),
        4 => string(12).prop_map(Model::Str),
    ]
}

/// A value right at or just over the string or the item bound.
fn big() -> impl Strategy<Value = Model> {
    prop_oneof![
        (MAX_STRING_LEN - 2..MAX_STRING_LEN + 3, 0u8..4)
            .prop_map(|(n, style)| Model::Str(vec![('x', style); n])),
        (MAX_ITEMS - 1..MAX_ITEMS + 2).prop_map(|n| Model::Arr(vec![Model::Num("0".into()); n])),
        (MAX_ITEMS - 1..MAX_ITEMS + 2).prop_map(|n| {
            let key = |i: usize| i.to_string().chars().map(|c| (c, 0)).collect();
            Model::Obj((0..n).map(|i| (key(i), Model::Null)).collect())
        }),
    ]
}

/// Tokens near the grammar, valid or not: numbers (`01`, `1.`, `-`, `1e+`), strings with
/// odd escapes (`"\u12G4"`, `"\ud800\u0041"`, `"\x"`), literals (`tru`, `nul`).
fn raw() -> impl Strategy<Value = Model> {
    prop_oneof![
        "[-+]?[0-9.eE+-]{1,8}",
        r#""(\\([\\"/bfnrtux]|u[0-9a-fA-FgG]{0,4}|u[dD][89abAB][0-9a-fA-F]{2}(\\u[0-9a-fA-F]{4})?)|[a-z \x00-\x1f]){0,8}""#,
        "(true|false|null|tru|nul|fals|True|NULL|NaN|Infinity)",
    ]
    .prop_map(Model::Raw)
}

fn tree() -> impl Strategy<Value = Model> {
    tree_of(leaf())
}

fn tree_of(leaf: impl Strategy<Value = Model> + 'static) -> impl Strategy<Value = Model> {
    leaf.prop_recursive(8, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Model::Arr),
            prop::collection::vec((key(), inner), 0..6).prop_map(Model::Obj),
        ]
    })
}

/// A tree (rarely a value at a bound), sometimes wrapped in enough arrays and objects to
/// reach `MAX_DEPTH`.
fn document() -> impl Strategy<Value = Model> {
    let wraps = prop_oneof![3 => Just(0usize), 1 => MAX_DEPTH - 10..MAX_DEPTH + 3];
    (prop_oneof![40 => tree(), 1 => big()], wraps, any::<u32>()).prop_map(|(mut t, wraps, pattern)| {
        for w in 0..wraps {
            t = if pattern >> (w % 32) & 1 == 0 {
                Model::Arr(vec![t])
            } else {
                Model::Obj(vec![(vec![('w', 0)], t)])
            };
        }
        t
    })
}

/// One byte mutation of a document.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    /// Copies `len` bytes from the first index to the second.
    Splice(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let byte = prop_oneof![
        3 => prop::sample::select(b"{}[],:\"\\ -+.eE0123456789tfnrlsu/\n\r\t\x0b\x0c\x00\x1f\x7f".to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), any::<usize>(), 1usize..12).prop_map(|(a, b, n)| Mutation::Splice(a, b, n)),
    ]
}

fn mutate(doc: &str, mutations: &[Mutation]) -> String {
    let mut b = doc.as_bytes().to_vec();
    for m in mutations {
        let len = b.len().max(1);
        match *m {
            Mutation::Set(i, x) if !b.is_empty() => b[i % len] = x,
            Mutation::Insert(i, x) => b.insert(i % (b.len() + 1), x),
            Mutation::Delete(i) if !b.is_empty() => {
                b.remove(i % len);
            }
            Mutation::Splice(from, to, n) if !b.is_empty() => {
                let from = from % len;
                let chunk = b[from..(from + n).min(b.len())].to_vec();
                let to = to % (b.len() + 1);
                b.splice(to..to, chunk);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn render(model: &Model, seed: u64) -> String {
    let mut doc = String::new();
    model.write(&mut doc, &mut Ws(seed | 1));
    doc
}

proptest! {
    #![proptest_config(Config { cases: 5_000, failure_persistence: None, ..Config::default() })]

    /// A generated document reads back as exactly its tree (numbers as their exact text), or
    /// is refused for one of the refusals it owes; and agrees with serde_json.
    #[test]
    fn generated_documents_read_exactly_and_agree_with_serde_json(model in document(), seed in any::<u64>()) {
        let doc = render(&model, seed);
        let mut owed = BTreeSet::new();
        model.owed(0, &mut owed);
        match Json::parse(&doc) {
            Ok(value) => {
                prop_assert!(owed.is_empty(), "accepted {doc:?} despite {owed:?}");
                prop_assert_eq!(value, model.to_json());
            }
            Err(e) => prop_assert!(owed.contains(e.reason), "refused {doc:?}: {e}; owed {owed:?}"),
        }
        differential(&doc)?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 6_000, failure_persistence: None, ..Config::default() })]

    /// Byte mutations of a generated document (with raw tokens in it): accepted exactly when serde_json accepts it
    /// (up to the duplicate keys and bounds), and then read the same.
    #[test]
    fn mutated_documents_agree_with_serde_json(
        model in tree_of(prop_oneof![3 => leaf(), 1 => raw()]),
        seed in any::<u64>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        differential(&mutate(&render(&model, seed), &mutations))?;
    }
}

#[test]
fn known_divergences_and_agreements() {
    // serde_json keeps the last of duplicate keys; we refuse.
    assert!(serde_json::from_str::<serde_json::Value>(r#"{"a":1,"a":2}"#).is_ok());
    assert_eq!(Json::parse(r#"{"a":1,"a":2}"#).unwrap_err().reason, "duplicate key");
    // serde_json refuses a number beyond f64; we keep its text.
    assert!(serde_json::from_str::<serde_json::Value>("1e400").is_err());
    assert_eq!(Json::parse("1e400"), Ok(Json::Number("1e400".into())));
    // Both refuse unpaired surrogates, a byte-order mark and trailing commas.
    for bad in ["\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\u{feff}1", "[1,]", "{\"a\":1,}"] {
        assert!(serde_json::from_str::<serde_json::Value>(bad).is_err(), "{bad:?}");
        assert!(Json::parse(bad).is_err(), "{bad:?}");
    }
    for doc in ["-0", "1E+2", "0.0e-0", "\"\\u0000\\/\"", " [ ] ", "{\"\":{}}"] {
        differential(doc).unwrap();
        assert!(Json::parse(doc).is_ok(), "{doc:?}");
    }
}
