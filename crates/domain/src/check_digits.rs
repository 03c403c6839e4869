//! The check-character systems of the identity standards.

/// GB 11643 (ISO 7064 MOD 11-2) check character for the first 17 digits of a resident
/// identity number. `body` must hold 17 ASCII digits.
pub(crate) fn resident_id_check(body: &[u8]) -> u8 {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(&d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// The 31 characters of GB 32100, in value order (no I, O, S, V, Z).
pub(crate) const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

pub(crate) fn uscc_value(c: u8) -> Option<u32> {
    USCC_ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// GB 32100 (ISO 7064 MOD 31-3) check character for the first 17 characters, which must
/// all be in [`USCC_ALPHABET`].
pub(crate) fn uscc_check(body: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let mut sum = 0;
    for (&c, w) in body.iter().zip(WEIGHTS) {
        sum += uscc_value(c)? * w;
    }
    Some(USCC_ALPHABET[((31 - sum % 31) % 31) as usize])
}

/// GB 11714 check character of an 8-character organisation code body (digits and
/// upper-case letters, letters valued A=10 … Z=35).
pub(crate) fn organization_code_check(body: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let mut sum = 0;
    for (&c, w) in body.iter().zip(WEIGHTS) {
        let value = match c {
            b'0'..=b'9' => u32::from(c - b'0'),
            b'A'..=b'Z' => u32::from(c - b'A') + 10,
            _ => return None,
        };
        sum += value * w;
    }
    Some(match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        n => b'0' + n as u8,
    })
}
