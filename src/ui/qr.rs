//! The QR code as SVG elements built in Rust (one `<path>` of dark modules), and the
//! "open in wallet" link.

use crate::i18n::{Catalog, Msg};
use crate::network::Network;
use crate::qr::{QrError, QrMatrix};
use leptos::either::Either;
use leptos::prelude::*;
use std::sync::Arc;

/// The wallet URI as a QR code. Its text alternative (`aria-label`) says what it holds, the
/// payment link for the amount to the address shown above, without reading the link out (the
/// address is read in its groups by the address row; the amount by the amount row).
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
    let label = t.fill(Msg::QrLabel, &[("amount", &amount)]);
    let body = match qr {
        Ok(m) => Either::Left({
            let size = m.view_size();
            let view_box = crate::cat!("0 0 ", size, ' ', size);
            view! {
                <svg class="pf-qr" data-testid="qr" viewBox=view_box role="img" aria-label=label
                    shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">
                    <rect width="100%" height="100%" fill="#fff" />
                    <path d=m.svg_path() fill="#000" />
                </svg>
            }
        }),
        // Only a URI too long for any QR version fails; the address and amount are on screen.
        Err(_) => Either::Right(
            view! { <p class="pf-qr-error" role="alert">{t.get(Msg::QrTooLong).to_owned()}</p> },
        ),
    };
    let open = t.get(Msg::OpenWallet).to_owned();
    // Tron has no URI scheme: its "URI" is the bare address, which is no link.
    let link = network.has_wallet_link().then(|| {
        view! { <a class="pf-wallet" href=uri data-focus="wallet" data-testid="wallet-link">{open}</a> }
    });
    view! {
        <div class="pf-qr-box">
            {body}
            {link}
        </div>
    }
}
