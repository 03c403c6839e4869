//! Dates as people write them: 2026年12月3日 in Chinese, 3 December 2026 in English.

use jiff::civil::Date;

use crate::error::Lang;

pub(crate) fn written(lang: Lang, date: Date) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Lang::En => date.strftime("%-d %B %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_people_write_them() {
        let date = jiff::civil::date(2027, 1, 4);
        assert_eq!(written(Lang::Zh, date), "2027年1月4日");
        assert_eq!(written(Lang::En, date), "4 January 2027");
    }
}
