//! What a form accepts, described once: the options table, the typed values and their parsing.
//!
//! [`TABLE`] has one row per option: its spellings (`<pay-form>` attribute and checkout URL key
//! `poll-interval`, JavaScript `pollInterval`, Rust field `poll_interval_ms`), whether the element
//! takes it and how a link may give it ([`Link`]), and natively, for the generated documentation,
//! its type, default and one line of text ([`Key::about`]). [`Options`] holds the typed values;
//! [`Options::set`] parses each from what a page gave, with an [`OptionError`] that names the
//! option as the merchant wrote it and carries its `payform:error` code.
//!
//! Every reader loops over the table: the JavaScript options and the element's attributes
//! (`embed::api`), the hosted checkout's link (`embed::checkout_options`, which applies each
//! row's [`Link`] rule). `payform.js`'s attribute list, `payform.d.ts`'s `MountOptions` and the
//! README's options table are generated from it (`core/tests/contract.rs`).
//!
//! `preset` and `mapping` stay text here; [`Options::format`] checks them and says how the
//! form reads its payment ([`Format`]).

use crate::backend::{preset_file, BackendError, Preset};
use crate::error::ErrorCode;
pub use crate::network::NetworkMode;
use crate::poll;

/// Declares the options: the [`Key`] enum, the runtime [`TABLE`] and, natively only, each
/// option's [`About`] (its doc comment is the option's documentation), so the bundle never
/// carries the documentation text.
macro_rules! options {
    ($(
        $(#[doc = $doc:literal])+
        $key:ident {
            name: $name:literal, js: $js:literal, rust: $rust:literal, kind: $kind:ident,
            default: $default:literal, element: $element:literal, link: $link:ident $(,)?
        }
    )+) => {
        /// One option of a form: a row of [`TABLE`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key {
            $($(#[doc = $doc])+ $key,)+
        }

        impl Key {
            /// Every option, in the order of [`TABLE`].
            pub const ALL: &'static [Key] = &[$(Key::$key,)+];

            /// The option's Rust field, type, default and documentation. Native only: the
            /// bundle never carries it.
            #[cfg(not(target_arch = "wasm32"))]
            pub fn about(self) -> About {
                let (rust, kind, default, doc): (_, _, _, &'static str) = match self {
                    $(Key::$key => ($rust, Kind::$kind, $default, concat!($($doc),+)),)+
                };
                About { rust, kind, default, doc: doc.trim() }
            }
        }

        /// Every option a form accepts, in the order of the documentation.
        pub const TABLE: &[Spec] = &[
            $(Spec { key: Key::$key, name: $name, js: $js, element: $element, link: Link::$link },)+
        ];
    };
}

options! {
    /// The payment URL: a `GET` that returns the payment JSON (`src` or `payment` is required).
    Src { name: "src", js: "src", rust: "src", kind: Url, default: "", element: true, link: SameOrigin }
    /// The payment JSON itself, for server-rendered pages: shown at once, kept live when `src` is given too.
    Payment { name: "payment", js: "payment", rust: "payment", kind: Json, default: "", element: true, link: Never }
    /// The payment's JSON format: a provider preset (see docs/backends.md).
    Preset { name: "preset", js: "preset", rust: "preset", kind: Preset, default: "payform", element: true, link: Plain }
    /// A declarative mapping (JSON) for any other backend; it takes precedence over `preset`.
    Mapping { name: "mapping", js: "mapping", rust: "mapping", kind: Json, default: "", element: true, link: PointersIfAllowed }
    /// Milliseconds between status polls (± 25 % at random; twice as long while confirming).
    PollInterval { name: "poll-interval", js: "pollInterval", rust: "poll_interval_ms", kind: Millis, default: "3000", element: true, link: Plain }
    /// A Server-Sent Events URL pushing payment snapshots; polling is the fallback.
    EventsSrc { name: "events-src", js: "eventsSrc", rust: "events_src", kind: Url, default: "", element: true, link: SameOrigin }
    /// The colour scheme; `auto` follows the shopper's `prefers-color-scheme`.
    Theme { name: "theme", js: "theme", rust: "theme", kind: Theme, default: "light", element: true, link: Plain }
    /// The language: a BCP 47 tag (`de`, `pt-BR`), or `auto` for `navigator.languages`; English when Payform has none of them.
    Lang { name: "lang", js: "lang", rust: "lang", kind: Lang, default: "auto", element: true, link: Plain }
    /// Base URL of the locale files (`<locales><lang>.json`), or, not ending in `/`, the chosen locale's file itself (as `payform.js` passes a bundler's URL); the Leptos component's default is `locales/` next to the page.
    Locales { name: "locales", js: "locales", rust: "locales", kind: Url, default: "`locales/` next to `payform.js`", element: false, link: Never }
    /// Base URL of the provider presets' descriptions (`<presets><name>.json`), or, not ending in `/`, the preset's file itself; the Leptos component's default is `presets/` next to the page.
    Presets { name: "presets", js: "presets", rust: "presets", kind: Url, default: "`presets/` next to `payform.js`", element: false, link: Never }
    /// URL of the bank rails' module, fetched only when a bank-rail payment arrives; the Leptos component's default is `payform_rails.wasm` next to the page.
    Rails { name: "rails", js: "rails", rust: "rails", kind: Url, default: "`payform_rails.wasm` next to `payform.js`", element: false, link: Never }
    /// Hosts a payment's `return_url` may send the shopper to, besides the page's and `src`'s (exact names, separated by spaces or commas).
    ReturnHosts { name: "return-hosts", js: "returnHosts", rust: "return_hosts", kind: Hosts, default: "", element: true, link: Never }
    /// Offers the shopper an optional refund-address field, checked for the payment's network and reported with `payform:refund_address`; the form itself sends it nowhere.
    RefundAddress { name: "refund-address", js: "refundAddress", rust: "refund_address", kind: Flag, default: "false", element: true, link: Plain }
    /// Offers "Need more time?" while the payment is open: it asks the page (`payform:more_time`) to extend the deadline or re-quote.
    MoreTime { name: "more-time", js: "moreTime", rust: "more_time", kind: Flag, default: "false", element: true, link: Plain }
    /// `test` shows only test payments (Sepolia, Holešky, Hoodi, Tron Nile, Solana devnet; testnet, signet and regtest addresses and invoices on bitcoin, lightning, litecoin and dogecoin) under a "TEST — no real funds" banner; `live` refuses them. Never guessed from a payment.
    NetworkMode { name: "network-mode", js: "networkMode", rust: "network_mode", kind: NetworkMode, default: "live", element: true, link: Plain }
}

impl Key {
    /// Whether the option is on or off ([`Kind::Flag`]): present without a value (an
    /// attribute, a link's `&refund-address`) is on.
    pub const fn is_flag(self) -> bool {
        matches!(self, Key::RefundAddress | Key::MoreTime)
    }
}

/// One row of [`TABLE`]: what the readers need at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub key: Key,
    /// The `<pay-form>` attribute and the hosted checkout's URL key (`poll-interval`).
    pub name: &'static str,
    /// The key in `Payform.mount`'s options object (`pollInterval`).
    pub js: &'static str,
    /// Whether `<pay-form>` takes it as an attribute.
    pub element: bool,
    /// Whether, and how, the hosted checkout's link may give it.
    pub link: Link,
}

/// How the hosted checkout's URL may give an option. A link is not trusted with the payment
/// (docs/security.md, "A link").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Never from a link: a payment value, or something only the page's operator may set.
    Never,
    /// As written in the link.
    Plain,
    /// A URL on the checkout page's own origin, or on one its operator lists in
    /// `<meta name="payform-allowed-origins">`.
    SameOrigin,
    /// Only where the page allows it (`<meta name="payform-link-mapping" content="paths">`),
    /// and then only JSON Pointers, never `"=value"` literals.
    PointersIfAllowed,
}

/// The kind of value an option takes (for the generated documentation and declarations).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A URL, resolved against the page.
    Url,
    /// JSON text.
    Json,
    /// A preset name.
    Preset,
    /// A number of milliseconds, clamped to [`PollInterval::MIN`]..=[`PollInterval::MAX`].
    Millis,
    /// One of [`Theme::ALL`].
    Theme,
    /// A BCP 47 tag or `auto`.
    Lang,
    /// Host names.
    Hosts,
    /// On or off: `true`/`false` in JavaScript; an attribute that is present (`""`, `true`)
    /// or `false`.
    Flag,
    /// One of [`NetworkMode::ALL`].
    NetworkMode,
}

/// An option's documentation: its Rust field, kind, default (as written in the docs; empty when
/// it has none) and one line of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    pub rust: &'static str,
    pub kind: Kind,
    pub default: &'static str,
    pub doc: &'static str,
}

/// The colour scheme of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
    /// Follows the shopper's `prefers-color-scheme`, and flips with it.
    Auto,
}

impl Theme {
    /// Every theme, in the order of the documentation.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::Auto];

    /// The option's text.
    pub const fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }

    /// `light`, `dark` or `auto` (any case, surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<Theme> {
        let text = text.trim();
        Theme::ALL.into_iter().find(|t| t.as_str().eq_ignore_ascii_case(text))
    }
}

/// The shopper's language.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Lang {
    /// The browser's languages (`navigator.languages`).
    #[default]
    Auto,
    /// A well-formed BCP 47 tag, as given (trimmed).
    Tag(String),
}

impl Lang {
    /// `auto` (any case) or a BCP 47 tag: a primary language of 2 to 8 letters (or `x`/`i` for
    /// private and grandfathered tags), then subtags of 1 to 8 letters or digits, separated by
    /// `-` (`_` is taken too, as browsers and servers often write it). A tag Payform has no
    /// locale for is valid: it resolves to English.
    pub fn parse(text: &str) -> Option<Lang> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("auto") {
            return Some(Lang::Auto);
        }
        let mut parts = text.split(['-', '_']);
        let primary = parts.next().unwrap_or_default();
        let primary_ok = primary.bytes().all(|b| b.is_ascii_alphabetic())
            && (matches!(primary.len(), 2..=8)
                || primary.eq_ignore_ascii_case("x")
                || primary.eq_ignore_ascii_case("i"));
        let rest_ok = parts.all(|p| matches!(p.len(), 1..=8) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        (primary_ok && rest_ok).then(|| Lang::Tag(text.to_owned()))
    }

    /// The tag, or `None` for `auto`.
    pub fn tag(&self) -> Option<&str> {
        match self {
            Lang::Auto => None,
            Lang::Tag(tag) => Some(tag),
        }
    }

    /// The locale to use: the tag's language if Payform has it (`pt-BR` → `pt`), for `auto`
    /// the first of the browser's languages that Payform has; else English.
    pub fn locale<'a>(&self, browser: impl IntoIterator<Item = &'a str>) -> &'static str {
        match self {
            Lang::Auto => crate::i18n::negotiate(browser),
            Lang::Tag(tag) => crate::i18n::negotiate([tag.as_str()]),
        }
    }
}

/// The time between status polls: always within [`PollInterval::MIN`] and
/// [`PollInterval::MAX`] (the schedule's floor and ceiling, `poll`), whatever was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PollInterval(u64);

impl PollInterval {
    pub const MIN: PollInterval = PollInterval(poll::MIN_DELAY_MS);
    pub const MAX: PollInterval = PollInterval(poll::MAX_DELAY_MS);
    pub const DEFAULT: PollInterval = PollInterval(poll::DEFAULT_INTERVAL_MS);

    /// `ms`, clamped to the bounds.
    pub const fn new(ms: u64) -> PollInterval {
        PollInterval(if ms < Self::MIN.0 {
            Self::MIN.0
        } else if ms > Self::MAX.0 {
            Self::MAX.0
        } else {
            ms
        })
    }

    /// The interval in milliseconds.
    pub const fn ms(self) -> u64 {
        self.0
    }

    /// A whole number of milliseconds (digits only, surrounding spaces ignored), clamped; any
    /// number of digits (a huge one is the ceiling).
    pub fn parse(text: &str) -> Option<PollInterval> {
        let text = text.trim();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let ms = text.bytes().try_fold(0u64, |n, b| n.checked_mul(10)?.checked_add(u64::from(b - b'0')));
        Some(PollInterval::new(ms.unwrap_or(u64::MAX)))
    }

    /// A JavaScript number of milliseconds (fractions dropped), clamped; `None` when it is
    /// negative, infinite or NaN.
    pub fn from_number(ms: f64) -> Option<PollInterval> {
        // `as` saturates, so a huge finite number is the ceiling.
        (ms.is_finite() && ms >= 0.0).then(|| PollInterval::new(ms as u64))
    }
}

impl Default for PollInterval {
    fn default() -> Self {
        PollInterval::DEFAULT
    }
}

/// Exact host names (lower case): DNS names, IPv4 addresses or bracketed IPv6 addresses,
/// never a URL, a port, a path or a wildcard.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HostList(Vec<String>);

impl HostList {
    /// Names separated by spaces or commas; `Err` holds the first that is not a host name.
    pub fn parse(text: &str) -> Result<HostList, &str> {
        let mut list = HostList::default();
        for host in text.split([' ', ',', '\t', '\n']).filter(|h| !h.is_empty()) {
            if !list.add(host) {
                return Err(host);
            }
        }
        Ok(list)
    }

    /// Adds a host name; `false` (and nothing added) if it is not one.
    pub fn add(&mut self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        // The URL reader's host rules, and nothing else in the text (no port, path or user).
        let valid = crate::url::WebUrl::parse(&["https://", &host].concat())
            .is_ok_and(|url| url.host == host && url.port.is_none());
        if valid && !self.0.contains(&host) {
            self.0.push(host);
        }
        valid
    }

    /// The hosts, in the order given.
    pub fn hosts(&self) -> &[String] {
        &self.0
    }
}

/// A value as a page gave it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Given<'a> {
    /// An attribute, a link's value or a JavaScript string.
    Text(&'a str),
    /// A JavaScript number.
    Number(f64),
    /// A JavaScript boolean.
    Bool(bool),
    /// Any other JavaScript value (an object, a boolean, …).
    Other,
}

/// Why an option cannot be used. `option` is the option as the merchant wrote it
/// (`poll-interval` in an attribute or a link, `pollInterval` in JavaScript).
///
/// Its message is built with [`cat!`](crate::cat), not a thiserror `#[error]` template: those
/// expand to `write!`, and the wasm carries no `core::fmt` machinery (see [`crate::text`]).
/// The messages are the variants' documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptionError {
    /// `{option} "{value}" is not a number of milliseconds`
    NotMilliseconds { option: &'static str, value: String },
    /// `{option} must be a number of milliseconds (0 or more)`
    NotANumber { option: &'static str },
    /// `{option} must be a string`
    NotAString { option: &'static str },
    /// `{option} "{value}" is not on or off: use true or false (an attribute: present, or false)`
    NotAFlag { option: &'static str, value: String },
    /// `{option} "{value}" is not a theme: use light, dark or auto`
    UnknownTheme { option: &'static str, value: String },
    /// `{option} "{value}" is not a network mode: use live (real payments, the default) or
    /// test (test networks only)`
    UnknownNetworkMode { option: &'static str, value: String },
    /// `{option} "{value}" is not a language: use a BCP 47 tag such as de or pt-BR, or auto`
    NotALanguage { option: &'static str, value: String },
    /// `{option}: "{value}" is not a host name such as shop.example (exact names, separated by
    /// spaces or commas)`
    NotAHost { option: &'static str, value: String },
    /// ``Payform needs `src` (the payment URL) or `payment` (the payment JSON)``
    NoPayment,
    /// The backend error's own message (and its source).
    UnknownPreset(BackendError),
    /// The backend error's own message (and its source).
    InvalidMapping(BackendError),
    /// `the description of preset "{preset}" could not be used ({url}): {why}`
    PresetUnavailable { preset: String, url: String, why: String },
    /// `This checkout page needs the payment URL: checkout.html?src=<payment URL>`
    LinkWithoutSrc,
    /// `This checkout page does not take a mapping from its link: use preset=…, or let the
    /// page's operator allow it with <meta name="payform-link-mapping" content="paths">.`
    LinkMapping,
    /// `{option} "{value}" is not a URL`
    NotAUrl { option: &'static str, value: String },
    /// `{option} points to {origin}, which this checkout page does not allow: it reads payments
    /// only from its own origin ({page}) and the origins its operator lists in <meta
    /// name="payform-allowed-origins">.`
    ForeignOrigin { option: &'static str, origin: String, page: String },
}

impl OptionError {
    /// The message, as the variants' documentation gives it.
    pub fn message(&self) -> String {
        use crate::cat;
        match self {
            OptionError::NotMilliseconds { option, value } => {
                cat!(option, " \"", value, "\" is not a number of milliseconds")
            }
            OptionError::NotANumber { option } => {
                cat!(option, " must be a number of milliseconds (0 or more)")
            }
            OptionError::NotAString { option } => cat!(option, " must be a string"),
            OptionError::NotAFlag { option, value } => cat!(
                option,
                " \"",
                value,
                "\" is not on or off: use true or false (an attribute: present, or false)"
            ),
            OptionError::UnknownTheme { option, value } => {
                cat!(option, " \"", value, "\" is not a theme: use light, dark or auto")
            }
            OptionError::UnknownNetworkMode { option, value } => cat!(
                option,
                " \"",
                value,
                "\" is not a network mode: use live (real payments, the default) or test (test networks only)"
            ),
            OptionError::NotALanguage { option, value } => cat!(
                option,
                " \"",
                value,
                "\" is not a language: use a BCP 47 tag such as de or pt-BR, or auto"
            ),
            OptionError::NotAHost { option, value } => cat!(
                option,
                ": \"",
                value,
                "\" is not a host name such as shop.example (exact names, separated by spaces or commas)"
            ),
            OptionError::NoPayment => {
                "Payform needs `src` (the payment URL) or `payment` (the payment JSON)".to_owned()
            }
            OptionError::UnknownPreset(e) | OptionError::InvalidMapping(e) => e.message(),
            OptionError::PresetUnavailable { preset, url, why } => {
                cat!("the description of preset \"", preset, "\" could not be used (", url, "): ", why)
            }
            OptionError::LinkWithoutSrc => {
                "This checkout page needs the payment URL: checkout.html?src=<payment URL>".to_owned()
            }
            OptionError::LinkMapping => "This checkout page does not take a mapping from its link: use \
                                         preset=…, or let the page's operator allow it with <meta \
                                         name=\"payform-link-mapping\" content=\"paths\">."
                .to_owned(),
            OptionError::NotAUrl { option, value } => cat!(option, " \"", value, "\" is not a URL"),
            OptionError::ForeignOrigin { option, origin, page } => cat!(
                option,
                " points to ",
                origin,
                ", which this checkout page does not allow: it reads payments only from its own origin (",
                page,
                ") and the origins its operator lists in <meta name=\"payform-allowed-origins\">."
            ),
        }
    }
}

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for OptionError {
    /// As thiserror's `#[error(transparent)]` did: a wrapped error's own source.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OptionError::UnknownPreset(e) | OptionError::InvalidMapping(e) => std::error::Error::source(e),
            _ => None,
        }
    }
}

impl OptionError {
    /// The `payform:error` code: `unknown_preset` and `invalid_mapping` for the format,
    /// `bad_config` for everything else.
    pub fn code(&self) -> ErrorCode {
        match self {
            OptionError::UnknownPreset(_) => ErrorCode::UnknownPreset,
            OptionError::InvalidMapping(_) => ErrorCode::InvalidMapping,
            _ => ErrorCode::BadConfig,
        }
    }
}

/// A value quoted in a message: at most 64 characters (a link can be long).
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(64) {
        Some((end, _)) => [&value[..end], "…"].concat(),
        None => value.to_owned(),
    }
}

/// What a form is given: one field per row of [`TABLE`] (the field is the row's Rust name).
/// The Leptos component takes it whole (`<PayForm options=… />`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Options {
    /// The payment URL: a `GET` that returns the payment JSON.
    pub src: Option<String>,
    /// The payment JSON itself (server-rendered pages); with `src`, `src` keeps it live.
    pub payment: Option<String>,
    /// A preset name (`None`: the native format); see [`Options::format`].
    pub preset: Option<String>,
    /// A declarative mapping (JSON); it takes precedence over `preset`.
    pub mapping: Option<String>,
    /// Time between status polls.
    pub poll_interval_ms: PollInterval,
    /// A Server-Sent Events URL pushing payment snapshots.
    pub events_src: Option<String>,
    pub theme: Theme,
    pub lang: Lang,
    /// Base URL of the locale files (`None`: `locales/` next to the page).
    pub locales: Option<String>,
    /// Base URL of the provider presets' descriptions (`None`: `presets/` next to the page).
    pub presets: Option<String>,
    /// URL of the bank rails' module (`None`: `payform_rails.wasm` next to the page).
    pub rails: Option<String>,
    /// Hosts a payment's `return_url` may name, besides the page's and `src`'s.
    pub return_hosts: HostList,
    /// Offer the refund-address field.
    pub refund_address: bool,
    /// Offer "Need more time?".
    pub more_time: bool,
    /// Real payments (`live`, the default) or test ones only (`test`).
    pub network_mode: NetworkMode,
}

impl Options {
    /// The payment at `src`, every other option at its default.
    pub fn new(src: impl Into<String>) -> Options {
        Options { src: Some(src.into()), ..Options::default() }
    }

    /// Sets one option from what a page gave, named `option` as the merchant wrote it (for the
    /// error). Empty text is the option's default, as if it were not given.
    pub fn set(&mut self, key: Key, option: &'static str, given: Given<'_>) -> Result<(), OptionError> {
        if key.is_flag() {
            // A boolean attribute: present (`""`) is on, as in HTML.
            let on = match given {
                Given::Bool(on) => on,
                Given::Text(t) if t.trim().is_empty() || t.trim().eq_ignore_ascii_case("true") => true,
                Given::Text(t) if t.trim().eq_ignore_ascii_case("false") => false,
                Given::Text(t) => return Err(OptionError::NotAFlag { option, value: quoted(t) }),
                _ => return Err(OptionError::NotAFlag { option, value: String::new() }),
            };
            match key {
                Key::RefundAddress => self.refund_address = on,
                _ => self.more_time = on,
            }
            return Ok(());
        }
        let text = match given {
            Given::Text(text) => text,
            Given::Number(ms) if key == Key::PollInterval => {
                self.poll_interval_ms =
                    PollInterval::from_number(ms).ok_or(OptionError::NotANumber { option })?;
                return Ok(());
            }
            _ if key == Key::PollInterval => return Err(OptionError::NotANumber { option }),
            _ => return Err(OptionError::NotAString { option }),
        };
        let given = || (!text.is_empty()).then(|| text.to_owned());
        let value = || quoted(text);
        match key {
            Key::Src => self.src = given(),
            Key::Payment => self.payment = given(),
            Key::Preset => self.preset = given(),
            Key::Mapping => self.mapping = given(),
            Key::EventsSrc => self.events_src = given(),
            Key::Locales => self.locales = given(),
            Key::Presets => self.presets = given(),
            Key::Rails => self.rails = given(),
            _ if text.is_empty() => self.reset(key),
            Key::PollInterval => {
                self.poll_interval_ms = PollInterval::parse(text)
                    .ok_or_else(|| OptionError::NotMilliseconds { option, value: value() })?
            }
            Key::Theme => {
                self.theme =
                    Theme::parse(text).ok_or_else(|| OptionError::UnknownTheme { option, value: value() })?
            }
            Key::NetworkMode => {
                self.network_mode = NetworkMode::parse(text)
                    .ok_or_else(|| OptionError::UnknownNetworkMode { option, value: value() })?
            }
            Key::Lang => {
                self.lang =
                    Lang::parse(text).ok_or_else(|| OptionError::NotALanguage { option, value: value() })?
            }
            Key::ReturnHosts => {
                self.return_hosts = HostList::parse(text)
                    .map_err(|bad| OptionError::NotAHost { option, value: quoted(bad) })?
            }
            Key::RefundAddress | Key::MoreTime => {}
        }
        Ok(())
    }

    /// Puts one option back to its default.
    pub fn reset(&mut self, key: Key) {
        let default = Options::default();
        match key {
            Key::Src => self.src = default.src,
            Key::Payment => self.payment = default.payment,
            Key::Preset => self.preset = default.preset,
            Key::Mapping => self.mapping = default.mapping,
            Key::PollInterval => self.poll_interval_ms = default.poll_interval_ms,
            Key::EventsSrc => self.events_src = default.events_src,
            Key::Theme => self.theme = default.theme,
            Key::Lang => self.lang = default.lang,
            Key::Locales => self.locales = default.locales,
            Key::Presets => self.presets = default.presets,
            Key::Rails => self.rails = default.rails,
            Key::ReturnHosts => self.return_hosts = default.return_hosts,
            Key::RefundAddress => self.refund_address = default.refund_address,
            Key::MoreTime => self.more_time = default.more_time,
            Key::NetworkMode => self.network_mode = default.network_mode,
        }
    }

    /// How the form reads its payment: the `mapping` if given (parsed now), else the `preset`
    /// (the native format when neither is given).
    pub fn format(&self) -> Result<Format, OptionError> {
        if let Some(mapping) = &self.mapping {
            return Preset::from_mapping(mapping).map(Format::Ready).map_err(OptionError::InvalidMapping);
        }
        let name = self.preset.as_deref().unwrap_or_default();
        Ok(match preset_file(name).map_err(OptionError::UnknownPreset)? {
            None => Format::Ready(Preset::Payform),
            Some(file) => Format::Provider { file },
        })
    }

    /// What a form needs before it starts: a payment (`src` or `payment`) and a format it can
    /// read. Every reader calls it, so a wrong option is reported before anything is fetched.
    pub fn check(&self) -> Result<Format, OptionError> {
        if self.src.is_none() && self.payment.is_none() {
            return Err(OptionError::NoPayment);
        }
        self.format()
    }

    /// Where a provider's description is: `<presets><file>.json` (see [`file_url`]).
    pub fn description_url(&self, file: &str) -> String {
        file_url(self.presets.as_deref().unwrap_or("presets/"), file)
    }
}

/// The URL of `<name>.json` for a `locales` or `presets` value: a base ending in `/` (or empty)
/// is the folder of the files; any other value is the one file itself, as `payform.js` passes
/// it when a bundler has renamed the files (`/assets/de-3f2a.json`, or a `data:` URL).
pub fn file_url(value: &str, name: &str) -> String {
    if value.is_empty() || value.ends_with('/') {
        [value, name, ".json"].concat()
    } else {
        value.to_owned()
    }
}

/// How a form reads its payment ([`Options::format`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// Ready to read with: the native format, or the merchant's mapping.
    Ready(Preset),
    /// A provider preset: its description (`<presets><file>.json`, see
    /// [`Options::description_url`]) is loaded first and read with
    /// [`Preset::from_description`].
    Provider { file: &'static str },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(key: Key, text: &str) -> Result<Options, OptionError> {
        let spec = TABLE.iter().find(|s| s.key == key).unwrap();
        let mut options = Options::default();
        options.set(key, spec.name, Given::Text(text))?;
        Ok(options)
    }

    fn message(key: Key, text: &str) -> String {
        set(key, text).expect_err(text).to_string()
    }

    #[test]
    fn the_table_has_every_key_once_and_distinct_names() {
        assert_eq!(TABLE.len(), Key::ALL.len());
        for (spec, key) in TABLE.iter().zip(Key::ALL) {
            assert_eq!(spec.key, *key);
        }
        let mut seen = std::collections::HashSet::new();
        for spec in TABLE {
            assert!(seen.insert(spec.name), "{} twice", spec.name);
            assert!(spec.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}", spec.name);
            let about = spec.key.about();
            // The spellings are one name: poll-interval, pollInterval, poll_interval(_ms).
            let words: Vec<&str> = spec.name.split('-').collect();
            let camel: String = words
                .iter()
                .enumerate()
                .map(|(i, w)| if i == 0 { w.to_string() } else { w[..1].to_uppercase() + &w[1..] })
                .collect();
            assert_eq!(spec.js, camel, "{}", spec.name);
            assert!(about.rust.starts_with(&words.join("_")), "{} / {}", spec.name, about.rust);
            assert!(
                !about.doc.is_empty() && !about.doc.contains('\n'),
                "{}: one line of documentation",
                spec.name
            );
        }
    }

    #[test]
    fn every_rust_name_is_a_field_of_options() {
        // The derived Debug prints the fields by name, in order: the table's Rust names must be
        // exactly those fields.
        let debug = format!("{:?}", Options::default());
        let fields: Vec<&str> = debug
            .split([',', '{'])
            .filter_map(|part| part.split_once(':').map(|(name, _)| name.trim()))
            .filter(|name| name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .collect();
        let rust: Vec<&str> = Key::ALL.iter().map(|k| k.about().rust).collect();
        assert_eq!(fields, rust);
    }

    #[test]
    fn every_key_sets_its_own_field_and_empty_text_is_the_default() {
        let valid = |key: Key| match key {
            Key::Src => "/api/payments/p1",
            Key::Payment => "{}",
            Key::Preset => "nowpayments",
            Key::Mapping => "{\"fields\":{}}",
            Key::PollInterval => "5000",
            Key::EventsSrc => "/api/payments/p1/events",
            Key::Theme => "dark",
            Key::Lang => "de",
            Key::Locales => "https://cdn.example/locales/",
            Key::Presets => "https://cdn.example/presets/",
            Key::Rails => "https://cdn.example/payform_rails.wasm",
            Key::ReturnHosts => "shop.example",
            Key::RefundAddress | Key::MoreTime => "true",
            Key::NetworkMode => "test",
        };
        for key in Key::ALL {
            let options = set(*key, valid(*key)).unwrap();
            assert_ne!(options, Options::default(), "{key:?} changes the options");
            for other in Key::ALL.iter().filter(|k| *k != key) {
                let mut only = options.clone();
                only.reset(*other);
                assert_eq!(only, options, "{key:?} set nothing of {other:?}");
            }
            let mut back = options.clone();
            back.reset(*key);
            assert_eq!(back, Options::default(), "{key:?} resets");
            let mut empty = options.clone();
            let spec = TABLE.iter().find(|s| s.key == *key).unwrap();
            empty.set(*key, spec.name, Given::Text("")).unwrap();
            if key.about().kind == Kind::Flag {
                assert_eq!(empty, options, "{key:?}: a present boolean attribute is on");
                empty.set(*key, spec.name, Given::Text("false")).unwrap();
                assert_eq!(empty, Options::default(), "{key:?}: false is the default");
                empty.set(*key, spec.name, Given::Bool(true)).unwrap();
                assert_eq!(empty, options, "{key:?}: JavaScript true");
                let wrong = empty.set(*key, spec.name, Given::Text("yes")).unwrap_err();
                assert_eq!(wrong.code(), ErrorCode::BadConfig);
                assert!(wrong.to_string().contains("is not on or off"), "{wrong}");
            } else {
                assert_eq!(empty, Options::default(), "{key:?}: empty text is the default");
            }
        }
    }

    #[test]
    fn the_documented_defaults_are_the_defaults() {
        let defaults = Options::default();
        for key in Key::ALL {
            let about = key.about();
            match about.kind {
                Kind::Millis => assert_eq!(set(*key, about.default).unwrap(), defaults),
                Kind::Theme => assert_eq!(set(*key, about.default).unwrap(), defaults),
                Kind::Lang => assert_eq!(set(*key, about.default).unwrap(), defaults),
                Kind::Preset => {
                    assert_eq!(
                        set(*key, about.default).unwrap().format().unwrap(),
                        defaults.format().unwrap()
                    )
                }
                Kind::Hosts | Kind::Json => assert_eq!(about.default, "", "{key:?}"),
                Kind::Flag => assert_eq!(set(*key, about.default).unwrap(), defaults),
                Kind::NetworkMode => assert_eq!(set(*key, about.default).unwrap(), defaults),
                Kind::Url => {}
            }
            assert_eq!(key.is_flag(), about.kind == Kind::Flag, "{key:?}");
        }
        assert_eq!(defaults.poll_interval_ms.ms(), poll::DEFAULT_INTERVAL_MS);
        assert_eq!(defaults.theme, Theme::Light);
        assert_eq!(defaults.network_mode, NetworkMode::Live);
        assert_eq!(defaults.lang, Lang::Auto);
        assert!(defaults.return_hosts.hosts().is_empty());
        assert_eq!(defaults.format(), Ok(Format::Ready(Preset::Payform)));
        assert_eq!(defaults.check(), Err(OptionError::NoPayment));
    }

    #[test]
    fn poll_interval_is_a_bounded_number_of_milliseconds() {
        let ms = |text: &str| set(Key::PollInterval, text).map(|o| o.poll_interval_ms.ms());
        assert_eq!(ms("5000"), Ok(5_000));
        assert_eq!(ms(" 2500 "), Ok(2_500));
        assert_eq!(ms("1"), Ok(1_000), "clamped to the floor");
        assert_eq!(ms("0"), Ok(1_000));
        assert_eq!(ms("600001"), Ok(600_000), "clamped to the ceiling");
        assert_eq!(ms("99999999999999999999999999"), Ok(600_000), "beyond u64 is the ceiling");
        for bad in ["-5", "3s", "1e3", "1500.5", "+3000", "three", " "] {
            assert_eq!(
                set(Key::PollInterval, bad),
                Err(OptionError::NotMilliseconds { option: "poll-interval", value: bad.to_owned() }),
                "{bad:?}"
            );
        }
        assert_eq!(message(Key::PollInterval, "3s"), "poll-interval \"3s\" is not a number of milliseconds");
        assert_eq!(PollInterval::from_number(1500.7), Some(PollInterval::new(1_500)));
        assert_eq!(PollInterval::from_number(1e300), Some(PollInterval::MAX));
        for bad in [-1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(PollInterval::from_number(bad), None);
        }
        let mut o = Options::default();
        assert_eq!(o.set(Key::PollInterval, "pollInterval", Given::Number(250.0)), Ok(()));
        assert_eq!(o.poll_interval_ms, PollInterval::MIN);
        let err = o.set(Key::PollInterval, "pollInterval", Given::Number(-3.0)).unwrap_err();
        assert_eq!(err.to_string(), "pollInterval must be a number of milliseconds (0 or more)");
        assert_eq!(err.code(), ErrorCode::BadConfig);
        let err = o.set(Key::PollInterval, "pollInterval", Given::Other).unwrap_err();
        assert_eq!(err, OptionError::NotANumber { option: "pollInterval" });
        assert_eq!(o.poll_interval_ms, PollInterval::MIN, "a refused value changes nothing");
    }

    #[test]
    fn theme_is_light_dark_or_auto() {
        assert_eq!(set(Key::Theme, "dark").unwrap().theme, Theme::Dark);
        assert_eq!(set(Key::Theme, "Auto").unwrap().theme, Theme::Auto);
        assert_eq!(set(Key::Theme, " light ").unwrap().theme, Theme::Light);
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.as_str()), Some(t));
        }
        assert_eq!(message(Key::Theme, "blue"), "theme \"blue\" is not a theme: use light, dark or auto");
        assert_eq!(set(Key::Theme, "darker").unwrap_err().code(), ErrorCode::BadConfig);
    }

    #[test]
    fn network_mode_is_live_or_test_and_nothing_else() {
        assert_eq!(set(Key::NetworkMode, "test").unwrap().network_mode, NetworkMode::Test);
        assert_eq!(set(Key::NetworkMode, " TEST ").unwrap().network_mode, NetworkMode::Test);
        assert_eq!(set(Key::NetworkMode, "live").unwrap().network_mode, NetworkMode::Live);
        assert_eq!(
            set(Key::NetworkMode, "").unwrap().network_mode,
            NetworkMode::Live,
            "empty is the default"
        );
        for m in NetworkMode::ALL {
            assert_eq!(NetworkMode::parse(m.as_str()), Some(m));
        }
        for bad in ["testnet", "sandbox", "true", "regtest", "mainnet", "t"] {
            let err = set(Key::NetworkMode, bad).unwrap_err();
            assert_eq!(
                err,
                OptionError::UnknownNetworkMode { option: "network-mode", value: bad.to_owned() }
            );
            assert_eq!(err.code(), ErrorCode::BadConfig);
        }
        assert_eq!(
            message(Key::NetworkMode, "testnet"),
            "network-mode \"testnet\" is not a network mode: use live (real payments, the default) or test \
             (test networks only)"
        );
        let mut o = Options::default();
        let err = o.set(Key::NetworkMode, "networkMode", Given::Bool(true)).unwrap_err();
        assert_eq!(err, OptionError::NotAString { option: "networkMode" });
        assert_eq!(o.network_mode, NetworkMode::Live, "a refused value changes nothing");
    }

    #[test]
    fn lang_is_auto_or_a_bcp47_tag_that_resolves_to_a_locale() {
        let lang = |text: &str| set(Key::Lang, text).map(|o| o.lang);
        assert_eq!(lang("auto"), Ok(Lang::Auto));
        assert_eq!(lang("AUTO"), Ok(Lang::Auto));
        for (tag, locale) in [
            ("de", "de"),
            ("pt-BR", "pt"),
            ("zh-Hant-TW", "zh"),
            ("pt_BR", "pt"),
            ("fa", "fa"),
            ("xx-YY", "en"),
            ("x-private", "en"),
            ("sgn-BE-FR", "en"),
        ] {
            let parsed = lang(tag).unwrap_or_else(|e| panic!("{tag}: {e}"));
            assert_eq!(parsed.tag(), Some(tag));
            assert_eq!(parsed.locale([]), locale, "{tag}");
        }
        assert_eq!(
            Lang::Auto.locale(["xx", "pt-BR", "de"]),
            "pt",
            "auto: the browser's first known language"
        );
        assert_eq!(Lang::Auto.locale([]), "en");
        assert_eq!(Lang::Tag("de".into()).locale(["fr"]), "de", "a tag wins over the browser");
        for bad in
            ["not a locale!", "d", "de-", "-de", "de--DE", "deutschland", "de-toolongsubtag", "12", "de.DE"]
        {
            assert_eq!(
                set(Key::Lang, bad),
                Err(OptionError::NotALanguage { option: "lang", value: bad.to_owned() }),
                "{bad:?}"
            );
        }
        assert_eq!(
            message(Key::Lang, "de.DE"),
            "lang \"de.DE\" is not a language: use a BCP 47 tag such as de or pt-BR, or auto"
        );
    }

    #[test]
    fn return_hosts_is_a_list_of_exact_host_names() {
        let hosts = |text: &str| set(Key::ReturnHosts, text).map(|o| o.return_hosts.hosts().to_vec());
        assert_eq!(hosts("shop.example"), Ok(vec!["shop.example".to_owned()]));
        assert_eq!(
            hosts(" Shop.Example, pay.shop.example  127.0.0.1,[::1] shop.example"),
            Ok(vec!["shop.example".into(), "pay.shop.example".into(), "127.0.0.1".into(), "[::1]".into()]),
            "spaces or commas, lower-cased, once each"
        );
        for bad in [
            "https://shop.example",
            "shop.example:8443",
            "shop.example/thanks",
            "*.shop.example",
            "user@shop.example",
            "shop.example.",
            "bücher.example",
            "-shop.example",
        ] {
            assert_eq!(
                set(Key::ReturnHosts, &["good.example ", bad].concat()),
                Err(OptionError::NotAHost { option: "return-hosts", value: bad.to_owned() }),
                "{bad:?}"
            );
        }
        assert_eq!(
            message(Key::ReturnHosts, "https://shop.example"),
            "return-hosts: \"https://shop.example\" is not a host name such as shop.example (exact names, \
             separated by spaces or commas)"
        );
        let mut list = HostList::default();
        assert!(list.add("Shop.Example") && !list.add("shop.example:1") && list.add("shop.example"));
        assert_eq!(list.hosts(), ["shop.example"]);
    }

    #[test]
    fn text_options_take_strings_only() {
        for key in [
            Key::Src,
            Key::Payment,
            Key::Preset,
            Key::Mapping,
            Key::EventsSrc,
            Key::Locales,
            Key::Presets,
            Key::Rails,
            Key::Theme,
            Key::NetworkMode,
        ] {
            let spec = TABLE.iter().find(|s| s.key == key).unwrap();
            let mut o = Options::default();
            for given in [Given::Number(1.0), Given::Other] {
                let err = o.set(key, spec.js, given).unwrap_err();
                assert_eq!(err, OptionError::NotAString { option: spec.js });
                assert_eq!(err.to_string(), [spec.js, " must be a string"].concat());
            }
        }
        let o = set(Key::Src, "/api/payments/p1").unwrap();
        assert_eq!(o.src.as_deref(), Some("/api/payments/p1"));
        assert_eq!(o, Options::new("/api/payments/p1"));
    }

    #[test]
    fn the_format_comes_from_the_mapping_or_the_preset_with_its_own_code() {
        let mut o = Options::new("/p");
        assert_eq!(o.check(), Ok(Format::Ready(Preset::Payform)));
        o.preset = Some("nowpayments".into());
        assert_eq!(o.check(), Ok(Format::Provider { file: "nowpayments" }));
        assert_eq!(o.description_url("nowpayments"), "presets/nowpayments.json");
        o.presets = Some("https://cdn.example/payform/presets/".into());
        assert_eq!(o.description_url("heleket"), "https://cdn.example/payform/presets/heleket.json");
        o.presets = Some("/assets/heleket-3f2a9c.json".into());
        assert_eq!(
            o.description_url("heleket"),
            "/assets/heleket-3f2a9c.json",
            "not a folder: the file itself"
        );
        assert_eq!(file_url("", "de"), "de.json");
        assert_eq!(file_url("data:application/json;base64,e30=", "de"), "data:application/json;base64,e30=");
        o.preset = Some("cryptomus".into());
        assert_eq!(o.check(), Ok(Format::Provider { file: "heleket" }), "an alias names its provider's file");
        o.preset = Some("stripe".into());
        let err = o.check().unwrap_err();
        assert!(matches!(err, OptionError::UnknownPreset(_)), "{err:?}");
        assert_eq!(err.code(), ErrorCode::UnknownPreset);
        assert!(err.to_string().contains("unknown preset \"stripe\""), "{err}");
        o.mapping = Some("{not json".into());
        let err = o.check().unwrap_err();
        assert!(matches!(err, OptionError::InvalidMapping(_)), "the mapping takes precedence: {err:?}");
        assert_eq!(err.code(), ErrorCode::InvalidMapping);
        let o = Options { payment: Some("{}".into()), ..Options::default() };
        assert_eq!(o.check(), Ok(Format::Ready(Preset::Payform)), "an inline payment needs no src");
        let mapping = r#"{"fields":{"id":"/i","status":"/s","amount":"/a","currency":"/c","network":"/n","address":"/d"}}"#;
        let o = Options { mapping: Some(mapping.into()), ..Options::new("/p") };
        assert!(matches!(o.check(), Ok(Format::Ready(Preset::Mapping(_)))), "{:?}", o.check());
        assert_eq!(
            Options::default().check().unwrap_err().to_string(),
            "Payform needs `src` (the payment URL) or `payment` (the payment JSON)"
        );
    }

    #[test]
    fn no_payment_value_and_nothing_operator_only_comes_from_a_link() {
        let link = |key: Key| TABLE.iter().find(|s| s.key == key).unwrap().link;
        assert_eq!(link(Key::Payment), Link::Never, "no payment value from a link");
        assert_eq!(link(Key::ReturnHosts), Link::Never, "return hosts come from the page's meta");
        assert_eq!(link(Key::Locales), Link::Never, "a link cannot swap the shopper's texts");
        assert_eq!(link(Key::Presets), Link::Never, "nor a provider's description (it may fix values)");
        assert_eq!(link(Key::Mapping), Link::PointersIfAllowed);
        assert_eq!(link(Key::Src), Link::SameOrigin);
        assert_eq!(link(Key::EventsSrc), Link::SameOrigin);
        for spec in TABLE.iter().filter(|s| s.link == Link::Plain) {
            assert!(
                // The two offers only add a control whose event reaches the framing shop alone.
                matches!(
                    spec.key,
                    Key::Preset
                        | Key::PollInterval
                        | Key::Theme
                        | Key::Lang
                        | Key::RefundAddress
                        | Key::MoreTime
                        // A link's test mode only refuses real payments, and shows the operator's
                        // own test payments (from `src`) under the banner.
                        | Key::NetworkMode
                ),
                "{} from a link as written",
                spec.name
            );
        }
    }

    #[test]
    fn the_link_rules_explain_themselves() {
        // The hosted checkout shows these to whoever deployed or linked it (e2e: hostile.test.js).
        let foreign = OptionError::ForeignOrigin {
            option: "events-src",
            origin: "http://localhost:8787".into(),
            page: "http://127.0.0.1:8787".into(),
        };
        assert_eq!(
            foreign.to_string(),
            "events-src points to http://localhost:8787, which this checkout page does not allow: it reads \
             payments only from its own origin (http://127.0.0.1:8787) and the origins its operator lists in \
             <meta name=\"payform-allowed-origins\">."
        );
        assert!(OptionError::LinkMapping
            .to_string()
            .starts_with("This checkout page does not take a mapping from its link"));
        assert_eq!(
            OptionError::LinkWithoutSrc.to_string(),
            "This checkout page needs the payment URL: checkout.html?src=<payment URL>"
        );
        assert_eq!(
            OptionError::NotAUrl { option: "src", value: "http://[".into() }.to_string(),
            "src \"http://[\" is not a URL"
        );
        let unavailable = OptionError::PresetUnavailable {
            preset: "nowpayments".into(),
            url: "presets/nowpayments.json".into(),
            why: "HTTP 404".into(),
        };
        assert_eq!(
            unavailable.to_string(),
            "the description of preset \"nowpayments\" could not be used (presets/nowpayments.json): HTTP 404"
        );
        for e in [foreign, OptionError::LinkMapping, OptionError::LinkWithoutSrc, unavailable] {
            assert_eq!(e.code(), ErrorCode::BadConfig, "{e}");
        }
    }

    #[test]
    fn the_messages_are_the_old_templates() {
        use std::error::Error;
        let (option, value, url, why) = ("poll-interval", "x \"y\" é…", "presets/a.json", "HTTP 404");
        let preset = BackendError::UnknownPreset("stripe".into());
        let mapping = BackendError::Json(crate::json::Json::parse("{").unwrap_err());
        let cases = [
            (
                OptionError::NotMilliseconds { option, value: value.into() },
                format!("{option} \"{value}\" is not a number of milliseconds"),
            ),
            (OptionError::NotANumber { option }, format!("{option} must be a number of milliseconds (0 or more)")),
            (OptionError::NotAString { option }, format!("{option} must be a string")),
            (
                OptionError::UnknownTheme { option, value: value.into() },
                format!("{option} \"{value}\" is not a theme: use light, dark or auto"),
            ),
            (
                OptionError::NotALanguage { option, value: value.into() },
                format!("{option} \"{value}\" is not a language: use a BCP 47 tag such as de or pt-BR, or auto"),
            ),
            (
                OptionError::NotAHost { option, value: value.into() },
                format!(
                    "{option}: \"{value}\" is not a host name such as shop.example (exact names, separated by spaces \
                     or commas)"
                ),
            ),
            (
                OptionError::NoPayment,
                "Payform needs `src` (the payment URL) or `payment` (the payment JSON)".to_owned(),
            ),
            (OptionError::UnknownPreset(preset.clone()), format!("{preset}")),
            (OptionError::InvalidMapping(mapping.clone()), format!("{mapping}")),
            (
                OptionError::PresetUnavailable { preset: "a\"b".into(), url: url.into(), why: why.into() },
                format!("the description of preset \"a\"b\" could not be used ({url}): {why}"),
            ),
            (
                OptionError::LinkWithoutSrc,
                "This checkout page needs the payment URL: checkout.html?src=<payment URL>".to_owned(),
            ),
            (
                OptionError::LinkMapping,
                "This checkout page does not take a mapping from its link: use preset=…, or let the page's \
                 operator allow it with <meta name=\"payform-link-mapping\" content=\"paths\">."
                    .to_owned(),
            ),
            (OptionError::NotAUrl { option, value: value.into() }, format!("{option} \"{value}\" is not a URL")),
            (
                OptionError::ForeignOrigin {
                    option,
                    origin: "https://evil.example".into(),
                    page: "https://shop.example".into(),
                },
                format!(
                    "{option} points to https://evil.example, which this checkout page does not allow: it reads \
                     payments only from its own origin (https://shop.example) and the origins its operator \
                     lists in <meta name=\"payform-allowed-origins\">."
                ),
            ),
        ];
        for (err, old) in cases {
            assert_eq!(err.to_string(), old);
            assert!(err.source().is_none(), "{old}");
        }
    }

    #[test]
    fn quoted_values_are_bounded() {
        let long = "é".repeat(100);
        let err = set(Key::Theme, &long).unwrap_err();
        let OptionError::UnknownTheme { value, .. } = &err else { panic!("{err:?}") };
        assert_eq!(value.chars().count(), 65);
        assert!(value.ends_with('…'));
        assert_eq!(quoted("short"), "short");
    }
}
