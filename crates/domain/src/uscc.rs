//! The unified social credit code of GB 32100 (统一社会信用代码).

use std::fmt;

use serde::Serialize;

use crate::check_digits::{organization_code_check, uscc_check, uscc_value};
use crate::notice::{Notice, Parsed};
use crate::region::RegionTrail;

/// A valid 18-character unified social credit code, in upper case.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Uscc([u8; 18]);

/// 登记管理部门 and their 机构类别, as assigned under GB 32100 (with the later additions of
/// authorities 2–4, 6–8, A and N).
struct Authority {
    code: u8,
    name: &'static str,
    types: &'static [(u8, &'static str)],
}

const fn authority(
    code: u8,
    name: &'static str,
    types: &'static [(u8, &'static str)],
) -> Authority {
    Authority { code, name, types }
}

const AUTHORITIES: &[Authority] = &[
    authority(
        b'1',
        "机构编制",
        &[
            (b'1', "机关"),
            (b'2', "事业单位"),
            (b'3', "中央编办直接管理机构编制的群众团体"),
            (b'9', "其他"),
        ],
    ),
    authority(b'2', "外交", &[(b'1', "外国常驻新闻机构"), (b'9', "其他")]),
    authority(
        b'3',
        "司法行政",
        &[
            (b'1', "律师执业机构"),
            (b'2', "公证处"),
            (b'3', "基层法律服务所"),
            (b'4', "司法鉴定机构"),
            (b'5', "仲裁委员会"),
            (b'9', "其他"),
        ],
    ),
    authority(b'4', "文化", &[(b'1', "外国在华文化中心"), (b'9', "其他")]),
    authority(
        b'5',
        "民政",
        &[
            (b'1', "社会团体"),
            (b'2', "民办非企业单位"),
            (b'3', "基金会"),
            (b'9', "其他"),
        ],
    ),
    authority(
        b'6',
        "旅游",
        &[
            (b'1', "外国旅游部门常驻代表机构"),
            (b'2', "港澳台地区旅游部门常驻内地（大陆）代表机构"),
            (b'9', "其他"),
        ],
    ),
    authority(
        b'7',
        "宗教",
        &[(b'1', "宗教活动场所"), (b'2', "宗教院校"), (b'9', "其他")],
    ),
    authority(b'8', "工会", &[(b'1', "基层工会"), (b'9', "其他")]),
    authority(
        b'9',
        "工商",
        &[
            (b'1', "企业"),
            (b'2', "个体工商户"),
            (b'3', "农民专业合作社"),
        ],
    ),
    authority(
        b'A',
        "中央军委改革和编制办公室",
        &[(b'1', "军队事业单位"), (b'9', "其他")],
    ),
    authority(
        b'N',
        "农业",
        &[
            (b'1', "组级集体经济组织"),
            (b'2', "村级集体经济组织"),
            (b'3', "乡镇级集体经济组织"),
            (b'9', "其他"),
        ],
    ),
    authority(b'Y', "其他", &[(b'1', "其他")]),
];

/// Registrations made by central authorities carry this code instead of a division.
const NATIONAL_REGION: u32 = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    #[error("the unified social credit code is empty")]
    Empty,
    #[error("a unified social credit code has 18 characters, found {found}")]
    WrongLength { found: usize },
    #[error(
        "character {position} ('{found}') is not allowed; the code uses digits and upper-case letters except I, O, S, V, Z"
    )]
    BadCharacter { position: usize, found: char },
    #[error("character 1 ('{found}') is no registering authority")]
    UnknownAuthority { found: char },
    #[error(
        "character 2 ('{found}') is no organisation type of authority {authority} ({authority_name})"
    )]
    UnknownOrganizationType {
        found: char,
        authority: char,
        authority_name: &'static str,
    },
    #[error("character {position} ('{found}') must be a digit: characters 3-8 are a division code")]
    RegionNotDigits { position: usize, found: char },
    #[error("division code {code} (characters 3-8) starts with {prefix}, which is no province")]
    UnknownProvince { code: String, prefix: String },
    #[error(
        "organisation code {code} (characters 9-17): check character is {found} but GB 11714 gives {expected}"
    )]
    OrganizationCodeCheck {
        code: String,
        found: char,
        expected: char,
    },
    #[error("check character is {found} but the first 17 characters give {expected}")]
    CheckMismatch { found: char, expected: char },
}

/// Where a code was registered: a division, or the central level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Registration {
    National,
    Region(RegionTrail),
}

impl UsccError {
    /// A stable machine-readable name for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            UsccError::Empty => "empty",
            UsccError::WrongLength { .. } => "wrong_length",
            UsccError::BadCharacter { .. } => "bad_character",
            UsccError::UnknownAuthority { .. } => "unknown_authority",
            UsccError::UnknownOrganizationType { .. } => "unknown_organization_type",
            UsccError::RegionNotDigits { .. } => "region_not_digits",
            UsccError::UnknownProvince { .. } => "unknown_province",
            UsccError::OrganizationCodeCheck { .. } => "organization_code_check",
            UsccError::CheckMismatch { .. } => "check_mismatch",
        }
    }
}

impl Uscc {
    pub fn parse(input: &str) -> Result<Parsed<Uscc>, UsccError> {
        let chars: Vec<char> = input.chars().collect();
        if chars.is_empty() {
            return Err(UsccError::Empty);
        }
        if chars.len() != 18 {
            return Err(UsccError::WrongLength { found: chars.len() });
        }
        let mut notices = Vec::new();
        let mut bytes = [0u8; 18];
        for (i, (b, &c)) in bytes.iter_mut().zip(&chars).enumerate() {
            let upper = c.to_ascii_uppercase();
            if upper != c {
                notices.push(Notice::UpperCased);
            }
            if !upper.is_ascii() || uscc_value(upper as u8).is_none() {
                return Err(UsccError::BadCharacter {
                    position: i + 1,
                    found: c,
                });
            }
            *b = upper as u8;
        }
        notices.dedup();
        let authority =
            AUTHORITIES
                .iter()
                .find(|a| a.code == bytes[0])
                .ok_or(UsccError::UnknownAuthority {
                    found: bytes[0] as char,
                })?;
        if !authority.types.iter().any(|(code, _)| *code == bytes[1]) {
            return Err(UsccError::UnknownOrganizationType {
                found: bytes[1] as char,
                authority: authority.code as char,
                authority_name: authority.name,
            });
        }
        if let Some(i) = (2..8).find(|&i| !bytes[i].is_ascii_digit()) {
            return Err(UsccError::RegionNotDigits {
                position: i + 1,
                found: bytes[i] as char,
            });
        }
        let registration = registration_of(&bytes)?;
        let org_expected = organization_code_check(&bytes[8..16]).unwrap_or(b'?');
        if org_expected != bytes[16] {
            return Err(UsccError::OrganizationCodeCheck {
                code: String::from_utf8_lossy(&bytes[8..17]).into_owned(),
                found: bytes[16] as char,
                expected: org_expected as char,
            });
        }
        let expected = uscc_check(&bytes[..17]).unwrap_or(b'?');
        if expected != bytes[17] {
            return Err(UsccError::CheckMismatch {
                found: bytes[17] as char,
                expected: expected as char,
            });
        }
        if let Registration::Region(trail) = &registration
            && !trail.in_table()
        {
            notices.push(Notice::RegionNotInTable {
                code: trail.code.clone(),
                nearest: trail.full_name(),
            });
        }
        Ok(Parsed {
            value: Uscc(bytes),
            notices,
        })
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Builds a code for an enterprise (91) registered in `region` with the 8-digit
    /// organisation code body `serial`, computing both check characters. For generated
    /// demo and benchmark data.
    pub fn enterprise(region: u32, serial: u32) -> Result<Uscc, UsccError> {
        let body = format!("91{region:06}{:08}", serial % 100_000_000);
        let org_check = organization_code_check(&body.as_bytes()[8..16]).unwrap_or(b'0') as char;
        let first17 = format!("{body}{org_check}");
        let check = uscc_check(first17.as_bytes()).unwrap_or(b'0') as char;
        Uscc::parse(&format!("{first17}{check}")).map(|p| p.value)
    }

    /// Character 1 and the authority's name (`9`, 工商).
    pub fn authority(&self) -> (char, &'static str) {
        let authority = self.authority_entry();
        (authority.code as char, authority.name)
    }

    /// Character 2 and the organisation type's name under its authority (`1`, 企业).
    pub fn organization_type(&self) -> (char, &'static str) {
        let name = self
            .authority_entry()
            .types
            .iter()
            .find(|(code, _)| *code == self.0[1])
            .map_or("", |(_, name)| name);
        (self.0[1] as char, name)
    }

    /// Characters 9-17 written as the GB 11714 organisation code, `M000100Y-4`.
    pub fn organization_code(&self) -> String {
        let s = self.as_str();
        format!("{}-{}", &s[8..16], &s[16..17])
    }

    pub fn registration(&self) -> Registration {
        registration_of(&self.0).unwrap_or(Registration::National)
    }

    fn authority_entry(&self) -> &'static Authority {
        AUTHORITIES
            .iter()
            .find(|a| a.code == self.0[0])
            .unwrap_or(&AUTHORITIES[AUTHORITIES.len() - 1])
    }
}

fn registration_of(bytes: &[u8; 18]) -> Result<Registration, UsccError> {
    let code = bytes[2..8]
        .iter()
        .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    if code == NATIONAL_REGION {
        return Ok(Registration::National);
    }
    RegionTrail::of_address_code(code)
        .map(Registration::Region)
        .map_err(|e| UsccError::UnknownProvince {
            code: format!("{code:06}"),
            prefix: e.prefix,
        })
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uscc({})", self.as_str())
    }
}
