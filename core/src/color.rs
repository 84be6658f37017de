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

/// The hosted checkout's theming keys in its link (`checkout.html?…&accent=%230f766e&radius=8`)
/// and the custom property each sets: colours and the radius only, nothing else (no fonts, no
/// spacing, no free CSS). Their names are the properties' own, without `--pf-`.
pub const LINK_STYLE: [(&str, &str); 7] = [
    ("accent", "--pf-accent"),
    ("accent-fg", "--pf-accent-fg"),
    ("bg", "--pf-bg"),
    ("fg", "--pf-fg"),
    ("muted", "--pf-muted"),
    ("border", "--pf-border"),
    ("radius", "--pf-radius"),
];

/// The largest `radius` a link may give, in px.
pub const MAX_LINK_RADIUS: u8 = 24;

/// The colours of a theme's palette that a link's `bg`, `fg` and `muted` meet: its background,
/// its text and muted text, and the two status colours written straight on the background (the
/// urgent countdown and the error text). `payform.css` holds the same values (a test checks).
struct Palette {
    bg: Rgb,
    fg: Rgb,
    muted: Rgb,
    fixed: [Rgb; 2],
}

const LIGHT: Palette = Palette {
    bg: WHITE,
    fg: Rgb(0x11, 0x18, 0x27),
    muted: Rgb(0x4b, 0x55, 0x63),
    fixed: [Rgb(0xb4, 0x53, 0x09), Rgb(0x7f, 0x1d, 0x1d)],
};
const DARK: Palette = Palette {
    bg: Rgb(0x11, 0x18, 0x27),
    fg: Rgb(0xf9, 0xfa, 0xfb),
    muted: Rgb(0xcb, 0xd5, 0xe1),
    fixed: [Rgb(0xfb, 0xbf, 0x24), Rgb(0xfe, 0xe2, 0xe2)],
};

/// What a checkout link's theming keys come to: the custom properties to set, each value
/// written here (`#rrggbb`, `<n>px`), never the link's text; and the keys given but left out,
/// each with why (English, for the console).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkStyle {
    pub properties: Vec<(&'static str, String)>,
    pub ignored: Vec<(&'static str, &'static str)>,
}

/// Why a colour was left out.
pub const NOT_A_COLOUR: &str = "is not a colour #rgb or #rrggbb";
/// Why a radius was left out.
pub const NOT_A_RADIUS: &str = "is not a radius from 0 to 24 (px)";
/// Why `bg`, `fg` and `muted` were left out.
pub const UNREADABLE: &str =
    "would put text below 4.5:1 on the background (a dark bg needs theme=dark, and light fg and muted)";

/// `#rgb` or `#rrggbb`, exactly (no spaces, names or functions).
fn hex_colour(text: &str) -> Option<Rgb> {
    let hex = text.strip_prefix('#')?;
    let shape = matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit());
    shape.then(|| Rgb::parse(text)).flatten()
}

/// A whole number of px from 0 to [`MAX_LINK_RADIUS`], `8` or `8px`.
fn radius(text: &str) -> Option<u8> {
    let digits = text.strip_suffix("px").unwrap_or(text);
    let ok = matches!(digits.len(), 1 | 2) && digits.bytes().all(|b| b.is_ascii_digit());
    let px = digits.bytes().fold(0u8, |n, b| n.wrapping_mul(10).wrapping_add(b.wrapping_sub(b'0')));
    (ok && px <= MAX_LINK_RADIUS).then_some(px)
}

/// Reads the theming keys of a checkout link (`get` gives a key's value, as the link's query or
/// fragment has it) for a form in `theme`. A value of the wrong shape is left out. `bg`, `fg`
/// and `muted` go together: each text colour in force (the link's or the theme's) must reach
/// WCAG AA (4.5:1) on the background in force, and so must the theme's urgent and error text
/// written on it, in every palette the theme may show (`auto`: both); otherwise none of the
/// three is used. `accent` and `accent-fg` need no check here: the form keeps them readable
/// itself (`ink_on`, `text_on`).
pub fn link_style(get: impl Fn(&str) -> Option<String>, theme: crate::options::Theme) -> LinkStyle {
    use crate::options::Theme;
    let mut style = LinkStyle::default();
    let mut colours: [Option<Rgb>; 7] = [None; 7];
    for (i, (key, property)) in LINK_STYLE.into_iter().enumerate() {
        let Some(text) = get(key).filter(|t| !t.is_empty()) else { continue };
        let value = if key == "radius" {
            radius(&text).map(|r| crate::cat!(r, "px"))
        } else {
            hex_colour(&text).map(|c| {
                colours[i] = Some(c);
                c.hex()
            })
        };
        match value {
            Some(value) => style.properties.push((property, value)),
            None => style.ignored.push((key, if key == "radius" { NOT_A_RADIUS } else { NOT_A_COLOUR })),
        }
    }
    let (bg, fg, muted) = (colours[2], colours[3], colours[4]);
    if bg.is_none() && fg.is_none() && muted.is_none() {
        return style;
    }
    let palettes: &[Palette] = match theme {
        Theme::Light => &[LIGHT],
        Theme::Dark => &[DARK],
        Theme::Auto => &[LIGHT, DARK],
    };
    let unreadable = palettes.iter().any(|p| {
        let back = bg.unwrap_or(p.bg);
        [fg.unwrap_or(p.fg), muted.unwrap_or(p.muted), p.fixed[0], p.fixed[1]]
            .into_iter()
            .any(|text| contrast(text, back) < AA)
    });
    if unreadable {
        style.properties.retain(|(p, _)| !matches!(*p, "--pf-bg" | "--pf-fg" | "--pf-muted"));
        style.ignored.push(("bg, fg and muted", UNREADABLE));
    }
    style
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

    fn link(pairs: &[(&str, &str)], theme: crate::options::Theme) -> LinkStyle {
        link_style(|key| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string()), theme)
    }

    #[test]
    fn a_link_sets_only_valid_colours_and_radius_written_by_us() {
        use crate::options::Theme;
        let style = link(
            &[
                ("accent", "#0F766E"),
                ("accent-fg", "#fff"),
                ("border", "#d1d5db"),
                ("radius", "8"),
                ("font", "x"),
            ],
            Theme::Light,
        );
        assert_eq!(
            style.properties,
            [
                ("--pf-accent", "#0f766e".to_owned()),
                ("--pf-accent-fg", "#ffffff".to_owned()),
                ("--pf-border", "#d1d5db".to_owned()),
                ("--pf-radius", "8px".to_owned())
            ]
        );
        assert!(style.ignored.is_empty(), "{:?}", style.ignored);
        assert_eq!(link(&[("radius", "24px")], Theme::Dark).properties, [("--pf-radius", "24px".to_owned())]);
        assert_eq!(link(&[("radius", "0")], Theme::Dark).properties, [("--pf-radius", "0px".to_owned())]);
        assert_eq!(link(&[("accent", "")], Theme::Light), LinkStyle::default(), "empty is not given");
        for hostile in [
            "red;background:url(x)",
            "red",
            "#0f766e;background:url(x)",
            "#0f766e ",
            " #0f766e",
            "#0f766e}",
            "#12345",
            "#1234567",
            "#0f766e80",
            "#ggg",
            "rgb(1,2,3)",
            "var(--x)",
            "url(https://evil.example/x.png)",
            "#é12",
            "expression(alert(1))",
        ] {
            let style = link(&[("accent", hostile), ("bg", hostile)], Theme::Light);
            assert!(style.properties.is_empty(), "{hostile:?}: {:?}", style.properties);
            assert_eq!(style.ignored, [("accent", NOT_A_COLOUR), ("bg", NOT_A_COLOUR)], "{hostile:?}");
        }
        for bad in ["25", "100", "-1", "8.5", "8em", "8 px", "", "px", "08px;x", "1e1", "+8", "999"] {
            let style = link(&[("radius", bad)], Theme::Light);
            assert!(style.properties.is_empty(), "{bad:?}");
            assert_eq!(style.ignored.len(), usize::from(!bad.is_empty()), "{bad:?}");
        }
        assert_eq!(link(&[("radius", "25")], Theme::Light).ignored, [("radius", NOT_A_RADIUS)]);
        assert_eq!(link(&[("radius", "99px")], Theme::Light).ignored, [("radius", NOT_A_RADIUS)]);
    }

    #[test]
    fn background_and_text_colours_are_used_only_when_they_stay_readable() {
        use crate::options::Theme;
        let props = |s: &LinkStyle| s.properties.iter().map(|(p, v)| [*p, v].concat()).collect::<Vec<_>>();
        // A cream background on the light theme: every text colour stays AA.
        let cream = link(&[("bg", "#fffbeb")], Theme::Light);
        assert_eq!(props(&cream), ["--pf-bg#fffbeb"]);
        // A dark background needs the dark theme (or light text colours *and* the dark theme's
        // status colours): on the light theme its default text would vanish.
        let dark_on_light = link(&[("bg", "#000000"), ("accent", "#ff0000")], Theme::Light);
        assert_eq!(props(&dark_on_light), ["--pf-accent#ff0000"], "the accent stays");
        assert_eq!(dark_on_light.ignored, [("bg, fg and muted", UNREADABLE)]);
        let dark = link(&[("bg", "#000000"), ("fg", "#ffffff")], Theme::Dark);
        assert_eq!(props(&dark), ["--pf-bg#000000", "--pf-fg#ffffff"]);
        // On auto, the link's background meets both palettes: light text on it fails in light.
        assert!(link(&[("bg", "#000000"), ("fg", "#ffffff")], Theme::Auto).properties.is_empty());
        // Grey text on white, below AA, takes bg and muted with it.
        let faint = link(&[("fg", "#aaaaaa"), ("muted", "#6b7280")], Theme::Light);
        assert!(faint.properties.is_empty(), "{:?}", faint.properties);
        assert_eq!(faint.ignored, [("bg, fg and muted", UNREADABLE)]);
        // A background the theme's urgent countdown (#b45309) cannot be read on.
        assert!(!link(&[("bg", "#e5e7eb")], Theme::Light).ignored.is_empty());
        // fg alone is checked against the theme's own background.
        assert_eq!(props(&link(&[("fg", "#000")], Theme::Light)), ["--pf-fg#000000"]);
        assert!(link(&[("fg", "#000")], Theme::Dark).properties.is_empty());
    }

    #[test]
    fn the_palettes_are_payform_css_defaults() {
        let css = include_str!("../../style/payform.css");
        let (light, dark) = css.split_once(".payform.pf-theme-dark {").expect("the dark block");
        let light = &light[light.find(".payform {").expect("the light block")..];
        let dark = &dark[..dark.find('}').unwrap()];
        for (block, palette) in [(light, &LIGHT), (dark, &DARK)] {
            for (name, colour) in
                [("--pf-bg", palette.bg), ("--pf-fg", palette.fg), ("--pf-muted", palette.muted)]
            {
                let decl = ["var(", name, ", ", &colour.hex(), ")"].concat();
                assert!(block.contains(&decl), "{decl} in payform.css");
            }
            let [urgent, bad] = palette.fixed;
            assert!(block.contains(&["--_urgent: ", &urgent.hex(), ";"].concat()), "{urgent:?}");
            assert!(block.contains(&["--_bad-fg: ", &bad.hex(), ";"].concat()), "{bad:?}");
        }
        // Every theming key of a link is a property the stylesheet reads.
        for (_, property) in LINK_STYLE {
            assert!(css.contains(&["var(", property, ","].concat()), "{property}");
        }
    }

    #[test]
    fn no_theming_key_is_also_an_option() {
        for (key, _) in LINK_STYLE {
            assert!(
                crate::options::TABLE.iter().all(|spec| spec.name != key),
                "{key} is an option's name too"
            );
            assert_ne!(key, "parent_origin");
        }
    }
}
