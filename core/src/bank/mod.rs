//! Bank-QR rails beside crypto (SEPA credit transfer by EPC QR, Swiss QR-bill, PIX, EMVCo
//! merchant-presented QR, UPI): the identifiers' checksums and the exact payloads each scheme
//! specifies, pure and tested with the schemes' published vectors. Not yet part of the payment
//! model or the UI.

pub mod emv;
pub mod epc;
pub mod iban;
pub mod pix;
pub mod reference;
pub mod swiss;
pub mod upi;
