//! `payform_rails.wasm`: the bank rails' checks and encoders (`payform_core::bank`), built as a
//! wasm module of their own so that the form's bundle does not carry them for every shopper.
//! The form fetches it the first time a bank-rail payment arrives (`src/ui/browser/rails.rs`)
//! and asks it one question per payment snapshot, in text ([`payform_core::bank::rail::serve`]).
//!
//! The module imports nothing and exports its memory and four functions:
//! - `pf_protocol() -> version`: the exchange it speaks (`bank::rail::PROTOCOL`);
//! - `pf_alloc(len) -> ptr`: room for a request of `len` bytes, which the caller writes;
//! - `pf_check(ptr, len) -> len`: reads the request (UTF-8 JSON; the room is freed), checks
//!   it and keeps the answer, returning its length in bytes;
//! - `pf_answer() -> ptr`: where that answer is, until the next `pf_check`.

use std::cell::RefCell;

thread_local! {
    /// The last answer, kept for the caller to read.
    static ANSWER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The version of the exchange this module speaks.
#[no_mangle]
pub extern "C" fn pf_protocol() -> u32 {
    payform_core::bank::rail::PROTOCOL
}

/// Room for `len` bytes that the caller writes a request into (handed back by `pf_check`).
#[no_mangle]
pub extern "C" fn pf_alloc(len: usize) -> *mut u8 {
    let mut room = Vec::<u8>::with_capacity(len.max(1));
    let ptr = room.as_mut_ptr();
    std::mem::forget(room);
    ptr
}

/// Checks the request of `len` bytes at `ptr` (from `pf_alloc(len)`) and keeps the answer.
///
/// # Safety
/// `ptr` must come from `pf_alloc(len)` with this same `len`, hold `len` written bytes, and
/// not be used again.
#[no_mangle]
pub unsafe extern "C" fn pf_check(ptr: *mut u8, len: usize) -> usize {
    // SAFETY: the caller's contract above: the allocation of `pf_alloc(len)`, `len` bytes
    // written, owned from here on (dropped at the end).
    let bytes = unsafe { Vec::from_raw_parts(ptr, len, len.max(1)) };
    let answer = match std::str::from_utf8(&bytes) {
        Ok(request) => payform_core::bank::rail::serve(request),
        Err(_) => payform_core::bank::rail::serve(""),
    };
    let len = answer.len();
    ANSWER.with(|a| *a.borrow_mut() = answer);
    len
}

/// Where the last answer is (`pf_check` returned its length).
#[no_mangle]
pub extern "C" fn pf_answer() -> *const u8 {
    ANSWER.with(|a| a.borrow().as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exports as the form uses them: write a request into the room, check, read the answer.
    fn call(request: &str) -> String {
        let ptr = pf_alloc(request.len());
        // SAFETY: `ptr` has room for `request.len()` bytes.
        unsafe { std::ptr::copy_nonoverlapping(request.as_ptr(), ptr, request.len()) };
        // SAFETY: `ptr` is `pf_alloc(len)`'s, with `len` bytes written, not used again.
        let len = unsafe { pf_check(ptr, request.len()) };
        // SAFETY: `pf_answer` points at `len` bytes of the kept answer.
        let bytes = unsafe { std::slice::from_raw_parts(pf_answer(), len) };
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn the_exports_answer_as_serve_does() {
        let request = [
            "sepa_epc",
            "EUR",
            "DE89370400440532013000",
            "10",
            "10",
            "Shop",
            "",
            "RF18539007547034",
            "",
            "",
            "",
            "",
            "",
        ]
        .join("\u{1f}");
        let answer = call(&request);
        assert_eq!(answer, payform_core::bank::rail::serve(&request));
        assert!(answer.starts_with("ok\u{1f}Shop\u{1f}iban\u{1f}"), "{answer}");
        assert!(answer.contains("\u{1f}BCD\n002\n1\nSCT\n\nShop\nDE89370400440532013000\nEUR10\n\nRF18539007547034\u{1f}13\u{1f}"), "{answer}");
        assert!(call("{}").starts_with("error\u{1f}network_error\u{1f}"));
        assert!(call("").starts_with("error\u{1f}"));
        assert_eq!(pf_protocol(), payform_core::bank::rail::PROTOCOL);
    }
}
