//! What the tests that run `yichuang serve --demo` as a separate process share.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};

/// A child process killed when the test ends, however it ends.
pub struct Killed(pub Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn find_program(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
        .map(|name| (*name).to_owned())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A demo staff account as `serve --demo` prints it.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub role: String,
    pub password: String,
}

/// Starts `serve --demo` and returns its address and one demo account of `role`.
pub fn serve_demo(data_dir: &std::path::Path, role: &str) -> (Killed, String, String, String) {
    let (server, base, accounts) = serve_demo_accounts(data_dir);
    let account = accounts
        .into_iter()
        .find(|a| a.role == role)
        .expect("the demo prints an account of the role");
    (server, base, account.id, account.password)
}

/// Starts `serve --demo` and returns its address and every demo account it printed.
pub fn serve_demo_accounts(data_dir: &std::path::Path) -> (Killed, String, Vec<Account>) {
    serve_demo_with(data_dir, "127.0.0.1:0", &[])
}

/// `serve --demo` on `addr` with more arguments.
pub fn serve_demo_with(
    data_dir: &std::path::Path,
    addr: &str,
    extra: &[String],
) -> (Killed, String, Vec<Account>) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("yichuang"))
        .env("YICHUANG_DATA_DIR", data_dir)
        .env_remove("YICHUANG_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .args(["serve", "--demo", "--addr", addr])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Killed(child);
    let mut accounts = Vec::new();
    let mut pending: Option<(String, String)> = None;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        // "  ID  ROLE  REGION  NAME" then "      password SECRET".
        let words: Vec<&str> = line.split_whitespace().collect();
        if let Some(password) = line.trim().strip_prefix("password ") {
            if let Some((id, role)) = pending.take() {
                accounts.push(Account {
                    id,
                    role,
                    password: password.trim().to_owned(),
                });
            }
        } else if words.len() >= 4 && line.starts_with("  ") && !line.starts_with("      ") {
            pending = Some((words[0].to_owned(), words[1].to_owned()));
        }
        if let Some(rest) = line.split("serving on http://").nth(1) {
            let address = rest.split_whitespace().next().unwrap().to_owned();
            return (server, format!("http://{address}"), accounts);
        }
    }
    panic!("the server stopped before saying where it listens");
}
