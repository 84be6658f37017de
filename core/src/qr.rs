//! The QR code: encode a wallet URI (error-correction level M) into a module matrix, and turn
//! the matrix into one SVG path with a 4-module quiet zone.
//!
//! The encoder is written here for exactly what the form needs (level M, byte and
//! alphanumeric segments, versions 1–40; ISO/IEC 18004, following Project Nayuki's reference
//! implementation): a general-purpose QR crate cost about 13 KB of gzip in the bundle. It is
//! checked by decoding its output with an independent decoder (`rqrr`) and by comparing
//! capacities with the `qrcode` crate, both in the tests.
//!
//! The UI builds the `<svg>` and `<path>` elements itself from [`QrMatrix::svg_path`]; no
//! markup string is ever injected.

/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for 4).
pub const QUIET_ZONE: usize = 4;

/// Why a text cannot be put in a QR code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the wallet link is too long for a QR code ({0} bytes)")]
pub struct QrError(pub usize);

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

    /// [`encode`](Self::encode) with the mask chosen by penalty, or the one given (tests).
    fn encode_with(text: &str, fixed_mask: Option<u8>) -> Result<QrMatrix, QrError> {
        let segments = segments(text.as_bytes());
        let too_long = || QrError(text.len());
        let version =
            (1..=40).find(|&v| bits_needed(&segments, v).is_some_and(|n| n <= data_codewords(v) * 8));
        let version = version.ok_or_else(too_long)?;
        let capacity = data_codewords(version) * 8;
        let mut bits = Bits::default();
        for (mode, data) in &segments {
            bits.push(mode.indicator(), 4);
            bits.push(data.len() as u32, mode.count_bits(version));
            match mode {
                Mode::Byte => data.iter().for_each(|b| bits.push(*b as u32, 8)),
                Mode::Alphanumeric => {
                    for pair in data.chunks(2) {
                        let v = |c: &u8| ALPHANUMERIC.iter().position(|a| a == c).unwrap_or(0) as u32;
                        match pair {
                            [a, b] => bits.push(v(a) * 45 + v(b), 11),
                            [a] => bits.push(v(a), 6),
                            _ => {}
                        }
                    }
                }
            }
        }
        // Terminator, byte alignment, then the alternating pad bytes.
        bits.push(0, (capacity - bits.len).min(4));
        bits.push(0, (8 - bits.len % 8) % 8);
        let mut pad = [0xEC, 0x11].into_iter().cycle();
        while bits.len < capacity {
            bits.push(pad.next().unwrap_or(0xEC), 8);
        }
        let mut m = Builder::new(version);
        m.draw_function_patterns();
        m.draw_codewords(&add_ecc_and_interleave(&bits.bytes, version));
        // The mask with the lowest penalty (masking is its own inverse).
        let best = fixed_mask.into_iter().chain(0..8).take(if fixed_mask.is_some() { 1 } else { 8 });
        let best = best
            .min_by_key(|&mask| {
                m.apply_mask(mask);
                m.draw_format_bits(mask);
                let p = m.penalty();
                m.apply_mask(mask);
                p
            })
            .unwrap_or(0);
        m.apply_mask(best);
        m.draw_format_bits(best);
        Ok(QrMatrix { width: m.size, dark: m.modules })
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
                use std::fmt::Write;
                let _ = write!(d, "M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE);
            }
        }
        d
    }
}

/// The 45 characters of alphanumeric mode, in code order.
const ALPHANUMERIC: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Error-correction codewords per block at level M, by version (index 0 unused).
const ECC_PER_BLOCK: [u8; 41] = [
    0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28,
    28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
];

/// Error-correction blocks at level M, by version (index 0 unused).
const BLOCKS: [u8; 41] = [
    0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
    29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Byte,
    Alphanumeric,
}

impl Mode {
    fn indicator(self) -> u32 {
        match self {
            Mode::Byte => 0b0100,
            Mode::Alphanumeric => 0b0010,
        }
    }

    fn count_bits(self, version: usize) -> usize {
        match (self, version) {
            (Mode::Byte, 1..=9) => 8,
            (Mode::Byte, _) => 16,
            (Mode::Alphanumeric, 1..=9) => 9,
            (Mode::Alphanumeric, 10..=26) => 11,
            (Mode::Alphanumeric, _) => 13,
        }
    }

    fn data_bits(self, len: usize) -> usize {
        match self {
            Mode::Byte => len * 8,
            Mode::Alphanumeric => len / 2 * 11 + len % 2 * 6,
        }
    }
}

/// Splits text into segments: runs of at least 12 alphanumeric-mode characters (where the
/// smaller characters pay for a segment header) and byte segments for the rest.
fn segments(text: &[u8]) -> Vec<(Mode, &[u8])> {
    const MIN_RUN: usize = 12;
    let mut out: Vec<(Mode, &[u8])> = Vec::new();
    let (mut i, mut byte_start) = (0, 0);
    while i < text.len() {
        let run = text[i..].iter().take_while(|c| ALPHANUMERIC.contains(c)).count();
        if run >= MIN_RUN {
            if byte_start < i {
                out.push((Mode::Byte, &text[byte_start..i]));
            }
            out.push((Mode::Alphanumeric, &text[i..i + run]));
            i += run;
            byte_start = i;
        } else {
            i += run.max(1);
        }
    }
    if byte_start < text.len() || out.is_empty() {
        out.push((Mode::Byte, &text[byte_start..]));
    }
    out
}

/// Bits the segments take at `version`, or `None` if a length does not fit its count field.
fn bits_needed(segments: &[(Mode, &[u8])], version: usize) -> Option<usize> {
    segments.iter().try_fold(0, |sum, (mode, data)| {
        let count_bits = mode.count_bits(version);
        (data.len() < 1 << count_bits).then(|| sum + 4 + count_bits + mode.data_bits(data.len()))
    })
}

/// Modules available for data and error correction at `version`.
fn raw_modules(version: usize) -> usize {
    let mut n = (16 * version + 128) * version + 64;
    if version >= 2 {
        let align = version / 7 + 2;
        n -= (25 * align - 10) * align - 55;
        if version >= 7 {
            n -= 36;
        }
    }
    n
}

/// Data codewords at `version`, level M.
fn data_codewords(version: usize) -> usize {
    raw_modules(version) / 8 - ECC_PER_BLOCK[version] as usize * BLOCKS[version] as usize
}

/// A growing bit string, most significant bit first.
#[derive(Default)]
struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    fn push(&mut self, value: u32, count: usize) {
        for i in (0..count).rev() {
            if self.len.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if (value >> i) & 1 == 1 {
                let last = self.bytes.len() - 1;
                self.bytes[last] |= 0x80 >> (self.len % 8);
            }
            self.len += 1;
        }
    }
}

/// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1.
fn gf_mul(x: u8, y: u8) -> u8 {
    let mut z: u32 = 0;
    for i in (0..8).rev() {
        z = (z << 1) ^ ((z >> 7) * 0x11D);
        z ^= ((y as u32 >> i) & 1) * x as u32;
    }
    z as u8
}

/// The Reed–Solomon generator polynomial of `degree` (leading 1 omitted).
fn rs_divisor(degree: usize) -> Vec<u8> {
    let mut result = vec![0u8; degree];
    result[degree - 1] = 1;
    let mut root = 1u8;
    for _ in 0..degree {
        for j in 0..degree {
            result[j] = gf_mul(result[j], root);
            if j + 1 < degree {
                result[j] ^= result[j + 1];
            }
        }
        root = gf_mul(root, 0x02);
    }
    result
}

fn rs_remainder(data: &[u8], divisor: &[u8]) -> Vec<u8> {
    let mut result = vec![0u8; divisor.len()];
    for b in data {
        let factor = b ^ result.remove(0);
        result.push(0);
        for (r, d) in result.iter_mut().zip(divisor) {
            *r ^= gf_mul(*d, factor);
        }
    }
    result
}

/// Splits the data into blocks, appends each block's error correction, and interleaves.
fn add_ecc_and_interleave(data: &[u8], version: usize) -> Vec<u8> {
    let (blocks, ecc_len) = (BLOCKS[version] as usize, ECC_PER_BLOCK[version] as usize);
    let raw = raw_modules(version) / 8;
    let short_blocks = blocks - raw % blocks;
    let short_len = raw / blocks;
    let divisor = rs_divisor(ecc_len);
    let mut all: Vec<Vec<u8>> = Vec::with_capacity(blocks);
    let mut k = 0;
    for i in 0..blocks {
        let len = short_len - ecc_len + usize::from(i >= short_blocks);
        let mut block = data[k..k + len].to_vec();
        k += len;
        let ecc = rs_remainder(&block, &divisor);
        if i < short_blocks {
            block.push(0);
        }
        block.extend(ecc);
        all.push(block);
    }
    let mut out = Vec::with_capacity(raw);
    for i in 0..all[0].len() {
        for (j, block) in all.iter().enumerate() {
            if i != short_len - ecc_len || j >= short_blocks {
                out.push(block[i]);
            }
        }
    }
    out
}

/// The matrix under construction, with which modules belong to function patterns.
struct Builder {
    version: usize,
    size: usize,
    modules: Vec<bool>,
    function: Vec<bool>,
}

impl Builder {
    fn new(version: usize) -> Builder {
        let size = version * 4 + 17;
        Builder { version, size, modules: vec![false; size * size], function: vec![false; size * size] }
    }

    fn set_function(&mut self, x: usize, y: usize, dark: bool) {
        let i = y * self.size + x;
        self.modules[i] = dark;
        self.function[i] = true;
    }

    fn draw_function_patterns(&mut self) {
        let size = self.size;
        for i in 0..size {
            self.set_function(6, i, i % 2 == 0);
            self.set_function(i, 6, i % 2 == 0);
        }
        for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4i32..=4 {
                for dx in -4i32..=4 {
                    let (x, y) = (cx as i32 + dx, cy as i32 + dy);
                    if (0..size as i32).contains(&x) && (0..size as i32).contains(&y) {
                        let dist = dx.abs().max(dy.abs());
                        self.set_function(x as usize, y as usize, dist != 2 && dist != 4);
                    }
                }
            }
        }
        let positions = self.alignment_positions();
        let n = positions.len();
        for i in 0..n {
            for j in 0..n {
                // No alignment pattern over the three finder patterns.
                let corner = (i == 0 && (j == 0 || j == n - 1)) || (i == n - 1 && j == 0);
                if !corner {
                    for dy in -2i32..=2 {
                        for dx in -2i32..=2 {
                            let (x, y) =
                                ((positions[i] as i32 + dx) as usize, (positions[j] as i32 + dy) as usize);
                            self.set_function(x, y, dx.abs().max(dy.abs()) != 1);
                        }
                    }
                }
            }
        }
        self.draw_format_bits(0); // reserves the area; drawn for real with the chosen mask
        self.draw_version();
    }

    fn alignment_positions(&self) -> Vec<usize> {
        if self.version == 1 {
            return Vec::new();
        }
        let n = self.version / 7 + 2;
        let step = (self.version * 8 + n * 3 + 5) / (n * 4 - 4) * 2;
        let mut result: Vec<usize> = (0..n - 1).map(|i| self.size - 7 - i * step).collect();
        result.push(6);
        result.reverse();
        result
    }

    fn draw_format_bits(&mut self, mask: u8) {
        // Level M is 0b00 in the format information.
        let data = mask as u32;
        let mut rem = data;
        for _ in 0..10 {
            rem = (rem << 1) ^ ((rem >> 9) * 0x537);
        }
        let bits = ((data << 10) | rem) ^ 0x5412;
        let bit = |i: usize| (bits >> i) & 1 == 1;
        let size = self.size;
        for i in 0..=5 {
            self.set_function(8, i, bit(i));
        }
        self.set_function(8, 7, bit(6));
        self.set_function(8, 8, bit(7));
        self.set_function(7, 8, bit(8));
        for i in 9..15 {
            self.set_function(14 - i, 8, bit(i));
        }
        for i in 0..8 {
            self.set_function(size - 1 - i, 8, bit(i));
        }
        for i in 8..15 {
            self.set_function(8, size - 15 + i, bit(i));
        }
        self.set_function(8, size - 8, true); // the dark module
    }

    fn draw_version(&mut self) {
        if self.version < 7 {
            return;
        }
        let mut rem = self.version as u32;
        for _ in 0..12 {
            rem = (rem << 1) ^ ((rem >> 11) * 0x1F25);
        }
        let bits = ((self.version as u32) << 12) | rem;
        for i in 0..18 {
            let dark = (bits >> i) & 1 == 1;
            let (a, b) = (self.size - 11 + i % 3, i / 3);
            self.set_function(a, b, dark);
            self.set_function(b, a, dark);
        }
    }

    fn draw_codewords(&mut self, data: &[u8]) {
        let size = self.size;
        let mut i = 0;
        let mut right = size - 1;
        loop {
            if right == 6 {
                right = 5;
            }
            for vert in 0..size {
                for j in 0..2 {
                    let x = right - j;
                    let upward = (right + 1) & 2 == 0;
                    let y = if upward { size - 1 - vert } else { vert };
                    let at = y * size + x;
                    if !self.function[at] && i < data.len() * 8 {
                        self.modules[at] = (data[i >> 3] >> (7 - (i & 7))) & 1 == 1;
                        i += 1;
                    }
                }
            }
            if right < 2 {
                break;
            }
            right -= 2;
        }
    }

    fn apply_mask(&mut self, mask: u8) {
        for y in 0..self.size {
            for x in 0..self.size {
                let invert = match mask {
                    0 => (x + y) % 2 == 0,
                    1 => y % 2 == 0,
                    2 => x % 3 == 0,
                    3 => (x + y) % 3 == 0,
                    4 => (x / 3 + y / 2) % 2 == 0,
                    5 => x * y % 2 + x * y % 3 == 0,
                    6 => (x * y % 2 + x * y % 3) % 2 == 0,
                    _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
                };
                let at = y * self.size + x;
                if invert && !self.function[at] {
                    self.modules[at] = !self.modules[at];
                }
            }
        }
    }

    /// The standard penalty: runs of five or more, 2×2 blocks, finder-like patterns, and the
    /// dark/light balance.
    fn penalty(&self) -> usize {
        let size = self.size;
        let at = |x: usize, y: usize| self.modules[y * size + x];
        let mut result = 0;
        for transpose in [false, true] {
            for a in 0..size {
                let get = |b: usize| if transpose { at(a, b) } else { at(b, a) };
                let (mut color, mut run) = (false, 0usize);
                let mut history = [0usize; 7];
                for b in 0..size {
                    if get(b) == color {
                        run += 1;
                        if run == 5 {
                            result += 3;
                        } else if run > 5 {
                            result += 1;
                        }
                    } else {
                        add_history(run, &mut history, size);
                        if !color {
                            result += finder_like(&history) * 40;
                        }
                        color = get(b);
                        run = 1;
                    }
                }
                if color {
                    add_history(run, &mut history, size);
                    run = 0;
                }
                add_history(run + size, &mut history, size);
                result += finder_like(&history) * 40;
            }
        }
        for y in 0..size - 1 {
            for x in 0..size - 1 {
                let c = at(x, y);
                if c == at(x + 1, y) && c == at(x, y + 1) && c == at(x + 1, y + 1) {
                    result += 3;
                }
            }
        }
        let dark = self.modules.iter().filter(|m| **m).count();
        let total = size * size;
        let k = (dark * 20).abs_diff(total * 10).div_ceil(total).saturating_sub(1);
        result + k * 10
    }
}

fn add_history(mut run: usize, history: &mut [usize; 7], size: usize) {
    if history[0] == 0 {
        run += size; // the light border before the first run
    }
    history.copy_within(0..6, 1);
    history[0] = run;
}

/// Finder-like patterns (1:1:3:1:1 with light space on one side) ending at the newest run.
fn finder_like(h: &[usize; 7]) -> usize {
    let n = h[1];
    let core = n > 0 && h[2] == n && h[3] == n * 3 && h[4] == n && h[5] == n;
    usize::from(core && h[0] >= n * 4 && h[6] >= n) + usize::from(core && h[6] >= n * 4 && h[0] >= n)
}

#[cfg(test)]
mod tests {
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

    /// Byte-mode capacity of every version agrees with the `qrcode` crate: the same text needs
    /// the same version (so the tables of blocks and codewords are right).
    #[test]
    fn versions_match_the_qrcode_crate_for_every_length() {
        for len in (1..=2331).step_by(5).chain([2329, 2330, 2331]) {
            let text = "q".repeat(len);
            let ours = QrMatrix::encode(&text).unwrap();
            let theirs =
                qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).unwrap();
            assert_eq!(ours.width(), theirs.width(), "{len} bytes");
            if len < 400 {
                // With the mask `qrcode` chose (its penalty scoring differs in details), the
                // very same modules: segments, error correction, interleaving and placement
                // all agree.
                let dark: Vec<bool> = theirs.to_colors().iter().map(|c| *c == qrcode::Color::Dark).collect();
                let (w, at) = (ours.width(), |i: usize| dark[i]);
                let mut format = (0..=5).fold(0u32, |f, i| f | (at(i * w + 8) as u32) << i);
                format |=
                    (at(7 * w + 8) as u32) << 6 | (at(8 * w + 8) as u32) << 7 | (at(8 * w + 7) as u32) << 8;
                format = (9..15).fold(format, |f, i| f | (at(8 * w + 14 - i) as u32) << i);
                let mask = (((format ^ 0x5412) >> 10) & 0b111) as u8;
                let same = QrMatrix::encode_with(&text, Some(mask)).unwrap();
                assert!(same.dark == dark, "{len} bytes: the matrices differ");
            }
        }
        assert!(QrMatrix::encode(&"q".repeat(2332)).is_err());
    }

    #[test]
    fn an_upper_case_bech32_address_takes_an_alphanumeric_segment() {
        let lower = "bitcoin:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq?amount=0.0123";
        let upper = "bitcoin:BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ?amount=0.0123";
        assert_eq!(
            segments(upper.as_bytes()).iter().map(|(m, _)| *m).collect::<Vec<_>>(),
            [Mode::Byte, Mode::Alphanumeric, Mode::Byte]
        );
        assert!(QrMatrix::encode(upper).unwrap().width() < QrMatrix::encode(lower).unwrap().width());
        let m = QrMatrix::encode(upper).unwrap();
        assert_eq!(decode_svg_path(&m.svg_path(), m.view_size(), 3), upper);
    }

    #[test]
    fn too_long_text_is_an_error() {
        assert_eq!(QrMatrix::encode(&"x".repeat(3000)), Err(QrError(3000)));
    }
}
