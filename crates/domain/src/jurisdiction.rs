//! How far a staff member reaches: one region's subtree, or the whole country (the
//! ministry's supervisors and standards officers). The country is no division of the
//! table, so it is not a [`RegionCode`]; it is written `000000`, a code GB/T 2260
//! never gives a division.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::region::{RegionCode, RegionCodeError};

#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Jurisdiction {
    /// Every region.
    Nation,
    /// The region and every division inside it.
    Region(RegionCode),
}

impl Jurisdiction {
    /// How the whole country is written where a division code would stand.
    pub const NATION_CODE: &'static str = "000000";

    /// A division code, or `000000` for the whole country.
    pub fn parse(input: &str) -> Result<Jurisdiction, RegionCodeError> {
        if input == Self::NATION_CODE {
            return Ok(Jurisdiction::Nation);
        }
        RegionCode::parse(input).map(Jurisdiction::Region)
    }

    /// True when `region` lies inside this reach (or is its region).
    pub fn contains(self, region: RegionCode) -> bool {
        match self {
            Jurisdiction::Nation => true,
            Jurisdiction::Region(own) => region.is_within(own),
        }
    }

    /// True when every region `other` reaches lies inside this reach.
    pub fn covers(self, other: Jurisdiction) -> bool {
        match other {
            Jurisdiction::Nation => self == Jurisdiction::Nation,
            Jurisdiction::Region(region) => self.contains(region),
        }
    }

    /// The region, or none for the whole country.
    pub fn region(self) -> Option<RegionCode> {
        match self {
            Jurisdiction::Nation => None,
            Jurisdiction::Region(region) => Some(region),
        }
    }

    /// The code prefix every division inside starts with (empty for the country).
    pub fn subtree_prefix(self) -> String {
        self.region()
            .map(RegionCode::subtree_prefix)
            .unwrap_or_default()
    }

    /// "浙江省 宁波市 镇海区", or "全国".
    pub fn full_name(self) -> String {
        self.region()
            .map_or_else(|| "全国".to_owned(), RegionCode::full_name)
    }
}

impl From<RegionCode> for Jurisdiction {
    fn from(region: RegionCode) -> Jurisdiction {
        Jurisdiction::Region(region)
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Jurisdiction::Nation => f.write_str(Self::NATION_CODE),
            Jurisdiction::Region(region) => write!(f, "{region}"),
        }
    }
}

impl fmt::Debug for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Jurisdiction::Nation => f.write_str("Jurisdiction(全国)"),
            Jurisdiction::Region(region) => write!(f, "Jurisdiction({region:?})"),
        }
    }
}

impl std::str::FromStr for Jurisdiction {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Jurisdiction::parse(s)
    }
}

impl Serialize for Jurisdiction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Jurisdiction {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Jurisdiction::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Sent and taken as a division code, or `000000` for the whole country.
impl schemars::JsonSchema for Jurisdiction {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Jurisdiction".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{6}([0-9]{3})?$",
            "description": "GB/T 2260 division code (2025 table), or 000000 for the whole country",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nation_reaches_every_region_and_a_region_only_its_subtree() {
        let zhejiang = RegionCode::parse("330000").unwrap();
        let zhenhai = RegionCode::parse("330211").unwrap();
        let beijing = RegionCode::parse("110000").unwrap();
        let nation = Jurisdiction::parse("000000").unwrap();
        assert!(nation.contains(zhenhai) && nation.contains(beijing));
        assert_eq!(nation.subtree_prefix(), "");
        assert_eq!(nation.full_name(), "全国");
        assert_eq!(nation.to_string(), "000000");
        let province = Jurisdiction::from(zhejiang);
        assert!(province.contains(zhenhai) && !province.contains(beijing));
        assert_eq!(province.subtree_prefix(), "33");
        assert_eq!(Jurisdiction::parse("330000").unwrap(), province);
        assert!(Jurisdiction::parse("990000").is_err());
    }
}
