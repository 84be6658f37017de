//! Any bytes as a Server-Sent Events stream, fed in chunks: never panics, no event's data is
//! over the bound, and the events (and the error, if any) are the same as when the stream is
//! fed whole.
//!
//! Input: byte 0 picks the bound (`1 + 16 × b0` bytes), byte 1 (mod 8) how many chunk sizes
//! follow, one byte each; the rest is the stream, cut into chunks of those sizes in turn.
#![no_main]
use libfuzzer_sys::fuzz_target;
use payform_core::sse::{SseError, SseEvent, SseParser};

/// Feeds `stream` in chunks of `sizes` in turn (the whole at once if none; a size of 0 feeds
/// an empty chunk, then one byte), then once empty, which reports an error left over from the
/// last chunk.
fn read(stream: &[u8], sizes: &[u8], max: usize) -> (Vec<SseEvent>, Option<SseError>) {
    let mut parser = SseParser::new(max);
    let (mut events, mut rest) = (Vec::new(), stream);
    let mut sizes = sizes.iter().cycle();
    let mut feed = |chunk: &[u8]| parser.feed(chunk).map(|new| events.extend(new));
    while !rest.is_empty() {
        let n = match sizes.next() {
            Some(0) => {
                if let Err(e) = feed(&[]) {
                    return (events, Some(e));
                }
                1
            }
            Some(&n) => usize::from(n).min(rest.len()),
            None => rest.len(),
        };
        let (chunk, tail) = rest.split_at(n);
        if let Err(e) = feed(chunk) {
            return (events, Some(e));
        }
        rest = tail;
    }
    match feed(&[]) {
        Ok(()) => (events, None),
        Err(e) => (events, Some(e)),
    }
}

fuzz_target!(|data: &[u8]| {
    let [b0, b1, rest @ ..] = data else { return };
    let max = 1 + 16 * usize::from(*b0);
    let k = usize::from(b1 % 8).min(rest.len());
    let (sizes, stream) = rest.split_at(k);
    let chunked = read(stream, sizes, max);
    for event in &chunked.0 {
        assert!(event.data.len() <= max && !event.event.is_empty());
    }
    assert_eq!(chunked, read(stream, &[], max));
});
