//! Password checks in memory that is kept and reused. argon2id needs 19 MiB per check;
//! allocated afresh on whichever blocking thread ran it, glibc kept every thread's
//! arena at its peak, and a flood of wrong sign-ins grew the process to hundreds of
//! megabytes though only two checks ran at once. Each slot (see `protection.rs`) now
//! owns one block buffer, so the memory is the slots' and stays theirs.

use std::sync::Mutex;

use argon2::password_hash::Output;
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};

/// Block buffers for password checks, at most one per check running.
#[derive(Debug, Default)]
pub struct Buffers(Mutex<Vec<Vec<Block>>>);

impl Buffers {
    pub fn take(&self) -> Vec<Block> {
        self.0
            .lock()
            .ok()
            .and_then(|mut b| b.pop())
            .unwrap_or_default()
    }

    pub fn give_back(&self, buffer: Vec<Block>) {
        if let Ok(mut buffers) = self.0.lock() {
            buffers.push(buffer);
        }
    }
}

/// Whether `password` matches the PHC string `phc` (argon2 of any variant, version and
/// parameters the string names), computed in `memory`. Malformed strings never match.
pub fn verify_in(password: &str, phc: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) =
        (Params::try_from(&hash), Algorithm::try_from(hash.algorithm))
    else {
        return false;
    };
    let version = match hash.version.map(Version::try_from).transpose() {
        Ok(version) => version.unwrap_or_default(),
        Err(_) => return false,
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    memory.resize(params.block_count(), Block::default());
    let mut out = vec![0u8; expected.len()];
    let argon2 = Argon2::new(algorithm, version, params);
    argon2
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
        .is_ok()
        // `Output`'s equality is constant-time.
        && Output::new(&out).is_ok_and(|out| out == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_agree_with_the_library_and_reuse_their_memory() {
        let phc = crate::auth::hash_password("correct horse").unwrap_or_default();
        let mut memory = Vec::new();
        assert!(verify_in("correct horse", &phc, &mut memory));
        let capacity = memory.capacity();
        assert!(!verify_in("wrong", &phc, &mut memory));
        assert_eq!(
            memory.capacity(),
            capacity,
            "the buffer is reused, not regrown"
        );
        assert!(!verify_in("correct horse", "not a hash", &mut memory));
    }
}
