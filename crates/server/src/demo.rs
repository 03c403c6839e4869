//! `serve --demo`: fills an empty database with a demo province — staff for every role
//! (credentials shown once), people and employers with valid generated identity numbers,
//! and cases in every state, some near or past their deadline.

use std::sync::{Arc, Mutex};

use jiff::civil::{Date, date};
use jiff::tz::{TimeZone, offset};
use jiff::{Timestamp, ToSpan};
use yichuang_domain::case::{Actor, ActorRole, Applicant, Command, CommandKind, Staff, Submission};
use yichuang_domain::catalog::{Applicant as Serves, Catalog, Channel, Role};
use yichuang_domain::{Calendar, Jurisdiction, RegionCode, ResidentId, Uscc};
use yichuang_engine::{Engine, EngineConfig, EngineError, Request};
use yichuang_store::{Hall, HallKind, HallWindow, Store, StoreError};

use crate::auth::{hash_password, new_secret};

/// What the demo created, to print once.
#[derive(Debug, Clone)]
pub struct DemoCredentials {
    /// (staff id, name, role, jurisdiction, password, API token)
    pub staff: Vec<(String, String, String, String, String, String)>,
    pub halls: usize,
    pub people: usize,
    pub employers: usize,
    pub cases: usize,
    /// Ratings given (a month of them, some poor and followed up).
    pub ratings: usize,
    pub complaints: usize,
    /// Synthetic cases of the demo's year across provinces (`demo_year.rs`).
    pub synthetic: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("{0}")]
    Other(String),
}

/// The demo's people (identity numbers) and employers (credit codes): the same on
/// every run, so that the demo sign-in can offer them without reading the store.
#[derive(Debug, Clone)]
pub struct DemoParties {
    pub people: Vec<String>,
    pub employers: Vec<String>,
}

/// People born 1950–2005 in the demo county, and employers registered there.
pub fn demo_parties() -> DemoParties {
    let people = (0..300u32)
        .filter_map(|i| {
            let birth = date(1950, 1, 1)
                .checked_add(i64::from(i * 67 % 20_000).days())
                .ok()?;
            ResidentId::from_parts(330_211, birth, (i % 999 + 1) as u16)
                .ok()
                .map(|id| id.as_str().to_owned())
        })
        .collect();
    let employers = (0..30u32)
        .filter_map(|i| {
            Uscc::enterprise(330_211, 10_000_000 + i * 7_919)
                .ok()
                .map(|c| c.as_str().to_owned())
        })
        .collect();
    DemoParties { people, employers }
}

fn noon(day: Date) -> Timestamp {
    day.at(10, 0, 0, 0)
        .to_zoned(TimeZone::fixed(offset(8)))
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// How many synthetic cases `serve --demo` writes (`demo generate` writes more).
/// Synthetic employers whose facts the demo imports.
const DEMO_EMPLOYERS: usize = 600;

const SYNTHETIC_CASES: usize = 10_000;

/// Seeds the demo if the database has no staff yet; `None` when it already had.
pub async fn seed_demo(
    store: &Store,
    catalog: Arc<Catalog>,
    calendar: Arc<Calendar>,
    today: Date,
) -> Result<Option<DemoCredentials>, DemoError> {
    if !store.list_staff().await?.is_empty() {
        return Ok(None);
    }
    let region = |code: &str| RegionCode::parse(code).map_err(|e| DemoError::Other(e.to_string()));
    let zhenhai = region("330211")?;
    let wuhou = region("510107")?;
    let accounts: [(&str, &str, Role, Jurisdiction); 8] = [
        (
            "admin",
            "管理员",
            Role::Administrator,
            region("330000")?.into(),
        ),
        ("clerk-zh", "镇海综合柜员", Role::Clerk, zhenhai.into()),
        (
            "clerk-zh2",
            "镇海综合柜员（养老）",
            Role::Clerk,
            zhenhai.into(),
        ),
        ("reviewer-zh", "镇海审核员", Role::Reviewer, zhenhai.into()),
        (
            "supervisor-zj",
            "浙江省督查员",
            Role::Supervisor,
            region("330000")?.into(),
        ),
        (
            "standards-zj",
            "浙江省标准管理员",
            Role::StandardsOfficer,
            region("330000")?.into(),
        ),
        ("clerk-wh", "武侯银行网点柜员", Role::Clerk, wuhou.into()),
        (
            "supervisor-cn",
            "人社部督查员（全国）",
            Role::Supervisor,
            Jurisdiction::Nation,
        ),
    ];
    let mut credentials = DemoCredentials {
        staff: Vec::new(),
        halls: 0,
        people: 0,
        employers: 0,
        cases: 0,
        ratings: 0,
        complaints: 0,
        synthetic: 0,
    };
    let window = |number: u32, label: &str| HallWindow {
        number,
        label: label.to_owned(),
    };
    let halls = [
        Hall {
            id: "zhenhai-center".to_owned(),
            region: "330211".to_owned(),
            name: "镇海区行政服务中心 人力社保综合窗口".to_owned(),
            kind: HallKind::Hall,
            address: "示例地址（演示数据）".to_owned(),
            windows: (1..=6)
                .map(|n| window(n, &format!("综合窗口 {n}（无差别受理）")))
                .collect(),
        },
        Hall {
            id: "wuhou-bank-outlet".to_owned(),
            region: "510107".to_owned(),
            name: "武侯区人社银行一体化服务网点".to_owned(),
            kind: HallKind::BankOutlet,
            address: "银行营业网点内（演示数据）".to_owned(),
            windows: vec![
                window(1, "社保卡即时制卡"),
                window(2, "综合窗口（无差别受理）"),
            ],
        },
    ];
    for hall in &halls {
        store.add_hall(hall).await?;
    }
    credentials.halls = halls.len();
    for (id, name, role, jurisdiction) in accounts {
        let staff = Staff {
            id: id.to_owned(),
            name: name.to_owned(),
            role,
            jurisdiction,
        };
        let password = new_secret()[..16].to_owned();
        store
            .create_staff(&staff, &hash_password(&password).map_err(DemoError::Other)?)
            .await?;
        let token = crate::auth::issue_token(store, id, 30).await?;
        credentials.staff.push((
            id.to_owned(),
            name.to_owned(),
            yichuang_domain::case::role_name(role).to_owned(),
            jurisdiction.to_string(),
            password,
            token,
        ));
    }

    let DemoParties { people, employers } = demo_parties();
    credentials.people = people.len();
    credentials.employers = employers.len();

    // A private engine whose clock the seeding moves, so cases have real histories.
    let now = Arc::new(Mutex::new(noon(today)));
    let clock = now.clone();
    let config = EngineConfig {
        clock: Arc::new(move || clock.lock().map(|t| *t).unwrap_or(Timestamp::UNIX_EPOCH)),
        ..EngineConfig::default()
    };
    let engine = Engine::start(store.clone(), catalog.clone(), calendar, config);
    let set_day = |day: Date| {
        if let Ok(mut t) = now.lock() {
            *t = noon(day);
        }
    };
    let staff_actor = |role: Role| Actor {
        id: format!("demo-{role:?}").to_lowercase(),
        role: ActorRole::Staff(role),
    };
    let mut n = 0usize;
    let mut next_id = || {
        n += 1;
        format!("demo-{n}")
    };
    // (days ago, item, materials, steps to run: "accept", "review", …)
    let plans: [(i64, &str, &[&str], &[&str]); 13] = [
        (0, "unemployment-benefit-claim", &["id-card"], &[]),
        (1, "unemployment-benefit-claim", &["id-card"], &["notice"]),
        (2, "retirement-pension-claim", &["id-card"], &["accept"]),
        (9, "retirement-pension-claim", &["id-card"], &["accept"]),
        (
            40,
            "retirement-pension-claim",
            &["id-card"],
            &["accept", "review"],
        ),
        (
            75,
            "work-injury-recognition",
            &["application-form", "labour-relation-proof", "diagnosis"],
            &["accept", "suspend"],
        ),
        (50, "pension-transfer", &["id-card"], &["accept"]),
        (
            6,
            "unemployment-benefit-claim",
            &["id-card", "termination-proof"],
            &["accept", "review", "grant"],
        ),
        (
            12,
            "unemployment-benefit-claim",
            &["id-card", "termination-proof"],
            &["accept", "review", "grant", "complete"],
        ),
        (3, "social-security-card-issue", &["id-card"], &["refuse"]),
        (
            4,
            "social-security-card-replacement",
            &["id-card"],
            &["withdraw"],
        ),
        (
            20,
            "unemployment-benefit-claim",
            &["id-card", "termination-proof"],
            &["accept-provisional", "lapse"],
        ),
        (
            15,
            "unemployment-benefit-claim",
            &["id-card", "termination-proof"],
            &[
                "accept-commitment",
                "review",
                "grant",
                "complete",
                "false-commitment",
            ],
        ),
    ];
    for (i, person) in people.iter().enumerate().take(120) {
        let (days_ago, item, materials, steps) = plans[i % plans.len()];
        let start = today
            .checked_sub((days_ago + (i as i64 % 3)).days())
            .map_err(|e| DemoError::Other(e.to_string()))?;
        set_day(start);
        // Each case on a channel its guide offers, for an applicant it serves.
        let guide = catalog
            .resolve(item, zhenhai, start)
            .map_err(|e| DemoError::Other(e.to_string()))?
            .guide;
        let employer = match guide.applicant {
            Serves::Employer => true,
            Serves::Person => false,
            Serves::PersonOrEmployer => i % 10 == 9,
        };
        let applicant = if employer {
            Applicant::Employer(employers[i % employers.len()].clone())
        } else {
            Applicant::Person(person.clone())
        };
        let channel = guide
            .channels
            .get(i % guide.channels.len().max(1))
            .copied()
            .unwrap_or(Channel::Window);
        // Transfers are taken in at the 武侯 bank outlet and handled in 镇海 (跨省通办).
        let remote = item == "pension-transfer";
        let submission = Submission {
            applicant,
            agent: None,
            channel,
            accepting_region: if remote { wuhou } else { zhenhai },
            handling_region: zhenhai,
            materials: materials.iter().map(|m| (*m).to_owned()).collect(),
            attachments: Vec::new(),
            commitments: Vec::new(),
        };
        let submitted = engine
            .execute(
                &next_id(),
                Request::Submit {
                    item: item.to_owned(),
                    submission,
                    actor: staff_actor(Role::Clerk),
                },
            )
            .await?;
        let mut version = submitted.version;
        let mut day = start;
        for step in steps {
            let (role, kind) = match *step {
                "notice" => (Role::Clerk, CommandKind::IssueNotice),
                "accept" => (
                    Role::Clerk,
                    CommandKind::Accept {
                        provisional: vec![],
                        commitments: vec![],
                        supply_within_days: 5,
                    },
                ),
                "accept-provisional" => (
                    Role::Clerk,
                    CommandKind::Accept {
                        provisional: vec!["bank-account".to_owned()],
                        commitments: vec![],
                        supply_within_days: 3,
                    },
                ),
                "accept-commitment" => (
                    Role::Clerk,
                    CommandKind::Accept {
                        provisional: vec![],
                        commitments: vec!["bank-account".to_owned()],
                        supply_within_days: 5,
                    },
                ),
                "review" => (Role::Reviewer, CommandKind::StartReview),
                "grant" => (
                    Role::Reviewer,
                    CommandKind::Decide {
                        grant: true,
                        reason: "符合条件".to_owned(),
                        legal_basis: vec![],
                    },
                ),
                "complete" => (
                    Role::Clerk,
                    CommandKind::Complete {
                        method: "窗口领取".to_owned(),
                    },
                ),
                "refuse" => (
                    Role::Clerk,
                    CommandKind::Refuse {
                        reason: "申请人不属于本事项适用范围".to_owned(),
                    },
                ),
                "withdraw" => (
                    Role::Clerk,
                    CommandKind::Withdraw {
                        reason: "申请人撤回".to_owned(),
                    },
                ),
                "suspend" => (
                    Role::Reviewer,
                    CommandKind::Suspend {
                        reason: "等待有关部门结论".to_owned(),
                    },
                ),
                "lapse" => {
                    day = day
                        .checked_add(10.days())
                        .map_err(|e| DemoError::Other(e.to_string()))?;
                    set_day(day.min(today));
                    (Role::Clerk, CommandKind::LapseProvisional)
                }
                "false-commitment" => (
                    Role::Reviewer,
                    CommandKind::VerifyCommitment {
                        material: "bank-account".to_owned(),
                        truthful: false,
                    },
                ),
                _ => continue,
            };
            let command = Command {
                expected_version: version,
                actor: staff_actor(role),
                kind,
            };
            match engine
                .execute(
                    &next_id(),
                    Request::Command {
                        case_id: submitted.case_id.clone(),
                        command,
                    },
                )
                .await
            {
                Ok(response) => version = response.version,
                Err(EngineError::Case(e)) => {
                    tracing::warn!(error = %e, "demo step skipped");
                    break;
                }
                Err(e) => return Err(e.into()),
            }
            day = day
                .checked_add(1.days())
                .map_err(|e| DemoError::Other(e.to_string()))?
                .min(today);
            set_day(day);
        }
        credentials.cases += 1;
    }
    crate::demo_hall::seed_skills(store, today).await?;
    let clerk = |id: &str, name: &str, jurisdiction| Staff {
        id: id.to_owned(),
        name: name.to_owned(),
        role: Role::Clerk,
        jurisdiction: Jurisdiction::Region(jurisdiction),
    };
    crate::demo_hall::seed_day(
        &engine,
        &now,
        &clerk("clerk-zh2", "镇海综合柜员（养老）", zhenhai),
        &clerk("clerk-wh", "武侯银行网点柜员", wuhou),
    )
    .await?;
    credentials.ratings = crate::demo_ratings::seed_ratings(&engine, &now, today, &people).await?;
    credentials.complaints =
        crate::demo_complaints::seed_complaints(&engine, &now, today, &people).await?;
    if let Ok(mut clock) = now.lock() {
        *clock = noon(today);
    }
    credentials.cases += crate::demo_rules::seed_rule_decisions(&engine, today, &people).await?;
    // A small synthetic year across ten provinces, so the supervision figures and the
    // equalization view have counties to compare (labelled synthetic wherever shown).
    let provinces: Vec<RegionCode> = crate::demo_year::DEFAULT_PROVINCES
        .iter()
        .filter_map(|c| RegionCode::parse(c).ok())
        .collect();
    credentials.synthetic = crate::demo_year::generate_year(
        &engine,
        &catalog,
        today,
        SYNTHETIC_CASES,
        (&provinces, crate::demo_year::DEFAULT_COUNTIES_PER_PROVINCE),
        2026,
        &|_| {},
    )
    .await?
    .cases;
    // Last year's contribution records of synthetic employers, for 免申即享's list.
    let facts =
        crate::demo_facts::generate_facts(DEMO_EMPLOYERS, today.year() - 1, &provinces, 2026);
    let store = engine.store();
    store.import_employers(&facts.employers).await?;
    store.import_employer_months(&facts.months).await?;
    store.import_claimants(&facts.claimants).await?;
    publish_demo_list(&engine, today.year() - 1).await?;
    Ok(Some(credentials))
}

/// Publishes last year's job-retention refund list and skill subsidy list as
/// `yichuang proactive run` would, so the public notices (of employers, and of
/// persons, masked) and the supervisors' objections have something to show.
async fn publish_demo_list(engine: &Engine, year: i16) -> Result<(), DemoError> {
    let Ok(loaded) = yichuang_catalog::builtin() else {
        return Ok(());
    };
    for id in ["job-retention-refund", "skill-upgrade-subsidy"] {
        let Some(policy) = loaded.policy(id) else {
            continue;
        };
        let screening =
            yichuang_engine::proactive::screen_subjects(engine.store(), policy, year).await?;
        engine.publish_list(policy, year, &screening).await?;
    }
    Ok(())
}
