//! Colour contrast (WCAG 2.1): parsing the `rgb()` / hex colours a browser reports, relative
//! luminance, contrast ratios, and the adjustments that keep a merchant's brand colour readable:
//! text on the brand colour, and the brand colour used as text on the form's background, both at
//! least 4.5:1 (AA for normal text).

/// An sRGB colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// WCAG AA for normal text.
pub const AA: f64 = 4.5;

pub const BLACK: Rgb = Rgb(0, 0, 0);
pub const WHITE: Rgb = Rgb(255, 255, 255);

impl Rgb {
    /// Reads `#rgb`, `#rrggbb`, `rgb(r, g, b)`, `rgba(r, g, b, a)` and the space-separated
    /// `rgb(r g b / a)` (alpha is ignored). `None` for anything else.
    pub fn parse(text: &str) -> Option<Rgb> {
        let t = text.trim();
        if let Some(hex) = t.strip_prefix('#').filter(|h| h.is_ascii()) {
            let v = |s: &str| u8::from_str_radix(s, 16).ok();
            return match hex.len() {
                3 => {
                    let d: Vec<u8> =
                        hex.chars().map(|c| c.to_digit(16).map(|d| d as u8 * 17)).collect::<Option<_>>()?;
                    Some(Rgb(d[0], d[1], d[2]))
                }
                6 => Some(Rgb(v(&hex[0..2])?, v(&hex[2..4])?, v(&hex[4..6])?)),
                _ => None,
            };
        }
        let inner = t.strip_prefix("rgba(").or_else(|| t.strip_prefix("rgb("))?.strip_suffix(')')?;
        let mut parts =
            inner.split(|c: char| c == ',' || c == '/' || c.is_whitespace()).filter(|p| !p.is_empty());
        // Integers, or decimals rounded; no float parsing (it would add kilobytes of tables to
        // the bundle).
        let mut channel = || -> Option<u8> {
            let part = parts.next()?;
            let (whole, fraction) = part.split_once('.').unwrap_or((part, ""));
            let n: u16 = whole.parse().ok()?;
            let up = fraction.chars().next().is_some_and(|d| ('5'..='9').contains(&d));
            u8::try_from(n + up as u16).ok()
        };
        Some(Rgb(channel()?, channel()?, channel()?))
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        let mut hex = String::from("#");
        for channel in [self.0, self.1, self.2] {
            crate::text::push_hex2(&mut hex, channel);
        }
        hex
    }

    /// Relative luminance (WCAG 2.1).
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| LINEAR[c as usize] as f64 / 1e6;
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Mixes `t` (0..=1) of `other` into this colour.
    fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// The sRGB transfer function, `((c/255 + 0.055) / 1.055)^2.4` (or `c/255/12.92` near black), in
/// millionths: a table instead of `powf`, which would add its code to the bundle. The test
/// below recomputes it.
#[rustfmt::skip]
const LINEAR: [u32; 256] = [
    0, 304, 607, 911, 1214, 1518, 1821, 2125, 2428, 2732, 3035, 3347,
    3677, 4025, 4391, 4777, 5182, 5605, 6049, 6512, 6995, 7499, 8023, 8568,
    9134, 9721, 10330, 10960, 11612, 12286, 12983, 13702, 14444, 15209, 15996, 16807,
    17642, 18500, 19382, 20289, 21219, 22174, 23153, 24158, 25187, 26241, 27321, 28426,
    29557, 30713, 31896, 33105, 34340, 35601, 36889, 38204, 39546, 40915, 42311, 43735,
    45186, 46665, 48172, 49707, 51269, 52861, 54480, 56128, 57805, 59511, 61246, 63010,
    64803, 66626, 68478, 70360, 72272, 74214, 76185, 78187, 80220, 82283, 84376, 86500,
    88656, 90842, 93059, 95307, 97587, 99899, 102242, 104616, 107023, 109462, 111932, 114435,
    116971, 119538, 122139, 124772, 127438, 130136, 132868, 135633, 138432, 141263, 144128, 147027,
    149960, 152926, 155926, 158961, 162029, 165132, 168269, 171441, 174647, 177888, 181164, 184475,
    187821, 191202, 194618, 198069, 201556, 205079, 208637, 212231, 215861, 219526, 223228, 226966,
    230740, 234551, 238398, 242281, 246201, 250158, 254152, 258183, 262251, 266356, 270498, 274677,
    278894, 283149, 287441, 291771, 296138, 300544, 304987, 309469, 313989, 318547, 323143, 327778,
    332452, 337164, 341914, 346704, 351533, 356400, 361307, 366253, 371238, 376262, 381326, 386429,
    391572, 396755, 401978, 407240, 412543, 417885, 423268, 428690, 434154, 439657, 445201, 450786,
    456411, 462077, 467784, 473531, 479320, 485150, 491021, 496933, 502886, 508881, 514918, 520996,
    527115, 533276, 539479, 545724, 552011, 558340, 564712, 571125, 577580, 584078, 590619, 597202,
    603827, 610496, 617207, 623960, 630757, 637597, 644480, 651406, 658375, 665387, 672443, 679542,
    686685, 693872, 701102, 708376, 715694, 723055, 730461, 737910, 745404, 752942, 760525, 768151,
    775822, 783538, 791298, 799103, 806952, 814847, 822786, 830770, 838799, 846873, 854993, 863157,
    871367, 879622, 887923, 896269, 904661, 913099, 921582, 930111, 938686, 947307, 955973, 964686,
    973445, 982251, 991102, 1000000,
];

/// The contrast ratio of two colours, 1..=21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (x, y) = (a.luminance(), b.luminance());
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The text colour for a fill of `fill`: `preferred` when it reaches AA, else black or white,
/// whichever contrasts more (one of them always reaches 4.5:1).
pub fn text_on(fill: Rgb, preferred: Option<Rgb>) -> Rgb {
    if let Some(p) = preferred.filter(|p| contrast(*p, fill) >= AA) {
        return p;
    }
    if contrast(BLACK, fill) >= contrast(WHITE, fill) {
        BLACK
    } else {
        WHITE
    }
}

/// The brand colour as text (links, outlined buttons, focus rings) on `background`: unchanged
/// when it reaches AA, else darkened (on a light background) or lightened (on a dark one) just
/// enough to reach it, so it stays recognisably the brand's hue.
pub fn ink_on(accent: Rgb, background: Rgb) -> Rgb {
    if contrast(accent, background) >= AA {
        return accent;
    }
    let toward = if background.luminance() > 0.18 { BLACK } else { WHITE };
    (1..=20)
        .map(|step| accent.mix(toward, step as f64 / 20.0))
        .find(|c| contrast(*c, background) >= AA)
        .unwrap_or(toward)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_browsers_report() {
        assert_eq!(Rgb::parse("rgb(29, 78, 216)"), Some(Rgb(29, 78, 216)));
        assert_eq!(Rgb::parse("rgba(0, 0, 0, 0.5)"), Some(Rgb(0, 0, 0)));
        assert_eq!(Rgb::parse("rgb(255 204 0 / 50%)"), Some(Rgb(255, 204, 0)));
        assert_eq!(Rgb::parse(" #FFD400 "), Some(Rgb(255, 212, 0)));
        assert_eq!(Rgb::parse("#fc0"), Some(Rgb(255, 204, 0)));
        assert_eq!(Rgb::parse("gold"), None);
        assert_eq!(Rgb::parse("#aéaéa"), None);
        assert_eq!(Rgb::parse("rgb(300, 0, 0)"), None);
        assert_eq!(Rgb::parse("rgb(254.6, 0.2, 10)"), Some(Rgb(255, 0, 10)));
        assert_eq!(Rgb(255, 212, 0).hex(), "#ffd400");
    }

    #[test]
    fn the_table_is_the_srgb_transfer_function() {
        for (c, v) in LINEAR.iter().enumerate() {
            let s = c as f64 / 255.0;
            let exact = if s <= 0.04045 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) };
            assert!((*v as f64 / 1e6 - exact).abs() <= 0.5e-6, "{c}");
        }
    }

    #[test]
    fn contrast_matches_the_wcag_reference_values() {
        assert!((contrast(BLACK, WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(WHITE, WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        assert!((contrast(Rgb(0x76, 0x76, 0x76), WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn every_brand_colour_gets_readable_text_and_ink() {
        let backgrounds = [WHITE, Rgb(0x11, 0x18, 0x27), Rgb(0xf9, 0xfa, 0xfb), Rgb(0x80, 0x80, 0x80)];
        for r in (0..=255).step_by(51) {
            for g in (0..=255).step_by(51) {
                for b in (0..=255).step_by(51) {
                    let accent = Rgb(r as u8, g as u8, b as u8);
                    assert!(contrast(text_on(accent, None), accent) >= AA, "{accent:?}");
                    for bg in backgrounds {
                        assert!(contrast(ink_on(accent, bg), bg) >= AA, "{accent:?} on {bg:?}");
                    }
                }
            }
        }
        // A passing pair is left alone; yellow on white is darkened, not replaced by black.
        assert_eq!(ink_on(Rgb(0x1d, 0x4e, 0xd8), WHITE), Rgb(0x1d, 0x4e, 0xd8));
        let ink = ink_on(Rgb(255, 212, 0), WHITE);
        assert!(ink != BLACK && ink.0 > ink.2, "{ink:?} keeps a yellow-brown hue");
        assert_eq!(text_on(Rgb(255, 212, 0), Some(WHITE)), BLACK, "white on yellow fails AA");
        assert_eq!(text_on(Rgb(0x1d, 0x4e, 0xd8), Some(WHITE)), WHITE);
    }

    #[test]
    fn hex_is_written_as_before() {
        for c in 0..=255u8 {
            for rgb in [Rgb(c, 0, 0), Rgb(0, c, 0), Rgb(0, 0, c), Rgb(c, c.wrapping_mul(7), 255 - c)] {
                assert_eq!(rgb.hex(), format!("#{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2));
            }
        }
    }
}
