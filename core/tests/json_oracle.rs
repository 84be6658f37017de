//! `payform_core::json` against `serde_json` as the oracle, a property test: on generated
//! documents (5,000: duplicate keys, deep nesting, long numbers, every escape, surrogate
//! pairs, values at the bounds), byte mutations of them (6,000), token soup (4,000: JSON's
//! tokens, valid and broken, in any order), arbitrary strings (2,000) and bodies around
//! `MAX_LEN` (64).
//!
//! The property: our reader accepts a document exactly when `serde_json` does, except that
//! ours also refuses a duplicate key or a document over one of its bounds. The oracle applies
//! those itself, on `serde_json`'s reading: every member of every object, in order (a map
//! visitor that keeps repeated keys, where `serde_json::Value` keeps the last), the decoded
//! strings and keys, each number's exact source text, and the depth and item counts. A
//! refusal of a document `serde_json` accepts must name one of the refusals the document owes;
//! an accepted document owes none and reads as the very same tree: strings, numbers as text,
//! arrays, and objects member for member in order.
//!
//! Numbers as text without `arbitrary_precision` (which would be unified into the devserver's
//! `serde_json`, changing its `Value` numbers): the oracle reads each value as a
//! `serde_json::value::RawValue` (the `raw_value` feature, additive), so a number is its exact
//! source text, its grammar checked by `serde_json`; arrays and objects are read from their
//! raw text again, one level at a time, strings and keys decoded by `serde_json` into
//! `String` (which refuses unpaired surrogates). That reading is itself checked against
//! `serde_json::from_str::<Value>` on every document: the same accept/reject, except that
//! `Value` refuses a number beyond `f64` (`1e400`: "number out of range"), which the raw
//! reading and ours keep as text; and the same depth limit (`Value` refuses 128 nested arrays
//! or objects, so the oracle does too).

#[path = "oracle/json.rs"]
mod oracle;

use oracle::{oracle, owed, same, Tree, SERDE_MAX_DEPTH};
use payform_core::json::{Json, MAX_DEPTH, MAX_ITEMS, MAX_LEN, MAX_NUMBER_LEN, MAX_STRING_LEN};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::collections::BTreeSet;

/// The differential check of one document; also checks the oracle against `serde_json::Value`.
fn differential(doc: &str) -> Result<(), TestCaseError> {
    let theirs = oracle(doc);
    match (serde_json::from_str::<serde_json::Value>(doc), &theirs) {
        (Ok(_), Ok(_)) | (Err(_), Err(_)) => {}
        (Ok(v), Err(e)) => prop_assert!(false, "{doc:?}: Value reads {v:?}, the oracle refuses: {e}"),
        (Err(e), Ok(_)) => prop_assert!(
            e.to_string().starts_with("number out of range"),
            "{doc:?}: Value refuses ({e}), the oracle accepts"
        ),
    }
    let ours = Json::parse(doc);
    match (&ours, &theirs) {
        (Ok(value), Ok(tree)) => {
            let owed = owed(doc, tree);
            prop_assert!(owed.is_empty(), "accepted {doc:?} despite {owed:?}");
            prop_assert!(same(value, tree), "{doc:?}: ours {value:?}, serde_json {tree:?}");
        }
        (Ok(value), Err(e)) => prop_assert!(false, "accepted {doc:?} as {value:?}; serde_json: {e}"),
        (Err(e), Ok(tree)) => {
            let owed = owed(doc, tree);
            prop_assert!(
                owed.contains(e.reason),
                "refused {doc:?} ({e}) that serde_json accepts; owed {owed:?}"
            );
        }
        (Err(_), Err(_)) => {}
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
/// reach `MAX_DEPTH`, now and then `serde_json`'s limit.
fn document() -> impl Strategy<Value = Model> {
    let wraps = prop_oneof![
        30 => Just(0usize),
        10 => MAX_DEPTH - 10..MAX_DEPTH + 3,
        1 => SERDE_MAX_DEPTH - 9..SERDE_MAX_DEPTH + 2,
    ];
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

/// JSON's tokens, valid and broken, for token soup: structure, strings with every kind of
/// escape (surrogate pairs, unpaired surrogates, bad escapes, raw control characters), numbers
/// (valid, malformed, beyond f64, too long), literals and near-literals, whitespace and
/// characters JSON does not allow between tokens.
fn token() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        r#""a""#,
        r#""b""#,
        r#""\u0061""#,
        r#""\ud83d\ude00""#,
        r#""😀""#,
        r#""\uD83D\uDE00""#,
        r#""\ud800""#,
        r#""\udc00""#,
        r#""\ud800\u0041""#,
        r#""\ud800\ud800""#,
        r#""\x""#,
        r#""\u12G4""#,
        "\"\n\"",
        "\"\u{7f}\"",
        r#""\/\b\f\n\r\t\"\\""#,
        "\"",
        "\\",
        "0",
        "-0",
        "01",
        "-01",
        "1.5e+3",
        "2E-2",
        "1E400",
        "-1e-400",
        "-",
        "1.",
        ".5",
        "+1",
        "1e",
        "1e+",
        "0x10",
        "true",
        "false",
        "null",
        "tru",
        "nul",
        "NaN",
        "Infinity",
        " ",
        "\t",
        "\n",
        "\r",
        "\u{feff}",
        "\u{0}",
        "\u{a0}",
        "'a'",
        "é",
    ]);
    prop_oneof![
        20 => fixed.prop_map(str::to_owned),
        1 => "[1-9][0-9]{55,70}",
        1 => "-?0\\.[0-9]{50,70}(e[+-]?[0-9]{1,3})?",
        2 => (interesting_char(), 0u8..4).prop_map(|c| {
            let mut s = String::new();
            write_string(&[c], &mut s);
            s
        }),
    ]
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

    /// Byte mutations of a generated document (with raw tokens in it): accepted exactly when
    /// serde_json accepts it (up to the duplicate keys and bounds), and then read the same.
    #[test]
    fn mutated_documents_agree_with_serde_json(
        model in tree_of(prop_oneof![3 => leaf(), 1 => raw()]),
        seed in any::<u64>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        differential(&mutate(&render(&model, seed), &mutations))?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 4_000, failure_persistence: None, ..Config::default() })]

    /// Token soup: up to 40 of JSON's tokens, valid and broken, in any order.
    #[test]
    fn token_soup_agrees_with_serde_json(tokens in prop::collection::vec(token(), 0..40)) {
        differential(&tokens.concat())?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 2_000, failure_persistence: None, ..Config::default() })]

    /// Any text at all, and text over JSON's characters.
    #[test]
    fn arbitrary_strings_agree_with_serde_json(
        text in prop_oneof![
            any::<String>(),
            r#"[\[\]{}:,"\\ \t\n0-9a-fA-FeEu.+\-ntrls/é😀\x00-\x1f]{0,48}"#,
        ],
    ) {
        differential(&text)?;
    }
}

proptest! {
    #![proptest_config(Config { cases: 64, failure_persistence: None, ..Config::default() })]

    /// A document padded with whitespace to just under, at or just over `MAX_LEN`.
    #[test]
    fn bodies_around_max_len_agree_with_serde_json(
        model in tree(),
        seed in any::<u64>(),
        len in MAX_LEN - 3..MAX_LEN + 4,
        before in any::<bool>(),
    ) {
        let doc = render(&model, seed);
        let pad = " ".repeat(len.saturating_sub(doc.len()));
        let doc = if before { pad + &doc } else { doc + &pad };
        differential(&doc)?;
        if doc.len() > MAX_LEN {
            prop_assert_eq!(Json::parse(&doc).unwrap_err().reason, "body too large");
        }
    }
}

#[test]
fn known_divergences_and_agreements() {
    // serde_json's Value keeps the last of duplicate keys; the oracle keeps both, we refuse.
    assert!(serde_json::from_str::<serde_json::Value>(r#"{"a":1,"a":2}"#).is_ok());
    let both = Tree::Obj(vec![("a".into(), Tree::Num("1".into())), ("a".into(), Tree::Num("2".into()))]);
    assert_eq!(oracle(r#"{"a":1,"\u0061":2}"#), Ok(both));
    assert_eq!(Json::parse(r#"{"a":1,"a":2}"#).unwrap_err().reason, "duplicate key");
    differential(r#"{"a":1,"\u0061":2}"#).unwrap();
    // serde_json's Value refuses a number beyond f64; its raw reading and ours keep the text.
    assert!(serde_json::from_str::<serde_json::Value>("1e400").is_err());
    assert_eq!(oracle("1e400"), Ok(Tree::Num("1e400".into())));
    assert_eq!(Json::parse("1e400"), Ok(Json::Number("1e400".into())));
    // Both refuse unpaired surrogates, a byte-order mark and trailing commas.
    for bad in ["\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\u{feff}1", "[1,]", "{\"a\":1,}"] {
        assert!(oracle(bad).is_err(), "{bad:?}");
        assert!(Json::parse(bad).is_err(), "{bad:?}");
        differential(bad).unwrap();
    }
    for doc in ["-0", "1E+2", "0.0e-0", "\"\\u0000\\/\"", " [ ] ", "{\"\":{}}"] {
        differential(doc).unwrap();
        assert!(Json::parse(doc).is_ok(), "{doc:?}");
    }
    // The oracle's depth limit is serde_json's.
    let nested = |n: usize| format!("{}0{}", "[".repeat(n), "]".repeat(n));
    for n in [SERDE_MAX_DEPTH, SERDE_MAX_DEPTH + 1] {
        let value = serde_json::from_str::<serde_json::Value>(&nested(n));
        assert_eq!(oracle(&nested(n)).is_ok(), value.is_ok(), "{n}");
        assert_eq!(value.is_ok(), n == SERDE_MAX_DEPTH);
        differential(&nested(n)).unwrap();
    }
}

/// The comparison sees what a faulty reader could get wrong: a number's spelling, member
/// order, a string's decoding, and each owed refusal.
#[test]
fn the_oracle_tells_values_apart() {
    let read = |doc: &str| (Json::parse(doc).unwrap(), oracle(doc).unwrap());
    let (ours, theirs) = read(r#"{"a":[1.0,"\u00e9"],"b":null}"#);
    assert!(same(&ours, &theirs));
    for other in [
        r#"{"a":[1,"é"],"b":null}"#,
        r#"{"a":[1.00,"é"],"b":null}"#,
        r#"{"a":[10e-1,"é"],"b":null}"#,
        r#"{"b":null,"a":[1.0,"é"]}"#,
        r#"{"a":[1.0,"e"],"b":null}"#,
        r#"{"a":[1.0,"é"],"b":false}"#,
        r#"{"a":[1.0,"é",null],"b":null}"#,
        r#"{"a":[1.0,"é"],"b":null,"c":1}"#,
    ] {
        assert!(!same(&ours, &oracle(other).unwrap()), "{other}");
        assert!(!same(&Json::parse(other).unwrap(), &theirs), "{other}");
    }
    let owes = |doc: &str| owed(doc, &oracle(doc).unwrap());
    assert_eq!(owes(r#"{"a":{"b":1,"b":2}}"#), BTreeSet::from(["duplicate key"]));
    assert_eq!(owes(&"1".repeat(MAX_NUMBER_LEN + 1)), BTreeSet::from(["number too long"]));
    assert!(owes(&"1".repeat(MAX_NUMBER_LEN)).is_empty());
    assert_eq!(
        owes(&format!("\"{}\"", "é".repeat(MAX_STRING_LEN / 2 + 1))),
        BTreeSet::from(["string too long"])
    );
    assert_eq!(owes(&format!("[{}]", ["0"; MAX_ITEMS + 1].join(","))), BTreeSet::from(["too many items"]));
    let deep = |n: usize| format!("{}1{}", r#"{"k":"#.repeat(n), "}".repeat(n));
    assert!(owes(&deep(MAX_DEPTH)).is_empty());
    assert_eq!(owes(&deep(MAX_DEPTH + 1)), BTreeSet::from(["nesting too deep"]));
    assert_eq!(owes(&format!("0{}", " ".repeat(MAX_LEN))), BTreeSet::from(["body too large"]));
}
