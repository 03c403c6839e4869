//! The audit key: signs checkpoints, so it must live outside the database. It comes
//! from `YICHUANG_AUDIT_KEY` (64 hex digits), or from `audit.key` in the data
//! directory, created with mode 0600 on first start.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

const FILE: &str = "audit.key";
const ENV: &str = "YICHUANG_AUDIT_KEY";

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

fn decode(text: &str, source: &str) -> anyhow::Result<Vec<u8>> {
    let text = text.trim();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        anyhow::bail!("{source}: the audit key must be 64 hex digits (32 bytes)");
    }
    (0..64)
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).context("hex digit"))
        .collect()
}

/// The key, if one is configured or was created before.
pub(crate) fn load(data_dir: &Path) -> anyhow::Result<Option<Vec<u8>>> {
    if let Ok(text) = std::env::var(ENV) {
        return decode(&text, ENV).map(Some);
    }
    let path = path(data_dir);
    match std::fs::read_to_string(&path) {
        Ok(text) => decode(&text, &path.display().to_string()).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// The key, creating the key file (mode 0600) when there is none.
pub(crate) fn load_or_create(data_dir: &Path) -> anyhow::Result<Vec<u8>> {
    if let Some(key) = load(data_dir)? {
        return Ok(key);
    }
    let key: Vec<u8> = uuid::Uuid::new_v4()
        .as_bytes()
        .iter()
        .chain(uuid::Uuid::new_v4().as_bytes())
        .copied()
        .collect();
    let text: String = key.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let path = path(data_dir);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&path)
        .with_context(|| format!("creating the audit key {}", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "created the audit key {} (mode 0600): keep a copy off this machine",
        path.display()
    );
    Ok(key)
}

/// A key for another purpose, made from the audit key (HMAC-SHA256 over the purpose).
pub fn derive(key: &[u8], purpose: &[u8]) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    match <Hmac<sha2::Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(purpose);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => key.to_vec(),
    }
}
