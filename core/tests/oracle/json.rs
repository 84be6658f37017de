//! The JSON oracle shared by `core/tests/json_oracle.rs` (a property test) and
//! `fuzz/fuzz_targets/json.rs` (a differential fuzz target): serde_json's reading of a text into
//! a tree that keeps every member of every object in order (repeated keys included) and each
//! number's source text, the refusals our reader owes such a tree, and the comparison.
#![allow(dead_code)]

use payform_core::json::{Json, MAX_DEPTH, MAX_ITEMS, MAX_LEN, MAX_NUMBER_LEN, MAX_STRING_LEN};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::collections::BTreeSet;
use std::fmt;

#[derive(Debug, PartialEq)]
pub enum Tree {
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
pub struct Members<'a>(pub Vec<(String, &'a RawValue)>);

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

/// The deepest nesting `serde_json` reads (its recursion limit: the 128th level is refused).
pub const SERDE_MAX_DEPTH: usize = 127;

/// serde_json's reading of a whole document, or its refusal.
pub fn oracle(doc: &str) -> Result<Tree, String> {
    let raw: &RawValue = serde_json::from_str(doc).map_err(|e| e.to_string())?;
    read_raw(raw, 0)
}

/// One value read from its raw text; `depth` is the number of arrays and objects around it.
pub fn read_raw(raw: &RawValue, depth: usize) -> Result<Tree, String> {
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

/// The refusals our reader owes a document that `serde_json` accepted.
pub fn owed(doc: &str, tree: &Tree) -> BTreeSet<&'static str> {
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

/// Whether `ours` is the very tree `serde_json` read.
pub fn same(ours: &Json, theirs: &Tree) -> bool {
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
