//! Page cookies, built and parsed by the `cookie` crate: HttpOnly, SameSite=Strict,
//! Path=/; over HTTPS also `Secure` with the `__Host-` prefix (which browsers accept
//! only from a secure origin, for the whole host, so no subdomain can plant one).

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use cookie::{Cookie, SameSite};

fn full_name(name: &str, https: bool) -> String {
    if https {
        format!("__Host-{name}")
    } else {
        name.to_owned()
    }
}

/// The value of a cookie the request carries.
pub(crate) fn read(headers: &HeaderMap, name: &str, https: bool) -> Option<String> {
    let wanted = full_name(name, https);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == wanted)
        .map(|c| c.value().to_owned())
}

/// Sets (or, with `max_age` 0 and an empty value, clears) a cookie on the response.
pub(crate) fn set(response: &mut Response, name: &str, value: &str, max_age: i64, https: bool) {
    build(response, name, value, max_age, https, SameSite::Strict);
}

/// A citizen's sign-in session: Lax, so that a link in a message opens the case
/// page signed in; every form that changes something carries a CSRF token.
pub(crate) fn set_lax(response: &mut Response, name: &str, value: &str, max_age: i64, https: bool) {
    build(response, name, value, max_age, https, SameSite::Lax);
}

/// A display preference (language, senior mode, region): also sent when a person
/// arrives from a link elsewhere (a message, a search engine), so SameSite=Lax. It
/// holds nothing secret and grants nothing.
pub(crate) fn set_preference(response: &mut Response, name: &str, value: &str, https: bool) {
    const A_YEAR: i64 = 365 * 24 * 3600;
    let max_age = if value.is_empty() { 0 } else { A_YEAR };
    build(response, name, value, max_age, https, SameSite::Lax);
}

fn build(
    response: &mut Response,
    name: &str,
    value: &str,
    max_age: i64,
    https: bool,
    same_site: SameSite,
) {
    let cookie = Cookie::build((full_name(name, https), value.to_owned()))
        .http_only(true)
        .same_site(same_site)
        .path("/")
        .secure(https)
        .max_age(cookie::time::Duration::seconds(max_age))
        .build();
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_https_cookies_are_secure_host_cookies() {
        let mut response = Response::new(axum::body::Body::empty());
        set(&mut response, "yc_session", "abc", 60, true);
        let text = response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap_or("");
        assert!(text.starts_with("__Host-yc_session=abc"), "{text}");
        for flag in [
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/",
            "Max-Age=60",
        ] {
            assert!(text.contains(flag), "{flag} missing: {text}");
        }
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; __Host-yc_session=abc"),
        );
        assert_eq!(read(&headers, "yc_session", true).as_deref(), Some("abc"));
        assert_eq!(read(&headers, "yc_session", false), None);
    }

    #[test]
    fn over_plain_http_the_cookie_has_its_plain_name() {
        let mut response = Response::new(axum::body::Body::empty());
        set(&mut response, "yc_session", "abc", 60, false);
        let text = response.headers()[header::SET_COOKIE]
            .to_str()
            .unwrap_or("");
        assert!(
            text.starts_with("yc_session=abc") && !text.contains("Secure"),
            "{text}"
        );
    }
}
