//! Translations: the message keys ([`Msg`]), the locales Payform ships ([`LOCALES`]), choosing
//! one from BCP 47 tags ([`negotiate`]), and a [`Catalog`] of texts with `{name}` placeholders.
//!
//! English is compiled in (`locales/en.json`); every other locale is a data file in
//! `locales/<lang>.json` that the form fetches only when that locale is in use, so the bundle
//! never carries all of them. A test checks that every file has exactly the English keys and
//! placeholders. Numbers and dates are formatted by the browser's `Intl` (see `ui::intl`);
//! this module only picks the words.

use crate::json::Json;

macro_rules! messages {
    ($($variant:ident = $key:literal,)*) => {
        /// One translatable text. The key is its name in the locale files.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($variant,)* }

        impl Msg {
            /// Every message, in the order of [`Catalog`]'s table.
            pub const ALL: &'static [Msg] = &[$(Msg::$variant,)*];

            /// The key in `locales/<lang>.json`.
            pub const fn key(self) -> &'static str {
                match self { $(Msg::$variant => $key,)* }
            }
        }
    };
}

messages! {
    Loading = "loading",
    Amount = "amount",
    Remaining = "remaining",
    Network = "network",
    Address = "address",
    Copy = "copy",
    Copied = "copied",
    CopyAmount = "copy_amount",
    CopyAddress = "copy_address",
    OpenWallet = "open_wallet",
    QrLabel = "qr_label",
    QrTooLong = "qr_too_long",
    PayWith = "pay_with",
    TimeLeft = "time_left",
    PayBy = "pay_by",
    TimeUp = "time_up",
    TimeUrgent = "time_urgent",
    ReturnToStore = "return_to_store",
    PaymentRef = "payment_ref",
    WarnNetwork = "warn_network",
    WarnLightning = "warn_lightning",
    Dropped = "dropped",
    ProblemConnection = "problem_connection",
    ProblemChanged = "problem_changed",
    ProblemUnsafe = "problem_unsafe",
    ProblemNotFound = "problem_not_found",
    ProblemSetup = "problem_setup",
    RetryIn = "retry_in",
    TryAgain = "try_again",
    TheMerchant = "the_merchant",
    HeadAwaiting = "head_awaiting",
    HeadConfirmingCount = "head_confirming_count",
    HeadConfirming = "head_confirming",
    HeadUnderpaid = "head_underpaid",
    HeadPaid = "head_paid",
    HeadExpiredPartial = "head_expired_partial",
    HeadExpired = "head_expired",
    HeadFailed = "head_failed",
    HeadCancelled = "head_cancelled",
    HeadRefunded = "head_refunded",
    DetailConfirming = "detail_confirming",
    DetailUnderpaid = "detail_underpaid",
    DetailPaid = "detail_paid",
    DetailOverpaid = "detail_overpaid",
    DetailExpiredPartial = "detail_expired_partial",
    DetailExpired = "detail_expired",
    DetailFailed = "detail_failed",
    DetailCancelled = "detail_cancelled",
    DetailRefunded = "detail_refunded",
    ErrNotFound = "error_not_found",
    ErrHttpError = "error_http_error",
    ErrRateLimited = "error_rate_limited",
    ErrTimeout = "error_timeout",
    ErrNetworkError = "error_network_error",
    ErrMalformedResponse = "error_malformed_response",
    ErrInvalidPayment = "error_invalid_payment",
    ErrMissingField = "error_missing_field",
    ErrUnknownStatus = "error_unknown_status",
    ErrUnsupportedValue = "error_unsupported_value",
    ErrUnsupportedNetwork = "error_unsupported_network",
    ErrUnsupportedCurrency = "error_unsupported_currency",
    ErrInvalidAmount = "error_invalid_amount",
    ErrInvalidAddress = "error_invalid_address",
    ErrForbiddenAddress = "error_forbidden_address",
    ErrInvoiceAmountMismatch = "error_invoice_amount_mismatch",
    ErrInvalidTime = "error_invalid_time",
    ErrInvalidReturnUrl = "error_invalid_return_url",
    ErrPaymentChanged = "error_payment_changed",
    ErrInvalidMapping = "error_invalid_mapping",
    ErrUnknownPreset = "error_unknown_preset",
    ErrBadConfig = "error_bad_config",
    ErrInvalidIban = "error_invalid_iban",
    ErrInvalidBic = "error_invalid_bic",
    ErrInvalidReference = "error_invalid_reference",
    ErrInvalidPixKey = "error_invalid_pix_key",
    ErrInvalidUpiId = "error_invalid_upi_id",
    ErrInvalidProxy = "error_invalid_proxy",
    ErrInvalidBankDetails = "error_invalid_bank_details",
    ErrInvalidBankPayload = "error_invalid_bank_payload",
    ErrLoadFailed = "error_load_failed",
    HeadDetected = "head_detected",
    TimerStopped = "timer_stopped",
    SentIt = "sent_it",
    Looking = "looking",
    NotSeenYet = "not_seen_yet",
    LateTitle = "late_title",
    LateNext = "late_next",
    FeeHint = "fee_hint",
    ExchangeWarning = "exchange_warning",
    TabUnified = "tab_unified",
    TabOnchain = "tab_onchain",
    TabLightning = "tab_lightning",
    UnifiedHint = "unified_hint",
    Receipt = "receipt",
    ReceiptTime = "receipt_time",
    ReceiptTx = "receipt_tx",
    ReceiptMerchant = "receipt_merchant",
    ReceiptOrder = "receipt_order",
    ViewTx = "view_tx",
    PrintReceipt = "print_receipt",
    RefundLabel = "refund_label",
    RefundHint = "refund_hint",
    RefundSave = "refund_save",
    RefundSaved = "refund_saved",
    RefundInvalid = "refund_invalid",
    MoreTime = "more_time",
    MoreTimeAsked = "more_time_asked",
    BankScan = "bank_scan",
    BankQrLabel = "bank_qr_label",
    PayMethod = "pay_method",
    Beneficiary = "beneficiary",
    Iban = "iban",
    Bic = "bic",
    Reference = "reference",
    PixKey = "pix_key",
    UpiId = "upi_id",
    PayTo = "pay_to",
    CopyIban = "copy_iban",
    CopyReference = "copy_reference",
    CopyAccount = "copy_account",
    PixCopyPaste = "pix_copy_paste",
    CopyCode = "copy_code",
    OpenUpi = "open_upi",
    WarnBank = "warn_bank",
    WarnReference = "warn_reference",
    // The banner on every screen of a form in test mode (`network-mode="test"`).
    TestMode = "test_mode",
    // Paying from a connected wallet (`ui::wallet`).
    PayWithWallet = "pay_with_wallet",
    BrowserWallet = "browser_wallet",
    WalletConfirm = "wallet_confirm",
    WalletSent = "wallet_sent",
    WalletRejected = "wallet_rejected",
    WalletLocked = "wallet_locked",
    WalletPending = "wallet_pending",
    WalletUnknownChain = "wallet_unknown_chain",
    WalletWrongChain = "wallet_wrong_chain",
    WalletUnsupported = "wallet_unsupported",
    WalletGone = "wallet_gone",
    WalletFunds = "wallet_funds",
    WalletNoAnswer = "wallet_no_answer",
    WalletOther = "wallet_other",
    // Read by the JavaScript outside the wasm: js/payform.js (openCheckout's iframe title, modal
    // label and close button) and js/checkout.js (the page title, the message when the code
    // cannot load).
    FrameTitle = "frame_title",
    FrameClose = "frame_close",
    LoadFailed = "load_failed",
}

/// The locales shipped in `locales/`, English first (the fallback).
pub const LOCALES: &[&str] = &[
    "en", "ar", "cs", "de", "es", "fa", "fr", "he", "hi", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru",
    "th", "tr", "uk", "ur", "vi", "zh",
];

/// The English texts, compiled in.
pub const ENGLISH_JSON: &str = include_str!("../../locales/en.json");

/// Picks the first supported locale for a list of BCP 47 tags (`lang` attribute, or
/// `navigator.languages`): `pt-BR` → `pt`, `zh-Hant-TW` → `zh`, unknown → the next tag, and
/// English when none matches.
pub fn negotiate<'a>(tags: impl IntoIterator<Item = &'a str>) -> &'static str {
    for tag in tags {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        if let Some(found) = LOCALES.iter().find(|l| **l == primary) {
            return found;
        }
    }
    "en"
}

/// Whether a locale is written right to left (the form then lays out with `dir="rtl"`).
pub fn is_rtl(lang: &str) -> bool {
    matches!(lang, "ar" | "fa" | "he" | "ur")
}

/// Why a locale file cannot be used (the form then stays in English).
///
/// Its message is built with [`cat!`](crate::cat), not a thiserror `#[error]` template: those
/// expand to `write!`, and the wasm carries no `core::fmt` machinery (see [`crate::text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum I18nError {
    /// `locale file: {0}` (the JSON error is the source).
    Json(crate::json::JsonError),
    /// `locale file: the top level must be an object of strings`
    NotAnObject,
    /// `locale file: "{0}" must be a string`
    NotAString(String),
}

impl I18nError {
    /// The message, as the variants' documentation gives it.
    pub fn message(&self) -> String {
        match self {
            I18nError::Json(e) => crate::cat!("locale file: ", e.message()),
            I18nError::NotAnObject => "locale file: the top level must be an object of strings".to_owned(),
            I18nError::NotAString(key) => crate::cat!("locale file: \"", key, "\" must be a string"),
        }
    }
}

impl std::fmt::Display for I18nError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for I18nError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            I18nError::Json(e) => Some(e),
            I18nError::NotAnObject | I18nError::NotAString(_) => None,
        }
    }
}

impl From<crate::json::JsonError> for I18nError {
    fn from(e: crate::json::JsonError) -> I18nError {
        I18nError::Json(e)
    }
}

/// The texts of one locale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// The locale (one of [`LOCALES`]), also handed to `Intl` for numbers and dates.
    pub lang: &'static str,
    texts: Vec<String>,
}

impl Catalog {
    /// The compiled-in English catalog.
    pub fn english() -> Catalog {
        // en.json is part of the source tree and tested; fall back to the keys if ever broken.
        Catalog::parse("en", ENGLISH_JSON, None).unwrap_or_else(|_| Catalog {
            lang: "en",
            texts: Msg::ALL.iter().map(|m| m.key().to_owned()).collect(),
        })
    }

    /// Reads a locale file. A key the file lacks takes the `fallback`'s text (English), so an
    /// incomplete translation degrades to English words rather than blanks.
    pub fn parse(lang: &'static str, json: &str, fallback: Option<&Catalog>) -> Result<Catalog, I18nError> {
        let Json::Object(entries) = Json::parse(json)? else {
            return Err(I18nError::NotAnObject);
        };
        let mut texts = Vec::with_capacity(Msg::ALL.len());
        for m in Msg::ALL {
            let text = match entries.iter().find(|(k, _)| k == m.key()) {
                Some((_, Json::String(s))) => s.clone(),
                Some((k, _)) => return Err(I18nError::NotAString(k.clone())),
                None => fallback.map(|f| f.get(*m).to_owned()).unwrap_or_else(|| m.key().to_owned()),
            };
            texts.push(text);
        }
        Ok(Catalog { lang, texts })
    }

    /// The text of a message.
    pub fn get(&self, m: Msg) -> &str {
        self.texts.get(m as usize).map_or(m.key(), String::as_str)
    }

    /// The text with each `{name}` replaced by its value (text, never markup).
    pub fn fill(&self, m: Msg, args: &[(&str, &str)]) -> String {
        fill(self.get(m), args)
    }

    /// Whether the layout is right to left.
    pub fn rtl(&self) -> bool {
        is_rtl(self.lang)
    }
}

/// Replaces each `{name}` in `text` by its value; unknown names stay as written.
pub fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| (close, *v))
        }) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A plain decimal string written the English way, `1234567.25` → `1,234,567.25`: what
/// `Intl.NumberFormat("en")` prints, done in Rust so the default locale's first screen does
/// not wait for the browser to initialise `Intl` (about 15 ms on a cold page). Anything that
/// is not a plain decimal is returned as is.
pub fn group_english(text: &str) -> String {
    if !is_plain_decimal(text) {
        return text.to_owned();
    }
    let (whole, fraction) = text.split_once('.').map_or((text, None), |(w, f)| (w, Some(f)));
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The time left, `mm:ss` or `h:mm:ss` (never negative), with the digits written by `digits(n,
/// min_width)` so a locale's own digits can be used.
pub fn format_left(ms: i64, digits: impl Fn(i64, u8) -> String) -> String {
    let s = ms.max(0).div_euclid(1000);
    let (h, m, s) = (s / 3600, s % 3600 / 60, s % 60);
    if h > 0 {
        crate::cat!(digits(h, 1), ':', digits(m, 2), ':', digits(s, 2))
    } else {
        crate::cat!(digits(m, 2), ':', digits(s, 2))
    }
}

/// Digits with at most one `.` between digits (`25`, `0.5`; not `.5`, `5.`, `1e9`, `-1`):
/// the only backend text the form reformats for display.
pub fn is_plain_decimal(text: &str) -> bool {
    let (whole, fraction) = text.split_once('.').map_or((text, None), |(w, f)| (w, Some(f)));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The `{name}` placeholders of a text, sorted (for the locale-file test).
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> =
        text.split('{').skip(1).filter_map(|part| part.find('}').map(|end| &part[..end])).collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale_file(lang: &str) -> String {
        let path = format!("{}/../locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn negotiates_by_primary_subtag_in_order() {
        assert_eq!(negotiate(["pt-BR"]), "pt");
        assert_eq!(negotiate(["zh-Hant-TW", "en"]), "zh");
        assert_eq!(negotiate(["xx", "fa-IR"]), "fa");
        assert_eq!(negotiate(["DE_de"]), "de");
        assert_eq!(negotiate(["xx", "yy"]), "en");
        assert_eq!(negotiate([]), "en");
        assert!(is_rtl("ar") && is_rtl("fa") && is_rtl("he") && is_rtl("ur") && !is_rtl("en"));
        assert_eq!(LOCALES.iter().filter(|l| is_rtl(l)).count(), 4);
        assert_eq!(negotiate(["he-IL"]), "he");
        assert_eq!(negotiate(["ur-PK"]), "ur");
    }

    #[test]
    fn fills_placeholders_as_text() {
        assert_eq!(fill("Send {a} on {b}", &[("a", "1 BTC"), ("b", "<b>")]), "Send 1 BTC on <b>");
        assert_eq!(fill("{missing} {a}", &[("a", "x")]), "{missing} x");
        assert_eq!(fill("no braces", &[]), "no braces");
        assert_eq!(fill("{a}{a}", &[("a", "z")]), "zz");
        assert_eq!(placeholders("{b} and {a}"), ["a", "b"]);
    }

    #[test]
    fn formats_minutes_and_hours() {
        let ascii = |n: i64, w: u8| format!("{n:0width$}", width = w as usize);
        assert_eq!(format_left(59_999, ascii), "00:59");
        assert_eq!(format_left(600_000, ascii), "10:00");
        assert_eq!(format_left(3_723_000, ascii), "1:02:03");
        assert_eq!(format_left(-5, ascii), "00:00");
    }

    #[test]
    fn groups_english_thousands_exactly() {
        assert_eq!(group_english("1234567.25"), "1,234,567.25");
        assert_eq!(group_english("123"), "123");
        assert_eq!(group_english("1000"), "1,000");
        assert_eq!(group_english("0.000000000000000001"), "0.000000000000000001");
        assert_eq!(group_english("18446744073709551617"), "18,446,744,073,709,551,617");
        for odd in ["", ".5", "5.", "1e9", "-1", "1.2.3", "١٢"] {
            assert_eq!(group_english(odd), odd);
            assert!(!is_plain_decimal(odd), "{odd}");
        }
        assert!(is_plain_decimal("25") && is_plain_decimal("0.5"));
    }

    #[test]
    fn english_has_every_key_and_no_other() {
        let en = crate::json::Json::parse(ENGLISH_JSON).unwrap();
        let Json::Object(entries) = en else { panic!("en.json is not an object") };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        let expected: Vec<&str> = Msg::ALL.iter().map(|m| m.key()).collect();
        assert_eq!(keys, expected, "en.json must list the keys of Msg in order");
        let english = Catalog::english();
        assert_eq!(english.get(Msg::HeadPaid), "Paid. Thank you!");
    }

    /// Every shipped locale has exactly the English keys, each non-empty and with the same
    /// placeholders (a translation that drops `{due}` would hide the amount still owed).
    #[test]
    fn no_locale_misses_a_key_or_a_placeholder() {
        let english = Catalog::english();
        let dir = format!("{}/../locales", env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".json").to_owned())
            .collect();
        files.sort();
        let mut shipped: Vec<&str> = LOCALES.to_vec();
        shipped.sort();
        assert_eq!(files, shipped, "locales/ and LOCALES must agree");
        assert!(LOCALES.len() >= 23);
        for lang in LOCALES {
            let Json::Object(entries) = Json::parse(&locale_file(lang)).unwrap() else {
                panic!("{lang}.json is not an object")
            };
            for (key, _) in &entries {
                assert!(Msg::ALL.iter().any(|m| m.key() == key), "{lang}.json has unknown key {key}");
            }
            for m in Msg::ALL {
                let Some((_, Json::String(text))) = entries.iter().find(|(k, _)| k == m.key()) else {
                    panic!("{lang}.json misses \"{}\"", m.key())
                };
                assert!(!text.trim().is_empty(), "{lang}.json: \"{}\" is empty", m.key());
                assert_eq!(
                    placeholders(text),
                    placeholders(english.get(*m)),
                    "{lang}.json: \"{}\" has other placeholders than English",
                    m.key()
                );
            }
        }
    }

    /// Every locale file is laid out as en.json is: valid JSON, the English keys in the English
    /// order, one per line, two spaces in, and a final newline (so the files line up in a diff).
    #[test]
    fn locale_files_follow_the_english_layout() {
        let keys: Vec<&str> = Msg::ALL.iter().map(|m| m.key()).collect();
        for lang in LOCALES {
            let file = locale_file(lang);
            let Json::Object(entries) = Json::parse(&file).unwrap_or_else(|e| panic!("{lang}.json: {e}"))
            else {
                panic!("{lang}.json is not an object")
            };
            let order: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(order, keys, "{lang}.json: the keys must be those of en.json, in its order");
            assert!(!file.contains(['\r', '\t']), "{lang}.json: no carriage return or tab");
            assert!(
                file.starts_with("{\n") && file.ends_with("\n}\n"),
                "{lang}.json: {{ … }} and a final newline"
            );
            let lines: Vec<&str> = file.lines().collect();
            assert_eq!(lines.len(), keys.len() + 2, "{lang}.json: one key per line");
            for (i, (line, key)) in lines[1..=keys.len()].iter().zip(&keys).enumerate() {
                let end = if i + 1 == keys.len() { "\"" } else { "\"," };
                assert!(
                    line.starts_with(&format!("  \"{key}\": \"")) && line.ends_with(end),
                    "{lang}.json line {}: `  \"{key}\": \"…\"{}` expected, found `{line}`",
                    i + 2,
                    &end[1..]
                );
            }
        }
    }

    /// Network names, never translated (like the tickers): an English text made only of these,
    /// placeholders and punctuation has no English words to translate ("Lightning", the tab).
    /// The bank rails' identifiers are the schemes' own terms in every language: "IBAN", "BIC"
    /// (ISO 13616, ISO 9362), "Pix" (the central bank's brand) and "UPI ID" (NPCI's term, which
    /// Indian banking apps show as is in every language).
    const NAMES: &[&str] = &["bitcoin", "lightning", "iban", "bic", "pix", "upi", "id"];

    /// The (locale, key) pairs whose translation is rightly spelt as the English text. Keep it
    /// short: each entry says why the word is that language's own.
    const SAME_AS_ENGLISH: &[(&str, &str)] = &[
        // The receipt's label "Transaction": the French word is spelt the same.
        ("fr", "receipt_tx"),
    ];

    /// A text's words, lowercase, its `{placeholders}` left out.
    fn words(text: &str) -> Vec<String> {
        let mut plain = String::with_capacity(text.len());
        let mut in_placeholder = false;
        for c in text.chars() {
            match c {
                '{' => in_placeholder = true,
                '}' if in_placeholder => {
                    in_placeholder = false;
                    plain.push(' ');
                }
                _ if !in_placeholder => plain.push(c),
                _ => {}
            }
        }
        plain.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    }

    /// Why `text`, a translation of the English `en`, still shows the shopper English: it is the
    /// English text (ignoring case; unless that is only names, placeholders and punctuation), or it
    /// keeps three or more of its words in a row.
    fn english_left(en: &str, text: &str) -> Option<String> {
        let en_words = words(en);
        if text.trim().to_lowercase() == en.trim().to_lowercase() {
            let english_words = en_words.iter().any(|w| !NAMES.contains(&w.as_str()));
            return english_words.then(|| "is the English text".to_owned());
        }
        let text_words = words(text);
        en_words
            .windows(3)
            .find(|run| text_words.windows(3).any(|w| w == *run))
            .map(|run| format!("keeps the English words \"{}\"", run.join(" ")))
    }

    #[test]
    fn english_left_catches_english_and_spares_names_and_placeholders() {
        assert_eq!(words("View transaction {txid} on {explorer}…"), ["view", "transaction", "on"]);
        assert_eq!(words("I've sent it"), ["i", "ve", "sent", "it"]);
        assert!(english_left("Paid to", "paid to").is_some());
        assert!(english_left("Lightning", "Lightning").is_none(), "a network name only");
        assert!(english_left("{amount}", "{amount}").is_none());
        assert!(english_left("Bitcoin or Lightning", "Bitcoin or Lightning").is_some());
        assert!(english_left("Need more time?", "Besoin de plus de temps ?").is_none());
        let half = english_left("Payment received after the deadline", "Pago received After The deadline.");
        assert_eq!(half.as_deref(), Some("keeps the English words \"received after the\""));
        assert!(english_left("Send {due} to the shop", "Envía {due} a la tienda").is_none());
        assert!(english_left("Refund {network} address", "Refund {x} address").is_none(), "two words");
    }

    /// No shopper reads English in another locale: every text differs from the English one and
    /// keeps no three English words in a row ([`english_left`]), but for [`SAME_AS_ENGLISH`].
    #[test]
    fn no_locale_leaves_english_words_for_the_shopper() {
        let english = Catalog::english();
        let mut found = Vec::new();
        for &lang in LOCALES.iter().filter(|l| **l != "en") {
            let catalog = Catalog::parse(lang, &locale_file(lang), None).unwrap();
            for m in Msg::ALL {
                let (en, text) = (english.get(*m), catalog.get(*m));
                let allowed = SAME_AS_ENGLISH.contains(&(lang, m.key()));
                match english_left(en, text) {
                    Some(why) if !allowed => found.push(format!("{lang}.json: \"{}\" {why}", m.key())),
                    None if allowed => {
                        found.push(format!("{lang}/{} need not be in SAME_AS_ENGLISH", m.key()))
                    }
                    _ => {}
                }
            }
        }
        assert!(found.is_empty(), "English left in the translations:\n{}", found.join("\n"));
    }

    #[test]
    fn the_messages_are_the_old_templates() {
        use std::error::Error;
        let json = Json::parse("{").unwrap_err();
        let err = I18nError::from(json.clone());
        assert_eq!(err.to_string(), format!("locale file: {json}"));
        assert_eq!(err.source().map(ToString::to_string), Some(json.to_string()));
        assert_eq!(
            I18nError::NotAnObject.to_string(),
            "locale file: the top level must be an object of strings"
        );
        assert!(I18nError::NotAnObject.source().is_none());
        let key = "amount \"x\"";
        assert_eq!(
            I18nError::NotAString(key.into()).to_string(),
            format!("locale file: \"{key}\" must be a string")
        );
    }

    #[test]
    fn a_missing_key_falls_back_to_english_and_bad_files_are_errors() {
        let en = Catalog::english();
        let fr = Catalog::parse("fr", r#"{"amount": "Montant"}"#, Some(&en)).unwrap();
        assert_eq!(fr.get(Msg::Amount), "Montant");
        assert_eq!(fr.get(Msg::Network), en.get(Msg::Network));
        assert_eq!(Catalog::parse("fr", "[]", None), Err(I18nError::NotAnObject));
        assert_eq!(
            Catalog::parse("fr", r#"{"amount": 1}"#, None),
            Err(I18nError::NotAString("amount".into()))
        );
        assert!(matches!(Catalog::parse("fr", "{", None), Err(I18nError::Json(_))));
    }
}
