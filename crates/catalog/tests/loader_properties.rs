//! The loader never panics, whatever a file holds: every input is a catalog or errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use yichuang_catalog::load_files;

const SAMPLE: &str = include_str!("../../../catalog/regions/330000-zhejiang.toml");
const ITEMS: &str = include_str!("../../../catalog/items/work-injury.toml");

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn truncated_or_spliced_files_are_errors_not_panics(cut in 0usize..4000, insert in "[\\[\\]=\"a-z0-9 \n{},.-]{0,12}", which in 0usize..2) {
        let source = if which == 0 { SAMPLE } else { ITEMS };
        let mut cut = cut.min(source.len());
        while !source.is_char_boundary(cut) {
            cut -= 1;
        }
        let text = format!("{}{}{}", &source[..cut], insert, &source[cut..]);
        let name = if which == 0 { "regions/330000-zhejiang.toml" } else { "items/work-injury.toml" };
        let _ = load_files(vec![(name.to_owned(), text)]);
    }

    #[test]
    fn arbitrary_text_is_an_error_not_a_panic(text in "\\PC{0,300}") {
        prop_assert!(load_files(vec![("items/x.toml".to_owned(), text)]).is_err());
    }
}
