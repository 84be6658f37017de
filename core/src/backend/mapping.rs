//! The mapping engine: one reader for every payment format. A format is a JSON description
//! (a merchant's `mapping` option, a provider file in `presets/`, or the native format, built
//! from [`FIELDS`]) that says, per payment field, where its value is in the backend's body, and
//! how the backend's status values map to Payform's:
//!
//! ```json
//! {"fields": {"id": "/data/id", "status": "/data/state", "amount": "/data/amount",
//!             "currency": "/data/coin", "network": "=tron", "address": "/data/wallet"},
//!  "statuses": {"new": "awaiting_payment", "seen": "confirming", "done": "paid"}}
//! ```
//!
//! A field's source is a JSON Pointer (`"/a/b"`), a fixed value (`"=tron"`), a list of
//! alternatives (the first present wins), a lookup (`{"from", "map"}`), atomic units
//! (`{"from", "atomic": 8}`), a time plus minutes (`{"from", "plus_minutes"}`), a sum over an
//! array (`{"sum", "of", "where"}`) or the key of a picked member (`{"key_of"}`). `pick` chooses
//! one element of an array or object, which pointers then name as `{pick}`; `status_qualifier`
//! refines the status table (`{"New": {"PaidPartial": "underpaid", "*": "awaiting_payment"}}`);
//! `tables` holds lookups shared by several fields; `write` is read by the devserver only (which
//! provider value to write for each Payform status; the bundle accepts it and skips it). Without
//! `statuses` the backend's value must already be a Payform status. When a format gives only
//! `paid` or only `due`, the other is derived exactly (`due = amount − paid`). docs/backends.md
//! describes every construct.
//!
//! Every byte of the parser ships to shoppers, so it is written for size: no early returns
//! (see `Parser`), plain loops rather than iterator chains collected into `Result`s, and
//! error messages that are fixed sentences or fixed pieces around the offending name
//! ([`Why`]) rather than a `format!` per site.

use super::{network_alias, BackendError};
use crate::json::{Json, JsonError};
use crate::money::Amount;
use crate::network::Network;
use crate::payment::{Fiat, Field, Kind, PayOption, RawPayment, FIELDS};
use crate::status::Status;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Decimals used for amounts the engine adds or subtracts (the most any asset has).
const MAX_DECIMALS: u8 = 18;

/// The top-level members a description may have (besides `"$…"` comments and `notes`).
const MEMBERS: [&str; 6] = ["fields", "statuses", "status_qualifier", "pick", "tables", "write"];

/// `names` joined with `", "`.
fn join<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for name in names {
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(name);
    }
    out
}

fn field_names() -> String {
    join(FIELDS.iter().map(|f| f.name))
}

fn status_names() -> String {
    join(Status::ALL.iter().map(|s| s.as_str()))
}

/// What is wrong with part of a description: a fixed sentence, or one built from fixed pieces
/// around the names it quotes (`cat`).
pub type Why = Cow<'static, str>;

/// A message from its pieces (fixed text and the names it quotes).
fn cat(pieces: &[&str]) -> Why {
    Cow::Owned(pieces.concat())
}

/// Why a mapping cannot be used; each names what to fix.
///
/// Its message is built with [`cat!`](crate::cat), not a thiserror `#[error]` template: those
/// expand to `write!`, and the wasm carries no `core::fmt` machinery (see [`crate::text`]).
/// The messages are the variants' documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MappingError {
    /// `the mapping is not valid JSON: {0}`
    Json(JsonError),
    /// `the mapping must be an object with "fields" (and optionally "statuses")`
    Shape,
    /// `the mapping has an unknown member "{0}"; known: fields, statuses, status_qualifier,
    /// pick, tables, write (and "notes" or "$…" for comments)`
    UnknownMember(String),
    /// `the mapping has no pointer for the required field "{0}"`
    MissingField(&'static str),
    /// `the mapping names an unknown field "{0}"; known: {known}` (`known`: the names of
    /// [`FIELDS`])
    UnknownField(String),
    /// `the mapping for "{field}" is "{pointer}": a JSON Pointer starts with "/" (or write
    /// "=value" for a fixed value)`
    BadPointer { field: String, pointer: String },
    /// `the mapping for "{field}" cannot be used: {why}`
    BadSource { field: String, why: Why },
    /// `the mapping's pick "{pick}" cannot be used: {why}`
    BadPick { pick: String, why: Why },
    /// `the mapping's table "{table}" cannot be used: {why}`
    BadTable { table: String, why: Why },
    /// `the mapping sends status "{from}" to "{to}", which is not a Payform status ({known})`
    /// (`known`: every [`Status`])
    BadStatus { from: String, to: String },
    /// `the mapping's statuses cannot be used: {0}`
    BadStatuses(Why),
    /// `the description's "write" cannot be used: {0}`
    BadWrite(Why),
    /// `the mapping in this link gives "{0}" a fixed value ("=…"); a mapping from a link may
    /// only name JSON Pointers, so that every payment value comes from the payment server`
    LiteralFromLink(&'static str),
    /// `the mapping in this link computes "{field}" with "{construct}"; a mapping from a link
    /// may only name where values are (JSON Pointers, alternatives, picks), so that every
    /// payment value comes from the payment server`
    ComputedFromLink { field: &'static str, construct: &'static str },
}

impl MappingError {
    /// The message, as the variants' documentation gives it.
    pub fn message(&self) -> String {
        use crate::cat;
        match self {
            MappingError::Json(e) => cat!("the mapping is not valid JSON: ", e.message()),
            MappingError::Shape => {
                "the mapping must be an object with \"fields\" (and optionally \"statuses\")".to_owned()
            }
            MappingError::UnknownMember(m) => cat!(
                "the mapping has an unknown member \"",
                m,
                "\"; known: fields, statuses, status_qualifier, pick, tables, write (and \"notes\" or \"$…\" \
                 for comments)"
            ),
            MappingError::MissingField(f) => {
                cat!("the mapping has no pointer for the required field \"", f, "\"")
            }
            MappingError::UnknownField(f) => {
                cat!("the mapping names an unknown field \"", f, "\"; known: ", field_names())
            }
            MappingError::BadPointer { field, pointer } => cat!(
                "the mapping for \"",
                field,
                "\" is \"",
                pointer,
                "\": a JSON Pointer starts with \"/\" (or write \"=value\" for a fixed value)"
            ),
            MappingError::BadSource { field, why } => {
                cat!("the mapping for \"", field, "\" cannot be used: ", why)
            }
            MappingError::BadPick { pick, why } => {
                cat!("the mapping's pick \"", pick, "\" cannot be used: ", why)
            }
            MappingError::BadTable { table, why } => {
                cat!("the mapping's table \"", table, "\" cannot be used: ", why)
            }
            MappingError::BadStatus { from, to } => cat!(
                "the mapping sends status \"",
                from,
                "\" to \"",
                to,
                "\", which is not a Payform status (",
                status_names(),
                ")"
            ),
            MappingError::BadStatuses(why) => cat!("the mapping's statuses cannot be used: ", why),
            MappingError::BadWrite(why) => cat!("the description's \"write\" cannot be used: ", why),
            MappingError::LiteralFromLink(f) => cat!(
                "the mapping in this link gives \"",
                f,
                "\" a fixed value (\"=…\"); a mapping from a link may only name JSON Pointers, so that every \
                 payment value comes from the payment server"
            ),
            MappingError::ComputedFromLink { field, construct } => cat!(
                "the mapping in this link computes \"",
                field,
                "\" with \"",
                construct,
                "\"; a mapping from a link may only name where values are (JSON Pointers, alternatives, \
                 picks), so that every payment value comes from the payment server"
            ),
        }
    }
}

impl std::fmt::Display for MappingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// No source, as with thiserror (the JSON error is quoted in the message, not marked
/// `#[source]`).
impl std::error::Error for MappingError {}

/// A pointer (or, in a `where` list, a value) that may name picked elements as `{pick}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    /// The pick each `{…}` of `text` names, in order.
    picks: Vec<usize>,
}

impl Template {
    fn plain(text: String) -> Template {
        Template { text, picks: Vec::new() }
    }

    /// The text as written in the description (`/data/pricing/{chain}/amount`).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text with each `{pick}` replaced by `tokens[pick]` (escaped as a JSON Pointer
    /// token when `pointer`); `None` when a pick it names found nothing.
    pub fn render(&self, tokens: &[Option<String>], pointer: bool) -> Option<String> {
        let mut out = String::new();
        let mut rest = self.text.as_str();
        for &pick in &self.picks {
            // Parsing found a `{` and then a `}` for each pick.
            let (before, after) = rest.split_once('{')?;
            let (_, after) = after.split_once('}')?;
            out.push_str(before);
            let token = tokens.get(pick)?.as_deref()?;
            if pointer {
                out.push_str(&token.replace('~', "~0").replace('/', "~1"));
            } else {
                out.push_str(token);
            }
            rest = after;
        }
        out.push_str(rest);
        Some(out)
    }
}

/// A lookup's entries: the backend's value → the result (`None`: absent).
pub type Entries = Vec<(String, Option<String>)>;

/// Where a field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `"/a/b"`: the value at a JSON Pointer (`null` counts as absent).
    Pointer(Template),
    /// `"=text"`: a fixed value.
    Literal(String),
    /// `[a, b, …]`: the first alternative that is present.
    First(Vec<Source>),
    /// `{"from": …, "map": {…} | "<table>"}`: a lookup (keys compared ignoring ASCII case); a
    /// `null` result is absent; `"*"` is the result for any other value, else an unknown value
    /// is an error.
    Map { from: Box<Source>, entries: Entries, otherwise: Option<Option<String>> },
    /// `{"from": …, "atomic": 8}`: a whole number of 10^-decimals units.
    Atomic { from: Box<Source>, decimals: u8 },
    /// `{"from": …, "plus_minutes": …}`: Unix seconds plus a number of minutes.
    PlusMinutes { from: Box<Source>, minutes: Box<Source> },
    /// `{"sum": "/array", "of": "/relative", "where": {…}}`: the sum of the amounts of the
    /// elements that match; absent when none does.
    Sum { items: Template, of: String, filter: Vec<Test> },
    /// `{"key_of": "<pick>"}`: the key (or index) of the picked element.
    KeyOf(usize),
}

/// `"/relative/pointer": [values]`: holds when the element's value there is one of `values`
/// (`None`: absent or null).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Test {
    pub pointer: String,
    pub values: Vec<Option<Template>>,
}

/// `pick`: one element of an array, or one member of an object, that pointers then name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub name: String,
    /// `in`: the array or object.
    pub within: Template,
    /// `where`: tests on the element.
    pub filter: Vec<Test>,
    /// `key_is_network`: the member's key names a network Payform supports.
    pub key_is_network: bool,
    /// `requires`: pointers (naming this pick) that must be present.
    pub requires: Vec<Template>,
    /// `last`: the last element that qualifies, not the first.
    pub last: bool,
    /// `"else": "first"`: when none qualifies, the first element.
    pub else_first: bool,
}

/// One row of a status table: `value` (with `qualifier`, `None` = any) → `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    pub value: String,
    pub qualifier: Option<String>,
    pub status: Status,
}

/// A provider status value to write, with its qualifier (if the format has one).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusValue {
    pub value: String,
    pub qualifier: Option<String>,
}

/// `write`: how the devserver writes this format (the reader ignores it; native only).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    /// The value for every Payform status: the description's choice, else the only value the
    /// table maps to it.
    statuses: Vec<(Status, StatusValue)>,
    /// `partly_paid`: the choice when some funds arrived (heleket's expiry after a partial
    /// payment is `wrong_amount`).
    partly_paid: Vec<(Status, StatusValue)>,
    /// `"times": "unix"`: times are written as Unix seconds, else as RFC 3339.
    pub unix_times: bool,
}

#[cfg(not(target_arch = "wasm32"))]
impl Write {
    /// The value to write for `status` (parsing checked that every status has one).
    pub fn status(&self, status: Status, partly_paid: bool) -> Option<&StatusValue> {
        fn find(list: &[(Status, StatusValue)], status: Status) -> Option<&StatusValue> {
            list.iter().find(|(s, _)| *s == status).map(|(_, v)| v)
        }
        find(&self.partly_paid, status).filter(|_| partly_paid).or_else(|| find(&self.statuses, status))
    }
}

/// A parsed, checked description of a payment format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// In the order of [`FIELDS`].
    fields: Vec<(Field, Source)>,
    statuses: Option<Vec<StatusEntry>>,
    qualifier: Option<Source>,
    picks: Vec<Pick>,
    #[cfg(not(target_arch = "wasm32"))]
    write: Option<Write>,
}

/// A lookup's result: a string, or `null` for absent.
fn result(value: &Json) -> Result<Option<&str>, Why> {
    match value {
        Json::Null => Ok(None),
        Json::String(s) => Ok(Some(s)),
        other => Err(cat(&["a result is a string or null, not ", other.kind()])),
    }
}

/// Checks a lookup table (each entry one result, or one per field: `{"network": …,
/// "currency": …}`) and gives its entries.
fn table(json: &Json) -> Result<&[(String, Json)], Why> {
    let Json::Object(entries) = json else { return Err(Cow::Borrowed("a lookup table is an object")) };
    for (_, entry) in entries {
        match entry {
            Json::Object(columns) => {
                for (_, value) in columns {
                    result(value)?;
                }
            }
            other => {
                result(other)?;
            }
        }
    }
    Ok(entries)
}

/// A value of the description as an error quotes it: a string in quotes, a number or boolean
/// as written, else its kind (`null`, `an array`).
fn shown(value: &Json) -> String {
    match value {
        Json::String(s) => ["\"", s, "\""].concat(),
        other => match scalar(other) {
            Some(text) => text.into_owned(),
            None => other.kind().to_owned(),
        },
    }
}

/// The part of a description being parsed, which its errors name.
#[derive(Clone, Copy)]
enum At<'a> {
    Field(&'a str),
    Pick(&'a str),
    Statuses,
}

/// Parses one description. A part that cannot be used records why (the first error only) and
/// parsing goes on with a stand-in, so that the parser has no error paths to unwind (a large
/// part of its size when it returned early); the description is then refused with the first
/// error in parsing order: members, tables, picks, unknown field names, the fields in the
/// order of [`FIELDS`] (a missing required one where it would be), statuses, the qualifier.
struct Parser<'a> {
    /// The picks parsed so far.
    picks: Vec<Pick>,
    /// The pick being defined, which its own `requires` and `where` may name.
    this: Option<&'a str>,
    /// The `tables` member (checked), or `null`.
    tables: &'a Json,
    at: At<'a>,
    fail: Option<MappingError>,
}

impl<'a> Parser<'a> {
    /// Records an error (the first one only).
    fn error(&mut self, error: MappingError) {
        if self.fail.is_none() {
            self.fail = Some(error);
        }
    }

    /// Records why the part being parsed cannot be used.
    fn why(&mut self, why: Why) {
        self.error(match self.at {
            At::Field(field) => MappingError::BadSource { field: field.to_owned(), why },
            At::Pick(pick) => MappingError::BadPick { pick: pick.to_owned(), why },
            At::Statuses => MappingError::BadStatuses(why),
        })
    }

    fn no(&mut self, why: &'static str) {
        self.why(Cow::Borrowed(why))
    }

    fn pick_index(&self, name: &str) -> Option<usize> {
        for (i, pick) in self.picks.iter().enumerate() {
            if pick.name == name {
                return Some(i);
            }
        }
        (self.this == Some(name)).then_some(self.picks.len())
    }

    /// The index of the pick `name`; else records `{pieces}, which is not a pick (picks: …)`.
    fn pick(&mut self, name: &str, pieces: &[&str]) -> usize {
        if let Some(index) = self.pick_index(name) {
            return index;
        }
        let mut why = pieces.concat();
        why.push_str(", which is not a pick (picks: ");
        let mut sep = "";
        for name in self.picks.iter().map(|p| p.name.as_str()).chain(self.this) {
            why.push_str(sep);
            why.push_str(name);
            sep = ", ";
        }
        if sep.is_empty() {
            why.push_str("none");
        }
        why.push(')');
        self.why(Cow::Owned(why));
        0
    }

    fn template(&mut self, text: &str) -> Template {
        let mut picks = Vec::new();
        let mut rest = text;
        while let Some((_, after)) = rest.split_once('{') {
            let Some((name, after)) = after.split_once('}') else {
                self.why(cat(&["\"", text, "\" opens a \"{\" it never closes"]));
                break;
            };
            picks.push(self.pick(name, &["\"", text, "\" names {", name, "}"]));
            rest = after;
        }
        Template { text: text.to_owned(), picks }
    }

    /// A JSON Pointer (which may name picks); `why` when `value` is not one.
    fn pointer(&mut self, value: Option<&Json>, why: &'static str) -> Template {
        match value {
            Some(Json::String(text)) if text.starts_with('/') => self.template(text),
            _ => {
                self.no(why);
                Template::plain(String::new())
            }
        }
    }

    /// A pointer into an element (`where` keys, `of`): `{what} "{value}" is …` unless it
    /// starts with `/`.
    fn relative(&mut self, value: &str, what: &str) -> String {
        if !value.starts_with('/') {
            self.why(cat(&[
                what,
                " \"",
                value,
                "\" is a JSON Pointer into the element: it starts with \"/\"",
            ]));
        }
        value.to_owned()
    }

    /// `{"/pointer": ["value", null, …], …}`.
    fn tests(&mut self, value: Option<&Json>) -> Vec<Test> {
        let mut tests = Vec::new();
        let members = match value {
            None => return tests,
            Some(Json::Object(members)) => members,
            Some(_) => {
                self.no("\"where\" is an object of \"/pointer\": [values]");
                return tests;
            }
        };
        for (pointer, list) in members {
            let pointer = self.relative(pointer, "a \"where\" key");
            let mut values = Vec::new();
            match list {
                Json::Array(list) if !list.is_empty() => {
                    for value in list {
                        values.push(match value {
                            Json::Null => None,
                            Json::String(s) => Some(self.template(s)),
                            other => {
                                self.why(cat(&["a \"where\" value is a string or null, not ", other.kind()]));
                                None
                            }
                        });
                    }
                }
                _ => self.why(cat(&["\"where\" gives \"", &pointer, "\" a non-empty list of values"])),
            }
            tests.push(Test { pointer, values });
        }
        tests
    }

    /// A lookup's entries for the field `column`, and its `"*"` result.
    fn lookup(&mut self, map: &Json, column: &str) -> (Entries, Option<Option<String>>) {
        let map = match map {
            Json::String(name) => match self.tables.get(name) {
                Some(t) => t,
                None => {
                    self.why(cat(&[
                        "\"map\" names the table \"",
                        name,
                        "\", which \"tables\" does not have",
                    ]));
                    &Json::Null
                }
            },
            other => other,
        };
        let entries = match table(map) {
            Ok(entries) => entries,
            Err(why) => {
                self.why(why);
                &[]
            }
        };
        let mut out = Vec::new();
        let mut otherwise = None;
        for (key, entry) in entries {
            let value = match entry {
                Json::Object(_) => entry.get(column).unwrap_or_else(|| {
                    self.why(cat(&["the lookup's entry \"", key, "\" has no \"", column, "\""]));
                    &Json::Null
                }),
                other => other,
            };
            // `table` checked that it is a string or null.
            let value = value.as_str().map(str::to_owned);
            if key == "*" {
                otherwise = Some(value);
            } else {
                out.push((key.clone(), value));
            }
        }
        (out, otherwise)
    }

    /// The source of the field `field` (whose name is also a lookup table's column).
    fn build(&mut self, value: &Json, field: &str) -> Source {
        let members = match value {
            Json::String(text) if text.starts_with('=') => return Source::Literal(text[1..].to_owned()),
            Json::String(text) if text.starts_with('/') => return Source::Pointer(self.template(text)),
            Json::Array(alternatives) => {
                if alternatives.is_empty() {
                    self.no("an empty list of alternatives");
                }
                let mut list = Vec::new();
                for a in alternatives {
                    list.push(self.build(a, field));
                }
                return Source::First(list);
            }
            Json::Object(members) => members,
            other => {
                self.error(MappingError::BadPointer { field: field.to_owned(), pointer: shown(other) });
                return Source::KeyOf(0);
            }
        };
        let get = |k: &str| value.get(k);
        let allowed: &[&str] = if get("key_of").is_some() {
            &["key_of"]
        } else if get("sum").is_some() {
            &["sum", "of", "where"]
        } else if get("from").is_some() {
            &["from", "map", "atomic", "plus_minutes"]
        } else {
            self.no("an object source has \"from\" (with \"map\", \"atomic\" or \"plus_minutes\"), \"sum\" (with \"of\") or \"key_of\"");
            return Source::KeyOf(0);
        };
        for (m, _) in members {
            if !allowed.contains(&m.as_str()) {
                self.why(cat(&["\"", m, "\" does not go with \"", allowed[0], "\""]));
            }
        }
        if let Some(pick) = get("key_of") {
            let name = pick.as_str().unwrap_or_default();
            return Source::KeyOf(self.pick(name, &["\"key_of\" names \"", name, "\""]));
        }
        if let Some(sum) = get("sum") {
            let items = self.pointer(Some(sum), "\"sum\" is a JSON Pointer, a string that starts with \"/\"");
            let of = match get("of").and_then(Json::as_str) {
                Some(of) => self.relative(of, "\"of\""),
                None => {
                    self.no("\"sum\" needs \"of\", the pointer to each element's amount");
                    String::new()
                }
            };
            let filter = self.tests(get("where"));
            return Source::Sum { items, of, filter };
        }
        let from = Box::new(self.build(get("from").unwrap_or(&Json::Null), field));
        if members.len() != 2 {
            self.no("\"from\" goes with exactly one of \"map\", \"atomic\", \"plus_minutes\"");
        }
        if let Some(map) = get("map") {
            let (entries, otherwise) = self.lookup(map, field);
            return Source::Map { from, entries, otherwise };
        }
        if let Some(decimals) = get("atomic") {
            let decimals = match decimals {
                Json::Number(n) => n.parse::<u8>().ok().filter(|d| *d <= 38),
                _ => None,
            };
            if decimals.is_none() {
                self.no("\"atomic\" is the number of decimals, a whole number up to 38");
            }
            return Source::Atomic { from, decimals: decimals.unwrap_or_default() };
        }
        let minutes = get("plus_minutes").unwrap_or(&Json::Null);
        Source::PlusMinutes { from, minutes: Box::new(self.build(minutes, field)) }
    }

    /// The status table `{"value": "status" | {"qualifier": "status", "*": …}}`.
    fn statuses(&mut self, table: &[(String, Json)]) -> Vec<StatusEntry> {
        let mut out = Vec::new();
        for (from, to) in table {
            let Json::Object(qualified) = to else {
                out.push(StatusEntry {
                    value: from.clone(),
                    qualifier: None,
                    status: self.status(to, &[from]),
                });
                continue;
            };
            if qualified.is_empty() {
                self.why(cat(&["\"", from, "\" has an empty qualifier table"]));
            }
            for (q, to) in qualified {
                out.push(StatusEntry {
                    value: from.clone(),
                    qualifier: (q != "*").then(|| q.clone()),
                    status: self.status(to, &[from, "/", q]),
                });
            }
        }
        out
    }

    /// The Payform status `to` names (`from` is the status value, with its qualifier).
    fn status(&mut self, to: &Json, from: &[&str]) -> Status {
        match to.as_str().and_then(Status::parse) {
            Some(s) => s,
            None => {
                self.error(MappingError::BadStatus { from: from.concat(), to: shown(to) });
                Status::Failed
            }
        }
    }

    /// `"{key}": true | false`, absent: false.
    fn flag(&mut self, spec: &Json, key: &str) -> bool {
        match spec.get(key) {
            None => false,
            Some(Json::Bool(b)) => *b,
            Some(_) => {
                self.why(cat(&["\"", key, "\" is true or false"]));
                false
            }
        }
    }

    /// The pick `name`, which may name the picks before it.
    fn parse_pick(&mut self, name: &'a str, spec: &Json) -> Pick {
        self.at = At::Pick(name);
        self.this = None;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.no("a pick's name is letters, digits and \"_\"");
        }
        const KNOWN: [&str; 6] = ["in", "where", "key_is_network", "requires", "last", "else"];
        match spec {
            Json::Object(options) => {
                for (m, _) in options {
                    if !KNOWN.contains(&m.as_str()) {
                        self.why(cat(&[
                            "unknown member \"",
                            m,
                            "\"; known: in, where, key_is_network, requires, last, else",
                        ]));
                    }
                }
            }
            _ => self.no("a pick is an object with \"in\""),
        }
        let within =
            self.pointer(spec.get("in"), "\"in\" is a JSON Pointer, a string that starts with \"/\"");
        // The rest may name the pick itself.
        self.this = Some(name);
        let mut requires = Vec::new();
        match spec.get("requires") {
            None => {}
            Some(Json::Array(list)) => {
                for p in list {
                    requires.push(self.pointer(
                        Some(p),
                        "each of \"requires\" is a JSON Pointer, a string that starts with \"/\"",
                    ));
                }
            }
            Some(_) => self.no("\"requires\" is a list of JSON Pointers"),
        }
        let else_first = match spec.get("else") {
            None => false,
            Some(Json::String(s)) if s == "first" => true,
            Some(_) => {
                self.no("\"else\" can only be \"first\"");
                false
            }
        };
        Pick {
            name: name.to_owned(),
            within,
            filter: self.tests(spec.get("where")),
            key_is_network: self.flag(spec, "key_is_network"),
            requires,
            last: self.flag(spec, "last"),
            else_first,
        }
    }
}

/// A rail field's text, trimmed; blank is absent.
fn filled(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Whether `source` can produce a value of `kind` (atomic units and sums are amounts, a time
/// plus minutes is a time, the native objects are only read through pointers).
fn check_kind(source: &Source, kind: Kind) -> Result<(), &'static str> {
    let structured = matches!(kind, Kind::Fiat | Kind::Options | Kind::Texts);
    match source {
        Source::First(alternatives) => {
            for a in alternatives {
                check_kind(a, kind)?;
            }
            Ok(())
        }
        Source::Pointer(_) => Ok(()),
        _ if structured => Err("an object or array field is read through JSON Pointers only"),
        Source::Atomic { .. } | Source::Sum { .. } if kind != Kind::Amount => {
            Err("\"atomic\" and \"sum\" make amounts; this field is not one")
        }
        Source::PlusMinutes { .. } if kind != Kind::Time => {
            Err("\"plus_minutes\" makes a time; this field is not one")
        }
        _ => Ok(()),
    }
}

/// The construct that makes a value the body does not hold, if any (refused from links).
fn computed(source: &Source) -> Option<&'static str> {
    match source {
        Source::Pointer(_) | Source::KeyOf(_) => None,
        Source::Literal(_) => Some("=…"),
        Source::First(alternatives) => {
            for a in alternatives {
                if let Some(construct) = computed(a) {
                    return Some(construct);
                }
            }
            None
        }
        Source::Map { .. } => Some("map"),
        Source::Atomic { .. } => Some("atomic"),
        Source::PlusMinutes { .. } => Some("plus_minutes"),
        Source::Sum { .. } => Some("sum"),
    }
}

/// `write` (the devserver's; the bundle skips it), checked against the status table.
#[cfg(not(target_arch = "wasm32"))]
fn parse_write(table: Option<&[StatusEntry]>, json: &Json) -> Result<Write, MappingError> {
    let bad = |why: String| MappingError::BadWrite(Cow::Owned(why));
    let Json::Object(members) = json else { return Err(bad("\"write\" is an object".into())) };
    const KNOWN: [&str; 4] = ["statuses", "partly_paid", "qualifier", "times"];
    if let Some((m, _)) = members.iter().find(|(m, _)| !KNOWN.contains(&m.as_str())) {
        return Err(bad(crate::cat!("unknown member \"", m, "\"; known: ", KNOWN.join(", "))));
    }
    let default_qualifier = match json.get("qualifier") {
        None => None,
        Some(Json::String(q)) => Some(q.clone()),
        Some(_) => return Err(bad("\"qualifier\" is the value written for \"*\", a string".into())),
    };
    let unix_times = match json.get("times").and_then(Json::as_str) {
        None if json.get("times").is_none() => false,
        Some("unix") => true,
        Some("rfc3339") => false,
        _ => return Err(bad("\"times\" is \"unix\" or \"rfc3339\"".into())),
    };
    let choices = |key: &str| -> Result<Vec<(Status, StatusValue)>, MappingError> {
        let Some(value) = json.get(key) else { return Ok(Vec::new()) };
        let Json::Object(list) = value else { return Err(bad(crate::cat!('"', key, "\" is an object"))) };
        list.iter()
            .map(|(status, choice)| {
                let s = Status::parse(status).ok_or_else(|| {
                    bad(crate::cat!('"', status, "\" is not a Payform status (", status_names(), ")"))
                })?;
                let (value, qualifier) = match choice {
                    Json::String(v) => (v.clone(), default_qualifier.clone()),
                    Json::Array(pair) => match pair.as_slice() {
                        [Json::String(v), Json::String(q)] => (v.clone(), Some(q.clone())),
                        _ => {
                            return Err(bad(crate::cat!(
                                '"',
                                status,
                                "\" is \"value\" or [\"value\", \"qualifier\"]"
                            )))
                        }
                    },
                    _ => {
                        return Err(bad(crate::cat!(
                            '"',
                            status,
                            "\" is \"value\" or [\"value\", \"qualifier\"]"
                        )))
                    }
                };
                if let Some(table) = table {
                    if Mapping::lookup(table, &value, qualifier.as_deref().unwrap_or_default()).is_none() {
                        return Err(bad(crate::cat!(
                            '"',
                            status,
                            "\" is written as \"",
                            value,
                            "\", which \"statuses\" does not read"
                        )));
                    }
                }
                Ok((s, StatusValue { value, qualifier }))
            })
            .collect()
    };
    let explicit = choices("statuses")?;
    let partly_paid = choices("partly_paid")?;
    let mut statuses = Vec::new();
    for s in Status::ALL {
        if let Some((_, v)) = explicit.iter().find(|(e, _)| *e == s) {
            statuses.push((s, v.clone()));
            continue;
        }
        let Some(table) = table else {
            statuses.push((s, StatusValue { value: s.as_str().into(), qualifier: None }));
            continue;
        };
        let values: Vec<&StatusEntry> = table.iter().filter(|e| e.status == s).collect();
        match values.as_slice() {
            [one] => statuses.push((
                s,
                StatusValue {
                    value: one.value.clone(),
                    qualifier: one.qualifier.clone().or_else(|| default_qualifier.clone()),
                },
            )),
            [] => {
                return Err(bad(crate::cat!(
                    "\"statuses\" needs a choice for \"",
                    s.as_str(),
                    "\": no value of the format means it"
                )))
            }
            many => {
                let names: Vec<&str> = many.iter().map(|e| e.value.as_str()).collect();
                return Err(bad(crate::cat!(
                    "\"statuses\" needs a choice for \"",
                    s.as_str(),
                    "\": ",
                    names.join(", "),
                    " all mean it"
                )));
            }
        }
    }
    Ok(Write { statuses, partly_paid, unix_times })
}

impl Mapping {
    /// Parses and checks a description (a merchant's mapping or a provider file).
    pub fn parse(text: &str) -> Result<Mapping, MappingError> {
        let json = Json::parse(text).map_err(MappingError::Json)?;
        let Json::Object(members) = &json else { return Err(MappingError::Shape) };
        let mut p =
            Parser { picks: Vec::new(), this: None, tables: &Json::Null, at: At::Statuses, fail: None };
        for (m, _) in members {
            if !MEMBERS.contains(&m.as_str()) && m != "notes" && !m.starts_with('$') {
                p.error(MappingError::UnknownMember(m.clone()));
            }
        }
        let fields = match json.get("fields") {
            Some(fields @ Json::Object(_)) => fields,
            _ => {
                p.error(MappingError::Shape);
                &Json::Null
            }
        };
        match json.get("tables") {
            None => {}
            Some(tables @ Json::Object(list)) => {
                for (name, t) in list {
                    if let Err(why) = table(t) {
                        p.error(MappingError::BadTable { table: name.clone(), why });
                    }
                }
                p.tables = tables;
            }
            Some(_) => p.error(MappingError::BadTable {
                table: String::new(),
                why: Cow::Borrowed("\"tables\" is an object"),
            }),
        }
        match json.get("pick") {
            None => {}
            Some(Json::Object(list)) => {
                for (name, spec) in list {
                    let pick = p.parse_pick(name, spec);
                    p.picks.push(pick);
                }
                p.this = None;
            }
            Some(_) => {
                p.at = At::Pick("");
                p.no("\"pick\" is an object of named picks");
            }
        }
        if let Json::Object(names) = fields {
            for (name, _) in names {
                if Field::parse(name).is_none() {
                    p.error(MappingError::UnknownField(name.clone()));
                }
            }
        }
        // In the order of FIELDS, whatever the description's order.
        let mut out = Vec::new();
        for spec in &FIELDS {
            let Some(value) = fields.get(spec.name) else {
                if spec.required {
                    p.error(MappingError::MissingField(spec.name));
                }
                continue;
            };
            p.at = At::Field(spec.name);
            let source = p.build(value, spec.name);
            if let Err(why) = check_kind(&source, spec.kind) {
                p.no(why);
            }
            out.push((spec.field, source));
        }
        p.at = At::Statuses;
        let statuses = match json.get("statuses") {
            None | Some(Json::Null) => None,
            Some(Json::Object(table)) => Some(p.statuses(table)),
            Some(_) => {
                p.error(MappingError::Shape);
                None
            }
        };
        let qualifier = match json.get("status_qualifier") {
            None => None,
            Some(v) => {
                p.at = At::Field("status_qualifier");
                Some(p.build(v, "status_qualifier"))
            }
        };
        let qualified = match &statuses {
            Some(table) => table.iter().any(|e| e.qualifier.is_some()),
            None => false,
        };
        if qualified && qualifier.is_none() {
            p.at = At::Statuses;
            p.no("a status is qualified, so the mapping needs \"status_qualifier\" (where the qualifier is)");
        }
        if let Some(error) = p.fail {
            return Err(error);
        }
        #[cfg(not(target_arch = "wasm32"))]
        let write = match json.get("write") {
            None => None,
            Some(write) => Some(parse_write(statuses.as_deref(), write)?),
        };
        Ok(Mapping {
            fields: out,
            statuses,
            qualifier,
            picks: p.picks,
            #[cfg(not(target_arch = "wasm32"))]
            write,
        })
    }

    /// The description of the native format: every field at `/<name>`, statuses by name.
    pub fn native() -> &'static Mapping {
        static NATIVE: OnceLock<Mapping> = OnceLock::new();
        NATIVE.get_or_init(|| {
            let mut fields = Vec::with_capacity(FIELDS.len());
            for f in &FIELDS {
                fields.push((f.field, Source::Pointer(Template::plain(["/", f.name].concat()))));
            }
            Mapping {
                fields,
                statuses: None,
                qualifier: None,
                picks: Vec::new(),
                #[cfg(not(target_arch = "wasm32"))]
                write: None,
            }
        })
    }

    /// Refuses what a link may not carry: a fixed value, or a value the body does not hold
    /// (a lookup's result, rescaled units, a computed time or sum).
    pub fn check_from_link(&self) -> Result<(), MappingError> {
        let fields = self.fields.iter().map(|(f, s)| (f.name(), s));
        for (name, source) in fields.chain(self.qualifier.iter().map(|q| ("status_qualifier", q))) {
            match computed(source) {
                None => {}
                Some("=…") => return Err(MappingError::LiteralFromLink(name)),
                Some(construct) => return Err(MappingError::ComputedFromLink { field: name, construct }),
            }
        }
        Ok(())
    }

    /// The fields this format gives, in the order of [`FIELDS`].
    pub fn fields(&self) -> &[(Field, Source)] {
        &self.fields
    }

    pub fn source(&self, field: Field) -> Option<&Source> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, s)| s)
    }

    /// The status table; `None`: the value is a Payform status.
    pub fn statuses(&self) -> Option<&[StatusEntry]> {
        self.statuses.as_deref()
    }

    pub fn qualifier(&self) -> Option<&Source> {
        self.qualifier.as_ref()
    }

    pub fn picks(&self) -> &[Pick] {
        &self.picks
    }

    /// `write` (native only: the bundle skips it).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn write(&self) -> Option<&Write> {
        self.write.as_ref()
    }

    fn lookup(table: &[StatusEntry], value: &str, qualifier: &str) -> Option<Status> {
        let exact = table.iter().find(|e| e.value == value && e.qualifier.as_deref() == Some(qualifier));
        exact.or_else(|| table.iter().find(|e| e.value == value && e.qualifier.is_none())).map(|e| e.status)
    }

    /// The Payform status of the format's `value` (with `qualifier`, `""` when there is none).
    pub fn status_of(&self, value: &str, qualifier: &str) -> Option<Status> {
        match &self.statuses {
            None => Status::parse(value),
            Some(table) => Self::lookup(table, value, qualifier),
        }
    }

    /// Reads one backend payment.
    pub fn read(&self, json: &Json) -> Result<RawPayment, BackendError> {
        let reader = Reader::new(self, json)?;
        let mut raw = RawPayment::default();
        for spec in &FIELDS {
            let field = spec.field;
            match field {
                Field::Id => raw.id = reader.text(field)?.unwrap_or_default(),
                Field::Status => raw.status = reader.status()?,
                Field::Amount => raw.amount = reader.text(field)?.unwrap_or_default(),
                Field::Currency => {
                    raw.currency = reader.text(field)?.unwrap_or_default().to_ascii_uppercase()
                }
                Field::Network => raw.network = network_alias(&reader.text(field)?.unwrap_or_default()),
                Field::Address => raw.address = reader.text(field)?.unwrap_or_default(),
                Field::Paid => raw.paid = reader.text(field)?,
                Field::Due => raw.due = reader.text(field)?,
                Field::ExpiresAt => raw.expires_at = reader.text(field)?,
                Field::ServerTime => raw.server_time = reader.text(field)?,
                Field::Confirmations => raw.confirmations = reader.count(field)?,
                Field::ConfirmationsRequired => raw.confirmations_required = reader.count(field)?,
                Field::Fiat => raw.fiat = reader.fiat()?,
                Field::Description => raw.description = reader.text(field)?,
                Field::Merchant => raw.merchant = reader.text(field)?,
                Field::ReturnUrl => raw.return_url = reader.text(field)?,
                Field::Options => raw.options = reader.options()?,
                Field::Lightning => raw.lightning = reader.text(field)?,
                Field::Txids => raw.txids = reader.texts(field)?,
                Field::PaidAt => raw.paid_at = reader.text(field)?,
                Field::LateNote => raw.late_note = reader.text(field)?,
                Field::Rail => raw.rail = reader.text(field)?,
                // The rail fields, one slot each (one call site: the bundle carries it once).
                _ => {
                    if let Some(slot) = raw.bank.slot(field) {
                        *slot = filled(reader.text(field)?);
                    }
                }
            }
        }
        // A format that gives only one of paid and due: the other, exactly.
        match (&raw.paid, &raw.due) {
            (Some(paid), None) => raw.due = difference(&raw.amount, paid),
            (None, Some(due)) => raw.paid = difference(&raw.amount, due),
            _ => {}
        }
        Ok(raw)
    }
}

/// `a − b` of two decimal strings, exactly, when both parse and `a ≥ b`.
fn difference(a: &str, b: &str) -> Option<String> {
    let (a, b) = (Amount::parse(a, MAX_DECIMALS).ok()?, Amount::parse(b, MAX_DECIMALS).ok()?);
    a.checked_sub(b).map(|d| d.to_decimal())
}

/// The text of a scalar (booleans as `true`/`false`); `None` for null, arrays and objects.
fn scalar(value: &Json) -> Option<Cow<'_, str>> {
    match value {
        Json::String(s) | Json::Number(s) => Some(Cow::Borrowed(s)),
        Json::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        _ => None,
    }
}

/// What a source found: a value of the body, or a value the engine made.
enum Got<'a> {
    Json(&'a Json),
    Text(String),
}

/// One read: the body and the element each pick chose.
struct Reader<'a> {
    m: &'a Mapping,
    json: &'a Json,
    tokens: Vec<Option<String>>,
}

impl<'a> Reader<'a> {
    fn new(m: &'a Mapping, json: &'a Json) -> Result<Reader<'a>, BackendError> {
        let mut reader = Reader { m, json, tokens: Vec::with_capacity(m.picks.len()) };
        for (i, pick) in m.picks.iter().enumerate() {
            let token = reader.pick(i, pick)?;
            reader.tokens.push(token);
        }
        Ok(reader)
    }

    fn present(&self, pointer: &str) -> Option<&'a Json> {
        self.json.pointer(pointer).filter(|v| !v.is_null())
    }

    /// Whether `element` passes every test (picks named in the values must have chosen).
    fn passes(&self, element: &Json, tests: &[Test]) -> bool {
        tests.iter().all(|t| {
            let value = element.pointer(&t.pointer).and_then(scalar);
            t.values.iter().any(|allowed| match (allowed, &value) {
                (None, None) => true,
                (Some(a), Some(v)) => a.render(&self.tokens, false).is_some_and(|a| a == *v),
                _ => false,
            })
        })
    }

    /// The token (key or index) of the element pick `i` chooses, if any.
    fn pick(&mut self, i: usize, pick: &Pick) -> Result<Option<String>, BackendError> {
        let Some(pointer) = pick.within.render(&self.tokens, true) else { return Ok(None) };
        // The candidates: an array's elements (token: the index) or an object's members.
        let (items, members): (&[Json], &[(String, Json)]) = match self.present(&pointer) {
            None => return Ok(None),
            Some(Json::Array(items)) => (items, &[]),
            Some(Json::Object(members)) => (&[], members),
            Some(other) => {
                return Err(BackendError::WrongType {
                    field: crate::cat!(pointer, " (pick ", pick.name, ")"),
                    expected: "an array or an object",
                    found: other.kind(),
                })
            }
        };
        let candidate = |k: usize| match members.get(k) {
            Some((key, value)) => (key.clone(), value, true),
            None => (crate::cat!(k), &items[k], false),
        };
        let n = items.len() + members.len();
        for step in 0..n {
            let (token, value, member) = candidate(if pick.last { n - 1 - step } else { step });
            // The candidate stands in for the pick in its own tests.
            self.tokens.truncate(i);
            self.tokens.push(Some(token.clone()));
            let network = !pick.key_is_network || (member && Network::parse(&network_alias(&token)).is_ok());
            let required = pick
                .requires
                .iter()
                .all(|r| r.render(&self.tokens, true).is_some_and(|p| self.present(&p).is_some()));
            let passes = network && required && self.passes(value, &pick.filter);
            self.tokens.truncate(i);
            if passes {
                return Ok(Some(token));
            }
        }
        Ok((pick.else_first && n > 0).then(|| candidate(0).0))
    }

    /// How an error names a source: its pointer(s), and the field unless the pointer is
    /// just `/<field>`.
    fn describe(&self, source: &Source) -> String {
        let pointer = |t: &Template| t.render(&self.tokens, true).unwrap_or_else(|| t.text.clone());
        match source {
            Source::Pointer(t) => pointer(t),
            Source::Literal(v) => crate::cat!('=', v),
            Source::First(alternatives) => {
                let mut out = String::new();
                for (k, a) in alternatives.iter().enumerate() {
                    if k > 0 {
                        out.push_str(" or ");
                    }
                    out.push_str(&self.describe(a));
                }
                out
            }
            Source::Map { from, .. } | Source::Atomic { from, .. } => self.describe(from),
            Source::PlusMinutes { from, minutes } => {
                crate::cat!(self.describe(from), " + ", self.describe(minutes), " minutes")
            }
            Source::Sum { items, of, .. } => crate::cat!(pointer(items), "[]", of),
            Source::KeyOf(i) => {
                crate::cat!("the key of ", self.m.picks.get(*i).map_or("", |p| p.name.as_str()))
            }
        }
    }

    fn name(&self, field: &str, source: &Source) -> String {
        let described = self.describe(source);
        if described.strip_prefix('/') == Some(field) {
            field.to_owned()
        } else {
            crate::cat!(described, " (", field, ")")
        }
    }

    fn eval(&self, source: &Source, field: &str) -> Result<Option<Got<'a>>, BackendError> {
        let wrong = |expected: &'static str, found: &'static str| BackendError::WrongType {
            field: self.name(field, source),
            expected,
            found,
        };
        Ok(match source {
            Source::Pointer(t) => t.render(&self.tokens, true).and_then(|p| self.present(&p)).map(Got::Json),
            Source::Literal(v) => Some(Got::Text(v.clone())),
            Source::First(alternatives) => {
                for a in alternatives {
                    if let Some(got) = self.eval(a, field)? {
                        return Ok(Some(got));
                    }
                }
                None
            }
            Source::Map { from, entries, otherwise } => {
                let key = match self.eval(from, field)? {
                    None => return Ok(None),
                    Some(Got::Text(t)) => t,
                    Some(Got::Json(v)) => {
                        scalar(v).ok_or_else(|| wrong("a string, number or boolean", v.kind()))?.into_owned()
                    }
                };
                match entries
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&key))
                    .map(|(_, v)| v)
                    .or(otherwise.as_ref())
                {
                    Some(v) => v.clone().map(Got::Text),
                    None => {
                        return Err(BackendError::Unsupported { field: self.name(field, source), value: key })
                    }
                }
            }
            Source::Atomic { from, decimals } => match self.text_of(from, field)? {
                None => None,
                Some(t) => {
                    let units = t
                        .parse::<u128>()
                        .map_err(|_| wrong("a whole number of atomic units", "another value"))?;
                    Some(Got::Text(Amount::from_atomic(units, *decimals).to_decimal()))
                }
            },
            Source::PlusMinutes { from, minutes } => {
                match (self.text_of(from, field)?, self.text_of(minutes, field)?) {
                    (Some(at), Some(m)) => {
                        let at = at
                            .parse::<i64>()
                            .map_err(|_| wrong("a whole number of Unix seconds", "another value"))?;
                        let m = m
                            .parse::<i64>()
                            .map_err(|_| wrong("a whole number of minutes", "another value"))?;
                        let sum = m.checked_mul(60).and_then(|s| s.checked_add(at));
                        let sum = sum.ok_or_else(|| wrong("a time", "one out of range"))?;
                        Some(Got::Text(crate::cat!(sum)))
                    }
                    _ => None,
                }
            }
            Source::Sum { items, of, filter } => {
                let Some(list) = items.render(&self.tokens, true).and_then(|p| self.present(&p)) else {
                    return Ok(None);
                };
                let Json::Array(list) = list else { return Err(wrong("an array", list.kind())) };
                let mut sum: Option<Amount> = None;
                for element in list.iter().filter(|e| self.passes(e, filter)) {
                    let Some(value) = element.pointer(of).and_then(Json::as_text) else { continue };
                    let value = Amount::parse(value, MAX_DECIMALS)
                        .map_err(|_| wrong("decimal amounts", "another value"))?;
                    let total = sum.map_or(Some(value), |s| s.checked_add(value));
                    sum = Some(total.ok_or_else(|| wrong("amounts", "a sum too large"))?);
                }
                sum.map(|s| Got::Text(s.to_decimal()))
            }
            Source::KeyOf(i) => self.tokens.get(*i).cloned().flatten().map(Got::Text),
        })
    }

    /// A source's value as text (strings and numbers; anything else is the wrong type).
    fn text_of(&self, source: &Source, field: &str) -> Result<Option<String>, BackendError> {
        match self.eval(source, field)? {
            None => Ok(None),
            Some(Got::Text(t)) => Ok(Some(t)),
            Some(Got::Json(v)) => {
                v.as_text().map(|t| Some(t.to_owned())).ok_or_else(|| BackendError::WrongType {
                    field: self.name(field, source),
                    expected: "a string or number",
                    found: v.kind(),
                })
            }
        }
    }

    /// A field's text; a required field that is absent is an error naming where it was looked for.
    fn text(&self, field: Field) -> Result<Option<String>, BackendError> {
        let Some(source) = self.m.source(field) else { return Ok(None) };
        match self.text_of(source, field.name())? {
            None if field.spec().required => {
                Err(BackendError::Missing { field: self.name(field.name(), source) })
            }
            value => Ok(value),
        }
    }

    fn status(&self) -> Result<Status, BackendError> {
        let value = self.text(Field::Status)?.unwrap_or_default();
        let qualifier = match &self.m.qualifier {
            Some(q) => self.text_of(q, "status_qualifier")?.unwrap_or_default(),
            None => String::new(),
        };
        self.m.status_of(&value, &qualifier).ok_or_else(|| {
            let name =
                self.m.source(Field::Status).map_or_else(|| "status".into(), |s| self.name("status", s));
            let (known, known_value) = match &self.m.statuses {
                None => (status_names(), false),
                Some(table) => {
                    let mut values: Vec<&str> = Vec::new();
                    for e in table {
                        if !values.contains(&e.value.as_str()) {
                            values.push(&e.value);
                        }
                    }
                    (values.join(", "), values.contains(&value.as_str()))
                }
            };
            let value = if known_value {
                [value.as_str(), "\" with the qualifier \"", &qualifier].concat()
            } else {
                value
            };
            BackendError::UnknownStatus { field: name, value, known }
        })
    }

    fn count(&self, field: Field) -> Result<Option<u32>, BackendError> {
        let Some(text) = self.text(field)? else { return Ok(None) };
        text.parse::<u32>().map(Some).map_err(|_| BackendError::WrongType {
            field: self.m.source(field).map_or_else(|| field.name().into(), |s| self.name(field.name(), s)),
            expected: "a whole number",
            found: "another value",
        })
    }

    /// The object or array a structured field points at, with the name errors give it.
    fn structured(&self, field: Field) -> Result<Option<(&'a Json, String)>, BackendError> {
        let Some(source) = self.m.source(field) else { return Ok(None) };
        let name = self.name(field.name(), source);
        match self.eval(source, field.name())? {
            None => Ok(None),
            Some(Got::Json(v)) => Ok(Some((v, name))),
            Some(Got::Text(_)) => {
                Err(BackendError::WrongType { field: name, expected: "JSON", found: "text" })
            }
        }
    }

    fn fiat(&self) -> Result<Option<Fiat>, BackendError> {
        let Some((value, name)) = self.structured(Field::Fiat)? else { return Ok(None) };
        if !matches!(value, Json::Object(_)) {
            return Err(BackendError::WrongType { field: name, expected: "an object", found: value.kind() });
        }
        Ok(Some(Fiat {
            amount: member(value, &name, "amount")?,
            currency: member(value, &name, "currency")?,
        }))
    }

    /// An array of texts (`txids`); `null` or absent is none. At most 64 items are read.
    fn texts(&self, field: Field) -> Result<Vec<String>, BackendError> {
        let Some((value, name)) = self.structured(field)? else { return Ok(Vec::new()) };
        if value.is_null() {
            return Ok(Vec::new());
        }
        let items = value.as_array().ok_or_else(|| BackendError::WrongType {
            field: name.clone(),
            expected: "an array",
            found: value.kind(),
        })?;
        items
            .iter()
            .take(64)
            .map(|v| {
                v.as_text().map(str::to_owned).ok_or_else(|| BackendError::WrongType {
                    field: crate::cat!(name, "[]"),
                    expected: "a string",
                    found: v.kind(),
                })
            })
            .collect()
    }

    fn options(&self) -> Result<Vec<PayOption>, BackendError> {
        let Some((value, name)) = self.structured(Field::Options)? else { return Ok(Vec::new()) };
        let items = value.as_array().ok_or_else(|| BackendError::WrongType {
            field: name.clone(),
            expected: "an array",
            found: value.kind(),
        })?;
        let each = crate::cat!(name, "[]");
        let mut options = Vec::new();
        for o in items {
            options.push(PayOption {
                currency: member(o, &each, "currency")?,
                network: member(o, &each, "network")?,
                src: member(o, &each, "src")?,
            });
        }
        Ok(options)
    }
}

/// A required text member of an object inside the payment (`fiat.amount`).
fn member(object: &Json, name: &str, key: &str) -> Result<String, BackendError> {
    match object.get(key).filter(|v| !v.is_null()) {
        None => Err(BackendError::Missing { field: crate::cat!(name, '.', key) }),
        Some(v) => v.as_text().map(str::to_owned).ok_or_else(|| BackendError::WrongType {
            field: crate::cat!(name, '.', key),
            expected: "a string or number",
            found: v.kind(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Preset;
    use crate::error::ErrorCode;
    use proptest::prelude::*;

    const MAPPING: &str = r#"{"fields": {"id": "/data/id", "status": "/data/state", "amount": "/data/amount",
        "currency": "/data/coin", "network": "=trc20", "address": "/data/wallet", "paid": "/data/received"},
        "statuses": {"new": "awaiting_payment", "done": "paid"}}"#;

    const WALLET: &str = "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6";

    #[test]
    fn the_messages_are_the_old_templates() {
        use std::error::Error;
        let (name, other, why) = ("a \"b\" é", "/x/{y}", "\"in\" is a JSON Pointer");
        let json = Json::parse("[1,]").unwrap_err();
        let (fields, statuses) = (field_names(), status_names());
        let cases = [
            (MappingError::Json(json.clone()), format!("the mapping is not valid JSON: {json}")),
            (
                MappingError::Shape,
                "the mapping must be an object with \"fields\" (and optionally \"statuses\")".to_owned(),
            ),
            (
                MappingError::UnknownMember(name.into()),
                format!("the mapping has an unknown member \"{name}\"; known: fields, statuses, status_qualifier, pick, tables, write (and \"notes\" or \"$…\" for comments)"),
            ),
            (
                MappingError::MissingField("amount"),
                "the mapping has no pointer for the required field \"amount\"".to_owned(),
            ),
            (
                MappingError::UnknownField(name.into()),
                format!("the mapping names an unknown field \"{name}\"; known: {fields}"),
            ),
            (
                MappingError::BadPointer { field: name.into(), pointer: other.into() },
                format!("the mapping for \"{name}\" is \"{other}\": a JSON Pointer starts with \"/\" (or write \"=value\" for a fixed value)"),
            ),
            (
                MappingError::BadSource { field: name.into(), why: why.into() },
                format!("the mapping for \"{name}\" cannot be used: {why}"),
            ),
            (
                MappingError::BadPick { pick: name.into(), why: Cow::Owned(why.into()) },
                format!("the mapping's pick \"{name}\" cannot be used: {why}"),
            ),
            (
                MappingError::BadTable { table: name.into(), why: why.into() },
                format!("the mapping's table \"{name}\" cannot be used: {why}"),
            ),
            (
                MappingError::BadStatus { from: name.into(), to: other.into() },
                format!("the mapping sends status \"{name}\" to \"{other}\", which is not a Payform status ({statuses})"),
            ),
            (MappingError::BadStatuses(why.into()), format!("the mapping's statuses cannot be used: {why}")),
            (MappingError::BadWrite(why.into()), format!("the description's \"write\" cannot be used: {why}")),
            (
                MappingError::LiteralFromLink("network"),
                "the mapping in this link gives \"network\" a fixed value (\"=…\"); a mapping from a link may only name JSON Pointers, so that every payment value comes from the payment server".to_owned(),
            ),
            (
                MappingError::ComputedFromLink { field: "amount", construct: "sum" },
                "the mapping in this link computes \"amount\" with \"sum\"; a mapping from a link may only name where values are (JSON Pointers, alternatives, picks), so that every payment value comes from the payment server".to_owned(),
            ),
        ];
        for (err, old) in cases {
            assert_eq!(err.to_string(), old);
            assert!(err.source().is_none(), "{old}");
        }
        assert!(
            fields.starts_with("id, ") && statuses.starts_with("awaiting_payment, "),
            "{fields} / {statuses}"
        );
    }

    fn read(mapping: &str, body: &str) -> Result<RawPayment, BackendError> {
        Mapping::parse(mapping).unwrap_or_else(|e| panic!("{e}")).read(&Json::parse(body).unwrap())
    }

    fn refused(mapping: &str) -> String {
        Mapping::parse(mapping).expect_err(mapping).to_string()
    }

    #[test]
    fn maps_a_custom_backend() {
        let body = format!(
            r#"{{"data": {{"id": 7, "state": "done", "amount": "25.5", "coin": "usdt", "wallet": "{WALLET}", "received": "25.5"}}}}"#
        );
        let raw = read(MAPPING, &body).unwrap();
        assert_eq!((raw.paid.as_deref(), raw.due.as_deref()), (Some("25.5"), Some("0")));
        let p = raw.validate().unwrap();
        assert_eq!((p.id.as_str(), p.status, p.network().id()), ("7", Status::Paid, "tron"));
        assert_eq!(p.amount.to_string(), "25.5");
    }

    #[test]
    fn errors_name_the_pointer_or_field() {
        let err = read(MAPPING, r#"{"data": {"id": 7, "state": "done"}}"#).unwrap_err();
        assert_eq!(err.to_string(), "field \"/data/amount (amount)\" is missing from the payment");
        let err = read(MAPPING, r#"{"data": {"id": 7, "state": "weird"}}"#).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnknownStatus);
        assert_eq!(
            err.to_string(),
            "field \"/data/state (status)\" has the status \"weird\", which this format does not know; it knows: new, done"
        );
        let err = read(MAPPING, r#"{"data": {"id": {"n": 7}}}"#).unwrap_err();
        assert_eq!(err.to_string(), "field \"/data/id (id)\" should be a string or number, found an object");
        assert_eq!(
            Mapping::parse(r#"{"fields": {"id": "data/id"}}"#).unwrap_err(),
            MappingError::BadPointer { field: "id".into(), pointer: "\"data/id\"".into() }
        );
        assert_eq!(
            Mapping::parse(r#"{"fields": {"id": "/id"}}"#).unwrap_err(),
            MappingError::MissingField("status")
        );
        assert!(matches!(
            Mapping::parse(r#"{"fields": {"idd": "/id"}}"#),
            Err(MappingError::UnknownField(_))
        ));
        let bad_status = MAPPING.replace("\"paid\"}", "\"settled\"}");
        assert!(matches!(Mapping::parse(&bad_status), Err(MappingError::BadStatus { .. })));
        assert_eq!(Mapping::parse("[]").unwrap_err(), MappingError::Shape);
    }

    /// The example payment of DESIGN.md, verbatim, through the built-in native description.
    const DESIGN_EXAMPLE: &str = r#"{"id": "pay_123", "status": "awaiting_payment",
 "amount": "25.00", "currency": "USDT", "network": "tron",
 "address": "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6",
 "paid": "0", "due": "25.00",
 "expires_at": "2026-11-24T02:00:00Z", "server_time": "2026-11-24T01:00:00Z",
 "confirmations": 0, "confirmations_required": 19,
 "fiat": {"amount": "25.00", "currency": "USD"},
 "description": "Order #1042", "merchant": "Example Store", "return_url": null,
 "options": [{"currency": "BTC", "network": "bitcoin", "src": "/api/payments/pay_123?option=btc"}]}"#;

    #[test]
    fn the_native_format_reads_the_design_example() {
        let raw = Preset::Payform.read(DESIGN_EXAMPLE).unwrap();
        assert_eq!((raw.id.as_str(), raw.status), ("pay_123", Status::AwaitingPayment));
        assert_eq!((raw.confirmations, raw.confirmations_required), (Some(0), Some(19)));
        assert_eq!(raw.fiat, Some(Fiat { amount: "25.00".into(), currency: "USD".into() }));
        assert_eq!((raw.merchant.as_deref(), raw.return_url.as_deref()), (Some("Example Store"), None));
        assert_eq!(raw.options[0].network, "bitcoin");
        let p = raw.validate().unwrap();
        assert_eq!(p.amount.to_string(), "25");
        assert_eq!(p.expires_at, Some(1_795_485_600_000));
        // The native description is the field table: every field at /<name>, nothing else.
        let native = Mapping::native();
        assert_eq!(native.fields().len(), FIELDS.len());
        assert!(native.statuses().is_none() && native.picks().is_empty() && native.check_from_link().is_ok());
    }

    #[test]
    fn the_native_format_names_the_missing_or_mistyped_field() {
        let read = |body: &str| Preset::Payform.read(body).unwrap_err();
        assert_eq!(read(r#"{"id":"x","status":"paid"}"#), BackendError::Missing { field: "amount".into() });
        let amount = read(r#"{"id":"x","status":"paid","amount":["1"]}"#);
        assert_eq!(amount.to_string(), "field \"amount\" should be a string or number, found an array");
        assert_eq!(read("<html>").code(), ErrorCode::MalformedResponse);
        assert_eq!(read("[]").code(), ErrorCode::InvalidPayment);
        let base =
            r#"{"id":"x","status":"paid","amount":"1","currency":"BTC","network":"bitcoin","address":"a""#;
        let status = read(&base.replace("\"paid\"", "\"done\"").replace("\"a\"", "\"a\"}"));
        assert_eq!(status.code(), ErrorCode::UnknownStatus);
        assert!(status.to_string().starts_with("field \"status\" has the status \"done\""), "{status}");
        for (extra, message) in [
            (r#""fiat": {"amount": "1"}"#, "field \"fiat.currency\" is missing from the payment"),
            (r#""fiat": "1 USD""#, "field \"fiat\" should be an object, found a string"),
            (
                r#""options": [{"currency": "BTC"}]"#,
                "field \"options[].network\" is missing from the payment",
            ),
            (r#""options": {}"#, "field \"options\" should be an array, found an object"),
            (
                r#""confirmations": 1.5"#,
                "field \"confirmations\" should be a whole number, found another value",
            ),
            (r#""txids": "abc""#, "field \"txids\" should be an array, found a string"),
            (r#""txids": ["abc", {}]"#, "field \"txids[]\" should be a string, found an object"),
        ] {
            let err = read(&format!("{base}, {extra}}}"));
            assert_eq!(err.to_string(), message);
            assert_eq!(err.code(), ErrorCode::InvalidPayment);
        }
    }

    #[test]
    fn the_native_format_reads_the_endings_fields() {
        let body = r#"{"id":"x","status":"paid","amount":"1","currency":"BTC","network":"bitcoin","address":"a",
            "lightning":"lnbc1","txids":["t1","t2"],"paid_at":"2026-11-24T02:00:00Z","late_note":"We ship."}"#;
        let raw = Preset::Payform.read(body).unwrap();
        assert_eq!(raw.lightning.as_deref(), Some("lnbc1"));
        assert_eq!(raw.txids, ["t1", "t2"]);
        assert_eq!(raw.paid_at.as_deref(), Some("2026-11-24T02:00:00Z"));
        assert_eq!(raw.late_note.as_deref(), Some("We ship."));
        let none = Preset::Payform.read(&body.replace(r#"["t1","t2"]"#, "null")).unwrap();
        assert!(none.txids.is_empty());
    }

    #[test]
    fn alternatives_lookups_and_units() {
        let mapping = r#"{"fields": {"id": ["/a/id", "/b/id"], "status": "/s", "amount": {"from": "/sats", "atomic": 8},
            "currency": "=btc", "address": "/to",
            "network": [{"from": "/ln", "map": {"true": "lightning", "false": null}}, {"from": "/chain", "map": {"main": "bitcoin", "*": "litecoin"}}],
            "due": {"from": "/left", "atomic": 8},
            "expires_at": ["/until", {"from": "/created", "plus_minutes": "/ttl"}]}}"#;
        let raw = read(
            mapping,
            r#"{"b": {"id": "x"}, "s": "underpaid", "sats": 150000, "to": "bc1q", "ln": false, "chain": "MAIN",
               "left": "50000", "created": 1700000000, "ttl": 30}"#,
        )
        .unwrap();
        assert_eq!((raw.id.as_str(), raw.currency.as_str(), raw.network.as_str()), ("x", "BTC", "bitcoin"));
        assert_eq!(
            (raw.amount.as_str(), raw.due.as_deref(), raw.paid.as_deref()),
            ("0.0015", Some("0.0005"), Some("0.001"))
        );
        assert_eq!(raw.expires_at.as_deref(), Some("1700001800"));
        let other = read(mapping, r#"{"a": {"id": "y"}, "s": "paid", "sats": 1, "to": "t", "ln": true, "chain": "test", "until": "2030-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!((other.network.as_str(), other.amount.as_str()), ("lightning", "0.00000001"));
        assert_eq!(other.expires_at.as_deref(), Some("2030-01-01T00:00:00Z"));
        let wildcard =
            read(mapping, r#"{"a": {"id": "y"}, "s": "paid", "sats": 1, "to": "t", "chain": "test"}"#)
                .unwrap();
        assert_eq!(wildcard.network, "litecoin");
        let err = read(mapping, r#"{"s": "paid", "sats": 1, "to": "t", "chain": "main"}"#).unwrap_err();
        assert_eq!(err.to_string(), "field \"/a/id or /b/id (id)\" is missing from the payment");
        let err = read(mapping, r#"{"a": {"id": "y"}, "s": "paid", "sats": 1, "to": "t", "ln": "maybe"}"#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "field \"/ln (network)\" has the value \"maybe\", which this format does not know"
        );
        assert_eq!(err.code(), ErrorCode::UnsupportedValue);
        let err = read(mapping, r#"{"a": {"id": "y"}, "s": "paid", "sats": -1, "to": "t", "ln": true}"#)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "field \"/sats (amount)\" should be a whole number of atomic units, found another value"
        );
        let err = read(
            mapping,
            r#"{"a": {"id": "y"}, "s": "paid", "sats": 1, "to": "t", "ln": true, "created": "x", "ttl": 1}"#,
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "field \"/created + /ttl minutes (expires_at)\" should be a whole number of Unix seconds, found another value"
        );
    }

    #[test]
    fn tables_give_several_fields_from_one_code() {
        let mapping = r#"{"fields": {"id": "/id", "status": "/s", "amount": "/a", "address": "/to",
            "currency": {"from": "/code", "map": "codes"}, "network": {"from": "/code", "map": "codes"}},
            "tables": {"codes": {"usdttrc20": {"network": "tron", "currency": "USDT"}, "btc": {"network": "bitcoin", "currency": "BTC"}}}}"#;
        let raw =
            read(mapping, r#"{"id": "1", "s": "paid", "a": "1", "to": "t", "code": "USDTtrc20"}"#).unwrap();
        assert_eq!((raw.network.as_str(), raw.currency.as_str()), ("tron", "USDT"));
        let missing_column = mapping.replace(r#""network": "bitcoin", "#, "");
        assert_eq!(
            refused(&missing_column),
            "the mapping for \"network\" cannot be used: the lookup's entry \"btc\" has no \"network\""
        );
        assert!(refused(
            &mapping.replace("\"map\": \"codes\"}, \"network\"", "\"map\": \"coins\"}, \"network\"")
        )
        .contains("\"map\" names the table \"coins\", which \"tables\" does not have"));
    }

    const PICKS: &str = r#"{"pick": {"m": {"in": "/methods", "where": {"/kind": ["chain"]}, "else": "first"},
                 "last": {"in": "/events", "last": true},
                 "net": {"in": "/addresses", "key_is_network": true, "requires": ["/prices/{net}"]}},
        "fields": {"id": "/methods/{m}/id", "status": "/events/{last}/status", "amount": "/prices/{net}/amount",
                   "currency": "/prices/{net}/currency", "network": {"key_of": "net"}, "address": "/addresses/{net}",
                   "paid": {"sum": "/payments", "of": "/value", "where": {"/network": ["{net}", null], "/state": ["ok"]}}},
        "status_qualifier": "/events/{last}/why",
        "statuses": {"open": "awaiting_payment", "held": {"short": "underpaid", "*": "confirming"}, "done": "paid"}}"#;

    #[test]
    fn picks_sums_and_qualified_statuses() {
        let body = r#"{"methods": [{"id": "ln", "kind": "lightning"}, {"id": "on", "kind": "chain"}],
            "events": [{"status": "open"}, {"status": "held", "why": "short"}],
            "addresses": {"local": "x", "usdc": "0xU", "ethereum": "0xE", "bitcoin": "bc1"},
            "prices": {"local": {"amount": "100", "currency": "USD"}, "bitcoin": {"amount": "1", "currency": "BTC"}},
            "payments": [{"network": "bitcoin", "value": "0.25", "state": "ok"}, {"value": "0.25", "state": "ok"},
                         {"network": "ethereum", "value": "9", "state": "ok"}, {"network": "bitcoin", "value": "5", "state": "no"}]}"#;
        let raw = read(PICKS, body).unwrap();
        assert_eq!(
            (raw.id.as_str(), raw.status, raw.network.as_str(), raw.address.as_str(), raw.amount.as_str()),
            ("on", Status::Underpaid, "bitcoin", "bc1", "1")
        );
        assert_eq!((raw.paid.as_deref(), raw.due.as_deref()), (Some("0.5"), Some("0.5")));
        // No element qualifies: "else": "first"; an unqualified entry takes "*".
        let body2 = body
            .replace(r#""kind": "chain""#, r#""kind": "other""#)
            .replace(r#""why": "short""#, r#""why": "odd""#);
        let raw = read(PICKS, &body2).unwrap();
        assert_eq!((raw.id.as_str(), raw.status), ("ln", Status::Confirming));
        // Nothing priced on a supported network: the error names the pointer with its pick.
        let unpriced = body.replace(r#""bitcoin": {"amount""#, r#""bitcoincash": {"amount""#);
        let err = read(PICKS, &unpriced).unwrap_err();
        assert_eq!(err.to_string(), "field \"/prices/{net}/amount (amount)\" is missing from the payment");
        let err = read(PICKS, &body.replace(r#""status": "held""#, r#""status": "gone""#)).unwrap_err();
        assert!(err.to_string().contains("has the status \"gone\""), "{err}");
        let qualified = read(PICKS, &body.replace(r#""status": "held""#, r#""status": "open""#)).unwrap();
        assert_eq!(qualified.status, Status::AwaitingPayment, "a plain entry takes any qualifier");
        let err = read(PICKS, &body.replace(r#""events": ["#, r#""events": 5, "x": ["#)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "field \"/events (pick last)\" should be an array or an object, found a number"
        );
        let err = read(
            PICKS,
            &body.replace(r#""value": "9""#, r#""value": "9e1""#).replace(r#""network": "ethereum", "#, ""),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "field \"/payments[]/value (paid)\" should be decimal amounts, found another value"
        );
    }

    #[test]
    fn malformed_descriptions_are_refused_naming_what_to_fix() {
        let base = r#""id": "/id", "status": "/s", "amount": "/a", "currency": "/c", "network": "/n", "address": "/to""#;
        let with = |more: &str| format!("{{\"fields\": {{{base}{more}}}}}");
        for (text, message) in [
            (format!("{{\"fields\": {{{base}}}, \"status\": {{}}}}"), "the mapping has an unknown member \"status\""),
            (with(r#", "paid": []"#), "the mapping for \"paid\" cannot be used: an empty list of alternatives"),
            (with(r#", "paid": {"from": "/p"}"#), "\"from\" goes with exactly one of \"map\", \"atomic\", \"plus_minutes\""),
            (with(r#", "paid": {"from": "/p", "atomic": 8, "map": {}}"#), "\"from\" goes with exactly one of"),
            (with(r#", "paid": {"form": "/p"}"#), "an object source has \"from\""),
            (with(r#", "paid": {"sum": "/p", "at": "/x"}"#), "\"at\" does not go with \"sum\""),
            (with(r#", "paid": {"sum": "/p"}"#), "\"sum\" needs \"of\""),
            (with(r#", "paid": {"sum": "/p", "of": "x"}"#), "\"of\" \"x\" is a JSON Pointer into the element"),
            (with(r#", "paid": {"from": "/p", "atomic": 39}"#), "\"atomic\" is the number of decimals"),
            (with(r#", "expires_at": {"from": "/p", "atomic": 8}"#), "\"atomic\" and \"sum\" make amounts"),
            (with(r#", "paid": {"from": "/p", "plus_minutes": "/m"}"#), "\"plus_minutes\" makes a time"),
            (with(r#", "fiat": "=25 USD""#), "an object or array field is read through JSON Pointers only"),
            (with(r#", "paid": "/p/{x}""#), "\"/p/{x}\" names {x}, which is not a pick (picks: none)"),
            (with(r#", "paid": "/p/{x""#), "\"/p/{x\" opens a \"{\" it never closes"),
            (with(r#", "paid": {"key_of": "x"}"#), "\"key_of\" names \"x\", which is not a pick"),
            (with(r#", "paid": {"from": "/p", "map": {"a": 1}}"#), "a result is a string or null, not a number"),
            (with(r#", "paid": 5"#), "the mapping for \"paid\" is \"5\": a JSON Pointer starts with \"/\""),
            (format!("{{\"fields\": {{{base}}}, \"pick\": {{\"m\": {{\"in\": \"x\"}}}}}}"), "the mapping's pick \"m\" cannot be used: \"in\" is a JSON Pointer"),
            (format!("{{\"fields\": {{{base}}}, \"pick\": {{\"m\": {{\"in\": \"/x\", \"first\": true}}}}}}"), "unknown member \"first\""),
            (format!("{{\"fields\": {{{base}}}, \"pick\": {{\"m\": {{\"in\": \"/x\", \"else\": \"last\"}}}}}}"), "\"else\" can only be \"first\""),
            (format!("{{\"fields\": {{{base}}}, \"pick\": {{\"m\": {{\"in\": \"/x\", \"where\": {{\"/k\": []}}}}}}}}"), "a non-empty list of values"),
            (format!("{{\"fields\": {{{base}}}, \"pick\": {{\"a b\": {{\"in\": \"/x\"}}}}}}"), "a pick's name is letters, digits and \"_\""),
            (format!("{{\"fields\": {{{base}}}, \"pick\": {{\"m\": {{\"in\": \"/x/{{m}}\"}}}}}}"), "names {m}, which is not a pick (picks: none)"),
            (format!("{{\"fields\": {{{base}}}, \"tables\": {{\"t\": []}}}}"), "the mapping's table \"t\" cannot be used: a lookup table is an object"),
            (format!("{{\"fields\": {{{base}}}, \"statuses\": {{\"x\": {{\"y\": \"paid\"}}}}}}"), "a status is qualified, so the mapping needs \"status_qualifier\""),
            (format!("{{\"fields\": {{{base}}}, \"statuses\": {{\"x\": {{}}}}}}"), "\"x\" has an empty qualifier table"),
            (format!("{{\"fields\": {{{base}}}, \"status_qualifier\": \"/q\", \"statuses\": {{\"x\": {{\"y\": \"payed\"}}}}}}"), "sends status \"x/y\" to \"\"payed\"\""),
        ] {
            let err = refused(&text);
            assert!(err.contains(message), "{text}\n  gave: {err}\n  want: {message}");
        }
    }

    #[test]
    fn the_write_section_chooses_a_value_for_every_status() {
        let head = r#"{"fields": {"id": "/id", "status": "/s", "amount": "/a", "currency": "/c", "network": "/n", "address": "/to"},
            "statuses": {"open": "awaiting_payment", "seen": "confirming", "held": "confirming", "done": "paid", "over": "overpaid",
                         "short": "underpaid", "late": "expired", "bad": "failed", "off": "cancelled", "back": "refunded"}"#;
        let ok = format!(
            r#"{head}, "write": {{"statuses": {{"confirming": "held"}}, "partly_paid": {{"expired": "bad"}}, "times": "unix"}}}}"#
        );
        let m = Mapping::parse(&ok).unwrap();
        let w = m.write().unwrap();
        assert!(w.unix_times);
        assert_eq!(w.status(Status::Confirming, false).map(|v| v.value.as_str()), Some("held"));
        assert_eq!(w.status(Status::Paid, true).map(|v| v.value.as_str()), Some("done"));
        assert_eq!(w.status(Status::Expired, true).map(|v| v.value.as_str()), Some("bad"));
        assert_eq!(w.status(Status::Expired, false).map(|v| v.value.as_str()), Some("late"));
        for (write, message) in [
            (r#"{}"#, "\"statuses\" needs a choice for \"confirming\": seen, held all mean it"),
            (
                r#"{"statuses": {"confirming": "gone"}}"#,
                "\"confirming\" is written as \"gone\", which \"statuses\" does not read",
            ),
            (r#"{"statuses": {"confirmed": "held"}}"#, "\"confirmed\" is not a Payform status"),
            (
                r#"{"statuses": {"confirming": 1}}"#,
                "\"confirming\" is \"value\" or [\"value\", \"qualifier\"]",
            ),
            (
                r#"{"statuses": {"confirming": "held"}, "times": "iso"}"#,
                "\"times\" is \"unix\" or \"rfc3339\"",
            ),
            (r#"{"statuses": {"confirming": "held"}, "format": "x"}"#, "unknown member \"format\""),
        ] {
            let err = refused(&format!(r#"{head}, "write": {write}}}"#));
            assert!(err.contains(message), "{write}: {err}");
        }
        let no_expired = head.replace(r#", "late": "expired""#, "");
        let err = refused(&format!(r#"{no_expired}, "write": {{"statuses": {{"confirming": "held"}}}}}}"#));
        assert!(err.contains("needs a choice for \"expired\": no value of the format means it"), "{err}");
    }

    proptest! {
        #[test]
        fn arbitrary_mappings_and_bodies_never_panic(mapping in "\\PC{0,200}", body in "\\PC{0,200}") {
            if let Ok(m) = Mapping::parse(&mapping) {
                if let Ok(json) = Json::parse(&body) {
                    let _ = m.read(&json);
                }
            }
        }

        #[test]
        fn structured_random_mappings_never_panic(
            fields in proptest::collection::vec(("[a-z_]{1,12}", "[=/]?[a-z/~0-9]{0,10}"), 0..10),
            statuses in proptest::collection::vec(("[a-z]{1,6}", "[a-z_]{1,16}"), 0..5),
        ) {
            let f: Vec<String> = fields.iter().map(|(k, v)| format!("{:?}: {:?}", k, v)).collect();
            let s: Vec<String> = statuses.iter().map(|(k, v)| format!("{:?}: {:?}", k, v)).collect();
            let text = format!("{{\"fields\": {{{}}}, \"statuses\": {{{}}}}}", f.join(","), s.join(","));
            if let Ok(m) = Mapping::parse(&text) {
                let _ = m.read(&Json::parse(r#"{"a": {"b": [1, "x", null]}}"#).unwrap());
            }
        }

        /// Every construct, nested at random, over random bodies: reading never panics, and
        /// a link never gets a mapping that makes values.
        #[test]
        fn random_constructs_never_panic(
            sources in (
                (source(Kind::Text), source(Kind::Status), source(Kind::Amount)),
                (source(Kind::Currency), source(Kind::Network), source(Kind::Text)),
                (source(Kind::Amount), source(Kind::Amount), source(Kind::Time)),
            ),
            body in body(),
            qualifier in "/[a-c]{1,2}",
        ) {
            let ((id, status, amount), (currency, network, address), (paid, due, expires)) = sources;
            let text = format!(
                r#"{{"pick": {{"p": {{"in": "/a", "where": {{"/b": ["x", null]}}, "else": "first"}},
                              "q": {{"in": "/c", "last": true, "key_is_network": true, "requires": ["/a/{{q}}"]}}}},
                    "tables": {{"t": {{"x": {{"id": "1", "status": "x", "amount": "2", "currency": "c", "network": "tron",
                                               "address": "a", "paid": "1", "due": "1", "expires_at": "5"}}, "1": "y"}}}},
                    "status_qualifier": "{qualifier}",
                    "statuses": {{"x": {{"1": "paid", "*": "underpaid"}}, "1": "expired", "y": "failed"}},
                    "fields": {{"id": {id}, "status": {status}, "amount": {amount}, "currency": {currency},
                                "network": {network}, "address": {address}, "paid": {paid}, "due": {due},
                                "expires_at": {expires}}}}}"#
            );
            let m = Mapping::parse(&text);
            prop_assert!(m.is_ok(), "{}: {:?}", text, m);
            let m = m.unwrap();
            let _ = m.read(&body);
            if Preset::from_untrusted_mapping(&text).is_ok() {
                prop_assert!(m.fields().iter().all(|(_, s)| computed(s).is_none()));
            }
        }
    }

    /// Random sources that can make a field of `kind` (so the mapping parses).
    fn source(kind: Kind) -> BoxedStrategy<String> {
        let mut leaves = vec![
            "/[a-c](/[a-c0-2])?(/\\{[pq]\\})?(/[a-c])?".prop_map(|p| format!("{p:?}")).boxed(),
            "=[a-z0-9.]{0,4}".prop_map(|p| format!("{p:?}")).boxed(),
            Just(r#"{"key_of": "q"}"#.to_owned()).boxed(),
        ];
        if kind == Kind::Amount {
            leaves.push(
                Just(r#"{"sum": "/a", "of": "/b", "where": {"/c": ["{q}", null]}}"#.to_owned()).boxed(),
            );
        }
        proptest::strategy::Union::new(leaves)
            .prop_recursive(3, 12, 3, move |inner| {
                let mut nodes = vec![
                    proptest::collection::vec(inner.clone(), 1..3)
                        .prop_map(|v| format!("[{}]", v.join(", ")))
                        .boxed(),
                    inner
                        .clone()
                        .prop_map(|s| format!(r#"{{"from": {s}, "map": {{"x": "1", "1": null, "*": "z"}}}}"#))
                        .boxed(),
                    inner.clone().prop_map(|s| format!(r#"{{"from": {s}, "map": "t"}}"#)).boxed(),
                ];
                if kind == Kind::Amount {
                    nodes
                        .push(inner.clone().prop_map(|s| format!(r#"{{"from": {s}, "atomic": 8}}"#)).boxed());
                }
                if kind == Kind::Time {
                    nodes.push(
                        (inner.clone(), inner)
                            .prop_map(|(a, b)| format!(r#"{{"from": {a}, "plus_minutes": {b}}}"#))
                            .boxed(),
                    );
                }
                proptest::strategy::Union::new(nodes)
            })
            .boxed()
    }

    fn json() -> impl Strategy<Value = Json> {
        let leaf = prop_oneof![
            Just(Json::Null),
            any::<bool>().prop_map(Json::Bool),
            "-?[0-9]{1,3}(\\.[0-9]{1,2})?".prop_map(Json::Number),
            "[a-c0-9x]{0,3}".prop_map(Json::String),
        ];
        leaf.prop_recursive(4, 40, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
                proptest::collection::btree_map("[a-c0-2]|bitcoin|tron", inner, 0..4)
                    .prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        })
    }

    fn body() -> impl Strategy<Value = Json> {
        proptest::collection::btree_map("[a-c]", json(), 0..4)
            .prop_map(|m| Json::Object(m.into_iter().collect()))
    }

    #[test]
    fn a_mapping_from_a_link_may_not_carry_values() {
        let literal = r#"{"fields": {"id": "/id", "status": "/s", "amount": "=1000", "currency": "/c", "network": "/n", "address": "/a"}}"#;
        assert!(Preset::from_mapping(literal).is_ok(), "a merchant's own mapping may");
        let err = Preset::from_untrusted_mapping(literal).unwrap_err();
        assert!(err.to_string().contains("\"amount\" a fixed value"), "{err}");
        assert_eq!(err.code(), ErrorCode::InvalidMapping);
        let paths = literal.replace("=1000", "/amt");
        assert!(Preset::from_untrusted_mapping(&paths).is_ok());
        // Nor may it make a value the body does not hold: a lookup's result (even a "*"), a
        // rescaled amount, a computed time or sum, a fixed value among alternatives, or a
        // fixed qualifier.
        for (source, field, construct) in [
            (r#"["/amt", "=1000"]"#, "amount", "=…"),
            (r#"{"from": "/amt", "map": {"*": "1000"}}"#, "amount", "map"),
            (r#"{"from": "/amt", "atomic": 0}"#, "amount", "atomic"),
            (r#"{"sum": "/amts", "of": "/v"}"#, "amount", "sum"),
        ] {
            let mapping = literal.replace("\"=1000\"", source);
            assert!(Preset::from_mapping(&mapping).is_ok(), "{source}");
            let err = Preset::from_untrusted_mapping(&mapping).unwrap_err();
            let want = if construct == "=…" {
                MappingError::LiteralFromLink("amount")
            } else {
                MappingError::ComputedFromLink { field, construct }
            };
            assert_eq!(err, BackendError::Mapping(want), "{source}");
        }
        let expiry =
            paths.replace(r#""/a"}"#, r#""/a", "expires_at": {"from": "/t", "plus_minutes": "/m"}}"#);
        assert!(Preset::from_untrusted_mapping(&expiry)
            .unwrap_err()
            .to_string()
            .contains("with \"plus_minutes\""));
        let network = paths.replace(r#""/n""#, r#"{"from": "/n", "map": {"x": "tron"}}"#);
        assert!(Preset::from_untrusted_mapping(&network)
            .unwrap_err()
            .to_string()
            .contains("computes \"network\" with \"map\""));
        let qualifier = paths.replace(r#"{"fields""#, r#"{"status_qualifier": "=x", "fields""#);
        assert_eq!(
            Preset::from_untrusted_mapping(&qualifier).unwrap_err(),
            BackendError::Mapping(MappingError::LiteralFromLink("status_qualifier"))
        );
        // Where values are may come from a link: alternatives, picks and their keys.
        let picked = r#"{"pick": {"m": {"in": "/ms", "where": {"/k": ["x"]}, "else": "first"}},
            "fields": {"id": ["/id", "/uuid"], "status": "/s", "amount": "/ms/{m}/amt", "currency": "/c",
                       "network": {"key_of": "m"}, "address": "/a"}}"#;
        assert!(Preset::from_untrusted_mapping(picked).is_ok());
    }
}
