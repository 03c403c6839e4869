//! The citizen identity number of GB 11643 (公民身份号码).

use std::fmt;

use jiff::civil::Date;
use serde::Serialize;

use crate::check_digits::resident_id_check;
use crate::notice::{Notice, Parsed};
use crate::region::RegionTrail;

/// A valid 18-character citizen identity number: address code, a real birth date, a
/// sequence code and its MOD 11-2 check character (upper-case `X`).
///
/// `Display` and `Debug` show the masked form (`1101**********002X`); the full number
/// needs [`ResidentId::as_str`], so it never leaks into logs by accident.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResidentId([u8; 18]);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn name_zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// Birth years before this are taken as typing errors (GB 11643's own example is 1880).
const EARLIEST_BIRTH_YEAR: i16 = 1800;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResidentIdError {
    #[error("the identity number is empty")]
    Empty,
    #[error(
        "an identity number has 18 characters (or 15 for a first-generation number), found {found}"
    )]
    WrongLength { found: usize },
    #[error("character {position} ('{found}') must be a digit")]
    NotDigit { position: usize, found: char },
    #[error("character 18 ('{found}') must be a digit or X")]
    BadCheckCharacter { found: char },
    #[error("address code starts with {prefix}, which is no province")]
    UnknownProvince { prefix: String },
    #[error("birth date {text} (characters {start}-{end}) is not a calendar date")]
    BirthDateNotADate {
        text: String,
        start: usize,
        end: usize,
    },
    #[error("birth date {date} is in the future")]
    BirthDateInFuture { date: Date },
    #[error("birth date {date} is before {EARLIEST_BIRTH_YEAR}")]
    BirthDateTooEarly { date: Date },
    #[error("check character is {found} but the first 17 digits give {expected}")]
    CheckMismatch { found: char, expected: char },
}

impl ResidentIdError {
    /// A stable machine-readable name for the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            ResidentIdError::Empty => "empty",
            ResidentIdError::WrongLength { .. } => "wrong_length",
            ResidentIdError::NotDigit { .. } => "not_digit",
            ResidentIdError::BadCheckCharacter { .. } => "bad_check_character",
            ResidentIdError::UnknownProvince { .. } => "unknown_province",
            ResidentIdError::BirthDateNotADate { .. } => "birth_date_not_a_date",
            ResidentIdError::BirthDateInFuture { .. } => "birth_date_in_future",
            ResidentIdError::BirthDateTooEarly { .. } => "birth_date_too_early",
            ResidentIdError::CheckMismatch { .. } => "check_mismatch",
        }
    }
}

impl ResidentId {
    /// Parses an 18-character number, or upgrades a 15-digit one (noted). `today` bounds
    /// the birth date: the domain never reads the clock.
    pub fn parse(input: &str, today: Date) -> Result<Parsed<ResidentId>, ResidentIdError> {
        let chars: Vec<char> = input.chars().collect();
        match chars.len() {
            0 => Err(ResidentIdError::Empty),
            18 => parse_18(&chars, today),
            15 => parse_15(&chars, today),
            n => Err(ResidentIdError::WrongLength { found: n }),
        }
    }

    /// A number this platform stored after [`ResidentId::parse`] accepted it, read back:
    /// only its shape is checked again (17 digits and a digit or `X`); the check
    /// character, birth date and region were checked when it came in. For the store's
    /// reads, where checking each of millions of numbers again costs more than the read.
    pub fn from_stored(text: &str) -> Option<ResidentId> {
        let bytes: [u8; 18] = text.as_bytes().try_into().ok()?;
        let shaped = bytes[..17].iter().all(u8::is_ascii_digit)
            && (bytes[17].is_ascii_digit() || bytes[17] == b'X');
        shaped.then_some(ResidentId(bytes))
    }

    /// Builds the number for an address code, birth date and 3-digit sequence code
    /// (odd for men, even for women), computing the check character. For generated demo
    /// and benchmark data; the result passes [`ResidentId::parse`] as of its birth date.
    pub fn from_parts(
        address_code: u32,
        birth: Date,
        sequence: u16,
    ) -> Result<ResidentId, ResidentIdError> {
        let body = format!(
            "{address_code:06}{:04}{:02}{:02}{:03}",
            birth.year(),
            birth.month(),
            birth.day(),
            sequence % 1000
        );
        let check = resident_id_check(body.as_bytes()) as char;
        ResidentId::parse(&format!("{body}{check}"), birth).map(|parsed| parsed.value)
    }

    /// The full number. Callers that show it must have the right to.
    pub fn as_str(&self) -> &str {
        // The bytes are ASCII digits or 'X' by construction.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// `1101**********002X`: the first four and last four characters.
    pub fn masked(&self) -> String {
        mask(self.as_str())
    }

    /// The last four characters, which a citizen gives to look up a case's progress.
    pub fn last_four(&self) -> &str {
        &self.as_str()[14..]
    }

    pub fn address_code(&self) -> u32 {
        digits_value(&self.0[..6])
    }

    pub fn birth_date(&self) -> Date {
        birth_date_of(&self.0[6..14]).unwrap_or(Date::MIN)
    }

    /// GB 11643: an odd sequence code is assigned to men, an even one to women.
    pub fn sex(&self) -> Sex {
        if (self.0[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The place the address code names, down to the deepest division still in the table.
    pub fn region(&self) -> RegionTrail {
        RegionTrail::of_address_code(self.address_code()).unwrap_or_else(|_| RegionTrail {
            code: format!("{:06}", self.address_code()),
            exact: None,
            chain: Vec::new(),
        })
    }
}

fn parse_18(chars: &[char], today: Date) -> Result<Parsed<ResidentId>, ResidentIdError> {
    require_digits(&chars[..17])?;
    let mut notices = Vec::new();
    let check = match chars[17] {
        c @ '0'..='9' | c @ 'X' => c as u8,
        'x' => {
            notices.push(Notice::UpperCased);
            b'X'
        }
        found => return Err(ResidentIdError::BadCheckCharacter { found }),
    };
    let mut bytes = [0u8; 18];
    for (b, c) in bytes.iter_mut().zip(chars) {
        *b = *c as u8;
    }
    bytes[17] = check;
    let region_notice = check_body(&bytes[..17], BirthDigits::Eight, today)?;
    let expected = resident_id_check(&bytes[..17]);
    if expected != check {
        return Err(ResidentIdError::CheckMismatch {
            found: check as char,
            expected: expected as char,
        });
    }
    notices.extend(region_notice);
    Ok(Parsed {
        value: ResidentId(bytes),
        notices,
    })
}

/// First-generation numbers: 6-digit address, YYMMDD birth date (1900s), 3-digit
/// sequence, no check character.
fn parse_15(chars: &[char], today: Date) -> Result<Parsed<ResidentId>, ResidentIdError> {
    require_digits(chars)?;
    let mut bytes = [0u8; 18];
    for (i, c) in chars[..6].iter().enumerate() {
        bytes[i] = *c as u8;
    }
    bytes[6] = b'1';
    bytes[7] = b'9';
    for (i, c) in chars[6..].iter().enumerate() {
        bytes[8 + i] = *c as u8;
    }
    let region_notice = check_body(&bytes[..17], BirthDigits::Six, today)?;
    bytes[17] = resident_id_check(&bytes[..17]);
    let mut notices = vec![Notice::UpgradedFrom15 {
        original: chars.iter().collect(),
    }];
    notices.extend(region_notice);
    Ok(Parsed {
        value: ResidentId(bytes),
        notices,
    })
}

fn require_digits(chars: &[char]) -> Result<(), ResidentIdError> {
    match chars.iter().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, &found)) => Err(ResidentIdError::NotDigit {
            position: i + 1,
            found,
        }),
        None => Ok(()),
    }
}

/// How the user wrote the birth date: YYYYMMDD (18 digits) or YYMMDD (15 digits). Both
/// start at character 7; errors quote the user's own characters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BirthDigits {
    Eight,
    Six,
}

/// Checks the address code and the birth date of a 17-digit body; returns the notice
/// for an address code missing from the table, if it is.
fn check_body(
    body: &[u8],
    written: BirthDigits,
    today: Date,
) -> Result<Option<Notice>, ResidentIdError> {
    let address = digits_value(&body[..6]);
    let in_table = RegionTrail::check_address_code(address)
        .map_err(|e| ResidentIdError::UnknownProvince { prefix: e.prefix })?;
    let birth_len = match written {
        BirthDigits::Eight => 8,
        BirthDigits::Six => 6,
    };
    let date = birth_date_of(&body[6..14]).ok_or_else(|| ResidentIdError::BirthDateNotADate {
        text: String::from_utf8_lossy(&body[14 - birth_len..14]).into_owned(),
        start: 7,
        end: 6 + birth_len,
    })?;
    if date > today {
        return Err(ResidentIdError::BirthDateInFuture { date });
    }
    if date.year() < EARLIEST_BIRTH_YEAR {
        return Err(ResidentIdError::BirthDateTooEarly { date });
    }
    Ok((!in_table).then(|| {
        let trail = RegionTrail::of_address_code(address).unwrap_or_else(|_| RegionTrail {
            code: format!("{address:06}"),
            exact: None,
            chain: Vec::new(),
        });
        Notice::RegionNotInTable {
            code: trail.code.clone(),
            nearest: trail.full_name(),
        }
    }))
}

fn digits_value(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |acc, &d| acc * 10 + u32::from(d - b'0'))
}

fn birth_date_of(yyyymmdd: &[u8]) -> Option<Date> {
    let year = digits_value(&yyyymmdd[..4]) as i16;
    let month = digits_value(&yyyymmdd[4..6]) as i8;
    let day = digits_value(&yyyymmdd[6..8]) as i8;
    Date::new(year, month, day).ok()
}

/// Masks an identity number for display: the first four and last four characters of
/// an 18-character number stay; anything else is masked whole.
pub fn mask(number: &str) -> String {
    if number.len() == 18 && number.is_ascii() {
        format!("{}{}{}", &number[..4], "*".repeat(10), &number[14..])
    } else {
        "*".repeat(number.chars().count().max(4))
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}
