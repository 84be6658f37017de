//! Backends: how the form reads a payment API's JSON. Every format is read by one engine,
//! [`mapping`], from a description: the native format's is built into the crate (from the
//! payment's field table), each provider's is a data file in `presets/` (`heleket.json`, …,
//! which the form fetches next to its bundle: [`preset_file`] names it,
//! [`Preset::from_description`] reads it), and a merchant's own is the `mapping` option.
//! Native code (the devserver, tests, fuzzing) gets the provider files compiled in with
//! [`builtin`]. Every error names the field and where it was looked for.

pub mod mapping;

use crate::error::ErrorCode;
use crate::json::{Json, JsonError};
use crate::payment::RawPayment;
use mapping::{Mapping, MappingError};
use std::fmt;
use std::sync::Arc;

/// The provider presets: the name the `preset` option takes, and its description's file
/// (`presets/<file>.json`). Cryptomus uses Heleket's format. Mercado Pago (Pix) and Mollie (bank
/// transfer) are bank-rail providers.
const PROVIDERS: [(&str, &str); 9] = [
    ("heleket", "heleket"),
    ("cryptomus", "heleket"),
    ("nowpayments", "nowpayments"),
    ("btcpay", "btcpay"),
    ("coinbase", "coinbase"),
    ("coingate", "coingate"),
    ("opennode", "opennode"),
    ("mercadopago", "mercadopago"),
    ("mollie", "mollie"),
];

/// Every name the `preset` option takes, the native `payform` first.
pub fn preset_names() -> impl Iterator<Item = &'static str> {
    std::iter::once("payform").chain(PROVIDERS.iter().map(|(name, _)| *name))
}

fn supported() -> String {
    preset_names().collect::<Vec<_>>().join(", ")
}

/// Why a backend body cannot be read as a payment.
///
/// Its message is built with [`cat!`](crate::cat), not a thiserror `#[error]` template: those
/// expand to `write!`, and the wasm carries no `core::fmt` machinery (see [`crate::text`]).
/// The messages are the variants' documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendError {
    /// The JSON error's own message (and its source).
    Json(JsonError),
    /// `field "{field}" is missing from the payment`
    Missing { field: String },
    /// `field "{field}" should be {expected}, found {found}`
    WrongType { field: String, expected: &'static str, found: &'static str },
    /// `field "{field}" has the status "{value}", which this format does not know; it knows:
    /// {known}`
    UnknownStatus { field: String, value: String, known: String },
    /// `field "{field}" has the value "{value}", which this format does not know`
    Unsupported { field: String, value: String },
    /// `unknown preset "{0}"; supported: {names}, or a mapping` (`names`: [`preset_names`])
    UnknownPreset(String),
    /// The mapping error's own message (and its source).
    Mapping(MappingError),
}

impl BackendError {
    /// The message, as the variants' documentation gives it.
    pub fn message(&self) -> String {
        match self {
            BackendError::Json(e) => e.message(),
            BackendError::Missing { field } => {
                crate::cat!("field \"", field, "\" is missing from the payment")
            }
            BackendError::WrongType { field, expected, found } => {
                crate::cat!("field \"", field, "\" should be ", expected, ", found ", found)
            }
            BackendError::UnknownStatus { field, value, known } => crate::cat!(
                "field \"",
                field,
                "\" has the status \"",
                value,
                "\", which this format does not know; it knows: ",
                known
            ),
            BackendError::Unsupported { field, value } => crate::cat!(
                "field \"",
                field,
                "\" has the value \"",
                value,
                "\", which this format does not know"
            ),
            BackendError::UnknownPreset(name) => {
                crate::cat!("unknown preset \"", name, "\"; supported: ", supported(), ", or a mapping")
            }
            BackendError::Mapping(e) => e.message(),
        }
    }
}

impl fmt::Display for BackendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for BackendError {
    /// As thiserror's `#[error(transparent)]` did: a wrapped error's own source.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BackendError::Json(e) => std::error::Error::source(e),
            BackendError::Mapping(e) => std::error::Error::source(e),
            _ => None,
        }
    }
}

impl From<JsonError> for BackendError {
    fn from(e: JsonError) -> BackendError {
        BackendError::Json(e)
    }
}

impl From<MappingError> for BackendError {
    fn from(e: MappingError) -> BackendError {
        BackendError::Mapping(e)
    }
}

impl BackendError {
    /// The stable `payform:error` code.
    pub fn code(&self) -> ErrorCode {
        match self {
            BackendError::Json(_) => ErrorCode::MalformedResponse,
            BackendError::Missing { .. } | BackendError::WrongType { .. } => ErrorCode::InvalidPayment,
            BackendError::UnknownStatus { .. } => ErrorCode::UnknownStatus,
            BackendError::Unsupported { .. } => ErrorCode::UnsupportedValue,
            BackendError::UnknownPreset(_) => ErrorCode::UnknownPreset,
            BackendError::Mapping(_) => ErrorCode::InvalidMapping,
        }
    }
}

/// The description file the `preset` option `name` needs: `None` for the native format
/// (`""` or `"payform"`, built in), else the stem of `presets/<stem>.json` (`"cryptomus"` →
/// `"heleket"`).
pub fn preset_file(name: &str) -> Result<Option<&'static str>, BackendError> {
    match name {
        "" | "payform" => Ok(None),
        _ => PROVIDERS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, file)| Some(*file))
            .ok_or_else(|| BackendError::UnknownPreset(name.to_owned())),
    }
}

/// A payment format the form can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preset {
    /// The native format (README, "The payment JSON"), read with the built-in description.
    Payform,
    /// A described format: a provider's description or a merchant's mapping.
    Mapping(Arc<Mapping>),
}

impl Preset {
    /// A provider's description (a file of `presets/`, trusted: fixed values allowed).
    pub fn from_description(text: &str) -> Result<Preset, BackendError> {
        Ok(Preset::Mapping(Arc::new(Mapping::parse(text)?)))
    }

    /// A preset from a declarative mapping (the `mapping` attribute).
    pub fn from_mapping(mapping: &str) -> Result<Preset, BackendError> {
        Ok(Preset::Mapping(Arc::new(Mapping::parse(mapping)?)))
    }

    /// A preset from a mapping that came from a link (the hosted checkout's URL): it may only
    /// name where fields are, never give or compute their values, or a link could carry its
    /// own payee.
    pub fn from_untrusted_mapping(mapping: &str) -> Result<Preset, BackendError> {
        let parsed = Mapping::parse(mapping)?;
        parsed.check_from_link()?;
        Ok(Preset::Mapping(Arc::new(parsed)))
    }

    /// The description this preset reads with.
    pub fn mapping(&self) -> &Mapping {
        match self {
            Preset::Payform => Mapping::native(),
            Preset::Mapping(m) => m,
        }
    }

    /// Parses a response body and maps it to a raw payment.
    pub fn read(&self, body: &str) -> Result<RawPayment, BackendError> {
        self.mapping().read(&Json::parse(body)?)
    }
}

/// The provider descriptions, compiled in for native users only: the form fetches them.
#[cfg(not(target_arch = "wasm32"))]
const DESCRIPTIONS: [(&str, &str); 8] = [
    ("heleket", include_str!("../../../presets/heleket.json")),
    ("nowpayments", include_str!("../../../presets/nowpayments.json")),
    ("btcpay", include_str!("../../../presets/btcpay.json")),
    ("coinbase", include_str!("../../../presets/coinbase.json")),
    ("coingate", include_str!("../../../presets/coingate.json")),
    ("opennode", include_str!("../../../presets/opennode.json")),
    ("mercadopago", include_str!("../../../presets/mercadopago.json")),
    ("mollie", include_str!("../../../presets/mollie.json")),
];

/// The preset `name` with its description from `presets/` (the devserver, tests, fuzzing).
#[cfg(not(target_arch = "wasm32"))]
pub fn builtin(name: &str) -> Result<Preset, BackendError> {
    let Some(file) = preset_file(name)? else { return Ok(Preset::Payform) };
    let text = DESCRIPTIONS
        .iter()
        .find(|(stem, _)| *stem == file)
        .map(|(_, text)| *text)
        .ok_or_else(|| BackendError::UnknownPreset(name.to_owned()))?;
    Preset::from_description(text)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn the_messages_are_the_old_templates() {
        let (field, value, known) = ("/data/state (status)", "done \"x\"", "new, seen");
        let json = Json::parse("[1,]").unwrap_err();
        let mapping = MappingError::MissingField("amount");
        let names = preset_names().collect::<Vec<_>>().join(", ");
        let cases = [
            (BackendError::from(json.clone()), json.to_string()),
            (BackendError::Missing { field: field.into() }, format!("field \"{field}\" is missing from the payment")),
            (
                BackendError::WrongType { field: field.into(), expected: "a string", found: "an array" },
                format!("field \"{field}\" should be a string, found an array"),
            ),
            (
                BackendError::UnknownStatus { field: field.into(), value: value.into(), known: known.into() },
                format!(
                    "field \"{field}\" has the status \"{value}\", which this format does not know; it knows: {known}"
                ),
            ),
            (
                BackendError::Unsupported { field: field.into(), value: value.into() },
                format!("field \"{field}\" has the value \"{value}\", which this format does not know"),
            ),
            (
                BackendError::UnknownPreset("stripe".into()),
                format!("unknown preset \"stripe\"; supported: {names}, or a mapping"),
            ),
            (BackendError::from(mapping.clone()), mapping.to_string()),
        ];
        for (err, old) in cases {
            assert_eq!(err.to_string(), old);
            assert!(err.source().is_none(), "{old}");
        }
        assert!(names.starts_with("payform, heleket, cryptomus, "), "{names}");
    }
}
