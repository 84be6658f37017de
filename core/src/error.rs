//! The stable error codes of `payform:error`: one enum, so a code is a property of an error
//! variant (each error type's `code()` returns one), never a string compared or guessed from a
//! field's name. The contract's tables (README, `payform.d.ts`, `docs/contract.md`) and the
//! locale files are checked against [`ErrorCode::ALL`].

/// Why the form cannot show (or keep showing) a payment. Serialized as snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The payment URL answered 404 or 410.
    NotFound,
    /// The payment URL answered another HTTP error status.
    HttpError,
    /// The server answered 429 (the form waits as long as it asks).
    RateLimited,
    /// No answer within the request timeout.
    Timeout,
    /// The request failed (offline, DNS, CORS, TLS).
    NetworkError,
    /// The body is not JSON, not text, or larger than the form accepts.
    MalformedResponse,
    /// A field of the payment has the wrong type or shape.
    InvalidPayment,
    /// A required field of the payment is missing.
    MissingField,
    /// The status value is not in the format's table.
    UnknownStatus,
    /// A value the format does not know (a provider's currency code, …).
    UnsupportedValue,
    /// The network is not one the form supports.
    UnsupportedNetwork,
    /// The currency is not known on that network.
    UnsupportedCurrency,
    /// The amounts are not exact decimals, have too many decimals, or do not add up.
    InvalidAmount,
    /// The address fails its network's checksum or format.
    InvalidAddress,
    /// The address is valid but must never be paid (a token contract, a burn address, …).
    ForbiddenAddress,
    /// A Lightning invoice's own amount differs from the payment's.
    InvoiceAmountMismatch,
    /// `expires_at` or `server_time` is not a time.
    InvalidTime,
    /// `return_url` is not https or names a host that is not allowed.
    InvalidReturnUrl,
    /// The payment's id, network, currency, address or amount changed while it was shown.
    PaymentChanged,
    /// The `mapping` option cannot be used.
    InvalidMapping,
    /// The `preset` option names no known format.
    UnknownPreset,
    /// The form's options are wrong (no `src`, a `src` on a disallowed origin, …).
    BadConfig,
}

impl ErrorCode {
    /// Every code, in the order of the contract's table.
    pub const ALL: [ErrorCode; 22] = [
        ErrorCode::NotFound,
        ErrorCode::HttpError,
        ErrorCode::RateLimited,
        ErrorCode::Timeout,
        ErrorCode::NetworkError,
        ErrorCode::MalformedResponse,
        ErrorCode::InvalidPayment,
        ErrorCode::MissingField,
        ErrorCode::UnknownStatus,
        ErrorCode::UnsupportedValue,
        ErrorCode::UnsupportedNetwork,
        ErrorCode::UnsupportedCurrency,
        ErrorCode::InvalidAmount,
        ErrorCode::InvalidAddress,
        ErrorCode::ForbiddenAddress,
        ErrorCode::InvoiceAmountMismatch,
        ErrorCode::InvalidTime,
        ErrorCode::InvalidReturnUrl,
        ErrorCode::PaymentChanged,
        ErrorCode::InvalidMapping,
        ErrorCode::UnknownPreset,
        ErrorCode::BadConfig,
    ];

    /// The code as sent in `payform:error` (`detail.code`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::HttpError => "http_error",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Timeout => "timeout",
            ErrorCode::NetworkError => "network_error",
            ErrorCode::MalformedResponse => "malformed_response",
            ErrorCode::InvalidPayment => "invalid_payment",
            ErrorCode::MissingField => "missing_field",
            ErrorCode::UnknownStatus => "unknown_status",
            ErrorCode::UnsupportedValue => "unsupported_value",
            ErrorCode::UnsupportedNetwork => "unsupported_network",
            ErrorCode::UnsupportedCurrency => "unsupported_currency",
            ErrorCode::InvalidAmount => "invalid_amount",
            ErrorCode::InvalidAddress => "invalid_address",
            ErrorCode::ForbiddenAddress => "forbidden_address",
            ErrorCode::InvoiceAmountMismatch => "invoice_amount_mismatch",
            ErrorCode::InvalidTime => "invalid_time",
            ErrorCode::InvalidReturnUrl => "invalid_return_url",
            ErrorCode::PaymentChanged => "payment_changed",
            ErrorCode::InvalidMapping => "invalid_mapping",
            ErrorCode::UnknownPreset => "unknown_preset",
            ErrorCode::BadConfig => "bad_config",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_snake_case() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            let s = code.as_str();
            assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{s}");
            assert!(seen.insert(s), "{s} twice");
        }
    }
}
