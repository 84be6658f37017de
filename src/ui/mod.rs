//! The Leptos view layer: one component per file, composed by [`PayForm`]. Components receive
//! validated data from the core and never parse money or addresses themselves. `browser`
//! holds the browser implementations of the core's traits (fetch, timers, randomness).

mod address;
mod amount;
mod bank;
pub mod browser;
mod countdown;
pub mod events;
pub mod intl;
pub mod live;
mod payform;
mod picker;
pub mod push;
mod qr;
mod receipt;
mod refund;
mod sent;
mod status;
mod testmode;
mod theme;
pub mod wallet;

pub use live::{FormState, Source};
pub use payform::{FormView, PayForm, SetupProblem};
