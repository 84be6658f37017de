//! The stylesheet the form ships (`style/payform.css`) is well formed and scoped: a stray brace
//! makes browsers drop the rule after it without a word (it once unstyled every button), and a
//! rule outside `.payform` would leak into the merchant's page when the form is mounted
//! without a shadow root.

/// Splits CSS into (selector, depth) for every rule opened, failing on unbalanced braces.
fn rules(css: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut in_comment) = (0usize, 0usize, false);
    let bytes = css.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if in_comment {
            if css[i..].starts_with("*/") {
                in_comment = false;
                i += 1;
                start = i + 1;
            }
        } else if css[i..].starts_with("/*") {
            in_comment = true;
            i += 1;
        } else if bytes[i] == b'{' {
            out.push((css[start..i].trim().to_owned(), depth));
            depth += 1;
            start = i + 1;
        } else if bytes[i] == b'}' {
            assert!(depth > 0, "a '}}' closes nothing at byte {i}: {:?}", &css[i.saturating_sub(60)..i]);
            depth -= 1;
            start = i + 1;
        } else if bytes[i] == b';' && depth == 0 {
            start = i + 1;
        }
        i += 1;
    }
    assert_eq!(depth, 0, "unclosed '{{'");
    assert!(!in_comment, "unclosed comment");
    out
}

#[test]
fn payform_css_is_balanced_and_every_rule_is_scoped() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/payform.css")).unwrap();
    let all = rules(&css);
    assert!(all.len() > 40, "the stylesheet was read");
    for (selector, depth) in &all {
        if selector.starts_with('@') || selector.starts_with("from") || selector.starts_with("to") {
            continue; // at-rules and keyframe steps
        }
        for part in selector.split(',') {
            let part = part.trim();
            assert!(
                part.starts_with(".payform") || part.starts_with("body.payform-checkout"),
                "unscoped selector {part:?} (depth {depth})"
            );
        }
    }
}

#[test]
fn a_stray_brace_is_caught() {
    let broken = ".payform a { color: red; }\n}\n.payform b { color: blue; }";
    assert!(std::panic::catch_unwind(|| rules(broken)).is_err());
}
