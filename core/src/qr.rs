//! The QR code: encode a wallet URI (error-correction level M) into a module matrix, and turn
//! the matrix into one SVG path with a 4-module quiet zone.
//!
//! The encoder is the [`qrcodegen`] crate (Project Nayuki's QR Code generator, MIT, 1.8),
//! behind this thin adapter: the segments (byte mode, and alphanumeric mode for long runs of
//! upper-case letters and digits), level M exactly (no boost to a higher level that fits the
//! same version), versions 1–40, the mask by qrcodegen's penalty. It replaces a close port of
//! the same generator that lived here: the port was 743 bytes gzip smaller in the shipped
//! build, not worth keeping a copy of another project's code; the general-purpose `qrcode`
//! crate costs 6,953 bytes gzip more than qrcodegen. Measured in a throwaway wasm32 crate per
//! option, each encoding a byte string given at run time at level M, release profile
//! (opt-level z, lto, one codegen unit, panic abort) with std rebuilt as `scripts/build.sh`
//! does (immediate-abort panics, no panic locations), `wasm-opt -Oz` (binaryen 132), `gzip -9`,
//! over the same crate without a QR encoder: qrcodegen +5,242 bytes gzip (+10,192 raw), the
//! port +4,499 (+8,857), `qrcode` +12,195 (+20,873); every figure, also without the std
//! rebuild, in docs/size.md, "Libraries: QR and JSON". The output is the port's, module for
//! module (checked on 9,000 texts when the port was replaced), and the tests below decode it
//! with an independent decoder (`rqrr`) and compare it with the `qrcode` crate.
//!
//! The UI builds the `<svg>` and `<path>` elements itself from [`QrMatrix::svg_path`]; no
//! markup string is ever injected.

use qrcodegen::{Mask, QrCode, QrCodeEcc, QrSegment, Version};

/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for 4).
pub const QUIET_ZONE: usize = 4;

/// Why a text cannot be put in a QR code: `the wallet link is too long for a QR code ({0}
/// bytes)`.
///
/// Its message is built with [`cat!`](crate::cat), not a thiserror `#[error]` template: those
/// expand to `write!`, and the wasm carries no `core::fmt` machinery (see [`crate::text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrError(pub usize);

impl QrError {
    /// The message, as the type's documentation gives it.
    pub fn message(&self) -> String {
        crate::cat!("the wallet link is too long for a QR code (", self.0, " bytes)")
    }
}

impl std::fmt::Display for QrError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for QrError {}

/// A square matrix of dark/light modules, without the quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` at error-correction level M, choosing the smallest version that fits.
    /// Long runs of upper-case letters and digits (a bech32 address in upper case) go in
    /// alphanumeric segments, 5.5 bits a character instead of 8.
    pub fn encode(text: &str) -> Result<QrMatrix, QrError> {
        Self::encode_with(text, None)
    }

    /// Encodes a bank scheme's payload as its guidelines ask: one byte-mode segment (the
    /// payload's UTF-8 bytes, no ECI), error-correction level M exactly, the smallest version
    /// up to `max_version` (EPC: 13; Swiss QR-bill: 25; 40 for the others).
    pub fn encode_bytes(text: &str, max_version: u8) -> Result<QrMatrix, QrError> {
        let max = Version::new(max_version.clamp(Version::MIN.value(), Version::MAX.value()));
        let code = QrCode::encode_segments_advanced(
            &[QrSegment::make_bytes(text.as_bytes())],
            QrCodeEcc::Medium,
            Version::MIN,
            max,
            None,
            false,
        )
        .map_err(|_| QrError(text.len()))?;
        Ok(QrMatrix::from_code(&code))
    }

    fn from_code(code: &QrCode) -> QrMatrix {
        let width = code.size() as usize;
        let dark =
            (0..width * width).map(|i| code.get_module((i % width) as i32, (i / width) as i32)).collect();
        QrMatrix { width, dark }
    }

    /// The QR version (1–40) of the matrix: its width is 17 + 4 × version.
    pub fn version(&self) -> usize {
        (self.width - 17) / 4
    }

    /// [`encode`](Self::encode) with the mask chosen by penalty, or the one given (tests).
    fn encode_with(text: &str, mask: Option<u8>) -> Result<QrMatrix, QrError> {
        // Level M exactly (no boost to a higher level that happens to fit the same version),
        // any version 1–40.
        let code = QrCode::encode_segments_advanced(
            &segments(text),
            QrCodeEcc::Medium,
            Version::MIN,
            Version::MAX,
            mask.map(Mask::new),
            false,
        )
        .map_err(|_| QrError(text.len()))?;
        Ok(QrMatrix::from_code(&code))
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// The side of the SVG viewBox: the matrix plus the quiet zone on both sides.
    pub fn view_size(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// One SVG path `d` drawing every dark module, offset by the quiet zone, one subpath per
    /// horizontal run of dark modules (`M x y h n v 1 h -n z`).
    pub fn svg_path(&self) -> String {
        let mut d = String::with_capacity(self.width * self.width * 2);
        for y in 0..self.width {
            let mut x = 0;
            while x < self.width {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.width && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                // `M{x} {y}h{run}v1h-{run}z`, without `write!` (no `core::fmt`: crate::text).
                d.push('M');
                crate::text::push_u64(&mut d, (start + QUIET_ZONE) as u64);
                d.push(' ');
                crate::text::push_u64(&mut d, (y + QUIET_ZONE) as u64);
                d.push('h');
                crate::text::push_u64(&mut d, run as u64);
                d.push_str("v1h-");
                crate::text::push_u64(&mut d, run as u64);
                d.push('z');
            }
        }
        d
    }
}

/// A rectangle in the SVG's coordinates (modules, quiet zone included), in hundredths of a
/// module: `x`, `y`, `width`, `height`.
pub type Rect = [u64; 4];

/// The Swiss cross printed over the centre of a QR-bill's code (Swiss Implementation
/// Guidelines, "Swiss cross"): 7 mm of a 46 mm code, that is 7/46 of the code's width, made of
/// a white frame (0.5 mm), a black square and the white cross of the Swiss flag (arms 6 units
/// wide, the cross 20 units across, on a 32-unit square). Returns, in drawing order: the white
/// frame, the black square, the cross's horizontal and vertical bars. Error-correction level M
/// (15 %) restores the 2.3 % of the modules it covers.
pub fn swiss_cross(width: usize) -> [(Rect, bool); 4] {
    let w = width as u64 * 100;
    let centre = QUIET_ZONE as u64 * 100 + w / 2;
    let frame = w * 7 / 46;
    let square = frame * 6 / 7;
    let arm = square * 6 / 32;
    let across = square * 20 / 32;
    let centred = |side: u64| centre - side / 2;
    [
        ([centred(frame), centred(frame), frame, frame], false),
        ([centred(square), centred(square), square, square], true),
        ([centred(across), centred(arm), across, arm], false),
        ([centred(arm), centred(across), arm, across], false),
    ]
}

/// [`swiss_cross`] as two SVG path `d`s: the white frame, and the black square with the cross
/// cut out of it (filled with `fill-rule="evenodd"`, the frame shows through the cut).
pub fn swiss_cross_paths(width: usize) -> (String, String) {
    let [(frame, _), (square, _), (h, _), (v, _)] = swiss_cross(width);
    let rect = |r: Rect| {
        crate::cat!(
            'M',
            hundredths(r[0]),
            ' ',
            hundredths(r[1]),
            'h',
            hundredths(r[2]),
            'v',
            hundredths(r[3]),
            'h',
            '-',
            hundredths(r[2]),
            'z'
        )
    };
    // The cross's outline, twelve corners clockwise from the top bar's top-left.
    let (l, r, t, b) = (v[0], v[0] + v[2], h[1], h[1] + h[3]);
    let (left, right, top, bottom) = (h[0], h[0] + h[2], v[1], v[1] + v[3]);
    let corners = [
        (l, top),
        (r, top),
        (r, t),
        (right, t),
        (right, b),
        (r, b),
        (r, bottom),
        (l, bottom),
        (l, b),
        (left, b),
        (left, t),
        (l, t),
    ];
    let mut cross = String::new();
    for (i, (x, y)) in corners.into_iter().enumerate() {
        cross.push(if i == 0 { 'M' } else { 'L' });
        cross.push_str(&hundredths(x));
        cross.push(' ');
        cross.push_str(&hundredths(y));
    }
    cross.push('z');
    (rect(frame), crate::cat!(rect(square), cross))
}

/// Hundredths as SVG number text: `1234` → `12.34`.
pub fn hundredths(v: u64) -> String {
    crate::cat!(crate::text::decimal(u128::from(v / 100)), '.', crate::text::padded(u128::from(v % 100), 2))
}

/// Whether a byte is one of the 45 characters of alphanumeric mode.
fn is_alphanumeric(c: u8) -> bool {
    matches!(c, b'0'..=b'9' | b'A'..=b'Z' | b' ' | b'$' | b'%' | b'*' | b'+' | b'-' | b'.' | b'/' | b':')
}

/// Splits text into segments: runs of at least 12 alphanumeric-mode characters (where the
/// smaller characters pay for a segment header) and byte segments for the rest.
fn segments(text: &str) -> Vec<QrSegment> {
    const MIN_RUN: usize = 12;
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut byte_start) = (0, 0);
    while i < b.len() {
        let run = b[i..].iter().take_while(|c| is_alphanumeric(**c)).count();
        if run >= MIN_RUN {
            if byte_start < i {
                out.push(QrSegment::make_bytes(&b[byte_start..i]));
            }
            // The run is ASCII, so `i` and `i + run` are character boundaries (`get` rather
            // than indexing keeps the code of a slicing panic out of the bundle).
            out.push(QrSegment::make_alphanumeric(text.get(i..i + run).unwrap_or_default()));
            i += run;
            byte_start = i;
        } else {
            i += run.max(1);
        }
    }
    if byte_start < b.len() || out.is_empty() {
        out.push(QrSegment::make_bytes(&b[byte_start..]));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Paints the path's runs back into pixels (`scale` px per module) and decodes with rqrr.
    pub(crate) fn decode_svg_path(d: &str, size: usize, scale: usize) -> String {
        let px = size * scale;
        let mut img = vec![255u8; px * px];
        for cmd in d.split('M').filter(|s| !s.is_empty()) {
            let (xy, rest) = cmd.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for yy in y * scale..(y + 1) * scale {
                for xx in x * scale..(x + run) * scale {
                    img[yy * px + xx] = 0;
                }
            }
        }
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(px, px, |x, y| img[y * px + x]);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "expected exactly one QR code");
        grids[0].decode().unwrap().1
    }

    #[test]
    fn the_svg_path_decodes_back_to_the_exact_uri() {
        for uri in [
            "bitcoin:BC1QW508D6QEJXTDG4C3ZXKT0JQX6JT8ENK7LG83U2X?amount=0.00012",
            "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "ethereum:0xdAC17F958D2ee523a2206206994597C13D831ec7@1/transfer?address=0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed&uint256=25000000",
        ] {
            let m = QrMatrix::encode(uri).unwrap();
            assert_eq!(decode_svg_path(&m.svg_path(), m.view_size(), 4), uri);
        }
    }

    #[test]
    fn uses_level_m_and_a_four_module_quiet_zone() {
        let m = QrMatrix::encode("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").unwrap();
        // 34 bytes at level M needs version 3 (29 modules); at level L it would fit version 2.
        assert_eq!(m.width(), 29);
        assert_eq!(m.view_size(), 37);
        assert!(m.svg_path().starts_with("M4 4h7v1h-7z"), "finder pattern sits inside the quiet zone");
    }

    /// Deterministic pseudo-random texts (no extra dependency, reproducible failures).
    fn texts() -> Vec<String> {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabets: [&[char]; 4] = [
            &['a', 'b', 'z', '0', '9', ':', '?', '=', '&', '.', '/'],
            &['A', 'Q', 'Z', '0', '7', ' ', '$', '%', '*', '+', '-', '.', '/', ':'],
            &['é', 'ß', '€', '中', 'x', 'Y', '1'],
            &['a', 'B', '3', ':', '?', 'é'],
        ];
        (0..120)
            .map(|i| {
                let alphabet = alphabets[i % 4];
                let len = 1 + (next() % [20, 120, 400, 900][i % 4]) as usize;
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
            })
            .collect()
    }

    #[test]
    fn random_texts_of_every_kind_decode_back_exactly() {
        for text in texts() {
            let m = QrMatrix::encode(&text).unwrap();
            assert_eq!(
                decode_svg_path(&m.svg_path(), m.view_size(), 2),
                text,
                "{} chars",
                text.chars().count()
            );
        }
    }

    /// The mask in a matrix's format information (the copy around the top-left finder).
    fn format_mask(dark: &[bool], w: usize) -> u8 {
        let at = |i: usize| dark[i];
        let mut format = (0..=5).fold(0u32, |f, i| f | (at(i * w + 8) as u32) << i);
        format |= (at(7 * w + 8) as u32) << 6 | (at(8 * w + 8) as u32) << 7 | (at(8 * w + 7) as u32) << 8;
        format = (9..15).fold(format, |f, i| f | (at(8 * w + 14 - i) as u32) << i);
        (((format ^ 0x5412) >> 10) & 0b111) as u8
    }

    /// The `qrcode` crate, given the same segments at the same version, draws the very same
    /// modules with the mask it chose (its penalty scoring differs in details): segment
    /// encoding, error correction, interleaving and placement all agree.
    fn assert_same_as_the_qrcode_crate(text: &str, ours: &QrMatrix) {
        use qrcodegen::QrSegmentMode::Alphanumeric;
        let version = (ours.width() - 17) / 4;
        let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(version as i16));
        let mut at = 0;
        for segment in segments(text) {
            let data = &text.as_bytes()[at..at + segment.num_chars()];
            at += segment.num_chars();
            match segment.mode() {
                Alphanumeric => bits.push_alphanumeric_data(data),
                _ => bits.push_byte_data(data),
            }
            .unwrap();
        }
        assert_eq!(at, text.len(), "the segments cover the text");
        bits.push_terminator(qrcode::EcLevel::M).unwrap();
        let theirs = qrcode::QrCode::with_bits(bits, qrcode::EcLevel::M).unwrap();
        let dark: Vec<bool> = theirs.to_colors().iter().map(|c| *c == qrcode::Color::Dark).collect();
        let same = QrMatrix::encode_with(text, Some(format_mask(&dark, ours.width()))).unwrap();
        assert!(same.dark == dark, "{text:?}: the matrices differ");
    }

    /// Byte-mode capacity of every version agrees with the `qrcode` crate and its own choice
    /// of segments: the same text needs the same version (so the tables of blocks and
    /// codewords are right).
    #[test]
    fn versions_match_the_qrcode_crate_for_every_length() {
        for len in (1..=2331).step_by(5).chain([2329, 2330, 2331]) {
            let text = "q".repeat(len);
            let ours = QrMatrix::encode(&text).unwrap();
            let theirs =
                qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).unwrap();
            assert_eq!(ours.width(), theirs.width(), "{len} bytes");
            if len < 400 {
                assert_same_as_the_qrcode_crate(&text, &ours);
            }
        }
        assert!(QrMatrix::encode(&"q".repeat(2332)).is_err());
    }

    /// Mixed byte and alphanumeric segments, module for module, against the `qrcode` crate.
    #[test]
    fn mixed_segments_match_the_qrcode_crate() {
        // Alphanumeric-mode characters with a byte-mode one now and then (1 in 8 or 1 in 32).
        let mut seed = 0x853c_49e6_748f_ea9bu64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphanumeric = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
        let mut n = 0;
        for i in 0..60 {
            let len = 1 + (next() % [40, 150, 450][i % 3]) as usize;
            let text: String = (0..len)
                .map(|_| match next() % [8, 32][i % 2] {
                    0 => ['a', '?', 'é', '中'][(next() % 4) as usize],
                    _ => alphanumeric[(next() % 45) as usize] as char,
                })
                .collect();
            n += usize::from(segments(&text).len() > 1);
            assert_same_as_the_qrcode_crate(&text, &QrMatrix::encode(&text).unwrap());
        }
        assert!(n >= 30, "only {n} texts with mixed segments");
        for text in ["bitcoin:BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ?amount=0.0123", "ABCDEFGHIJKL"] {
            assert_same_as_the_qrcode_crate(text, &QrMatrix::encode(text).unwrap());
        }
    }

    #[test]
    fn an_upper_case_bech32_address_takes_an_alphanumeric_segment() {
        let lower = "bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.0123";
        let upper = "bitcoin:BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ?amount=0.0123";
        use qrcodegen::QrSegmentMode::{Alphanumeric, Byte};
        let modes = |text: &str| segments(text).iter().map(QrSegment::mode).collect::<Vec<_>>();
        assert_eq!(modes(upper), [Byte, Alphanumeric, Byte]);
        assert_eq!(modes(lower), [Byte]);
        // A run of 11 is not worth a segment header; 12 is.
        assert_eq!(modes("x?ABCDEFGHIJK?"), [Byte]);
        assert_eq!(modes("x?ABCDEFGHIJKL?"), [Byte, Alphanumeric, Byte]);
        assert_eq!(modes("ABCDEFGHIJKL"), [Alphanumeric]);
        assert_eq!(modes(""), [Byte]);
        assert!(QrMatrix::encode(upper).unwrap().width() < QrMatrix::encode(lower).unwrap().width());
        let m = QrMatrix::encode(upper).unwrap();
        assert_eq!(decode_svg_path(&m.svg_path(), m.view_size(), 3), upper);
    }

    /// The `write!`-based path writer `svg_path` replaced, kept as the oracle.
    fn old_svg_path(m: &QrMatrix) -> String {
        use std::fmt::Write;
        let mut d = String::new();
        for y in 0..m.width {
            let mut x = 0;
            while x < m.width {
                if !m.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < m.width && m.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                write!(d, "M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE).unwrap();
            }
        }
        d
    }

    #[test]
    fn the_path_and_the_error_are_written_as_write_wrote_them() {
        for text in texts().iter().step_by(7).map(String::as_str).chain(["x", &"q".repeat(2331)]) {
            let m = QrMatrix::encode(text).unwrap();
            assert_eq!(m.svg_path(), old_svg_path(&m));
        }
        for n in [0, 2332, usize::MAX] {
            assert_eq!(
                QrError(n).to_string(),
                format!("the wallet link is too long for a QR code ({n} bytes)")
            );
        }
    }

    #[test]
    fn too_long_text_is_an_error() {
        assert_eq!(QrMatrix::encode(&"x".repeat(3000)), Err(QrError(3000)));
    }
}
