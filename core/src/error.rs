//! The stable error codes of `payform:error`: one enum, so a code is a property of an error
//! variant (each error type's `code()` returns one), never a string compared or guessed from a
//! field's name. A code also says what the shopper reads: a title and a sentence, both keys of
//! the locale files ([`Msg`]), filled only with [`Facts`] (safe values, never backend text).
//! `core/tests/contract.rs` checks the contract's tables (the README, `docs/contract.md`,
//! `payform.d.ts`) and the locale files against [`ErrorCode::ALL`].

use crate::i18n::{Catalog, Msg};

/// One list, three uses: the enum (with its doc comments), the wire strings, and the shopper's
/// title and sentence per code; the doc comment is also the README's "meaning" column.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident = $code:literal, title: $title:ident, text: $text:ident;)+) => {
        /// Why the form cannot show (or keep showing) a payment. Serialized as snake_case.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl ErrorCode {
            /// Every code, in the order of the contract's table.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as sent in `payform:error` (`detail.code`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }

            /// The title of the problem box.
            pub const fn title(self) -> Msg {
                match self {
                    $(ErrorCode::$variant => Msg::$title,)+
                }
            }

            /// The sentence under the title: what happened and what the shopper can do.
            pub const fn message(self) -> Msg {
                match self {
                    $(ErrorCode::$variant => Msg::$text,)+
                }
            }

            /// What the code means, for the merchant (its doc comment; the README's table).
            /// Native only: the bundle never carries it.
            #[cfg(not(target_arch = "wasm32"))]
            pub fn doc(self) -> &'static str {
                let doc: &'static str = match self {
                    $(ErrorCode::$variant => concat!($($doc),+),)+
                };
                doc.trim()
            }
        }
    };
}

codes! {
    /// The payment URL answered 404 or 410.
    NotFound = "not_found", title: ProblemNotFound, text: ErrNotFound;
    /// The payment URL answered another HTTP error status.
    HttpError = "http_error", title: ProblemConnection, text: ErrHttpError;
    /// The server answered 429 (the form waits as long as it asks).
    RateLimited = "rate_limited", title: ProblemConnection, text: ErrRateLimited;
    /// No answer within the request timeout.
    Timeout = "timeout", title: ProblemConnection, text: ErrTimeout;
    /// The request failed (offline, DNS, CORS, TLS, a connection cut short).
    NetworkError = "network_error", title: ProblemConnection, text: ErrNetworkError;
    /// The body is not JSON, not text, or larger than the form accepts.
    MalformedResponse = "malformed_response", title: ProblemConnection, text: ErrMalformedResponse;
    /// A field of the payment has the wrong type or shape.
    InvalidPayment = "invalid_payment", title: ProblemUnsafe, text: ErrInvalidPayment;
    /// A required field of the payment is missing or empty.
    MissingField = "missing_field", title: ProblemUnsafe, text: ErrMissingField;
    /// The status value is not in the format's table.
    UnknownStatus = "unknown_status", title: ProblemUnsafe, text: ErrUnknownStatus;
    /// A value the format does not know (a provider's currency code, …).
    UnsupportedValue = "unsupported_value", title: ProblemUnsafe, text: ErrUnsupportedValue;
    /// The network is not one the form supports.
    UnsupportedNetwork = "unsupported_network", title: ProblemUnsafe, text: ErrUnsupportedNetwork;
    /// The currency is not known on that network.
    UnsupportedCurrency = "unsupported_currency", title: ProblemUnsafe, text: ErrUnsupportedCurrency;
    /// The amounts are not exact decimals, have too many decimals, or do not add up.
    InvalidAmount = "invalid_amount", title: ProblemUnsafe, text: ErrInvalidAmount;
    /// The address fails its network's checksum or format, or belongs to another network.
    InvalidAddress = "invalid_address", title: ProblemUnsafe, text: ErrInvalidAddress;
    /// The address is valid but must never be paid (a token contract, a burn address, …).
    ForbiddenAddress = "forbidden_address", title: ProblemUnsafe, text: ErrForbiddenAddress;
    /// A Lightning invoice's own amount differs from the payment's.
    InvoiceAmountMismatch = "invoice_amount_mismatch", title: ProblemUnsafe, text: ErrInvoiceAmountMismatch;
    /// `expires_at` or `server_time` is not a time.
    InvalidTime = "invalid_time", title: ProblemUnsafe, text: ErrInvalidTime;
    /// `return_url` is not https or names a host that is not allowed.
    InvalidReturnUrl = "invalid_return_url", title: ProblemUnsafe, text: ErrInvalidReturnUrl;
    /// A bank rail's IBAN fails ISO 13616 (characters, country, length, mod 97), or is not of a
    /// country the rail serves (SEPA for `sepa_epc`, CH or LI for `swiss_qr`).
    InvalidIban = "invalid_iban", title: ProblemUnsafe, text: ErrInvalidIban;
    /// `bic` is not a BIC (ISO 9362: 8 or 11 letters and digits of its shape).
    InvalidBic = "invalid_bic", title: ProblemUnsafe, text: ErrInvalidBic;
    /// `reference` fails its scheme: an `RF` creditor reference (ISO 11649, mod 97), a Swiss QR
    /// reference (27 digits, mod 10 recursive; only with a QR-IBAN, which requires one), a Pix
    /// txid (1 to 25 letters and digits) or a reference too long for the rail.
    InvalidReference = "invalid_reference", title: ProblemUnsafe, text: ErrInvalidReference;
    /// A `pix` address is neither a valid Pix key (CPF or CNPJ check digits, +55 phone, e-mail,
    /// random key) nor a BR Code.
    InvalidPixKey = "invalid_pix_key", title: ProblemUnsafe, text: ErrInvalidPixKey;
    /// A `upi` address is not a UPI ID (VPA) of the shape `name@handle`.
    InvalidUpiId = "invalid_upi_id", title: ProblemUnsafe, text: ErrInvalidUpiId;
    /// A `paynow` or `promptpay` address is neither a proxy of the scheme (a mobile number, UEN,
    /// national or e-wallet ID) nor a payload of the scheme.
    InvalidProxy = "invalid_proxy", title: ProblemUnsafe, text: ErrInvalidProxy;
    /// `beneficiary`, `city` or an address line is missing, too long or has a character the
    /// rail's scheme does not carry, or `rail` disagrees with `network`.
    InvalidBankDetails = "invalid_bank_details", title: ProblemUnsafe, text: ErrInvalidBankDetails;
    /// A payload the backend sent (a BR Code, an EMV merchant QR) fails its CRC or structure,
    /// is another scheme's or currency's, or asks for an amount other than the one due.
    InvalidBankPayload = "invalid_bank_payload", title: ProblemUnsafe, text: ErrInvalidBankPayload;
    /// `payform.js` could not load or start the WebAssembly (an HTTP error, a wrong MIME type, a
    /// Content-Security-Policy without `'wasm-unsafe-eval'`, offline): raised by the loader
    /// before any form runs; the next form, or a changed attribute, loads it again.
    LoadFailed = "load_failed", title: ProblemConnection, text: ErrLoadFailed;
    /// The payment's id, network, currency, address or amount (a bank rail's beneficiary, BIC
    /// or reference) changed while it was shown.
    PaymentChanged = "payment_changed", title: ProblemChanged, text: ErrPaymentChanged;
    /// The `mapping` option cannot be used.
    InvalidMapping = "invalid_mapping", title: ProblemSetup, text: ErrInvalidMapping;
    /// The `preset` option names no known format.
    UnknownPreset = "unknown_preset", title: ProblemSetup, text: ErrUnknownPreset;
    /// The form's options are wrong (no `src`, a `src` on a disallowed origin, …).
    BadConfig = "bad_config", title: ProblemSetup, text: ErrBadConfig;
}

/// The values a shopper's sentence may name (its `{placeholders}`): the payment's network (by
/// its display name), an HTTP status, a number of seconds. Never text from the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    /// `{network}`: the display name of the payment's network (`Network::display_name`).
    pub network: Option<&'static str>,
    /// `{status}`: the HTTP status the server answered.
    pub http_status: Option<u16>,
    /// `{seconds}`: the request timeout.
    pub seconds: Option<u64>,
}

impl ErrorCode {
    /// The sentence the shopper reads, in `t`'s language, with `facts` in its placeholders.
    /// Every error carries the facts its code's sentence names (a test in `session` holds
    /// each code to it; the locale test keeps every translation to the English placeholders).
    pub fn text(self, facts: Facts, t: &Catalog) -> String {
        // Decimal without `core::fmt` (see `crate::text`).
        let status = facts.http_status.map(|s| crate::text::decimal(u128::from(s)));
        let seconds = facts.seconds.map(|s| crate::text::decimal(u128::from(s)));
        let mut args: Vec<(&str, &str)> = Vec::with_capacity(3);
        if let Some(n) = facts.network {
            args.push(("network", n));
        }
        if let Some(s) = &status {
            args.push(("status", s));
        }
        if let Some(s) = &seconds {
            args.push(("seconds", s));
        }
        t.fill(self.message(), &args)
    }
}

/// Whether the form asks the backend again by itself after an error with a code (then
/// `retry_in_ms` says when; `null` when it will not): the "retried" column of
/// `docs/contract.md`, held to what the session does by `core/tests/contract.rs`. Native only.
impl ErrorCode {
    /// A problem with the form's own setup (`invalid_mapping`, `unknown_preset`,
    /// `bad_config`): asking the backend again cannot fix it, so the form offers no "Try again".
    pub const fn is_setup(self) -> bool {
        matches!(self, ErrorCode::InvalidMapping | ErrorCode::UnknownPreset | ErrorCode::BadConfig)
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Yes, with backoff or after the server's `Retry-After`, until the payment is final.
    Yes,
    /// No: the payment is gone (404, 410), or the form itself is set up wrongly.
    No,
    /// Yes, except after a 4xx other than 408 (a client error that asking again will not fix).
    UnlessClientError,
}

#[cfg(not(target_arch = "wasm32"))]
impl ErrorCode {
    /// Whether the form retries after this code (native only: the contract's table).
    pub const fn retried(self) -> Retry {
        match self {
            ErrorCode::NotFound
            | ErrorCode::InvalidMapping
            | ErrorCode::UnknownPreset
            | ErrorCode::BadConfig
            | ErrorCode::LoadFailed => Retry::No,
            ErrorCode::HttpError => Retry::UnlessClientError,
            _ => Retry::Yes,
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
            assert!(!s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{s}");
            assert!(seen.insert(s), "{s} twice");
        }
        assert_eq!(ErrorCode::ALL.len(), 31);
    }

    /// The setup problems are exactly those titled "not set up correctly", and exactly the ones
    /// the form never retries besides the missing payment.
    #[test]
    fn setup_problems_are_the_setup_titled_codes() {
        for &code in ErrorCode::ALL {
            assert_eq!(code.is_setup(), code.title() == Msg::ProblemSetup, "{code}");
            if code.is_setup() {
                assert_eq!(code.retried(), Retry::No, "{code}");
            }
        }
    }

    /// Each code has its own sentence, keyed `error_<code>`, and a title that is a problem
    /// heading; no two codes share a sentence.
    #[test]
    fn every_code_has_its_own_sentence_and_a_title() {
        let english = Catalog::english();
        let mut sentences = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert_eq!(code.message().key(), format!("error_{}", code.as_str()));
            assert!(code.title().key().starts_with("problem_"), "{code}: {}", code.title().key());
            let text = english.get(code.message());
            assert!(text.ends_with('.') && text != code.message().key(), "{code}: {text}");
            assert!(sentences.insert(text), "{code} shares its sentence");
            assert!(!code.doc().is_empty() && !code.doc().contains(['|', '\n']), "{code}: {}", code.doc());
        }
        assert_eq!(ErrorCode::PaymentChanged.title(), Msg::ProblemChanged);
        assert_eq!(ErrorCode::InvalidAddress.title(), Msg::ProblemUnsafe);
        assert_eq!(ErrorCode::Timeout.title(), Msg::ProblemConnection);
        assert_eq!(ErrorCode::NotFound.doc(), "The payment URL answered 404 or 410.");
    }

    #[test]
    fn the_sentence_names_only_the_facts() {
        let t = Catalog::english();
        let facts = Facts { network: Some("Tron (TRC-20)"), http_status: Some(502), seconds: Some(10) };
        assert_eq!(
            ErrorCode::InvalidAddress.text(facts, &t),
            "The payment address is not valid for Tron (TRC-20), so it is not shown. Please contact the shop."
        );
        assert_eq!(ErrorCode::HttpError.text(facts, &t), "The payment server answered with error 502.");
        assert_eq!(ErrorCode::Timeout.text(facts, &t), "The payment server did not answer within 10 s.");
        // A fact the sentence does not name is not used; one it names and lacks stays visible
        // (the session's test makes sure every error carries what its sentence names).
        assert_eq!(ErrorCode::NotFound.text(facts, &t), t.get(Msg::ErrNotFound));
        assert!(ErrorCode::Timeout.text(Facts::default(), &t).contains("{seconds}"));
    }

    #[test]
    fn the_facts_are_written_as_before() {
        let t = Catalog::english();
        for (status, seconds) in [(0u16, 0u64), (502, 10), (u16::MAX, u64::MAX)] {
            let facts = Facts { network: None, http_status: Some(status), seconds: Some(seconds) };
            let status_text = t.fill(ErrorCode::HttpError.message(), &[("status", &format!("{status}"))]);
            assert_eq!(ErrorCode::HttpError.text(facts, &t), status_text);
            let seconds_text = t.fill(ErrorCode::Timeout.message(), &[("seconds", &format!("{seconds}"))]);
            assert_eq!(ErrorCode::Timeout.text(facts, &t), seconds_text);
        }
        for code in ErrorCode::ALL {
            assert_eq!(code.to_string(), code.as_str());
        }
    }
}
