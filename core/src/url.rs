//! Web URLs from untrusted places (a payment's `return_url`, an option's `src`): parsed into
//! scheme, host and port by the WHATWG rules that matter for a decision, never judged by a
//! string prefix. Anything a browser could read differently from a plain reading (backslashes,
//! user info, control characters or spaces, percent-encoded or non-ASCII hosts, empty hosts) is
//! refused rather than interpreted, so `https://shop.example.evil.test/`,
//! `https://shop.example@evil.test/` and `https://evil.test\@shop.example/` never pass as
//! `shop.example`.

/// An absolute `http:`/`https:` URL's origin parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebUrl {
    /// `https` or `http`.
    pub scheme: &'static str,
    /// Lower-case host: a DNS name, a dotted IPv4 address or a bracketed IPv6 address.
    pub host: String,
    /// The explicit port, if one was written (and is not the scheme's default).
    pub port: Option<u16>,
}

/// Why a URL was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlError {
    Scheme,
    Characters,
    UserInfo,
    Host,
    Port,
    Insecure,
    NotAllowed,
}

// Hand-written instead of `thiserror`: its `Display` goes through `write!`, which would put
// `core::fmt` in the wasm (see `crate::text`); this one only writes the fixed message.
impl UrlError {
    /// The English explanation (what `Display` writes).
    pub const fn message(self) -> &'static str {
        match self {
            UrlError::Scheme => "it is not an absolute http(s) URL",
            UrlError::Characters => "it contains spaces, control characters or backslashes",
            UrlError::UserInfo => "it carries a user name or password",
            UrlError::Host => "its host is missing or malformed",
            UrlError::Port => "its port is malformed",
            UrlError::Insecure => "plain http is only allowed for this computer (localhost)",
            UrlError::NotAllowed => "its host is not one this form may send the shopper to",
        }
    }
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for UrlError {}

impl WebUrl {
    /// Parses an absolute http(s) URL.
    pub fn parse(text: &str) -> Result<WebUrl, UrlError> {
        if text.len() > 2048 || text.bytes().any(|b| b <= b' ' || b == b'\\' || b == 0x7f) {
            return Err(UrlError::Characters);
        }
        let (scheme, rest) = match text.split_once("://") {
            Some((s, r)) if s.eq_ignore_ascii_case("https") => ("https", r),
            Some((s, r)) if s.eq_ignore_ascii_case("http") => ("http", r),
            _ => return Err(UrlError::Scheme),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        if authority.contains('@') {
            return Err(UrlError::UserInfo);
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (inside, after) = v6.split_once(']').ok_or(UrlError::Host)?;
            if inside.is_empty() || !inside.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') {
                return Err(UrlError::Host);
            }
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':').ok_or(UrlError::Port)?),
            };
            (["[", &inside.to_ascii_lowercase(), "]"].concat(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_ascii_lowercase(), Some(p)),
                None => (authority.to_ascii_lowercase(), None),
            }
        };
        if !host.starts_with('[') && !valid_name(&host) {
            return Err(UrlError::Host);
        }
        let port = match port {
            None | Some("") => None,
            Some(p) if p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = p.parse().map_err(|_| UrlError::Port)?;
                let n = u16::try_from(n).map_err(|_| UrlError::Port)?;
                let default = if scheme == "https" { 443 } else { 80 };
                (n != default).then_some(n)
            }
            Some(_) => return Err(UrlError::Port),
        };
        Ok(WebUrl { scheme, host, port })
    }

    /// Whether the host is this computer (`localhost`, `127.0.0.0/8`, `[::1]`).
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host == "[::1]"
            || self.host.strip_prefix("127.").is_some_and(|r| {
                r.split('.').count() == 3
                    && r.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            })
    }
}

/// A DNS name of ASCII letters, digits and hyphens in dot-separated labels (a trailing dot is
/// refused: it would make `shop.example.` a different string from an equal host), or an IPv4
/// address (which has the same shape).
fn valid_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Reads a `return_url`: an absolute URL, https (or http to this computer).
pub fn parse_return_url(text: &str) -> Result<WebUrl, UrlError> {
    let url = WebUrl::parse(text)?;
    if url.scheme == "http" && !url.is_loopback() {
        return Err(UrlError::Insecure);
    }
    Ok(url)
}

/// Checks a `return_url`: [`parse_return_url`], and its exact host one of `allowed`
/// (compared case-insensitively, never by prefix or suffix).
pub fn check_return_url(text: &str, allowed: &[String]) -> Result<WebUrl, UrlError> {
    let url = parse_return_url(text)?;
    if !allowed.iter().any(|h| h.trim().eq_ignore_ascii_case(&url.host)) {
        return Err(UrlError::NotAllowed);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_origins() {
        let u = WebUrl::parse("HTTPS://Shop.Example:443/thanks?x=1#y").unwrap();
        assert_eq!((u.scheme, u.host.as_str(), u.port), ("https", "shop.example", None));
        assert_eq!(u.port, None, "the scheme's default port is not kept");
        let u = WebUrl::parse("http://127.0.0.1:8080").unwrap();
        assert_eq!((u.scheme, u.host.as_str(), u.port), ("http", "127.0.0.1", Some(8080)));
        assert!(u.is_loopback());
        let u = WebUrl::parse("http://[::1]:9/x").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("[::1]", Some(9)));
        assert!(u.is_loopback());
    }

    #[test]
    fn refuses_what_a_browser_could_read_otherwise() {
        for (bad, why) in [
            ("javascript:alert(1)", UrlError::Scheme),
            ("data:text/html,hi", UrlError::Scheme),
            ("//shop.example/", UrlError::Scheme),
            ("https:shop.example", UrlError::Scheme),
            ("https://shop.example@evil.test/", UrlError::UserInfo),
            ("https://evil.test\\@shop.example/", UrlError::Characters),
            ("https://shop.example /", UrlError::Characters),
            ("https://shop.exa\tmple/", UrlError::Characters),
            ("https:///path", UrlError::Host),
            ("https://shop..example/", UrlError::Host),
            ("https://shop.example./", UrlError::Host),
            ("https://xn--shp-gna.example%2F/", UrlError::Host),
            ("https://shöp.example/", UrlError::Host),
            ("https://shop.example:99999/", UrlError::Port),
            ("https://shop.example:8a/", UrlError::Port),
        ] {
            assert_eq!(WebUrl::parse(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn a_return_url_needs_an_exact_allowed_host() {
        let allowed = hosts(&["shop.example", "127.0.0.1"]);
        assert!(check_return_url("https://shop.example/thanks", &allowed).is_ok());
        assert!(check_return_url("https://SHOP.example/thanks", &allowed).is_ok());
        assert!(check_return_url("http://127.0.0.1:8080/thanks", &allowed).is_ok());
        for (bad, why) in [
            ("https://shop.example.evil.test/", UrlError::NotAllowed),
            ("https://evilshop.example/", UrlError::NotAllowed),
            ("https://sub.shop.example/", UrlError::NotAllowed),
            ("http://shop.example/", UrlError::Insecure),
            ("http://localhost.evil.test/", UrlError::Insecure),
            ("http://127.evil.test.x/", UrlError::Insecure),
            ("https://shop.example@evil.test/", UrlError::UserInfo),
        ] {
            assert_eq!(check_return_url(bad, &allowed), Err(why), "{bad}");
        }
        assert_eq!(check_return_url("https://shop.example/", &[]), Err(UrlError::NotAllowed));
    }

    #[test]
    fn every_error_says_what_it_said() {
        let cases = [
            (UrlError::Scheme, "it is not an absolute http(s) URL"),
            (UrlError::Characters, "it contains spaces, control characters or backslashes"),
            (UrlError::UserInfo, "it carries a user name or password"),
            (UrlError::Host, "its host is missing or malformed"),
            (UrlError::Port, "its port is malformed"),
            (UrlError::Insecure, "plain http is only allowed for this computer (localhost)"),
            (UrlError::NotAllowed, "its host is not one this form may send the shopper to"),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
        }
        let u = WebUrl::parse("https://[2001:DB8::A]:8443/").unwrap();
        assert_eq!(u.host, format!("[{}]", "2001:DB8::A".to_ascii_lowercase()));
    }
}
