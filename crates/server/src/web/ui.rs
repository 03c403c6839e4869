//! What every page needs to draw its frame: the language, senior mode, the chosen
//! region and the address of the page itself (to come back to after a switch). Read
//! from the preference cookies, falling back to the browser's language.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use yichuang_domain::RegionCode;

use super::i18n;
use crate::cookies;
use crate::error::Lang;
use crate::state::AppState;

pub(crate) const LANG_COOKIE: &str = "yc_lang";
pub(crate) const SENIOR_COOKIE: &str = "yc_senior";
pub(crate) const REGION_COOKIE: &str = "yc_region";
pub(crate) const KIOSK_COOKIE: &str = "yc_kiosk";

#[derive(Debug, Clone)]
pub(crate) struct Ui {
    pub lang: Lang,
    pub senior: bool,
    /// A self-service terminal (自助终端): large targets, and back to the start after
    /// two minutes without a touch.
    pub kiosk: bool,
    pub region: Option<RegionCode>,
    /// This page's path and query, for the switches to return to.
    pub here: String,
}

impl Ui {
    pub fn lang_tag(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The interface text of `key`.
    pub fn t(&self, key: &str) -> String {
        i18n::text(self.lang, key)
    }

    /// The interface text of `key` with one argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl std::fmt::Display) -> String {
        i18n::text_with(self.lang, key, &[(name, value.to_string())])
    }

    /// The interface text of `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        (first, a): (&'static str, impl std::fmt::Display),
        (second, b): (&'static str, impl std::fmt::Display),
    ) -> String {
        i18n::text_with(
            self.lang,
            key,
            &[(first, a.to_string()), (second, b.to_string())],
        )
    }
}

/// A path on this site to return to; anything else (another host, `//evil`, a
/// backslash trick) becomes the home page.
pub(crate) fn local_path(back: &str) -> &str {
    let safe = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control)
        && back.len() <= 512;
    if safe { back } else { "/" }
}

impl FromRequestParts<AppState> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Ui, Self::Rejection> {
        let https = state.protection.config.https;
        let lang = match cookies::read(&parts.headers, LANG_COOKIE, https).as_deref() {
            Some("en") => Lang::En,
            Some("zh-CN") => Lang::Zh,
            _ => Lang::from_headers(&parts.headers),
        };
        let kiosk = cookies::read(&parts.headers, KIOSK_COOKIE, https).as_deref() == Some("on");
        let senior =
            kiosk || cookies::read(&parts.headers, SENIOR_COOKIE, https).as_deref() == Some("on");
        let region = cookies::read(&parts.headers, REGION_COOKIE, https)
            .and_then(|code| RegionCode::parse(&code).ok());
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        Ok(Ui {
            lang,
            senior,
            kiosk,
            region,
            here: local_path(&here).to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_returned_to() {
        for (back, expected) in [
            ("/guides/x?print=1", "/guides/x?print=1"),
            ("/", "/"),
            ("//evil.example/", "/"),
            ("https://evil.example/", "/"),
            ("/\\evil.example", "/"),
            ("", "/"),
            ("/a\nb", "/"),
        ] {
            assert_eq!(local_path(back), expected, "{back:?}");
        }
    }
}
