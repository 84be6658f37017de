//! A bank-rail payment's "where to pay": the beneficiary, the account (an IBAN in groups of
//! four, a Pix key, a UPI ID, a proxy) and the reference, each copyable; the scheme's QR code
//! for the banking app ([`QrCode`](super::qr::QrCode), with the Swiss cross on a QR-bill and
//! UPI's intent link); Pix's "copia e cola" text. Everything shown was checked by the rails'
//! module (`bank::rail` in the core).

use super::address::{AddressRow, CopyButton};
use super::live::Shown;
use super::qr::QrCode;
use crate::bank::rail::{AccountKind, BankView};
use crate::i18n::{Catalog, Msg};
use crate::network::Network;
use leptos::prelude::*;
use std::sync::Arc;

/// One labelled detail, with a copy button when it is something to type into a banking app.
#[component]
fn BankRow(
    label: Msg,
    value: String,
    testid: &'static str,
    /// What the button copies and its label.
    copy: Option<(String, Msg)>,
    t: Arc<Catalog>,
) -> impl IntoView {
    let copy = copy.map(|(text, msg)| {
        view! { <CopyButton text=text label=t.get(msg).to_owned() focus=testid t=t.clone() /> }
    });
    // As the address row: the label with the copy button on one line, the value whole below.
    view! {
        <div class="pf-bank-row">
            <dt class="pf-row"><span class="pf-label">{t.get(label).to_owned()}</span>{copy}</dt>
            <dd class="pf-bank-value"><bdi dir="ltr" data-testid=testid>{value}</bdi></dd>
        </div>
    }
}

/// The bank details, the code and the scheme's extras.
#[component]
pub fn BankPay(
    /// The payment on screen with its payload and QR.
    shown: Arc<Shown>,
    /// The payment's checked bank details.
    bank: BankView,
    /// The amount the code asks for, as the shopper reads it.
    amount: String,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let network = shown.payment.network();
    let mut rows = vec![(Msg::Beneficiary, bank.beneficiary.clone(), "beneficiary", None)];
    if let Some((kind, text)) = bank.account.clone() {
        let (label, copy_label) = match kind {
            AccountKind::Iban => (Msg::Iban, Msg::CopyIban),
            AccountKind::PixKey => (Msg::PixKey, Msg::CopyAccount),
            AccountKind::UpiId => (Msg::UpiId, Msg::CopyAccount),
            AccountKind::Proxy => (Msg::PayTo, Msg::CopyAccount),
        };
        let copy = bank.account_copy.clone().unwrap_or_else(|| text.clone());
        rows.push((label, text, "bank-account", Some((copy, copy_label))));
    }
    if let Some(bic) = bank.bic.clone() {
        rows.push((Msg::Bic, bic, "bic", None));
    }
    if let Some(r) = bank.reference.clone() {
        rows.push((Msg::Reference, r.shown, "reference", Some((r.copy, Msg::CopyReference))));
    }
    let rows = rows
        .into_iter()
        .map(|(label, value, testid, copy)| view! { <BankRow label=label value=value testid=testid copy=copy t=t.clone() /> })
        .collect_view();
    // Only where the shopper could type the transfer by hand: a reference typed wrong is a
    // payment the merchant cannot match.
    let warn = (bank.reference.is_some() && matches!(network, Network::Sepa | Network::SwissQr)).then(|| {
        view! { <p class="pf-warning" role="note" data-testid="reference-warning">{t.get(Msg::WarnReference).to_owned()}</p> }
    });
    // Pix: the same payload as text, for paying from the phone that shows it.
    let paste = (bank.pasteable && shown.qr.is_ok()).then(|| {
        let label = Some(t.get(Msg::PixCopyPaste).to_owned());
        let copy = Some(t.get(Msg::CopyCode).to_owned());
        view! { <AddressRow address=shown.uri.clone() label=label copy_label=copy grouped=false t=t.clone() /> }
    });
    // No code while the backend's code still asks for the whole amount after a part was paid
    // (the amount row says what remains).
    let code = (!shown.uri.is_empty()).then(|| {
        view! { <QrCode qr=shown.qr.clone() uri=shown.uri.clone() network=network amount=amount t=t.clone() /> }
    });
    view! {
        <dl class="pf-bank" data-testid="bank">{rows}</dl>
        {warn}
        {code}
        {paste}
    }
}
