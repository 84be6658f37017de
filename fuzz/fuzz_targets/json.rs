//! Any text as JSON, against serde_json (with `arbitrary_precision`, so numbers keep their
//! text, only the exponent written `e+`/`e-`) as the oracle: whatever we accept, serde_json accepts as the same value;
//! whatever serde_json accepts, we accept too or refuse for a duplicate key or a bound; an
//! accepted value prints as JSON that reads back the same.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::json::{Json, MAX_LEN};
use serde_json::Value;

/// Our refusals of documents that serde_json accepts.
const REFUSALS: [&str; 6] = [
    "duplicate key",
    "body too large",
    "nesting too deep",
    "string too long",
    "number too long",
    "too many items",
];

/// Our number text as serde_json's `arbitrary_precision` keeps it: `E` as `e`, the exponent
/// always signed (`2E10` is `2e+10`); all else exactly as written.
fn as_serde_writes(number: &str) -> String {
    match number.split_once(['e', 'E']) {
        Some((mantissa, exp)) if exp.starts_with(['+', '-']) => format!("{mantissa}e{exp}"),
        Some((mantissa, exp)) => format!("{mantissa}e+{exp}"),
        None => number.to_owned(),
    }
}

fn same(ours: &Json, theirs: &Value) -> bool {
    match (ours, theirs) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(a), Value::Bool(b)) => a == b,
        (Json::Number(a), Value::Number(b)) => as_serde_writes(a) == b.to_string(),
        (Json::String(a), Value::String(b)) => a == b,
        (Json::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y)),
        // Ours has no duplicate keys, so equal sizes and every key found is equality.
        (Json::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|t| same(v, t)))
        }
        _ => false,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ours = Json::parse(text);
    match (&ours, serde_json::from_str::<Value>(text)) {
        (Ok(v), Ok(t)) => assert!(same(v, &t), "{text:?}: ours {v:?}, serde_json {t:?}"),
        (Ok(v), Err(e)) => panic!("accepted {text:?} as {v:?}; serde_json: {e}"),
        (Err(e), Ok(_)) => {
            assert!(REFUSALS.contains(&e.reason), "refused {text:?} ({e}); serde_json accepts")
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
