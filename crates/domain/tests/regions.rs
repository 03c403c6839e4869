//! Division codes through the domain's public surface.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use yichuang_domain::{Level, RegionCode};

fn region(code: &str) -> RegionCode {
    RegionCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"))
}

#[test]
fn the_table_has_every_division_of_2025() {
    let provinces: Vec<RegionCode> = (11..=82)
        .filter_map(|p| RegionCode::from_digits(p * 10_000))
        .collect();
    assert_eq!(provinces.len(), 33);
    let mut counts = [0usize; 4];
    let mut stack = provinces.clone();
    while let Some(r) = stack.pop() {
        counts[r.level() as usize] += 1;
        stack.extend(r.children());
    }
    // 33 + 333 + 2,845 + 38,723 = 41,934 divisions, all reachable from a province.
    assert_eq!(counts, [33, 333, 2_845, 38_723]);
}

#[test]
fn divisions_know_their_place() {
    let cases = [
        (
            "330211",
            "镇海区",
            Level::County,
            Some("330200"),
            "浙江省 宁波市 镇海区",
        ),
        (
            "510107",
            "武侯区",
            Level::County,
            Some("510100"),
            "四川省 成都市 武侯区",
        ),
        (
            "450000",
            "广西壮族自治区",
            Level::Province,
            None,
            "广西壮族自治区",
        ),
        (
            "110105",
            "朝阳区",
            Level::County,
            Some("110000"),
            "北京市 朝阳区",
        ),
        (
            "110101001",
            "东华门街道",
            Level::Township,
            Some("110101"),
            "北京市 东城区 东华门街道",
        ),
        (
            "441900",
            "东莞市",
            Level::Prefecture,
            Some("440000"),
            "广东省 东莞市",
        ),
        (
            "810000",
            "香港特别行政区",
            Level::Province,
            None,
            "香港特别行政区",
        ),
    ];
    for (code, name, level, parent, full) in cases {
        let r = region(code);
        assert_eq!(r.to_string(), code);
        assert_eq!(r.name(), name, "{code}");
        assert_eq!(r.level(), level, "{code}");
        assert_eq!(
            r.parent().map(|p| p.to_string()).as_deref(),
            parent,
            "{code}"
        );
        assert_eq!(r.full_name(), full, "{code}");
    }
}

#[test]
fn within_follows_the_tree() {
    let zhenhai = region("330211");
    assert!(zhenhai.is_within(region("330200")));
    assert!(zhenhai.is_within(region("330000")));
    assert!(zhenhai.is_within(zhenhai));
    assert!(!zhenhai.is_within(region("320000")));
    assert!(!region("330000").is_within(zhenhai));
    assert_eq!(zhenhai.province(), region("330000"));
    assert_eq!(
        zhenhai.ancestors(),
        vec![region("330000"), region("330200")]
    );
    let ningbo_children: Vec<String> = region("330200").children().map(|c| c.to_string()).collect();
    assert!(ningbo_children.contains(&"330211".to_owned()));
    assert!(
        region("330200")
            .children()
            .all(|c| c.parent() == Some(region("330200")))
    );
}

#[test]
fn bad_division_codes_say_why() {
    let cases = [
        ("", "empty"),
        ("33021", "wrong_length"),
        ("3302110", "wrong_length"),
        ("33021a", "not_digit"),
        ("330299", "not_in_table"),
        ("110103", "not_in_table"),
        ("000000", "not_in_table"),
        ("710000", "not_in_table"),
    ];
    for (input, code) in cases {
        let e = RegionCode::parse(input).expect_err(input);
        assert_eq!(e.code(), code, "{input:?}: {e}");
    }
}
