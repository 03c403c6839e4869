//! `yichuang admin …`: staff accounts and API tokens (halls and skills: `hall_admin_cmd`).

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use yichuang_domain::Jurisdiction;
use yichuang_domain::case::{Staff, role_name};
use yichuang_domain::catalog::Role;
use yichuang_server::{hash_password, hash_token, issue_token, new_secret};
use yichuang_store::Store;

use crate::Outcome;
use crate::store_cmd::{runtime, shown};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum RoleArg {
    Clerk,
    Reviewer,
    Supervisor,
    StandardsOfficer,
    Administrator,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Role {
        match role {
            RoleArg::Clerk => Role::Clerk,
            RoleArg::Reviewer => Role::Reviewer,
            RoleArg::Supervisor => Role::Supervisor,
            RoleArg::StandardsOfficer => Role::StandardsOfficer,
            RoleArg::Administrator => Role::Administrator,
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Create the first administrator; prints the password and a token once.
    CreateAdmin {
        #[arg(long, default_value = "admin")]
        id: String,
        #[arg(long)]
        name: String,
        /// The region subtree they administer (000000: the whole country).
        #[arg(long)]
        region: Jurisdiction,
    },
    /// Add a staff member with a role and jurisdiction; prints the password and a token once.
    AddStaff {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The region subtree they serve (000000: the whole country, e.g. the
        /// ministry's supervisors and standards officers).
        #[arg(long)]
        region: Jurisdiction,
    },
    /// Issue another API token for a staff member.
    Token {
        #[arg(long)]
        id: String,
        /// Days the token lives.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
    },
    /// Revoke one API token, or (with --staff) every token and session of a staff member.
    Revoke {
        #[arg(required_unless_present = "staff", conflicts_with = "staff")]
        token: Option<String>,
        #[arg(long)]
        staff: Option<String>,
    },
    /// Disable an account: it cannot sign in, and its tokens and sessions end.
    Disable {
        #[arg(long)]
        id: String,
    },
    /// Enable a disabled account again (it needs a new token or sign-in).
    Enable {
        #[arg(long)]
        id: String,
    },
    /// Give a staff member a new password (printed once); their tokens and sessions end.
    ResetPassword {
        #[arg(long)]
        id: String,
    },
    /// List staff.
    List,
    /// Halls: add, appointment rules, list.
    #[command(subcommand)]
    Hall(crate::hall_admin_cmd::HallAdmin),
    /// Staff skill levels per project.
    #[command(subcommand)]
    Skill(crate::hall_admin_cmd::SkillAdmin),
}

async fn create(store: &Store, staff: Staff) -> anyhow::Result<()> {
    if store.list_staff().await?.iter().any(|s| s.id == staff.id) {
        anyhow::bail!("a staff member with id {:?} already exists", staff.id);
    }
    let password = new_secret()[..16].to_owned();
    store
        .create_staff(
            &staff,
            &hash_password(&password).map_err(anyhow::Error::msg)?,
        )
        .await?;
    let token = issue_token(store, &staff.id, DEFAULT_TOKEN_DAYS).await?;
    println!(
        "created {} ({}, {} {})",
        staff.id,
        role_name(staff.role),
        staff.jurisdiction,
        staff.jurisdiction.full_name()
    );
    println!("password {password}\ntoken    {token}\n(shown once; only hashes are stored)");
    Ok(())
}

/// Tokens issued from the command line live as long as those from a sign-in.
const DEFAULT_TOKEN_DAYS: u32 = 30;

async fn known(store: &Store, id: &str) -> anyhow::Result<()> {
    if store.list_staff().await?.iter().any(|s| s.id == id) {
        Ok(())
    } else {
        anyhow::bail!("no staff member {id:?}")
    }
}

pub(crate) fn run(command: AdminCommand, url: &str) -> anyhow::Result<Outcome> {
    runtime()?.block_on(async {
        let store = Store::open(url).await.with_context(|| format!("opening {}", shown(url)))?;
        match command {
            AdminCommand::CreateAdmin { id, name, region } => {
                if store.list_staff().await?.iter().any(|s| s.role == Role::Administrator) {
                    anyhow::bail!("an administrator already exists; use `admin add-staff --role administrator`");
                }
                create(&store, Staff { id, name, role: Role::Administrator, jurisdiction: region }).await?;
            }
            AdminCommand::AddStaff { id, name, role, region } => create(&store, Staff { id, name, role: role.into(), jurisdiction: region }).await?,
            AdminCommand::Token { id, days } => {
                let (staff, _) = store.staff_by_id(&id).await?.with_context(|| format!("no enabled staff member {id:?}"))?;
                let token = issue_token(&store, &staff.id, days).await?;
                println!("token {token}\n(shown once; valid {days} days)");
            }
            AdminCommand::Revoke { token: Some(token), .. } => {
                if !store.revoke_token(&hash_token(&token)).await? {
                    anyhow::bail!("no active token matches");
                }
                println!("revoked");
            }
            AdminCommand::Revoke { token: None, staff } => {
                let id = staff.unwrap_or_default();
                known(&store, &id).await?;
                let ended = store.revoke_staff(&id).await?;
                println!("revoked {ended} tokens and sessions of {id}");
            }
            AdminCommand::Disable { id } => {
                if !store.set_staff_disabled(&id, true).await? {
                    anyhow::bail!("no staff member {id:?}");
                }
                let ended = store.revoke_staff(&id).await?;
                println!("disabled {id}; ended {ended} tokens and sessions");
            }
            AdminCommand::Enable { id } => {
                if !store.set_staff_disabled(&id, false).await? {
                    anyhow::bail!("no staff member {id:?}");
                }
                println!("enabled {id}; they need a new token or a sign-in");
            }
            AdminCommand::ResetPassword { id } => {
                let password = new_secret()[..16].to_owned();
                if !store.set_password(&id, &hash_password(&password).map_err(anyhow::Error::msg)?).await? {
                    anyhow::bail!("no staff member {id:?}");
                }
                let ended = store.revoke_staff(&id).await?;
                println!("password {password}\n(shown once; ended {ended} tokens and sessions)");
            }
            AdminCommand::Hall(command) => crate::hall_admin_cmd::hall(&store, command).await?,
            AdminCommand::Skill(command) => crate::hall_admin_cmd::skill(&store, command).await?,
            AdminCommand::List => {
                for s in store.list_staff().await? {
                    println!("{:<16} {:<18} {} {}  {}", s.id, role_name(s.role), s.jurisdiction, s.jurisdiction.full_name(), s.name);
                }
            }
        }
        Ok(Outcome::Done)
    })
}
