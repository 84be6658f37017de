//! The QR code: encode a wallet URI (error-correction level M) into a module matrix, and turn
//! the matrix into one SVG path with a 4-module quiet zone.
//!
//! The UI builds the `<svg>` and `<path>` elements itself from [`QrMatrix::svg_path`]; no
//! markup string is ever injected.

use qrcode::{Color, EcLevel, QrCode};

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
    pub fn encode(text: &str) -> Result<QrMatrix, QrError> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
            .map_err(|_| QrError(text.len()))?;
        let width = code.width();
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Ok(QrMatrix { width, dark })
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

    #[test]
    fn too_long_text_is_an_error() {
        assert_eq!(QrMatrix::encode(&"x".repeat(3000)), Err(QrError(3000)));
    }
}
