//! Any text as JSON, differentially against serde_json as the oracle.
//!
//! The oracle is serde_json's reading of the text into a tree that keeps what
//! `serde_json::Value` loses: every member of every object in order, repeated keys included
//! (a map visitor that keeps them all, where `Value` keeps the last), and each number's exact
//! source text (every value is read as a `RawValue`, then arrays and objects are read again
//! from their raw text one level at a time, strings and keys decoded by serde_json into
//! `String`). On that tree the oracle applies our documented refusals itself: a duplicate key
//! (compared after unescaping), the body over `MAX_LEN`, nesting over `MAX_DEPTH`, a string or
//! key over `MAX_STRING_LEN` bytes decoded, a number over `MAX_NUMBER_LEN` characters, an
//! array or object over `MAX_ITEMS`.
//!
//! The property: ours accepts exactly what serde_json accepts and owes no refusal, and reads
//! it as the very same tree (numbers as text, objects member for member in order); a text
//! serde_json accepts but ours refuses must owe the refusal ours names. The oracle itself is
//! held to serde_json's own `Value` reader (with `arbitrary_precision`, so that, like ours and
//! the raw reading, it accepts numbers beyond `f64`): the same accept/reject on every input,
//! which also pins the oracle's depth limit to serde_json's. An accepted value prints as JSON
//! that reads back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::json::{Json, MAX_DEPTH, MAX_ITEMS, MAX_LEN, MAX_NUMBER_LEN, MAX_STRING_LEN};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug)]
enum Tree {
    Null,
    Bool(bool),
    /// The number's source text.
    Num(String),
    Str(String),
    Arr(Vec<Tree>),
    /// Every member in order, repeated keys included.
    Obj(Vec<(String, Tree)>),
}

/// An object's members as serde_json reads them, in order, repeats included, each value raw.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Members<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'a>, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'a RawValue>()? {
                    members.push(entry);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// The deepest nesting serde_json reads (its recursion limit: the 128th level is refused).
const SERDE_MAX_DEPTH: usize = 127;

/// serde_json's reading of a whole document, or its refusal.
fn oracle(doc: &str) -> Result<Tree, String> {
    let raw: &RawValue = serde_json::from_str(doc).map_err(|e| e.to_string())?;
    read_raw(raw, 0)
}

/// One value read from its raw text; `depth` is the number of arrays and objects around it.
fn read_raw(raw: &RawValue, depth: usize) -> Result<Tree, String> {
    let text = raw.get();
    let err = |e: serde_json::Error| e.to_string();
    let nested = |depth: usize| match depth + 1 > SERDE_MAX_DEPTH {
        true => Err("recursion limit exceeded".to_owned()),
        false => Ok(()),
    };
    Ok(match text.as_bytes().first() {
        Some(b'[') => {
            nested(depth)?;
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(err)?;
            Tree::Arr(items.into_iter().map(|i| read_raw(i, depth + 1)).collect::<Result<_, _>>()?)
        }
        Some(b'{') => {
            nested(depth)?;
            let Members(members) = serde_json::from_str(text).map_err(err)?;
            let members = members.into_iter().map(|(k, v)| Ok((k, read_raw(v, depth + 1)?)));
            Tree::Obj(members.collect::<Result<_, String>>()?)
        }
        Some(b'"') => Tree::Str(serde_json::from_str(text).map_err(err)?),
        // serde_json checked the number's grammar while reading the raw value.
        Some(b'-' | b'0'..=b'9') => Tree::Num(text.to_owned()),
        _ => match serde_json::from_str::<serde_json::Value>(text).map_err(err)? {
            serde_json::Value::Null => Tree::Null,
            serde_json::Value::Bool(b) => Tree::Bool(b),
            other => return Err(format!("unexpected raw value {other:?}")),
        },
    })
}

/// The refusals our reader owes a document that serde_json accepted.
fn owed(doc: &str, tree: &Tree) -> BTreeSet<&'static str> {
    fn walk(v: &Tree, depth: usize, out: &mut BTreeSet<&'static str>) {
        let mut string = |s: &str| {
            if s.len() > MAX_STRING_LEN {
                out.insert("string too long");
            }
        };
        match v {
            Tree::Str(s) => string(s),
            Tree::Num(t) if t.len() > MAX_NUMBER_LEN => {
                out.insert("number too long");
            }
            Tree::Obj(members) => {
                members.iter().for_each(|(k, _)| string(k));
                let keys: BTreeSet<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
                if keys.len() != members.len() {
                    out.insert("duplicate key");
                }
                container(members.len(), depth, out);
                members.iter().for_each(|(_, v)| walk(v, depth + 1, out));
            }
            Tree::Arr(items) => {
                container(items.len(), depth, out);
                items.iter().for_each(|i| walk(i, depth + 1, out));
            }
            _ => {}
        }
    }
    fn container(len: usize, depth: usize, out: &mut BTreeSet<&'static str>) {
        if depth + 1 > MAX_DEPTH {
            out.insert("nesting too deep");
        }
        if len > MAX_ITEMS {
            out.insert("too many items");
        }
    }
    let mut out = BTreeSet::new();
    walk(tree, 0, &mut out);
    if doc.len() > MAX_LEN {
        out.insert("body too large");
    }
    out
}

/// Whether `ours` is the very tree serde_json read.
fn same(ours: &Json, theirs: &Tree) -> bool {
    match (ours, theirs) {
        (Json::Null, Tree::Null) => true,
        (Json::Bool(a), Tree::Bool(b)) => a == b,
        (Json::Number(a), Tree::Num(b)) => a == b,
        (Json::String(a), Tree::Str(b)) => a == b,
        (Json::Array(a), Tree::Arr(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        (Json::Object(a), Tree::Obj(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let theirs = oracle(text);
    match (serde_json::from_str::<serde_json::Value>(text), &theirs) {
        (Ok(_), Ok(_)) | (Err(_), Err(_)) => {}
        (Ok(v), Err(e)) => panic!("{text:?}: Value reads {v:?}, the oracle refuses: {e}"),
        (Err(e), Ok(t)) => panic!("{text:?}: Value refuses ({e}), the oracle reads {t:?}"),
    }
    let ours = Json::parse(text);
    match (&ours, &theirs) {
        (Ok(v), Ok(t)) => {
            let owed = owed(text, t);
            assert!(owed.is_empty(), "accepted {text:?} despite {owed:?}");
            assert!(same(v, t), "{text:?}: ours {v:?}, serde_json {t:?}");
        }
        (Ok(v), Err(e)) => panic!("accepted {text:?} as {v:?}; serde_json: {e}"),
        (Err(e), Ok(t)) => {
            let owed = owed(text, t);
            assert!(owed.contains(e.reason), "refused {text:?} ({e}) that serde_json accepts; owed {owed:?}");
        }
        (Err(_), Err(_)) => {}
    }
    if let Ok(v) = &ours {
        // Printing can lengthen a body (`\b` prints as `\u0008`), past MAX_LEN at worst.
        let printed = v.to_string();
        if printed.len() <= MAX_LEN {
            assert_eq!(Json::parse(&printed).as_ref(), Ok(v), "{printed:?}");
        }
    }
});
