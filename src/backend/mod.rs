//! Backend adapters ("presets"): each turns one payment API's JSON into a [`RawPayment`].
//!
//! The merchant's server passes its provider's payment JSON through unchanged; the `preset`
//! attribute names the format. Every preset reports a missing or malformed field by name.

pub mod payform;

use crate::json::{Json, JsonError};
use crate::payment::RawPayment;

/// Why a backend body cannot be read as a payment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackendError {
    #[error(transparent)]
    Json(#[from] JsonError),
    #[error("field \"{field}\" is missing from the payment")]
    Missing { field: String },
    #[error("field \"{field}\" should be {expected}, found {found}")]
    WrongType { field: String, expected: &'static str, found: &'static str },
    #[error("unknown preset \"{0}\"; supported: payform")]
    UnknownPreset(String),
}

impl BackendError {
    /// The stable `payform:error` code.
    pub fn code(&self) -> &'static str {
        match self {
            BackendError::Json(_) => "malformed_response",
            BackendError::Missing { .. } | BackendError::WrongType { .. } => "invalid_payment",
            BackendError::UnknownPreset(_) => "unknown_preset",
        }
    }
}

/// A payment format the form can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// The native format of DESIGN.md.
    Payform,
}

impl Preset {
    pub fn parse(name: &str) -> Result<Preset, BackendError> {
        match name {
            "" | "payform" => Ok(Preset::Payform),
            other => Err(BackendError::UnknownPreset(other.to_owned())),
        }
    }

    /// Parses a response body and maps it to a raw payment.
    pub fn read(self, body: &str) -> Result<RawPayment, BackendError> {
        let json = Json::parse(body)?;
        match self {
            Preset::Payform => payform::map(&json),
        }
    }
}

/// Field access that names the field in every error.
pub(crate) struct Fields<'a> {
    pub json: &'a Json,
    /// Prefix for error messages, e.g. `"result."`.
    pub prefix: &'static str,
}

impl<'a> Fields<'a> {
    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
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
