//! GB/T 2260 administrative division codes, backed by the vendored 2025 table.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::division_table::TABLE;

/// A division that exists in the 2025 table: 6 digits for province, prefecture and
/// county levels, 9 digits for townships. Holding one proves the code is real.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(u32);

/// The level of a division in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 省级: province, autonomous region, municipality, SAR.
    Province,
    /// 地级: prefecture-level city, prefecture, league, autonomous prefecture.
    Prefecture,
    /// 县级: county, district, county-level city, banner.
    County,
    /// 乡级: township, town, sub-district (9-digit codes).
    Township,
}

impl Level {
    pub fn name_zh(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::Prefecture => "地级",
            Level::County => "县级",
            Level::Township => "乡级",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Prefecture => "prefecture",
            Level::County => "county",
            Level::Township => "township",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionCodeError {
    #[error("a division code is empty")]
    Empty,
    #[error("character {position} ('{found}') is not a digit; a division code has only digits")]
    NotDigit { position: usize, found: char },
    #[error("a division code has 6 digits (9 for a township), found {found}")]
    WrongLength { found: usize },
    #[error("{code} is not a division in the 2025 Ministry of Civil Affairs table")]
    NotInTable { code: String },
}

impl RegionCodeError {
    /// A stable machine-readable name for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            RegionCodeError::Empty => "empty",
            RegionCodeError::NotDigit { .. } => "not_digit",
            RegionCodeError::WrongLength { .. } => "wrong_length",
            RegionCodeError::NotInTable { .. } => "not_in_table",
        }
    }
}

impl RegionCode {
    /// Parses a 6- or 9-digit code and checks that the division exists.
    pub fn parse(input: &str) -> Result<RegionCode, RegionCodeError> {
        if input.is_empty() {
            return Err(RegionCodeError::Empty);
        }
        if let Some((i, c)) = input.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(RegionCodeError::NotDigit {
                position: i + 1,
                found: c,
            });
        }
        if input.len() != 6 && input.len() != 9 {
            return Err(RegionCodeError::WrongLength { found: input.len() });
        }
        let digits: u32 = input.parse().map_err(|_| RegionCodeError::NotInTable {
            code: input.to_owned(),
        })?;
        RegionCode::from_digits(digits).ok_or_else(|| RegionCodeError::NotInTable {
            code: input.to_owned(),
        })
    }

    /// The division with this numeric code, if the table has it.
    pub fn from_digits(code: u32) -> Option<RegionCode> {
        TABLE.index_of(code).map(RegionCode)
    }

    /// The numeric code (`110105`, or `110101001` for a township).
    pub fn digits(self) -> u32 {
        TABLE.get(self.0).code
    }

    pub fn name(self) -> &'static str {
        TABLE.get(self.0).name
    }

    pub fn level(self) -> Level {
        match TABLE.get(self.0).level {
            1 => Level::Province,
            2 => Level::Prefecture,
            3 => Level::County,
            _ => Level::Township,
        }
    }

    pub fn parent(self) -> Option<RegionCode> {
        TABLE.get(self.0).parent.and_then(RegionCode::from_digits)
    }

    /// Ancestors from the province down to the parent (the region itself excluded).
    pub fn ancestors(self) -> Vec<RegionCode> {
        let mut chain: Vec<RegionCode> =
            std::iter::successors(self.parent(), |r| r.parent()).collect();
        chain.reverse();
        chain
    }

    /// The province-level division this region belongs to (itself for a province).
    pub fn province(self) -> RegionCode {
        self.ancestors().first().copied().unwrap_or(self)
    }

    /// True when `self` is `other` or lies inside it: a county is within its city and
    /// its province. Reflexive, so "within my jurisdiction" includes the region itself.
    pub fn is_within(self, other: RegionCode) -> bool {
        let mut current = Some(self);
        while let Some(region) = current {
            if region == other {
                return true;
            }
            current = region.parent();
        }
        false
    }

    /// Every province-level division, in code order.
    pub fn provinces() -> impl Iterator<Item = RegionCode> {
        TABLE
            .divisions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.level == 1)
            .filter_map(|(i, _)| u32::try_from(i).ok().map(RegionCode))
    }

    pub fn children(self) -> impl Iterator<Item = RegionCode> {
        TABLE.get(self.0).children.iter().map(|&i| RegionCode(i))
    }

    /// The code prefix every division of this subtree starts with: `33` for a
    /// province, `3302` for a city, `330211` for a county.
    pub fn subtree_prefix(self) -> String {
        let code = self.to_string();
        let len = match self.level() {
            Level::Province => 2,
            Level::Prefecture => 4,
            Level::County => 6,
            Level::Township => 9,
        };
        code[..len.min(code.len())].to_owned()
    }

    /// "浙江省 宁波市 镇海区": the names from the province down to this region.
    pub fn full_name(self) -> String {
        let mut names: Vec<&str> = self.ancestors().into_iter().map(RegionCode::name).collect();
        names.push(self.name());
        names.join(" ")
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.digits())
    }
}

impl fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionCode({} {})", self.digits(), self.name())
    }
}

impl Serialize for RegionCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

/// Sent and taken as its digits: 6 for province, prefecture and county, 9 for townships.
impl schemars::JsonSchema for RegionCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "RegionCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{6}([0-9]{3})?$",
            "description": "GB/T 2260 division code (2025 table)",
        })
    }
}

impl<'de> serde::Deserialize<'de> for RegionCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        RegionCode::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for RegionCode {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionCode::parse(s)
    }
}

/// Province-level prefixes that identity numbers use but the Ministry's table does not
/// list: `71` 台湾省 is in GB/T 2260 itself; `83` is the address code of residence permits
/// for Taiwan residents (港澳台居民居住证申领发放办法, 国办发〔2018〕81号), whose numbers
/// follow GB 11643 (Hong Kong and Macao permits use 81 and 82, which the table has).
const PROVINCES_OUTSIDE_TABLE: &[(u32, &str)] = &[(71, "台湾省"), (83, "台湾居民居住证")];

/// One named step of a [`RegionTrail`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedRegion {
    pub code: String,
    pub name: &'static str,
}

/// What a six-digit address code embedded in an identity number says about a place.
///
/// Identity numbers keep the county code they were issued under for life, so the code
/// may be missing from today's table; the trail then names the nearest known ancestor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionTrail {
    /// The six digits as written in the number.
    pub code: String,
    /// The division itself, when the 2025 table still has it.
    #[serde(skip)]
    pub exact: Option<RegionCode>,
    /// Names from the province down to the deepest division the table knows.
    pub chain: Vec<NamedRegion>,
}

/// The first two digits of an address code name no province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProvince {
    pub prefix: String,
}

impl RegionTrail {
    /// Reads a six-digit address code (`0..=999_999`). Fails only when the first two
    /// digits are no province; an unknown county or city still yields a trail.
    pub fn of_address_code(code: u32) -> Result<RegionTrail, UnknownProvince> {
        let text = format!("{code:06}");
        let prefix = code / 10_000;
        let Some(province) = province_name(prefix) else {
            return Err(UnknownProvince {
                prefix: text[..2].to_owned(),
            });
        };
        let deepest = [code, code / 100 * 100, prefix * 10_000]
            .into_iter()
            .find_map(RegionCode::from_digits);
        let chain = match deepest {
            Some(region) => region
                .ancestors()
                .into_iter()
                .chain([region])
                .map(|r| NamedRegion {
                    code: r.to_string(),
                    name: r.name(),
                })
                .collect(),
            None => vec![NamedRegion {
                code: format!("{:06}", prefix * 10_000),
                name: province,
            }],
        };
        Ok(RegionTrail {
            code: text,
            exact: RegionCode::from_digits(code),
            chain,
        })
    }

    /// The cheap half of [`RegionTrail::of_address_code`] for hot paths: whether the
    /// province is real and whether the code is in the table, without building names.
    pub fn check_address_code(code: u32) -> Result<bool, UnknownProvince> {
        if province_name(code / 10_000).is_none() {
            return Err(UnknownProvince {
                prefix: format!("{code:06}")[..2].to_owned(),
            });
        }
        Ok(TABLE.index_of(code).is_some())
    }

    /// True when the code is in the 2025 table as written.
    pub fn in_table(&self) -> bool {
        self.exact.is_some()
    }

    pub fn full_name(&self) -> String {
        self.chain
            .iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn province_name(prefix: u32) -> Option<&'static str> {
    RegionCode::from_digits(prefix * 10_000)
        .filter(|r| r.level() == Level::Province)
        .map(RegionCode::name)
        .or_else(|| {
            PROVINCES_OUTSIDE_TABLE
                .iter()
                .find(|(p, _)| *p == prefix)
                .map(|(_, name)| *name)
        })
}
