//! `mapping`: a declarative preset for any other backend. A JSON object gives, per normalized
//! field, a JSON Pointer (RFC 6901) into the backend's payment or a literal (`"=tron"`), and a
//! table from the backend's status values to the normalized ones:
//!
//! ```json
//! {"fields": {"id": "/data/id", "status": "/data/state", "amount": "/data/amount",
//!             "currency": "/data/coin", "network": "=tron", "address": "/data/wallet",
//!             "paid": "/data/received", "expires_at": "/data/deadline"},
//!  "statuses": {"new": "awaiting_payment", "seen": "confirming", "done": "paid"}}
//! ```
//!
//! Required fields: id, status, amount, currency, network, address. Optional: paid, due,
//! expires_at, server_time, confirmations, confirmations_required, description, merchant,
//! return_url. Without `statuses`, the backend's value must already be a normalized status.

use super::{network_alias, BackendError};
use crate::json::Json;
use crate::payment::RawPayment;
use crate::status::Status;

const REQUIRED: [&str; 6] = ["id", "status", "amount", "currency", "network", "address"];
const OPTIONAL: [&str; 9] = [
    "paid",
    "due",
    "expires_at",
    "server_time",
    "confirmations",
    "confirmations_required",
    "description",
    "merchant",
    "return_url",
];

/// Why a mapping cannot be used; each names what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("the mapping is not valid JSON: {0}")]
    Json(String),
    #[error("the mapping must be an object with \"fields\" (and optionally \"statuses\")")]
    Shape,
    #[error("the mapping has no pointer for the required field \"{0}\"")]
    MissingField(&'static str),
    #[error("the mapping names an unknown field \"{0}\"; known: id, status, amount, currency, network, address, paid, due, expires_at, server_time, confirmations, confirmations_required, description, merchant, return_url")]
    UnknownField(String),
    #[error("the mapping for \"{field}\" is \"{pointer}\": a JSON Pointer starts with \"/\" (or write \"=value\" for a fixed value)")]
    BadPointer { field: String, pointer: String },
    #[error("the mapping in this link gives \"{0}\" a fixed value (\"=…\"); a mapping from a link may only name JSON Pointers, so that every payment value comes from the payment server")]
    LiteralFromLink(&'static str),
    #[error("the mapping sends status \"{from}\" to \"{to}\", which is not a Payform status (awaiting_payment, confirming, underpaid, paid, overpaid, expired, failed, cancelled, refunded)")]
    BadStatus { from: String, to: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    Pointer(String),
    Literal(String),
}

/// A parsed, checked mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    fields: Vec<(&'static str, Source)>,
    statuses: Option<Vec<(String, Status)>>,
}

impl Mapping {
    pub fn parse(text: &str) -> Result<Mapping, MappingError> {
        let json = Json::parse(text).map_err(|e| MappingError::Json(e.to_string()))?;
        let Some(Json::Object(fields)) = json.get("fields") else { return Err(MappingError::Shape) };
        let mut out = Vec::new();
        for (name, value) in fields {
            let field = REQUIRED
                .iter()
                .chain(OPTIONAL.iter())
                .find(|f| **f == name)
                .ok_or_else(|| MappingError::UnknownField(name.clone()))?;
            let text = value.as_str().unwrap_or_default();
            let source = if let Some(literal) = text.strip_prefix('=') {
                Source::Literal(literal.to_owned())
            } else if text.starts_with('/') {
                Source::Pointer(text.to_owned())
            } else {
                return Err(MappingError::BadPointer { field: name.clone(), pointer: value.to_string() });
            };
            out.push((*field, source));
        }
        if let Some(missing) = REQUIRED.iter().find(|r| !out.iter().any(|(f, _)| f == *r)) {
            return Err(MappingError::MissingField(missing));
        }
        let statuses = match json.get("statuses") {
            None | Some(Json::Null) => None,
            Some(Json::Object(table)) => Some(
                table
                    .iter()
                    .map(|(from, to)| {
                        let to_text = to.as_str().unwrap_or_default();
                        Status::parse(to_text)
                            .map(|s| (from.clone(), s))
                            .ok_or_else(|| MappingError::BadStatus { from: from.clone(), to: to.to_string() })
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Some(_) => return Err(MappingError::Shape),
        };
        Ok(Mapping { fields: out, statuses })
    }

    /// The first field given a literal value (`"=tron"`) instead of a JSON Pointer, if any.
    pub fn literal_field(&self) -> Option<&'static str> {
        self.fields.iter().find(|(_, s)| matches!(s, Source::Literal(_))).map(|(f, _)| *f)
    }

    fn get(&self, json: &Json, field: &str) -> Result<Option<String>, BackendError> {
        let Some((_, source)) = self.fields.iter().find(|(f, _)| *f == field) else { return Ok(None) };
        match source {
            Source::Literal(v) => Ok(Some(v.clone())),
            Source::Pointer(p) => match json.pointer(p) {
                None | Some(Json::Null) => Ok(None),
                Some(v) => v.as_text().map(|s| Some(s.to_owned())).ok_or_else(|| BackendError::WrongType {
                    field: format!("{p} ({field})"),
                    expected: "a string or number",
                    found: v.kind(),
                }),
            },
        }
    }

    fn required(&self, json: &Json, field: &str) -> Result<String, BackendError> {
        self.get(json, field)?.ok_or_else(|| {
            let pointer = match self.fields.iter().find(|(f, _)| *f == field) {
                Some((_, Source::Pointer(p))) => p.clone(),
                _ => String::new(),
            };
            BackendError::Missing { field: format!("{pointer} ({field})") }
        })
    }

    /// Maps one backend payment.
    pub fn map(&self, json: &Json) -> Result<RawPayment, BackendError> {
        let raw_status = self.required(json, "status")?;
        let status = match &self.statuses {
            None => raw_status,
            Some(table) => match table.iter().find(|(from, _)| *from == raw_status) {
                Some((_, s)) => s.as_str().to_owned(),
                None => return Err(BackendError::Unsupported { field: "status".into(), value: raw_status }),
            },
        };
        let number = |field: &str| -> Result<Option<u32>, BackendError> {
            self.get(json, field)?
                .map(|v| {
                    v.parse::<u32>().map_err(|_| BackendError::WrongType {
                        field: field.into(),
                        expected: "a whole number",
                        found: "something else",
                    })
                })
                .transpose()
        };
        Ok(RawPayment {
            id: self.required(json, "id")?,
            status,
            amount: self.required(json, "amount")?,
            currency: self.required(json, "currency")?.to_ascii_uppercase(),
            network: network_alias(&self.required(json, "network")?),
            address: self.required(json, "address")?,
            paid: self.get(json, "paid")?,
            due: self.get(json, "due")?,
            expires_at: self.get(json, "expires_at")?,
            server_time: self.get(json, "server_time")?,
            confirmations: number("confirmations")?,
            confirmations_required: number("confirmations_required")?,
            description: self.get(json, "description")?,
            merchant: self.get(json, "merchant")?,
            return_url: self.get(json, "return_url")?,
            ..RawPayment::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MAPPING: &str = r#"{"fields": {"id": "/data/id", "status": "/data/state", "amount": "/data/amount",
        "currency": "/data/coin", "network": "=trc20", "address": "/data/wallet", "paid": "/data/received"},
        "statuses": {"new": "awaiting_payment", "done": "paid"}}"#;

    #[test]
    fn maps_a_custom_backend() {
        let m = Mapping::parse(MAPPING).unwrap();
        let body = Json::parse(
            r#"{"data": {"id": 7, "state": "done", "amount": "25.5", "coin": "usdt",
            "wallet": "TXK9R9U7zBd9QZkJKa1qBgEzj8KVzKrjU6", "received": "25.5"}}"#,
        )
        .unwrap();
        let p = m.map(&body).unwrap().validate().unwrap();
        assert_eq!((p.id.as_str(), p.status, p.network().id()), ("7", Status::Paid, "tron"));
        assert_eq!(p.amount.to_string(), "25.5");
    }

    #[test]
    fn errors_name_the_pointer_or_field() {
        let m = Mapping::parse(MAPPING).unwrap();
        let err = m.map(&Json::parse(r#"{"data": {"id": 7, "state": "done"}}"#).unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "field \"/data/amount (amount)\" is missing from the payment");
        let err = m.map(&Json::parse(r#"{"data": {"id": 7, "state": "weird"}}"#).unwrap()).unwrap_err();
        assert_eq!(err.code(), "unknown_status");
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

    proptest! {
        #[test]
        fn arbitrary_mappings_and_bodies_never_panic(mapping in "\\PC{0,200}", body in "\\PC{0,200}") {
            if let Ok(m) = Mapping::parse(&mapping) {
                if let Ok(json) = Json::parse(&body) {
                    let _ = m.map(&json);
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
                let _ = m.map(&Json::parse(r#"{"a": {"b": [1, "x", null]}}"#).unwrap());
            }
        }
    }

    #[test]
    fn a_mapping_from_a_link_may_not_carry_values() {
        use crate::backend::Preset;
        let literal = r#"{"fields": {"id": "/id", "status": "/s", "amount": "=1000", "currency": "/c", "network": "/n", "address": "/a"}}"#;
        assert!(Preset::from_mapping(literal).is_ok(), "a merchant's own mapping may");
        let err = Preset::from_untrusted_mapping(literal).unwrap_err();
        assert!(err.to_string().contains("\"amount\" a fixed value"), "{err}");
        assert_eq!(err.code(), "invalid_mapping");
        let paths = literal.replace("=1000", "/amt");
        assert!(Preset::from_untrusted_mapping(&paths).is_ok());
    }
}
