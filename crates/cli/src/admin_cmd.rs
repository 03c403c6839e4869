//! `yichuang admin …`: staff accounts and API tokens.

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use yichuang_domain::RegionCode;
use yichuang_domain::case::{Staff, role_name};
use yichuang_domain::catalog::Role;
use yichuang_server::{hash_password, hash_token, new_secret};
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
        /// The region subtree they administer.
        #[arg(long)]
        region: RegionCode,
    },
    /// Add a staff member with a role and jurisdiction; prints the password and a token once.
    AddStaff {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        region: RegionCode,
    },
    /// Issue another API token for a staff member.
    Token {
        #[arg(long)]
        id: String,
    },
    /// Revoke an API token.
    Revoke { token: String },
    /// List staff.
    List,
}

async fn create(store: &Store, staff: Staff) -> anyhow::Result<()> {
    if store.staff_by_id(&staff.id).await?.is_some() {
        anyhow::bail!("a staff member with id {:?} already exists", staff.id);
    }
    let password = new_secret()[..16].to_owned();
    store
        .create_staff(
            &staff,
            &hash_password(&password).map_err(anyhow::Error::msg)?,
        )
        .await?;
    let token = new_secret();
    store.add_token(&hash_token(&token), &staff.id).await?;
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
            AdminCommand::Token { id } => {
                let (staff, _) = store.staff_by_id(&id).await?.with_context(|| format!("no staff member {id:?}"))?;
                let token = new_secret();
                store.add_token(&hash_token(&token), &staff.id).await?;
                println!("token {token}\n(shown once)");
            }
            AdminCommand::Revoke { token } => {
                if !store.revoke_token(&hash_token(&token)).await? {
                    anyhow::bail!("no active token matches");
                }
                println!("revoked");
            }
            AdminCommand::List => {
                for s in store.list_staff().await? {
                    println!("{:<16} {:<18} {} {}  {}", s.id, role_name(s.role), s.jurisdiction, s.jurisdiction.full_name(), s.name);
                }
            }
        }
        Ok(Outcome::Done)
    })
}
