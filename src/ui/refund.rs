//! The optional refund address (the `refund-address` option): a field checked by the same
//! address validator as the payment's own address, for the payment's network (on-chain Bitcoin
//! for a Lightning payment), and reported to the merchant page as `payform:refund_address`. The
//! form never sends it anywhere itself.

use crate::address::{self, refund_network, MAX_REFUND_CHARS};
use crate::i18n::{Catalog, Msg};
use crate::payment::Payment;
use leptos::html::Div;
use leptos::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// Unique ids for the label and the messages, so two forms on one page never share one.
static NEXT_ID: AtomicU32 = AtomicU32::new(0);

/// The refund-address field of `payment`; events go to `root`.
#[component]
pub fn RefundField(
    /// The payment the refund would be for.
    payment: Payment,
    /// The form's root element (where `payform:refund_address` is dispatched).
    root: NodeRef<Div>,
    /// The form's record of the field (its text, and whether "Save" took it): read once when
    /// built and written, so a screen rebuilt by a payment update keeps what the shopper typed.
    record: RwSignal<(String, Option<bool>)>,
    /// The host's `on_refund_address`, run after the event.
    on: Option<Callback<super::events::RefundAddress>>,
    /// The shopper's language.
    t: Arc<Catalog>,
) -> impl IntoView {
    let n = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let (input_id, hint_id, msg_id) =
        (crate::cat!("pf-refund-", n), crate::cat!("pf-refund-hint-", n), crate::cat!("pf-refund-msg-", n));
    let network = refund_network(payment.network());
    let merchant = payment.merchant.clone().unwrap_or_else(|| t.get(Msg::TheMerchant).to_owned());
    let hint = t.fill(Msg::RefundHint, &[("merchant", &merchant), ("network", network.display_name())]);
    let invalid = t.fill(Msg::RefundInvalid, &[("network", network.display_name())]);
    let saved = t.get(Msg::RefundSaved).to_owned();
    let (typed, tried) = record.get_untracked();
    let text = RwSignal::new(typed);
    // None: nothing tried yet; Some(true): saved; Some(false): refused.
    let outcome = RwSignal::new(tried);
    let keep = move || record.set((text.get_untracked(), outcome.get_untracked()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match address::refund_address_in(payment.network(), payment.mode, &text.get_untracked()) {
            Some(canonical) => {
                outcome.set(Some(true));
                if let Some(el) = root.get_untracked() {
                    let detail = super::events::refund_detail(&canonical, network.id(), &payment);
                    super::events::dispatch(&el, super::events::REFUND_ADDRESS, &detail);
                    super::events::call(on, || super::events::RefundAddress {
                        address: canonical,
                        network: network.id().to_owned(),
                        payment: payment.clone(),
                    });
                }
            }
            None => outcome.set(Some(false)),
        }
        keep();
    };
    let describedby = [hint_id.as_str(), " ", msg_id.as_str()].concat();
    view! {
        <form class="pf-refund" data-testid="refund" novalidate on:submit=submit>
            <label class="pf-label" for=input_id.clone()>{t.get(Msg::RefundLabel).to_owned()}</label>
            <p class="pf-hint" id=hint_id>{hint}</p>
            <div class="pf-refund-row">
                <input id=input_id type="text" class="pf-refund-input" dir="ltr" autocomplete="off"
                    autocapitalize="off" spellcheck="false" maxlength=MAX_REFUND_CHARS.to_string()
                    data-focus="refund-input" data-testid="refund-input" aria-describedby=describedby
                    aria-invalid=move || if outcome.get() == Some(false) { "true" } else { "false" }
                    prop:value=text.get_untracked()
                    on:input=move |ev| { text.set(event_target_value(&ev)); outcome.set(None); keep(); } />
                <button type="submit" class="pf-refund-save" part="button" data-focus="refund-save" data-testid="refund-save">
                    {t.get(Msg::RefundSave).to_owned()}
                </button>
            </div>
            <p class="pf-refund-msg" id=msg_id role="status" data-testid="refund-msg"
                data-state=move || match outcome.get() { Some(true) => "saved", Some(false) => "invalid", None => "" }>
                {move || match outcome.get() {
                    Some(true) => saved.clone(),
                    Some(false) => invalid.clone(),
                    None => String::new(),
                }}
            </p>
        </form>
    }
}
