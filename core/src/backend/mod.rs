//! Backend adapters ("presets"): each turns one payment API's JSON into a [`RawPayment`].
//!
//! The merchant's server passes its provider's payment JSON through unchanged; the `preset`
//! attribute names the format. Every preset reports a missing or malformed field by name.

pub mod btcpay;
pub mod coinbase;
pub mod coingate;
pub mod heleket;
pub mod mapping;
pub mod nowpayments;
pub mod opennode;
pub mod payform;

use crate::json::{Json, JsonError};
use crate::payment::RawPayment;
use crate::status::Status;
use mapping::{Mapping, MappingError};
use std::sync::Arc;

/// Why a backend body cannot be read as a payment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Json(#[from] JsonError),
    #[error("field \"{field}\" is missing from the payment")]
    Missing { field: String },
    #[error("field \"{field}\" should be {expected}, found {found}")]
    WrongType { field: String, expected: &'static str, found: &'static str },
    #[error("field \"{field}\" has the value \"{value}\", which this preset does not know")]
    Unsupported { field: String, value: String },
    #[error("unknown preset \"{0}\"; supported: payform, heleket, cryptomus, nowpayments, btcpay, coinbase, coingate, opennode, or a mapping")]
    UnknownPreset(String),
    #[error(transparent)]
    Mapping(#[from] MappingError),
}

impl BackendError {
    /// The stable `payform:error` code.
    pub fn code(&self) -> &'static str {
        match self {
            BackendError::Json(_) => "malformed_response",
            BackendError::Missing { .. } | BackendError::WrongType { .. } => "invalid_payment",
            BackendError::Unsupported { field, .. } if field.ends_with("status") => "unknown_status",
            BackendError::Unsupported { .. } => "unsupported_value",
            BackendError::UnknownPreset(_) => "unknown_preset",
            BackendError::Mapping(_) => "invalid_mapping",
        }
    }
}

/// A payment format the form can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preset {
    /// The native format of DESIGN.md.
    Payform,
    /// Heleket's payment info (Cryptomus uses the same format).
    Heleket,
    NowPayments,
    Btcpay,
    Coinbase,
    Coingate,
    Opennode,
    /// A declarative mapping for any other backend.
    Mapping(Arc<Mapping>),
}

impl Preset {
    /// The preset named by the `preset` attribute.
    pub fn parse(name: &str) -> Result<Preset, BackendError> {
        Ok(match name {
            "" | "payform" => Preset::Payform,
            "heleket" | "cryptomus" => Preset::Heleket,
            "nowpayments" => Preset::NowPayments,
            "btcpay" => Preset::Btcpay,
            "coinbase" => Preset::Coinbase,
            "coingate" => Preset::Coingate,
            "opennode" => Preset::Opennode,
            other => return Err(BackendError::UnknownPreset(other.to_owned())),
        })
    }

    /// A preset from a declarative mapping (the `mapping` attribute).
    pub fn from_mapping(mapping: &str) -> Result<Preset, BackendError> {
        Ok(Preset::Mapping(Arc::new(Mapping::parse(mapping)?)))
    }

    /// A preset from a mapping that came from a link (the hosted checkout's URL): it may only
    /// name where fields are, never give their values, or a link could carry its own payee.
    pub fn from_untrusted_mapping(mapping: &str) -> Result<Preset, BackendError> {
        let parsed = Mapping::parse(mapping)?;
        if let Some(field) = parsed.literal_field() {
            return Err(MappingError::LiteralFromLink(field).into());
        }
        Ok(Preset::Mapping(Arc::new(parsed)))
    }

    /// Parses a response body and maps it to a raw payment.
    pub fn read(&self, body: &str) -> Result<RawPayment, BackendError> {
        let json = Json::parse(body)?;
        match self {
            Preset::Payform => payform::map(&json),
            Preset::Heleket => heleket::map(&json),
            Preset::NowPayments => nowpayments::map(&json),
            Preset::Btcpay => btcpay::map(&json),
            Preset::Coinbase => coinbase::map(&json),
            Preset::Coingate => coingate::map(&json),
            Preset::Opennode => opennode::map(&json),
            Preset::Mapping(m) => m.map(&json),
        }
    }
}

/// Looks a provider's status up in its table (exact match).
pub(crate) fn status_of(table: &[(&str, Status)], value: &str, field: &str) -> Result<String, BackendError> {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, s)| s.as_str().to_owned())
        .ok_or_else(|| BackendError::Unsupported { field: field.into(), value: value.to_owned() })
}

/// Looks a (status, qualifier) pair up in a provider's table; `*` matches any qualifier.
pub(crate) fn status_of_pair(
    table: &[(&str, &str, Status)],
    status: &str,
    qualifier: &str,
) -> Option<Status> {
    table.iter().find(|(s, q, _)| *s == status && (*q == qualifier || *q == "*")).map(|(_, _, n)| *n)
}

/// `a − b` of two decimal strings, exactly, when both parse and `a ≥ b` (for providers that
/// report the total and the paid part but not what is still due, or the reverse).
pub(crate) fn difference(a: &str, b: &str) -> Option<String> {
    let (a, b) = (crate::money::Amount::parse(a, 18).ok()?, crate::money::Amount::parse(b, 18).ok()?);
    a.checked_sub(b).map(|d| d.to_string())
}

/// The contract's network id for the names providers use (`eth`, `trc20`, `BEP20`, `matic`…);
/// anything else is passed through (and then refused by validation with a clear message).
pub fn network_alias(name: &str) -> String {
    let lower = name.trim().to_ascii_lowercase();
    let id = match lower.as_str() {
        "btc" | "bitcoin" => "bitcoin",
        "ln" | "lightning" | "lightning_network" | "btc-ln" => "lightning",
        "ltc" | "litecoin" => "litecoin",
        "doge" | "dogecoin" => "dogecoin",
        "eth" | "ethereum" | "erc20" | "erc-20" => "ethereum",
        "bsc"
        | "bnb"
        | "bep20"
        | "bep-20"
        | "binance_smart_chain"
        | "binance-smart-chain"
        | "binancesmartchain" => "bsc",
        "polygon" | "matic" | "pol" | "polygon_pos" => "polygon",
        "arbitrum" | "arb" | "arbitrum_one" | "arbitrum-one" => "arbitrum",
        "base" => "base",
        "tron" | "trx" | "trc20" | "trc-20" => "tron",
        "sol" | "solana" | "spl" => "solana",
        _ => return lower,
    };
    id.to_owned()
}

/// Field access that names the field in every error.
pub(crate) struct Fields<'a> {
    pub json: &'a Json,
    /// Prefix for error messages, e.g. `"result."`.
    pub prefix: &'static str,
}

impl<'a> Fields<'a> {
    /// The whole body.
    pub fn root(json: &'a Json) -> Fields<'a> {
        Fields { json, prefix: "" }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// A required object member, as fields named under `prefix`.
    pub fn object(&self, key: &str, prefix: &'static str) -> Result<Fields<'a>, BackendError> {
        match self.opt(key) {
            Some(v @ Json::Object(_)) => Ok(Fields { json: v, prefix }),
            Some(v) => {
                Err(BackendError::WrongType { field: self.name(key), expected: "an object", found: v.kind() })
            }
            None => Err(BackendError::Missing { field: self.name(key) }),
        }
    }

    /// A required array member.
    pub fn array(&self, key: &str) -> Result<&'a [Json], BackendError> {
        match self.opt(key) {
            Some(Json::Array(items)) => Ok(items),
            Some(v) => {
                Err(BackendError::WrongType { field: self.name(key), expected: "an array", found: v.kind() })
            }
            None => Err(BackendError::Missing { field: self.name(key) }),
        }
    }

    /// An optional value; JSON `null` counts as absent.
    pub fn opt(&self, key: &str) -> Option<&'a Json> {
        self.json.get(key).filter(|v| !v.is_null())
    }

    /// A required string (numbers are accepted as text, for amounts).
    pub fn text(&self, key: &str) -> Result<String, BackendError> {
        self.opt_text(key)?.ok_or_else(|| BackendError::Missing { field: self.name(key) })
    }

    pub fn opt_text(&self, key: &str) -> Result<Option<String>, BackendError> {
        match self.opt(key) {
            None => Ok(None),
            Some(v) => v.as_text().map(|s| Some(s.to_owned())).ok_or_else(|| BackendError::WrongType {
                field: self.name(key),
                expected: "a string",
                found: v.kind(),
            }),
        }
    }

    pub fn opt_u32(&self, key: &str) -> Result<Option<u32>, BackendError> {
        match self.opt(key) {
            None => Ok(None),
            Some(v) => match v {
                Json::Number(n) => n.parse::<u32>().map(Some).map_err(|_| BackendError::WrongType {
                    field: self.name(key),
                    expected: "a whole number",
                    found: "another number",
                }),
                other => Err(BackendError::WrongType {
                    field: self.name(key),
                    expected: "a number",
                    found: other.kind(),
                }),
            },
        }
    }
}
