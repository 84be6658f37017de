//! The merchant bundle behind `payform.js`: nothing runs at load; `payform.js` calls the
//! exported `mount`, `mountCheckout` and `version` (see `payform::embed::api`).

pub use payform::embed::api::{mount, version, FormHandle};
pub use payform::embed::frame::mount_checkout;

fn main() {}
