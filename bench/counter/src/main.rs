//! The smallest Leptos 0.8 app worth measuring: a button that counts its clicks.
use leptos::prelude::*;

fn main() {
    mount_to_body(|| {
        let (count, set_count) = signal(0);
        view! {
            <button id="counter" on:click=move |_| set_count.update(|n| *n += 1)>
                "Clicked " {count} " times"
            </button>
        }
    })
}
