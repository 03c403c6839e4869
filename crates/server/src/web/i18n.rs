//! Interface text from Fluent files (`crates/server/locales/`), compiled into the
//! binary: zh-CN is the default, English is complete (a test compares the keys).

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use crate::error::Lang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "zh-CN",
        // Isolation marks around arguments show up as stray characters in some fonts.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static ZH: LanguageIdentifier = langid!("zh-CN");
static EN: LanguageIdentifier = langid!("en");

fn id(lang: Lang) -> &'static LanguageIdentifier {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The text of `key` in `lang`.
pub(crate) fn text(lang: Lang, key: &str) -> String {
    LOCALES.lookup(id(lang), key)
}

/// The text of `key` in `lang` with named arguments filled in.
pub(crate) fn text_with(lang: Lang, key: &str, args: &[(&'static str, String)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone())))
        .collect();
    LOCALES.lookup_with_args(id(lang), key, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        let mut keys: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned()))
            .collect();
        keys.sort();
        keys
    }

    #[test]
    fn english_has_every_key_chinese_has_and_no_other() {
        let zh = keys(include_str!("../../locales/zh-CN/pages.ftl"));
        let en = keys(include_str!("../../locales/en/pages.ftl"));
        assert!(zh.len() > 100, "the Chinese file has {} keys", zh.len());
        let missing: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        let extra: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "missing in en: {missing:?}; only in en: {extra:?}"
        );
    }

    #[test]
    fn arguments_are_filled_in_without_isolation_marks() {
        let text = text_with(Lang::En, "search-for", &[("query", "失业金".to_owned())]);
        assert_eq!(text, "Results for \"失业金\"");
        assert_eq!(
            text_with(Lang::Zh, "search-for", &[("query", "x".to_owned())]),
            "“x”的搜索结果"
        );
    }
}
