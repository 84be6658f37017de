//! Bank-QR rails beside crypto (SEPA credit transfer by EPC QR, Swiss QR-bill, PIX, EMVCo
//! merchant-presented QR, UPI): the identifiers' checksums and the exact payloads each scheme
//! specifies, pure and tested with the schemes' published vectors; [`rail`] checks a payment's
//! rail fields and builds the one payload the form shows.

pub mod emv;
pub mod epc;
pub mod iban;
pub mod pix;
pub mod rail;
pub mod reference;
pub mod swiss;
pub mod upi;
