//! Identity numbers through the domain's public surface, table-driven.
//! Expected check characters were computed independently of the crate, and the two
//! examples of GB 11643-1999 itself (11010519491231002X, 440524188001010014) lead.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use jiff::civil::{Date, date};
use yichuang_domain::{Notice, ResidentId, Sex, Uscc};

const TODAY: Date = date(2026, 11, 22);

struct Valid {
    input: &'static str,
    normalised: &'static str,
    birth: Date,
    sex: Sex,
    region: &'static str,
    warns: bool,
}

#[test]
fn valid_resident_ids_decode_their_facts() {
    let cases = [
        Valid {
            input: "11010519491231002X",
            normalised: "11010519491231002X",
            birth: date(1949, 12, 31),
            sex: Sex::Female,
            region: "北京市 朝阳区",
            warns: false,
        },
        Valid {
            input: "440524188001010014",
            normalised: "440524188001010014",
            birth: date(1880, 1, 1),
            sex: Sex::Male,
            region: "广东省 汕头市",
            warns: true,
        },
        Valid {
            input: "11010519491231002x",
            normalised: "11010519491231002X",
            birth: date(1949, 12, 31),
            sex: Sex::Female,
            region: "北京市 朝阳区",
            warns: false,
        },
        Valid {
            input: "110105200002291235",
            normalised: "110105200002291235",
            birth: date(2000, 2, 29),
            sex: Sex::Male,
            region: "北京市 朝阳区",
            warns: false,
        },
        Valid {
            input: "330211202611220013",
            normalised: "330211202611220013",
            birth: TODAY,
            sex: Sex::Male,
            region: "浙江省 宁波市 镇海区",
            warns: false,
        },
        Valid {
            input: "540102198506151026",
            normalised: "540102198506151026",
            birth: date(1985, 6, 15),
            sex: Sex::Female,
            region: "西藏自治区 拉萨市 城关区",
            warns: false,
        },
        Valid {
            input: "110103194901010010",
            normalised: "110103194901010010",
            birth: date(1949, 1, 1),
            sex: Sex::Male,
            region: "北京市",
            warns: true,
        },
        Valid {
            input: "710000198001010029",
            normalised: "710000198001010029",
            birth: date(1980, 1, 1),
            sex: Sex::Female,
            region: "台湾省",
            warns: true,
        },
        Valid {
            input: "830000199001010039",
            normalised: "830000199001010039",
            birth: date(1990, 1, 1),
            sex: Sex::Male,
            region: "台湾居民居住证",
            warns: true,
        },
        // 15-digit first-generation numbers are upgraded: 19 + YYMMDD, check added.
        Valid {
            input: "110105491231002",
            normalised: "11010519491231002X",
            birth: date(1949, 12, 31),
            sex: Sex::Female,
            region: "北京市 朝阳区",
            warns: false,
        },
        Valid {
            input: "110103490101001",
            normalised: "110103194901010010",
            birth: date(1949, 1, 1),
            sex: Sex::Male,
            region: "北京市",
            warns: true,
        },
    ];
    for case in cases {
        let parsed = ResidentId::parse(case.input, TODAY)
            .unwrap_or_else(|e| panic!("{} should be valid: {e}", case.input));
        let id = parsed.value;
        assert_eq!(id.as_str(), case.normalised, "{}", case.input);
        assert_eq!(id.birth_date(), case.birth, "{}", case.input);
        assert_eq!(id.sex(), case.sex, "{}", case.input);
        assert_eq!(id.region().full_name(), case.region, "{}", case.input);
        let warns = parsed.notices.iter().any(Notice::is_warning);
        assert_eq!(warns, case.warns, "{}: {:?}", case.input, parsed.notices);
        let upgraded = parsed
            .notices
            .iter()
            .any(|n| matches!(n, Notice::UpgradedFrom15 { .. }));
        assert_eq!(upgraded, case.input.len() == 15, "{}", case.input);
    }
}

#[test]
fn invalid_resident_ids_say_why() {
    let cases = [
        ("", "empty"),
        ("11010519491231002", "wrong_length"),
        ("11010519491231002X1", "wrong_length"),
        ("1101051949123", "wrong_length"),
        ("1101A519491231002X", "not_digit"),
        ("１１０１０５１９４９１２３１００２X", "not_digit"),
        ("110105 9491231002X", "not_digit"),
        ("11010519491231002Y", "bad_check_character"),
        ("11010519491231002*", "bad_check_character"),
        ("11010519491231002-", "bad_check_character"),
        ("110105491231002X", "wrong_length"),
        ("11010549123100X", "not_digit"),
        ("00010519491231002X", "unknown_province"),
        ("99010519491231002X", "unknown_province"),
        ("72010519491231002X", "unknown_province"),
        ("91010519491231002X", "unknown_province"),
        ("110105190002291239", "birth_date_not_a_date"),
        ("110105194902291232", "birth_date_not_a_date"),
        ("110105194913010012", "birth_date_not_a_date"),
        ("110105194912320012", "birth_date_not_a_date"),
        ("110105194900010012", "birth_date_not_a_date"),
        ("110105491331002", "birth_date_not_a_date"),
        ("330211202611230019", "birth_date_in_future"),
        ("110105179912310007", "birth_date_too_early"),
        ("110105194912310021", "check_mismatch"),
        ("110105194912310020", "check_mismatch"),
    ];
    for (input, code) in cases {
        match ResidentId::parse(input, TODAY) {
            Ok(parsed) => panic!(
                "{input:?} should be invalid ({code}), got {:?}",
                parsed.value
            ),
            Err(e) => assert_eq!(e.code(), code, "{input:?}: {e}"),
        }
    }
}

#[test]
fn resident_id_errors_point_at_the_characters() {
    let message = |input: &str| {
        ResidentId::parse(input, TODAY)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        message("1101A519491231002X"),
        "character 5 ('A') must be a digit"
    );
    assert_eq!(
        message("110105194913010012"),
        "birth date 19491301 (characters 7-14) is not a calendar date"
    );
    assert_eq!(
        message("110105491331002"),
        "birth date 491331 (characters 7-12) is not a calendar date"
    );
    assert_eq!(
        message("110105194912310021"),
        "check character is 1 but the first 17 digits give X"
    );
}

#[test]
fn resident_ids_are_masked_wherever_they_are_shown() {
    let id = ResidentId::parse("11010519491231002X", TODAY)
        .unwrap()
        .value;
    assert_eq!(id.masked(), "1101**********002X");
    assert_eq!(id.to_string(), "1101**********002X");
    assert!(!format!("{id:?}").contains("19491231"));
    assert_eq!(id.last_four(), "002X");
}

#[test]
fn valid_credit_codes_decode_their_facts() {
    // (code, authority, type, region, organisation code). Real published codes.
    let cases = [
        (
            "91350100M000100Y43",
            "工商",
            "企业",
            "福建省 福州市",
            "M000100Y-4",
        ),
        (
            "914403001922038216",
            "工商",
            "企业",
            "广东省 深圳市",
            "19220382-1",
        ),
        (
            "91440300708461136T",
            "工商",
            "企业",
            "广东省 深圳市",
            "70846113-6",
        ),
        (
            "91330100799655058B",
            "工商",
            "企业",
            "浙江省 杭州市",
            "79965505-8",
        ),
        (
            "11100000000013127D",
            "机构编制",
            "机关",
            "national",
            "00001312-7",
        ),
        (
            "12100000400000624D",
            "机构编制",
            "事业单位",
            "national",
            "40000062-4",
        ),
        (
            "91350100m000100y43",
            "工商",
            "企业",
            "福建省 福州市",
            "M000100Y-4",
        ),
    ];
    for (input, authority, org_type, region, org_code) in cases {
        let parsed = Uscc::parse(input).unwrap_or_else(|e| panic!("{input} should be valid: {e}"));
        let code = parsed.value;
        assert_eq!(code.as_str(), input.to_ascii_uppercase());
        assert_eq!(code.authority().1, authority, "{input}");
        assert_eq!(code.organization_type().1, org_type, "{input}");
        let shown = match code.registration() {
            yichuang_domain::uscc::Registration::National => "national".to_owned(),
            yichuang_domain::uscc::Registration::Region(trail) => trail.full_name(),
        };
        assert_eq!(shown, region, "{input}");
        assert_eq!(code.organization_code(), org_code, "{input}");
    }
}

#[test]
fn invalid_credit_codes_say_why() {
    let cases = [
        ("", "empty"),
        ("91350100M000100Y4", "wrong_length"),
        ("91350100M000100Y433", "wrong_length"),
        ("91350100M000100I43", "bad_character"),
        ("91350100M000100O43", "bad_character"),
        ("91350100M000100S43", "bad_character"),
        ("91350100M000100V43", "bad_character"),
        ("91350100M000100Z43", "bad_character"),
        ("91350100M000100Y4-", "bad_character"),
        ("B1350100M000100Y43", "unknown_authority"),
        ("01350100M000100Y43", "unknown_authority"),
        ("94350100M000100Y43", "unknown_organization_type"),
        ("Y2350100M000100Y43", "unknown_organization_type"),
        ("9135A100M000100Y43", "region_not_digits"),
        ("91990100M000100Y43", "unknown_province"),
        ("91350100M000100Y53", "organization_code_check"),
        ("91350100M000100Y44", "check_mismatch"),
    ];
    for (input, code) in cases {
        match Uscc::parse(input) {
            Ok(parsed) => panic!(
                "{input:?} should be invalid ({code}), got {:?}",
                parsed.value
            ),
            Err(e) => assert_eq!(e.code(), code, "{input:?}: {e}"),
        }
    }
}

#[test]
fn a_stored_number_comes_back_as_it_was_and_only_its_shape_is_checked() {
    let id = ResidentId::from_parts(330211, jiff::civil::date(1980, 5, 17), 101).unwrap();
    assert_eq!(ResidentId::from_stored(id.as_str()), Some(id));
    for bad in [
        "",
        "33021119800517101",
        "3302111980051710XX",
        "33021119800517101x",
        "33021119800517A01X",
    ] {
        assert_eq!(ResidentId::from_stored(bad), None, "{bad:?}");
    }
}
