//! The QR code as SVG elements built in Rust (one `<path>` of dark modules), and the
//! "open in wallet" link.

use crate::i18n::{Catalog, Msg};
use crate::network::Network;
use crate::qr::{QrError, QrMatrix};
use leptos::either::Either;
use leptos::prelude::*;
use std::sync::Arc;

/// The wallet URI (or a bank scheme's payload) as a QR code. Its text alternative
/// (`aria-label`) says what it holds, the payment link for the amount to the address shown
/// above (for a bank rail: the transfer to the beneficiary above), without reading the link out
/// (the address is read in its groups by the address row; the amount by the amount row). A
/// Swiss QR-bill's code carries the Swiss cross in its centre.
#[component]
pub fn QrCode(
    /// The encoded matrix, or why the URI could not be encoded.
    qr: Result<QrMatrix, QrError>,
    /// The wallet URI, for the text alternative and the link.
    uri: String,
    /// The payment's network: it says whether the URI is a link a wallet opens.
    network: Network,
    /// The amount the link asks for, as the shopper reads it (`25 USDT`).
    amount: String,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let bank = network.is_bank();
    let label = t.fill(if bank { Msg::BankQrLabel } else { Msg::QrLabel }, &[("amount", &amount)]);
    let body = match qr {
        Ok(m) => Either::Left({
            let size = m.view_size();
            let view_box = crate::cat!("0 0 ", size, ' ', size);
            let cross = (network == Network::SwissQr).then(|| {
                let (frame, cross) = crate::qr::swiss_cross_paths(m.width());
                view! {
                    <path d=frame fill="#fff" />
                    <path d=cross fill="#000" fill-rule="evenodd" data-testid="swiss-cross" />
                }
            });
            view! {
                <svg class="pf-qr" data-testid="qr" viewBox=view_box role="img" aria-label=label
                    shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
                    <rect width="100%" height="100%" fill="#fff" />
                    <path d=m.svg_path() fill="#000" />
                    {cross}
                </svg>
            }
        }),
        // Only a URI too long for any QR version fails; the address and amount are on screen.
        Err(_) => Either::Right(
            view! { <p class="pf-qr-error" role="alert">{t.get(Msg::QrTooLong).to_owned()}</p> },
        ),
    };
    // Tron has no URI scheme: its "URI" is the bare address, which is no link. Of the bank
    // rails only UPI's code is a link (`upi://pay?…`), which a phone opens in a UPI app.
    let open = match network {
        Network::Upi => Some(Msg::OpenUpi),
        _ if network.has_wallet_link() => Some(Msg::OpenWallet),
        _ => None,
    };
    let link = open.map(|msg| {
        view! { <a class="pf-wallet" part="link" href=uri data-focus="wallet" data-testid="wallet-link">{t.get(msg).to_owned()}</a> }
    });
    let scan = bank
        .then(|| view! { <p class="pf-hint" data-testid="bank-scan">{t.get(Msg::BankScan).to_owned()}</p> });
    view! {
        <div class="pf-qr-box">
            {body}
            {scan}
            {link}
        </div>
    }
}

/// Where to pay: the address and its QR code; for a Bitcoin payment with a Lightning invoice,
/// three tabs (either wallet through one BIP-321 QR, on-chain alone, Lightning alone), each
/// with what it copies and its QR.
#[component]
pub fn PayWays(
    /// The payment on screen, with its ways to pay.
    shown: std::sync::Arc<super::live::Shown>,
    /// The amount the links ask for, as the shopper reads it.
    amount: String,
    /// The form's record of the shopper's choice: read once when built and written, so a
    /// screen rebuilt by a payment update keeps it (never subscribed to).
    choice: RwSignal<usize>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    use super::live::WayKind;
    let network = shown.payment.network();
    if shown.ways.is_empty() {
        return Either::Left(view! {
            <super::address::AddressRow address=shown.payment.address.clone() t=t.clone() />
            <QrCode qr=shown.qr.clone() uri=shown.uri.clone() network=network amount=amount t=t />
        });
    }
    // A radio group: the browser gives it arrow-key navigation and "1 of 3" to screen readers,
    // with no handler of our own (cheaper than an ARIA tablist: docs/size.md).
    let chosen = RwSignal::new(choice.get_untracked().min(shown.ways.len().saturating_sub(1)));
    let initial = chosen.get_untracked();
    let group = crate::cat!("pf-way-", NEXT_GROUP.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let choices = shown
        .ways
        .iter()
        .enumerate()
        .map(|(i, way)| {
            let name = t.get(match way.kind {
                WayKind::Unified => Msg::TabUnified,
                WayKind::Direct => Msg::TabOnchain,
                WayKind::Lightning => Msg::TabLightning,
            });
            view! {
                <label class="pf-way-choice">
                    <input type="radio" name=group.clone() checked=i == initial data-testid="way-tab"
                        data-way=way.kind_name() data-focus=way.kind_name()
                        on:change=move |_| { chosen.set(i); choice.set(i); } />
                    {name.to_owned()}
                </label>
            }
        })
        .collect_view();
    let ways = shown.ways.clone();
    let hint = t.get(Msg::UnifiedHint).to_owned();
    let legend = t.get(Msg::PayWith).to_owned();
    let panel = move || {
        let way = ways[chosen.get().min(ways.len() - 1)].clone();
        let lightning = way.kind == WayKind::Lightning;
        let way_network = if lightning { crate::network::Network::Lightning } else { network };
        let label = lightning.then(|| t.get(Msg::TabLightning).to_owned());
        view! {
            <div class="pf-way" data-testid="way" data-way=way.kind_name()>
                <p class="pf-hint" hidden=way.kind != WayKind::Unified data-testid="unified-hint">{hint.clone()}</p>
                <super::address::AddressRow address=way.target.clone() label=label t=t.clone() />
                <QrCode qr=way.qr.clone() uri=way.uri.clone() network=way_network amount=amount.clone() t=t.clone() />
            </div>
        }
    };
    Either::Right(view! {
        <div class="pf-ways">
            <fieldset class="pf-way-choices">
                <legend class="pf-sr-only">{legend}</legend>
                {choices}
            </fieldset>
            {panel}
        </div>
    })
}

/// Unique radio-group names, so two forms on one page never share a group.
static NEXT_GROUP: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

impl super::live::Way {
    /// The way's name in `data-way` (and the tab's `data-focus`).
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            super::live::WayKind::Unified => "unified",
            super::live::WayKind::Direct => "onchain",
            super::live::WayKind::Lightning => "lightning",
        }
    }
}
