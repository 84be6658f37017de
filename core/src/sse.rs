//! An incremental Server-Sent Events reader: the "event stream interpretation" of the WHATWG
//! HTML standard (§ 9.2.6), fed with the stream's bytes in chunks as they arrive.
//!
//! Lines end with CRLF, LF or CR (a CRLF split between two chunks is one line end); a UTF-8
//! byte-order mark at the very start is skipped and invalid UTF-8 becomes U+FFFD, as the
//! standard's decoder does (a chunk may end inside a character: lines are decoded whole).
//! A line starting with `:` is a comment; otherwise the field name runs up to the first `:`
//! and one space after it is dropped from the value. `data` lines are joined with `\n`,
//! `event` sets the type (`message` if none), `id` sets the last event ID (unless it holds a
//! NUL), `retry` sets the reconnection time if it is all ASCII digits; other fields are
//! ignored. A blank line dispatches the event, unless it had no `data` line at all; an event
//! not followed by a blank line is never dispatched.
//!
//! Memory is bounded while reading: a line longer than `max_event_bytes`, or an event whose
//! data grows past it, is an error as soon as the byte that breaks the bound arrives, so a
//! hostile stream is never buffered whole. The error is final: the caller closes the stream.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event` field, or `"message"` when the event had none (or an empty one).
    pub event: String,
    /// The `data` lines, joined with `\n`.
    pub data: String,
    /// The stream's last event ID when the event was dispatched; `None` while it is empty
    /// (never set, or reset by an `id` line without a value).
    pub id: Option<String>,
}

/// Why a stream was given up.
///
/// Its message is built with [`cat!`](crate::cat), not a thiserror `#[error]` template: those
/// expand to `write!`, and the wasm carries no `core::fmt` machinery (see [`crate::text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SseError {
    /// `a line of the event stream is longer than {max} bytes`
    LineTooLong { max: usize },
    /// `an event's data is larger than {max} bytes`
    EventTooLarge { max: usize },
}

impl SseError {
    /// The message, as the variants' documentation gives it.
    pub fn message(&self) -> String {
        match *self {
            SseError::LineTooLong { max } => {
                crate::cat!("a line of the event stream is longer than ", max, " bytes")
            }
            SseError::EventTooLarge { max } => crate::cat!("an event's data is larger than ", max, " bytes"),
        }
    }
}

impl std::fmt::Display for SseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SseError {}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The reader of one stream: feed it the bytes as they come.
#[derive(Debug, Clone)]
pub struct SseParser {
    max: usize,
    /// The current line's bytes, not yet decoded (it may end inside a character).
    line: Vec<u8>,
    /// The last line ended with CR: an LF right after it belongs to that line end.
    after_cr: bool,
    /// How many bytes of a leading byte-order mark were seen; `None` once past it.
    bom: Option<usize>,
    data: String,
    event: String,
    id_buffer: String,
    last_event_id: String,
    retry: Option<u64>,
    failed: Option<SseError>,
}

impl SseParser {
    /// A reader that refuses lines, and event data, over `max_event_bytes` bytes.
    pub fn new(max_event_bytes: usize) -> SseParser {
        SseParser {
            max: max_event_bytes,
            line: Vec::new(),
            after_cr: false,
            bom: Some(0),
            data: String::new(),
            event: String::new(),
            id_buffer: String::new(),
            last_event_id: String::new(),
            retry: None,
            failed: None,
        }
    }

    /// Reads the next chunk of the stream, returning the events it completes. When a chunk
    /// breaks a bound, the events it completed before are returned, and that call (if there
    /// were none) or the next reports the error; from then on every call reports it. So the
    /// events read, and the error, do not depend on where the chunks were cut.
    pub fn feed(&mut self, mut chunk: &[u8]) -> Result<Vec<SseEvent>, SseError> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let mut events = Vec::new();
        let result = loop {
            if let Some(seen) = self.bom {
                // Match the byte-order mark, which may itself be split between chunks.
                let n = chunk.len().min(BOM.len() - seen);
                if chunk[..n] == BOM[seen..seen + n] {
                    chunk = &chunk[n..];
                    self.bom = if seen + n == BOM.len() { None } else { Some(seen + n) };
                    if self.bom.is_some() {
                        break Ok(());
                    }
                } else {
                    self.bom = None;
                    if let Err(e) = self.push(&BOM[..seen]) {
                        break Err(e);
                    }
                }
            }
            if self.after_cr && !chunk.is_empty() {
                self.after_cr = false;
                if chunk[0] == b'\n' {
                    chunk = &chunk[1..];
                }
            }
            match chunk.iter().position(|&b| b == b'\r' || b == b'\n') {
                Some(n) => {
                    if let Err(e) = self.push(&chunk[..n]).and_then(|()| self.end_line(&mut events)) {
                        break Err(e);
                    }
                    self.after_cr = chunk[n] == b'\r';
                    chunk = &chunk[n + 1..];
                }
                None => break self.push(chunk),
            }
        };
        match result {
            Ok(()) => Ok(events),
            Err(e) => {
                self.failed = Some(e);
                self.line = Vec::new();
                self.data = String::new();
                // The events before the error still count; the error comes with the next call.
                if events.is_empty() {
                    Err(e)
                } else {
                    Ok(events)
                }
            }
        }
    }

    /// The error that ended the stream, if any: after a `feed` that returned events, this
    /// tells whether the same chunk also broke a bound (so the caller can close right away).
    pub fn error(&self) -> Option<SseError> {
        self.failed
    }

    /// The last event ID as of the last dispatch (for a reconnection's `Last-Event-ID`).
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The reconnection time the server asked for with `retry`, in milliseconds.
    pub fn retry(&self) -> Option<u64> {
        self.retry
    }

    fn push(&mut self, bytes: &[u8]) -> Result<(), SseError> {
        if self.line.len() + bytes.len() > self.max {
            return Err(SseError::LineTooLong { max: self.max });
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    fn end_line(&mut self, events: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let bytes = std::mem::take(&mut self.line);
        let line = String::from_utf8_lossy(&bytes);
        if line.is_empty() {
            self.dispatch(events);
            return Ok(());
        }
        if line.starts_with(':') {
            return Ok(());
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (&*line, ""),
        };
        match field {
            "data" => {
                if self.data.len() + value.len() > self.max {
                    return Err(SseError::EventTooLarge { max: self.max });
                }
                self.data.push_str(value);
                self.data.push('\n');
            }
            "event" => value.clone_into(&mut self.event),
            "id" if !value.contains('\0') => value.clone_into(&mut self.id_buffer),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                let ms =
                    value.bytes().fold(0u64, |n, d| n.saturating_mul(10).saturating_add(u64::from(d - b'0')));
                self.retry = Some(ms);
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        self.last_event_id.clone_from(&self.id_buffer);
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop(); // the `\n` after the last data line
        events.push(SseEvent {
            event: if event.is_empty() { "message".to_owned() } else { event },
            data,
            id: (!self.last_event_id.is_empty()).then(|| self.last_event_id.clone()),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn events(stream: &str) -> Vec<SseEvent> {
        SseParser::new(1 << 16).feed(stream.as_bytes()).unwrap()
    }

    fn ev(event: &str, data: &str, id: Option<&str>) -> SseEvent {
        SseEvent { event: event.into(), data: data.into(), id: id.map(Into::into) }
    }

    #[test]
    fn the_standards_stock_example() {
        let stream =
            "event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n";
        assert_eq!(
            events(stream),
            [ev("add", "73857293", None), ev("remove", "2153", None), ev("add", "113411", None)]
        );
    }

    #[test]
    fn the_standards_comment_and_id_example() {
        let stream =
            ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n";
        assert_eq!(
            events(stream),
            [
                ev("message", "first event", Some("1")),
                ev("message", "second event", None),
                ev("message", " third event", None)
            ]
        );
        let mut p = SseParser::new(100);
        p.feed(b"data: a\nid: 7\n\n").unwrap();
        assert_eq!(p.last_event_id(), "7");
        // The ID stays for later events, until a blank line after another `id`.
        assert_eq!(p.feed(b"data: b\n\nid: 8\n").unwrap(), [ev("message", "b", Some("7"))]);
        assert_eq!(p.last_event_id(), "7");
    }

    #[test]
    fn the_standards_empty_data_example() {
        // The first block fires an empty event, the second one "\n"; the last is never
        // followed by a blank line, so it is not dispatched.
        assert_eq!(
            events("data\n\ndata\ndata\n\ndata:"),
            [ev("message", "", None), ev("message", "\n", None)]
        );
    }

    #[test]
    fn the_standards_leading_space_example() {
        assert_eq!(
            events("data:test\n\ndata: test\n\n"),
            [ev("message", "test", None), ev("message", "test", None)]
        );
        // Only one space goes.
        assert_eq!(events("data:  x\n\n"), [ev("message", " x", None)]);
    }

    #[test]
    fn no_data_no_event_and_the_type_is_reset() {
        assert_eq!(events("event: add\n\ndata: x\n\n"), [ev("message", "x", None)]);
        assert_eq!(events("id: 3\n\n: only a comment\n\n"), []);
        assert_eq!(events("event:\ndata: x\n\n"), [ev("message", "x", None)]);
    }

    #[test]
    fn every_line_end_and_crlf_split_between_chunks() {
        let want = [ev("status", "paid", None), ev("message", "x", None)];
        for stream in [
            "event: status\ndata: paid\n\ndata: x\n\n",
            "event: status\rdata: paid\r\rdata: x\r\r",
            "event: status\r\ndata: paid\r\n\r\ndata: x\r\n\r\n",
            "event: status\r\ndata: paid\n\rdata: x\r\n\n",
        ] {
            assert_eq!(events(stream), want, "{stream:?}");
            let mut p = SseParser::new(100);
            let mut got = Vec::new();
            for b in stream.as_bytes() {
                got.extend(p.feed(std::slice::from_ref(b)).unwrap());
            }
            assert_eq!(got, want, "{stream:?} byte by byte");
        }
        // A CR at the end of a chunk, the LF at the start of the next: one line end, not two.
        let mut p = SseParser::new(100);
        assert_eq!(p.feed(b"data: a\r").unwrap(), []);
        assert_eq!(p.feed(b"\ndata: b\r").unwrap(), []);
        assert_eq!(p.feed(b"\n\r").unwrap(), [ev("message", "a\nb", None)]);
    }

    #[test]
    fn fields_the_standard_ignores() {
        assert_eq!(events("Data: x\ndata\u{0}: y\nfoo: z\ndata: w\n\n"), [ev("message", "w", None)]);
        let mut p = SseParser::new(100);
        p.feed(b"retry: 1x\n").unwrap();
        assert_eq!(p.retry(), None);
        p.feed(b"retry: 2500\n").unwrap();
        assert_eq!(p.retry(), Some(2500));
        p.feed(b"retry:\nretry: -1\n").unwrap();
        assert_eq!(p.retry(), Some(2500));
        p.feed(b"id: a\0b\ndata: x\n\n").unwrap();
        assert_eq!(p.last_event_id(), "");
    }

    #[test]
    fn a_leading_bom_is_skipped_even_split_and_only_at_the_start() {
        let bom = "\u{feff}";
        assert_eq!(events(&format!("{bom}data: x\n\n")), [ev("message", "x", None)]);
        let mut p = SseParser::new(100);
        assert_eq!(p.feed(b"\xEF").unwrap(), []);
        assert_eq!(p.feed(b"\xBB").unwrap(), []);
        assert_eq!(p.feed(b"\xBFdata: x\n\n").unwrap(), [ev("message", "x", None)]);
        // A second BOM is part of the field name, so the line is ignored.
        assert_eq!(events(&format!("{bom}{bom}data: x\n\ndata: y\n\n")), [ev("message", "y", None)]);
        // Half a BOM is invalid UTF-8 in the line.
        let mut p = SseParser::new(100);
        assert_eq!(p.feed(b"\xEF\xBBdata: x\n\ndata: y\n\n").unwrap(), [ev("message", "y", None)]);
    }

    #[test]
    fn characters_split_between_chunks_and_invalid_utf8() {
        let mut p = SseParser::new(100);
        let text = "data: 😀 é\n\n".as_bytes();
        assert_eq!(p.feed(&text[..7]).unwrap(), []);
        assert_eq!(p.feed(&text[7..]).unwrap(), [ev("message", "😀 é", None)]);
        assert_eq!(p.feed(b"data: a\xFFb\xE2\x82\n\n").unwrap(), [ev("message", "a\u{fffd}b\u{fffd}", None)]);
    }

    #[test]
    fn lines_are_bounded_while_reading() {
        let max = 16;
        let mut p = SseParser::new(max);
        assert_eq!(p.feed(b"data: 0123456789\n\n").unwrap(), [ev("message", "0123456789", None)]);
        let line = format!(": {}\n", "c".repeat(max - 2));
        assert_eq!(p.feed(line.as_bytes()).unwrap(), []);
        // Over the bound without any line end yet: refused on the byte that crosses it.
        let mut p = SseParser::new(max);
        assert_eq!(p.feed(&[b'x'; 10]).unwrap(), []);
        assert_eq!(p.feed(&[b'x'; 6]).unwrap(), []);
        assert_eq!(p.feed(b"x"), Err(SseError::LineTooLong { max }));
        // And for good.
        assert_eq!(p.feed(b"\n\ndata: x\n\n"), Err(SseError::LineTooLong { max }));
    }

    #[test]
    fn event_data_is_bounded_while_reading() {
        let max = 16;
        let mut p = SseParser::new(max);
        // 7 + 1 + 8 bytes of data: exactly the bound.
        assert_eq!(
            p.feed(b"data: 1234567\ndata: 12345678\n\n").unwrap(),
            [ev("message", "1234567\n12345678", None)]
        );
        assert_eq!(p.feed(b"data: 1234567\ndata: 12345678\n").unwrap(), []);
        assert_eq!(p.feed(b"data:\n"), Err(SseError::EventTooLarge { max }));
        assert_eq!(p.feed(b"\n"), Err(SseError::EventTooLarge { max }));
    }

    #[test]
    fn events_before_an_error_are_kept_and_the_error_follows() {
        let mut p = SseParser::new(8);
        assert_eq!(p.error(), None);
        assert_eq!(p.feed(b"data: a\n\ndata: 123456789\n"), Ok(vec![ev("message", "a", None)]));
        assert_eq!(p.error(), Some(SseError::LineTooLong { max: 8 }));
        assert_eq!(p.feed(b""), Err(SseError::LineTooLong { max: 8 }));
        assert_eq!(SseError::EventTooLarge { max: 8 }.to_string(), "an event's data is larger than 8 bytes");
    }

    #[test]
    fn the_messages_are_the_old_templates() {
        for max in [0, 8, 65_536, usize::MAX] {
            assert_eq!(
                SseError::LineTooLong { max }.to_string(),
                format!("a line of the event stream is longer than {max} bytes")
            );
            assert_eq!(
                SseError::EventTooLarge { max }.to_string(),
                format!("an event's data is larger than {max} bytes")
            );
        }
    }

    /// A stream made of field lines, comments, blank lines, line ends of all kinds and odd
    /// bytes: everything a chunk split could cut in the wrong place.
    fn stream() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"data".to_vec()),
            Just(b"data:".to_vec()),
            Just(b"data: ".to_vec()),
            Just(b"event: ".to_vec()),
            Just(b"id: ".to_vec()),
            Just(b"retry: 1000".to_vec()),
            Just(b": comment".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"\r\n".to_vec()),
            Just("😀é".as_bytes().to_vec()),
            Just(b"\xEF\xBB\xBF".to_vec()),
            Just(b"\xFF\xE2\x82".to_vec()),
            "[a-z :]{1,6}".prop_map(String::into_bytes),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    /// Feeds `bytes` cut at `cuts`, returning the events up to the first error and that error.
    fn feed_split(bytes: &[u8], cuts: &[usize], max: usize) -> (Vec<SseEvent>, Option<SseError>) {
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut p = SseParser::new(max);
        let (mut got, mut at) = (Vec::new(), 0);
        // The last, empty feed reports an error left over from the one before.
        for end in cuts.into_iter().chain([bytes.len(), bytes.len()]) {
            match p.feed(&bytes[at..end]) {
                Ok(events) => got.extend(events),
                Err(e) => return (got, Some(e)),
            }
            at = end;
        }
        (got, None)
    }

    /// The standard's algorithm written plainly, on the whole stream at once.
    fn reference(bytes: &[u8]) -> Vec<SseEvent> {
        let text = String::from_utf8_lossy(bytes);
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).replace("\r\n", "\n").replace('\r', "\n");
        let mut lines: Vec<&str> = text.split('\n').collect();
        lines.pop(); // after the last line end: an unfinished line
        let (mut out, mut data, mut event, mut id) =
            (Vec::new(), String::new(), String::new(), String::new());
        for line in lines {
            if line.is_empty() {
                if !data.is_empty() {
                    data.pop();
                    let event = if event.is_empty() { "message".into() } else { event.clone() };
                    out.push(SseEvent {
                        event,
                        data: data.clone(),
                        id: Some(id.clone()).filter(|i| !i.is_empty()),
                    });
                }
                data.clear();
                event.clear();
            } else if !line.starts_with(':') {
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "data" => data += &format!("{value}\n"),
                    "event" => event = value.into(),
                    "id" if !value.contains('\0') => id = value.into(),
                    _ => {}
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn any_chunking_reads_like_the_whole_stream(
            bytes in stream(),
            cuts in prop::collection::vec(any::<usize>(), 0..12),
            max in prop_oneof![Just(1usize << 16), 4usize..40],
        ) {
            let whole = feed_split(&bytes, &[], max);
            prop_assert_eq!(feed_split(&bytes, &cuts, max), whole.clone());
            if max == 1 << 16 {
                prop_assert_eq!(whole, (reference(&bytes), None));
            }
        }
    }
}
