//! Who may call the devserver from a web page.
//!
//! Safe reads (`GET`/`HEAD`, and their preflights) answer `Access-Control-Allow-Origin: *`:
//! the form reads payments, events and static files cross-origin, and reads carry no secret.
//! Everything else changes state (create, simulate, faults, scripts), and for it the `Origin`
//! is reflected only when it is a loopback origin (`http://127.0.0.1:<port>`,
//! `http://localhost:<port>`, `http://[::1]:<port>`, or the same over https) or was listed
//! with `--allow-origin`, always with `Vary: Origin`. A request that would change state and
//! carries any other `Origin` (a page on the web, `Origin: null` from a sandboxed frame or a
//! file) is refused with 403 before it runs: a `no-cors` form POST needs no preflight, so
//! withholding the CORS headers alone would not stop it. Requests without `Origin` (curl, Node's
//! `fetch`, the tests) are not browser cross-origin requests and pass. Checking the origin
//! also keeps a DNS-rebinding page (its origin is its own host name) from changing state.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The origins allowed to change state besides the loopback ones (`--allow-origin`).
#[derive(Debug, Default, Clone)]
pub struct Origins {
    extra: Vec<String>,
}

/// Set on a response whose handler chose its own CORS headers (a scripted reply that names an
/// `Access-Control-*` header): the middleware then adds none on a safe read.
#[derive(Debug, Clone, Copy)]
pub struct OwnCors;

impl Origins {
    /// Adds an `--allow-origin` value: `scheme://host[:port]`, as browsers send it.
    pub fn allow(&mut self, origin: &str) -> Result<(), String> {
        let o = origin.trim().trim_end_matches('/').to_ascii_lowercase();
        let rest = o.strip_prefix("http://").or_else(|| o.strip_prefix("https://"));
        let valid = rest.is_some_and(|r| {
            !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
        });
        if !valid {
            return Err(format!(
                "--allow-origin {origin:?}: expected an origin such as https://shop.example or http://192.168.1.20:8080 \
                 (scheme, host and port only; `*` and `null` are not accepted)"
            ));
        }
        self.extra.push(o);
        Ok(())
    }

    /// Whether a page of `origin` may change state.
    pub fn allows(&self, origin: &str) -> bool {
        is_loopback(origin) || self.extra.iter().any(|o| o == origin)
    }
}

/// `http(s)://127.0.0.1`, `localhost` or `[::1]`, with an optional port, and nothing else.
pub fn is_loopback(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) else {
        return false;
    };
    ["127.0.0.1", "localhost", "[::1]"].iter().any(|host| match rest.strip_prefix(host) {
        Some("") => true,
        Some(port) => port.strip_prefix(':').is_some_and(|p| {
            (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok()
        }),
        None => false,
    })
}

/// Whether the request (or, for a preflight, the request it announces) only reads.
fn is_safe(method: &Method, headers: &HeaderMap) -> bool {
    let intended = if method == Method::OPTIONS {
        match headers.get(header::ACCESS_CONTROL_REQUEST_METHOD) {
            Some(m) => m.as_bytes().to_vec(),
            None => return true,
        }
    } else {
        method.as_str().as_bytes().to_vec()
    };
    intended == b"GET" || intended == b"HEAD"
}

/// Who may frame the hosted checkout (`--frame-ancestors`, CSP syntax).
pub static FRAME_ANCESTORS: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// The strict policy the hosted checkout page is served with: no inline script, no eval, only
/// its own files, and framing only by the allowed shops.
fn checkout_csp() -> String {
    let ancestors = FRAME_ANCESTORS.get().map_or("'self'", String::as_str);
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; \
         img-src 'self' data:; frame-ancestors {ancestors}"
    )
}

fn set(h: &mut HeaderMap, name: &'static str, value: &'static str) {
    h.insert(name, HeaderValue::from_static(value));
}

/// The CORS rule above, plus the strict CSP on the hosted checkout page.
pub async fn layer(State(origins): State<Arc<Origins>>, req: Request<Body>, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS;
    let checkout_page = req.uri().path().ends_with("/checkout.html");
    let safe = is_safe(req.method(), req.headers());
    let origin = req.headers().get(header::ORIGIN).cloned();
    let allowed = origin.as_ref().map(|o| o.to_str().is_ok_and(|o| origins.allows(o)));
    let mut res = if !safe && allowed == Some(false) {
        if preflight {
            StatusCode::FORBIDDEN.into_response()
        } else {
            let origin = origin.as_ref().map_or("", |o| o.to_str().unwrap_or("(not ASCII)"));
            let message = format!(
                "requests from the origin {origin:?} may not change the devserver's state: only loopback \
                 origins (http://127.0.0.1:<port>, http://localhost:<port>, http://[::1]:<port>) and \
                 those given with --allow-origin may"
            );
            crate::error(403, Some("origin"), &message)
        }
    } else if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let own_cors = res.extensions().get::<OwnCors>().is_some();
    let h = res.headers_mut();
    set(h, "cross-origin-resource-policy", "cross-origin");
    if safe {
        if !own_cors {
            set(h, "access-control-allow-origin", "*");
            set(h, "access-control-allow-methods", "GET, HEAD, OPTIONS");
            set(
                h,
                "access-control-allow-headers",
                "accept, if-none-match, cache-control, pragma, last-event-id, content-type",
            );
            set(h, "access-control-expose-headers", "etag, retry-after, date");
            set(h, "access-control-max-age", "600");
        }
    } else {
        h.append(header::VARY, HeaderValue::from_static("Origin"));
        if let (Some(origin), Some(true)) = (origin, allowed) {
            h.insert("access-control-allow-origin", origin);
            set(h, "access-control-allow-methods", "GET, POST, OPTIONS");
            set(h, "access-control-allow-headers", "content-type, accept");
            set(h, "access-control-expose-headers", "etag, retry-after, date");
            set(h, "access-control-max-age", "600");
        }
    }
    if checkout_page {
        if let Ok(v) = HeaderValue::from_str(&checkout_csp()) {
            h.insert("content-security-policy", v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins_only() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.0.0.1:1",
            "http://127.0.0.1:65535",
            "http://127.0.0.1",
            "http://localhost:8080",
            "http://[::1]:9000",
            "https://localhost:8443",
        ] {
            assert!(is_loopback(ok), "{ok}");
        }
        for bad in [
            "null",
            "",
            "http://127.0.0.1.evil.example",
            "http://127.0.0.1.evil.example:8080",
            "http://localhost.evil.example:8080",
            "http://evil.example/http://localhost:8080",
            "http://127.0.0.1:65536",
            "http://127.0.0.1:80x",
            "http://127.0.0.1:",
            "http://127.0.0.1:8080/",
            "http://127.0.0.1@evil.example",
            "http://[::1].evil.example",
            "ftp://localhost:21",
            "http://127.0.0.2:8080",
            "http://0.0.0.0:8080",
            "https://evil.example",
            "HTTP://LOCALHOST:8080",
        ] {
            assert!(!is_loopback(bad), "{bad}");
        }
    }

    #[test]
    fn allow_origin_values() {
        let mut o = Origins::default();
        o.allow("https://Shop.example/").unwrap();
        o.allow("http://192.168.1.20:8080").unwrap();
        assert!(o.allows("https://shop.example"));
        assert!(o.allows("http://192.168.1.20:8080"));
        assert!(!o.allows("https://shop.example.evil"));
        assert!(!o.allows("http://192.168.1.20:8081"));
        for bad in ["*", "null", "shop.example", "https://", "https://shop.example/path", "https://a b"] {
            assert!(o.allow(bad).is_err(), "{bad}");
        }
    }
}
