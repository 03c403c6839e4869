//! A long list shown a page at a time: which page a query asks for, and the words when
//! it asks for one that is not there (the first page is shown instead); and what was
//! typed to find a line in it.

use crate::error::Lang;

/// Lines on one page: enough to scan, short enough for a phone.
pub(crate) const PER_PAGE: usize = 50;

pub(crate) struct Paging {
    /// From 1.
    pub page: usize,
    /// At least 1, even for an empty list.
    pub pages: usize,
    /// Why the page asked for is not the one shown.
    pub problem: Option<String>,
}

impl Paging {
    /// The page `asked` (as typed in the address; empty is the first) of `items` lines.
    pub(crate) fn of(asked: &str, items: usize, lang: Lang) -> Paging {
        let pages = items.div_ceil(PER_PAGE).max(1);
        let (page, problem) = match asked.trim() {
            "" => (1, None),
            text => match text.parse::<usize>() {
                Ok(n) if (1..=pages).contains(&n) => (n, None),
                _ => (
                    1,
                    Some(super::i18n::text_with(
                        lang,
                        "publicity-bad-page",
                        &[
                            ("page", text.chars().take(20).collect()),
                            ("pages", pages.to_string()),
                        ],
                    )),
                ),
            },
        };
        Paging {
            page,
            pages,
            problem,
        }
    }

    /// The lines of this page.
    pub(crate) fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = ((self.page - 1) * PER_PAGE).min(items.len());
        &items[start..(start + PER_PAGE).min(items.len())]
    }

    /// "第 2 页，共 5 页".
    pub(crate) fn words(&self, lang: Lang) -> String {
        super::i18n::text_with(
            lang,
            "publicity-page-of",
            &[
                ("page", self.page.to_string()),
                ("pages", self.pages.to_string()),
            ],
        )
    }
}

/// What someone typed to find a line by its name or its code: at most 100 characters;
/// codes are upper case, so one typed in lower case still finds its line.
pub(crate) struct Finder {
    pub text: String,
    code: String,
}

impl Finder {
    pub(crate) fn new(typed: &str) -> Finder {
        let text: String = typed.trim().chars().take(100).collect();
        let code = text.to_uppercase();
        Finder { text, code }
    }

    /// Whether a line with this name and code is one asked for (every line, when
    /// nothing was typed).
    pub(crate) fn finds(&self, name: &str, code: &str) -> bool {
        self.text.is_empty() || name.contains(&self.text) || code.contains(&self.code)
    }
}
