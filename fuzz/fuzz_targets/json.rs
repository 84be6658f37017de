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
use payform_core::json::{Json, MAX_LEN};

#[path = "../../core/tests/oracle/json.rs"]
mod oracle;
use oracle::{oracle, owed, same};

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
