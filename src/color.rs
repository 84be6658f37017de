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
        if let Some(hex) = t.strip_prefix('#') {
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
        let mut channel = || -> Option<u8> {
            let p = parts.next()?;
            let n: f64 = p.parse().ok()?;
            (0.0..=255.0).contains(&n).then(|| n.round() as u8)
        };
        Some(Rgb(channel()?, channel()?, channel()?))
    }

    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2.1).
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let s = c as f64 / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Mixes `t` (0..=1) of `other` into this colour.
    fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

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
        assert_eq!(Rgb::parse("rgb(300, 0, 0)"), None);
        assert_eq!(Rgb(255, 212, 0).hex(), "#ffd400");
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
}
