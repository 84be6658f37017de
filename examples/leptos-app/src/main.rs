//! A Leptos app with Payform in it: the shop's checkout page shows the payment whose URL is in
//! `?src=` (the shop's server created it; against `make dev`'s devserver, e.g.
//! `?src=/api/payments/pay_…`) and thanks the shopper from the `on_paid` callback.

use leptos::prelude::*;
use payform::events::StatusChange;
use payform::options::{Options, Theme};
use payform::payment::Payment;
use payform::{PayForm, STYLESHEET};

fn main() {
    leptos::mount::mount_to_body(App);
}

/// `name` from the page's query string.
fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name).filter(|v| !v.is_empty())
}

#[component]
fn App() -> impl IntoView {
    let Some(src) = query("src") else {
        return view! { <p>"Open this page with ?src=<the payment's URL>."</p> }.into_any();
    };
    let options = Options { theme: Theme::Auto, ..Options::new(src) };
    // One line per on_paid call (there is only ever one), and the status as the form reports it.
    let paid = RwSignal::new(Vec::<String>::new());
    let status = RwSignal::new(String::from("loading"));
    view! {
        <style>{STYLESHEET}</style>
        <main>
            <h1>"Example Store"</h1>
            <p data-testid="shop-status">"Order status: " {move || status.get()}</p>
            <PayForm
                options=options
                on_status=move |change: StatusChange| status.set(change.status.as_str().to_owned())
                on_paid=move |payment: Payment| paid.update(|lines| lines.push(payment.id))
            />
            {move || {
                paid.get()
                    .into_iter()
                    .map(|id| view! { <p data-testid="thanks">"Thanks, order paid (" {id} ")."</p> })
                    .collect_view()
            }}
        </main>
    }
    .into_any()
}
