//! Numbers and times in the shopper's locale through the browser's `Intl` (no locale data in
//! the bundle). Only what is *shown* goes through here: the copy buttons, the wallet link and
//! the QR keep the canonical amount. Any `Intl` failure falls back to the canonical text.
//! English, the default, is formatted in Rust the way `Intl` would (its first use on a page
//! costs about 15 ms, which the first screen should not wait for).

use crate::i18n::{self, Catalog};
use crate::money::Amount;
use crate::{cat, text};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl)]
    type NumberFormat;
    #[wasm_bindgen(constructor, js_namespace = Intl, catch)]
    fn new(locale: &str, options: &Object) -> Result<NumberFormat, JsValue>;
    /// `format` takes the decimal *string*: Intl formats it exactly, with no float rounding.
    #[wasm_bindgen(method, catch)]
    fn format(this: &NumberFormat, value: &str) -> Result<String, JsValue>;

    #[wasm_bindgen(js_namespace = Intl)]
    type DateTimeFormat;
    #[wasm_bindgen(constructor, js_namespace = Intl, catch)]
    fn new(locale: &str, options: &Object) -> Result<DateTimeFormat, JsValue>;
    #[wasm_bindgen(method, catch, js_name = format)]
    fn format_date(this: &DateTimeFormat, date: &js_sys::Date) -> Result<String, JsValue>;
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn number(lang: &str, text: &str, opts: &[(&str, JsValue)]) -> Option<String> {
    NumberFormat::new(lang, &options(opts)).ok()?.format(text).ok()
}

/// A decimal string in the locale's digits and separators, every decimal kept:
/// `1234.5` → `1,234.5` (en), `1.234,5` (de), `١٬٢٣٤٫٥` (ar).
pub fn decimal(lang: &str, text: &str) -> String {
    if lang == "en" {
        return i18n::group_english(text);
    }
    let decimals = text.split_once('.').map_or(0, |(_, f)| f.len()).min(100) as f64;
    let fraction = JsValue::from_f64(decimals);
    number(lang, text, &[("minimumFractionDigits", fraction.clone()), ("maximumFractionDigits", fraction)])
        .unwrap_or_else(|| text.to_owned())
}

/// An amount with its currency code: `0.0025 BTC`, `0,0025 BTC`.
pub fn money(lang: &str, amount: Amount, currency: &str) -> String {
    cat!(decimal(lang, &amount.to_shown()), ' ', currency)
}

/// The fiat price as the locale writes money (`$25.00`, `25,00 $`). Backend text, so it is
/// formatted only when it is a plain decimal and a three-letter code; otherwise shown as sent.
pub fn fiat(lang: &str, amount: &str, currency: &str) -> String {
    let code = currency.len() == 3 && currency.chars().all(|c| c.is_ascii_alphabetic());
    if !(code && i18n::is_plain_decimal(amount)) {
        return cat!(amount, ' ', currency);
    }
    if lang == "en" {
        return english_money(amount, currency);
    }
    let style = [("style", "currency".into()), ("currency", currency.to_ascii_uppercase().into())];
    number(lang, amount, &style).unwrap_or_else(|| cat!(amount, ' ', currency))
}

/// Money as `Intl.NumberFormat("en", {style: "currency"})` writes the common currencies
/// (`$25.00`, `€25.00`, `CHF 25.00`), without waiting for `Intl` to initialise. `amount` is a
/// plain decimal and `currency` a three-letter code (checked by [`fiat`]).
fn english_money(amount: &str, currency: &str) -> String {
    let grouped = i18n::group_english(amount);
    // Intl writes two minor units (none for the yen): 25 → 25.00.
    let minor = if currency.eq_ignore_ascii_case("JPY") { 0 } else { 2 };
    let have = grouped.split_once('.').map_or(0, |(_, f)| f.len());
    let grouped = match (have, minor) {
        (0, 2) => grouped + ".00",
        (1, 2) => grouped + "0",
        _ => grouped,
    };
    let symbol = match currency.to_ascii_uppercase().as_str() {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "¥",
        "INR" => "₹",
        "CNY" => "CN¥",
        "CAD" => "CA$",
        "AUD" => "A$",
        "BRL" => "R$",
        _ => return cat!(currency, ' ', grouped),
    };
    cat!(symbol, grouped)
}

/// A two-digit-or-more count in the locale's digits (for the countdown).
pub fn digits(lang: &str, n: i64, min: u8) -> String {
    if lang == "en" {
        return padded_signed(n, min);
    }
    number(lang, &cat!(n), &[("minimumIntegerDigits", JsValue::from_f64(min as f64))])
        .unwrap_or_else(|| padded_signed(n, min))
}

/// `format!("{n:0min$}")`: the sign, then at least `min` digits less one for the sign.
fn padded_signed(n: i64, min: u8) -> String {
    let digits = usize::from(min).saturating_sub(usize::from(n < 0));
    let unsigned = text::padded(u128::from(n.unsigned_abs()), digits);
    if n < 0 {
        cat!('-', unsigned)
    } else {
        unsigned
    }
}

/// The time left, `mm:ss` or `h:mm:ss`, in the locale's digits.
pub fn time_left(lang: &str, ms: i64) -> String {
    i18n::format_left(ms, |n, min| digits(lang, n, min))
}

/// A moment as the locale writes it: the time alone when it is within a day, else date and time.
pub fn moment(lang: &str, at_ms: i64, now_ms: i64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(at_ms as f64));
    let style = if (at_ms - now_ms).abs() < 86_400_000 {
        vec![("timeStyle", JsValue::from_str("short"))]
    } else {
        vec![("dateStyle", "medium".into()), ("timeStyle", "short".into())]
    };
    DateTimeFormat::new(lang, &options(&style))
        .ok()
        .and_then(|f| f.format_date(&date).ok())
        .unwrap_or_else(|| String::from(date.to_iso_string()))
}

/// The shopper's languages: the `lang` option, or `navigator.languages` when it is absent or
/// `auto`.
pub fn requested_languages(lang: Option<&str>) -> Vec<String> {
    match lang.map(str::trim) {
        Some(l) if !l.is_empty() && !l.eq_ignore_ascii_case("auto") => vec![l.to_owned()],
        _ => web_sys::window()
            .map(|w| w.navigator().languages().iter().filter_map(|v| v.as_string()).collect())
            .unwrap_or_default(),
    }
}

/// The locale to use for `lang` (see [`requested_languages`]).
pub fn choose(lang: Option<&str>) -> &'static str {
    let tags = requested_languages(lang);
    i18n::negotiate(tags.iter().map(String::as_str))
}

/// Fetches `<base><lang>.json` (only the locale in use is ever downloaded). English is built in;
/// a missing or broken file leaves the form in English rather than blank.
pub async fn load(lang: &'static str, base: &str) -> Catalog {
    let english = Catalog::english();
    if lang == "en" {
        return english;
    }
    let url = crate::options::file_url(base, lang);
    match super::browser::get(&url, None).await {
        Ok(reply) if reply.status == 200 => {
            Catalog::parse(lang, &reply.body, Some(&english)).unwrap_or(english)
        }
        _ => english,
    }
}
