//! One conformance suite for every store behaviour, run through the service layer on
//! SQLite and, when `YICHUANG_TEST_DATABASE_URL` is set, on PostgreSQL (each run in a
//! fresh schema).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use jiff::civil::{Date, date};
use jiff::tz::{TimeZone, offset};
use yichuang_domain::case::{
    Actor, ActorRole, Applicant, CaseError, CaseState, Command, CommandKind, Staff, Submission,
    WarningLevel,
};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_domain::{Calendar, RegionCode};
use yichuang_engine::{Engine, EngineConfig, EngineError, Request, Response};
use yichuang_store::{CaseFilter, Store, StoreError};

#[path = "conformance/claims.rs"]
mod claims;
#[path = "conformance/complaints.rs"]
mod complaints;
#[path = "conformance/escalation.rs"]
mod escalation;
#[path = "conformance/facts.rs"]
mod facts;
#[path = "conformance/figures.rs"]
mod figures;
#[path = "conformance/grant_lists.rs"]
mod grant_lists;
#[path = "conformance/hall.rs"]
mod hall;
#[path = "conformance/histories.rs"]
mod histories;
#[path = "conformance/ratings.rs"]
mod ratings;
#[path = "conformance/rule_decisions.rs"]
mod rule_decisions;
#[path = "conformance/stored_guides.rs"]
mod stored_guides;

/// A second engine on the same database with its own catalog (another process).
async fn engine_on(url: &str, catalog: yichuang_domain::catalog::Catalog) -> Engine {
    Engine::start(
        Store::open(url).await.unwrap(),
        Arc::new(catalog),
        Arc::new(Calendar::builtin()),
        EngineConfig {
            clock: Arc::new(|| noon(date(2026, 2, 10))),
            ..EngineConfig::default()
        },
    )
}

/// Runs a statement as someone with database access might (tampering tests).
async fn execute_sql(url: &str, sql: &str) {
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&pool)
            .await
            .unwrap();
    } else {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
            .execute(&pool)
            .await
            .unwrap();
    }
}

/// The first column of the first row a query gives, as text.
async fn fetch_text(url: &str, sql: &str) -> String {
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&pool)
            .await
            .unwrap()
    } else {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&pool)
            .await
            .unwrap()
    }
}

/// A test world: an engine on a fresh database with a clock the test moves.
struct World {
    engine: Engine,
    now: Arc<Mutex<Timestamp>>,
    _dir: Option<tempfile::TempDir>,
    next: std::cell::Cell<u32>,
}

fn noon(day: Date) -> Timestamp {
    day.at(12, 0, 0, 0)
        .to_zoned(TimeZone::fixed(offset(8)))
        .unwrap()
        .timestamp()
}

impl World {
    async fn new(url: Option<String>) -> World {
        let (url, dir) = match url {
            Some(url) => (url, None),
            None => {
                let dir = tempfile::tempdir().unwrap();
                (Store::sqlite_url(&dir.path().join("cases.db")), Some(dir))
            }
        };
        let store = Store::open(&url).await.unwrap();
        let catalog = Arc::new(yichuang_catalog::builtin().unwrap().catalog);
        let now = Arc::new(Mutex::new(noon(date(2026, 2, 10))));
        let clock_now = now.clone();
        let config = EngineConfig {
            clock: Arc::new(move || *clock_now.lock().unwrap()),
            ..EngineConfig::default()
        };
        let engine = Engine::start(store, catalog, Arc::new(Calendar::builtin()), config);
        World {
            engine,
            now,
            _dir: dir,
            next: std::cell::Cell::new(0),
        }
    }

    fn set_today(&self, day: Date) {
        *self.now.lock().unwrap() = noon(day);
    }

    fn request_id(&self) -> String {
        self.next.set(self.next.get() + 1);
        format!("req-{}-{}", uuid_like(), self.next.get())
    }

    async fn submit(
        &self,
        item: &str,
        accepting: &str,
        handling: &str,
        materials: &[&str],
    ) -> Response {
        let request = submission(item, (accepting, handling), Channel::Window, materials);
        self.engine
            .execute(&self.request_id(), request)
            .await
            .unwrap()
    }

    async fn run(
        &self,
        case: &Response,
        role: ActorRole,
        kind: CommandKind,
    ) -> Result<Response, EngineError> {
        let current = self.engine.case(&case.case_id).await.unwrap().unwrap();
        // An applicant acts as themselves; staff by their id.
        let id = match role {
            ActorRole::Applicant => current.applicant.id().to_owned(),
            _ => "staff-1".to_owned(),
        };
        let command = Command {
            expected_version: current.version,
            actor: Actor { id, role },
            kind,
        };
        self.engine
            .execute(
                &self.request_id(),
                Request::Command {
                    case_id: case.case_id.clone(),
                    command,
                },
            )
            .await
    }
}

/// A clerk's submission for a person, accepted in one region and handled in another.
fn submission(
    item: &str,
    (accepting, handling): (&str, &str),
    channel: Channel,
    materials: &[&str],
) -> Request {
    Request::Submit {
        item: item.to_owned(),
        submission: Submission {
            applicant: Applicant::Person("11010519491231002X".to_owned()),
            agent: None,
            channel,
            accepting_region: RegionCode::parse(accepting).unwrap(),
            handling_region: RegionCode::parse(handling).unwrap(),
            materials: materials.iter().map(|m| (*m).to_owned()).collect(),
            attachments: Vec::new(),
            commitments: Vec::new(),
        },
        actor: clerk(),
    }
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

fn clerk() -> Actor {
    Actor {
        id: "clerk-1".to_owned(),
        role: ActorRole::Staff(Role::Clerk),
    }
}

const CLERK: ActorRole = ActorRole::Staff(Role::Clerk);
const REVIEWER: ActorRole = ActorRole::Staff(Role::Reviewer);
const SUPERVISOR: ActorRole = ActorRole::Staff(Role::Supervisor);

fn case_error(result: Result<Response, EngineError>) -> CaseError {
    match result {
        Err(EngineError::Case(e)) => e,
        other => panic!("expected a case error, got {other:?}"),
    }
}

/// A reviewer's grant, with a reason and no cited article.
fn grant() -> CommandKind {
    CommandKind::Decide {
        grant: true,
        reason: "符合条件".to_owned(),
        legal_basis: vec![],
    }
}

fn accept() -> CommandKind {
    CommandKind::Accept {
        provisional: vec![],
        commitments: vec![],
        supply_within_days: 5,
    }
}

async fn full_lifecycle_with_one_time_notice(w: &World) {
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    assert_eq!(case.state, "submitted");
    let missing = case_error(w.run(&case, CLERK, accept()).await);
    assert_eq!(
        missing,
        CaseError::MissingMaterials {
            missing: vec!["termination-proof".to_owned()]
        }
    );
    let notice = w.run(&case, CLERK, CommandKind::IssueNotice).await.unwrap();
    assert_eq!(notice.state, "awaiting_supplement");
    assert_eq!(notice.documents.len(), 1);
    // Only the applicant (or agent) acts as the applicant: anyone else is refused.
    let current = w.engine.case(&case.case_id).await.unwrap().unwrap();
    let stranger = w
        .engine
        .execute(
            &w.request_id(),
            Request::Command {
                case_id: case.case_id.clone(),
                command: Command {
                    expected_version: current.version,
                    actor: Actor {
                        id: "110105194912310021".to_owned(),
                        role: ActorRole::Applicant,
                    },
                    kind: CommandKind::Withdraw {
                        reason: "not mine".to_owned(),
                    },
                },
            },
        )
        .await;
    assert_eq!(case_error(stranger), CaseError::NotTheApplicant);
    // Supplying something else leaves the same gap: no second notice for it.
    w.run(
        &case,
        ActorRole::Applicant,
        CommandKind::Supplement {
            materials: vec!["bank-account".to_owned()],
            attachments: Vec::new(),
        },
    )
    .await
    .unwrap();
    let again = case_error(w.run(&case, CLERK, CommandKind::IssueNotice).await);
    assert!(
        matches!(again, CaseError::NoticeAlreadyIssued { .. }),
        "{again:?}"
    );
    w.run(
        &case,
        ActorRole::Applicant,
        CommandKind::Supplement {
            materials: vec!["termination-proof".to_owned()],
            attachments: Vec::new(),
        },
    )
    .await
    .unwrap();
    let accepted = w.run(&case, CLERK, accept()).await.unwrap();
    assert_eq!(accepted.state, "accepted");
    let stored = w.engine.case(&case.case_id).await.unwrap().unwrap();
    // 2026-02-10 + 5 working days (浙江 promise) across the Spring Festival; law: 10.
    assert_eq!(
        stored.promised.as_ref().unwrap().deadline,
        date(2026, 2, 24)
    );
    assert_eq!(
        stored.statutory.as_ref().unwrap().deadline,
        date(2026, 3, 2)
    );
    assert_eq!(stored.guide.guide.item, "unemployment-benefit-claim");
    w.run(&case, REVIEWER, CommandKind::StartReview)
        .await
        .unwrap();
    let decided = w.run(&case, REVIEWER, grant()).await.unwrap();
    assert_eq!(decided.state, "decided");
    let done = w
        .run(
            &case,
            CLERK,
            CommandKind::Complete {
                method: "窗口领取".to_owned(),
            },
        )
        .await
        .unwrap();
    assert_eq!(done.state, "completed");
    let events = w.engine.events(&case.case_id).await.unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.event.body.name()).collect();
    assert_eq!(
        kinds,
        [
            "submitted",
            "notice_issued",
            "supplemented",
            "supplemented",
            "accepted",
            "review_started",
            "decided",
            "completed"
        ]
    );
    assert!(events.windows(2).all(|p| p[1].prev_hash == p[0].hash));
    // Terminal: nothing more is allowed, and the error says so.
    let err = case_error(
        w.run(
            &case,
            CLERK,
            CommandKind::Withdraw {
                reason: "x".to_owned(),
            },
        )
        .await,
    );
    assert_eq!(
        err.to_string(),
        "`withdraw` is not allowed while the case is completed; allowed now: verify_commitment"
    );
}

async fn commands_outside_their_state_or_role_are_refused(w: &World) {
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    let err = case_error(
        w.run(
            &case,
            CLERK,
            CommandKind::Complete {
                method: "窗口".to_owned(),
            },
        )
        .await,
    );
    assert_eq!(err.code(), "not_allowed");
    assert!(
        err.to_string()
            .contains("while the case is submitted; allowed now: issue_notice, supplement, accept"),
        "{err}"
    );
    let err = case_error(w.run(&case, REVIEWER, accept()).await);
    assert_eq!(err.to_string(), "role reviewer may not `accept`");
    w.run(&case, CLERK, accept()).await.unwrap();
    let err = case_error(
        w.run(
            &case,
            CLERK,
            CommandKind::Extend {
                days: 1,
                reason: "x".to_owned(),
            },
        )
        .await,
    );
    assert_eq!(err.code(), "role_not_allowed");
    let err = case_error(
        w.run(
            &case,
            SUPERVISOR,
            CommandKind::Extend {
                days: 1,
                reason: "x".to_owned(),
            },
        )
        .await,
    );
    assert_eq!(err, CaseError::NoExtension);
}

async fn two_clerks_at_once_get_a_conflict_not_a_lost_update(w: &World) {
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    let command = |kind| Request::Command {
        case_id: case.case_id.clone(),
        command: Command {
            expected_version: 1,
            actor: clerk(),
            kind,
        },
    };
    let a = w.engine.execute("conflict-a", command(accept()));
    let b = w.engine.execute(
        "conflict-b",
        command(CommandKind::Refuse {
            reason: "材料不符".to_owned(),
        }),
    );
    let (a, b) = tokio::join!(a, b);
    let oks = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(oks, 1, "{a:?} {b:?}");
    let loser = if a.is_ok() { b } else { a };
    assert!(
        matches!(
            loser,
            Err(EngineError::Case(CaseError::Conflict {
                expected: 1,
                actual: 2
            }))
        ),
        "{loser:?}"
    );
    assert_eq!(w.engine.events(&case.case_id).await.unwrap().len(), 2);
}

async fn a_retried_request_returns_the_first_answer(w: &World) {
    let request = submission(
        "social-security-card-issue",
        ("330211", "330211"),
        Channel::Online,
        &["id-card"],
    );
    let id = format!("retry-{}", uuid_like());
    let first = w.engine.execute(&id, request.clone()).await.unwrap();
    let second = w.engine.execute(&id, request.clone()).await.unwrap();
    assert_eq!(first, second);
    // Concurrent retries inside one batch, too.
    let id2 = format!("retry2-{}", uuid_like());
    let (x, y) = tokio::join!(
        w.engine.execute(&id2, request.clone()),
        w.engine.execute(&id2, request)
    );
    assert_eq!(x.unwrap(), y.unwrap());
    let err = w
        .engine
        .execute(
            " ",
            Request::Command {
                case_id: first.case_id,
                command: Command {
                    expected_version: 1,
                    actor: clerk(),
                    kind: accept(),
                },
            },
        )
        .await;
    assert!(matches!(err, Err(EngineError::MissingRequestId)));
}

fn staff(id: &str, role: Role, region: &str) -> Staff {
    Staff {
        id: id.to_owned(),
        name: id.to_owned(),
        role,
        jurisdiction: yichuang_domain::Jurisdiction::parse(region).unwrap(),
    }
}

fn reused(result: &Result<Response, EngineError>) -> bool {
    matches!(result, Err(EngineError::RequestIdReused { .. }))
}

/// A request id is the caller's own and names one request: replayed only for the same
/// caller sending the same request; anything else is told the id is spent, and never
/// gets someone else's answer.
async fn a_request_id_answers_only_its_own_request(w: &World) {
    let zhenhai = staff("clerk-zh", Role::Clerk, "330211");
    let wuhou = staff("clerk-wh", Role::Clerk, "510107");
    let id = format!("scoped-{}", uuid_like());
    let mine = submission(
        "social-security-card-issue",
        ("330211", "330211"),
        Channel::Window,
        &["id-card"],
    );
    let first = w
        .engine
        .execute_as(&zhenhai, &id, mine.clone())
        .await
        .unwrap();
    assert_eq!(
        w.engine
            .execute_as(&zhenhai, &id, mine.clone())
            .await
            .unwrap(),
        first,
        "an exact retry gets the first answer"
    );
    // Another clerk, another province, same id: refused, not handed 镇海's case.
    let theirs = submission(
        "social-security-card-issue",
        ("510107", "510107"),
        Channel::Window,
        &["id-card"],
    );
    assert!(reused(&w.engine.execute_as(&wuhou, &id, theirs).await));
    // The same clerk with a different request under the same id.
    let changed = submission(
        "social-security-card-issue",
        ("330211", "330211"),
        Channel::Online,
        &["id-card"],
    );
    assert!(reused(&w.engine.execute_as(&zhenhai, &id, changed).await));
    // A command under a used id to a case that does not exist.
    let ghost = Request::Command {
        case_id: "no-such-case".to_owned(),
        command: Command {
            expected_version: 1,
            actor: clerk(),
            kind: accept(),
        },
    };
    assert!(reused(&w.engine.execute_as(&zhenhai, &id, ghost).await));
    // Ids are kept in the permanent trail: at most 128 characters.
    let long = "x".repeat(129);
    assert!(matches!(
        w.engine.execute_as(&zhenhai, &long, mine).await,
        Err(EngineError::RequestIdTooLong { length: 129, .. })
    ));
    // Sixteen at once under one id, half refusing and half withdrawing: one of them
    // lands; its twins get its answer, the others are told the id is spent.
    let case = w
        .submit(
            "social-security-card-issue",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    let shared = format!("race-{}", uuid_like());
    let kinds = (0..16).map(|n| {
        if n % 2 == 0 {
            CommandKind::Refuse {
                reason: "材料不全".to_owned(),
            }
        } else {
            CommandKind::Withdraw {
                reason: "申请人撤回".to_owned(),
            }
        }
    });
    let mut racing = tokio::task::JoinSet::new();
    for kind in kinds {
        let engine = w.engine.clone();
        let (shared, case_id, clerk) = (shared.clone(), case.case_id.clone(), zhenhai.clone());
        racing.spawn(async move {
            let refusing = matches!(kind, CommandKind::Refuse { .. });
            let command = Request::Command {
                case_id,
                command: Command {
                    expected_version: 1,
                    actor: self::clerk(),
                    kind,
                },
            };
            (refusing, engine.execute_as(&clerk, &shared, command).await)
        });
    }
    let mut landed = Vec::new();
    let mut spent = [0, 0];
    while let Some(done) = racing.join_next().await {
        let (refusing, result) = done.unwrap();
        match result {
            Ok(answer) => landed.push((refusing, answer)),
            Err(EngineError::RequestIdReused { .. }) => spent[usize::from(refusing)] += 1,
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    let winner = landed[0].0;
    assert!(
        landed
            .iter()
            .all(|(kind, answer)| *kind == winner && *answer == landed[0].1)
    );
    assert_eq!(landed.len(), 8, "every twin of the winner gets its answer");
    assert_eq!(
        spent[usize::from(!winner)],
        8,
        "every other request is told the id is spent"
    );
    assert_eq!(
        w.engine.events(&case.case_id).await.unwrap().len(),
        2,
        "one step landed"
    );
}

async fn provisional_acceptance_and_its_lapse(w: &World) {
    w.set_today(date(2026, 3, 2));
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    let err = case_error(
        w.run(
            &case,
            CLERK,
            CommandKind::Accept {
                provisional: vec!["termination-proof".to_owned()],
                commitments: vec![],
                supply_within_days: 5,
            },
        )
        .await,
    );
    assert_eq!(err.code(), "key_material");
    w.run(
        &case,
        CLERK,
        CommandKind::Accept {
            provisional: vec!["bank-account".to_owned()],
            commitments: vec![],
            supply_within_days: 3,
        },
    )
    .await
    .unwrap();
    let stored = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(stored.pending[0].supply_by, date(2026, 3, 5));
    w.run(&case, REVIEWER, CommandKind::StartReview)
        .await
        .unwrap();
    let err = case_error(
        w.run(
            &case,
            REVIEWER,
            CommandKind::Decide {
                grant: true,
                reason: String::new(),
                legal_basis: vec![],
            },
        )
        .await,
    );
    assert_eq!(err.code(), "provisional_pending");
    let err = case_error(w.run(&case, CLERK, CommandKind::LapseProvisional).await);
    assert_eq!(
        err,
        CaseError::NothingOverdue {
            due: date(2026, 3, 5)
        }
    );
    w.set_today(date(2026, 3, 6));
    let ended = w
        .run(&case, CLERK, CommandKind::LapseProvisional)
        .await
        .unwrap();
    assert_eq!(ended.state, "terminated");
    w.set_today(date(2026, 2, 10));
}

async fn a_false_commitment_revokes_the_result(w: &World) {
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    let err = case_error(
        w.run(
            &case,
            CLERK,
            CommandKind::Accept {
                provisional: vec![],
                commitments: vec!["termination-proof".to_owned()],
                supply_within_days: 5,
            },
        )
        .await,
    );
    assert_eq!(err.code(), "commitment_not_allowed");
    w.run(
        &case,
        CLERK,
        CommandKind::Accept {
            provisional: vec![],
            commitments: vec!["bank-account".to_owned()],
            supply_within_days: 5,
        },
    )
    .await
    .unwrap();
    w.run(&case, REVIEWER, CommandKind::StartReview)
        .await
        .unwrap();
    w.run(
        &case,
        REVIEWER,
        CommandKind::Decide {
            grant: true,
            reason: "符合".to_owned(),
            legal_basis: vec![],
        },
    )
    .await
    .unwrap();
    w.run(
        &case,
        CLERK,
        CommandKind::Complete {
            method: "邮寄".to_owned(),
        },
    )
    .await
    .unwrap();
    let revoked = w
        .run(
            &case,
            REVIEWER,
            CommandKind::VerifyCommitment {
                material: "bank-account".to_owned(),
                truthful: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(revoked.state, "revoked");
    assert_eq!(revoked.documents.len(), 1);
}

async fn suspension_stops_the_clock_and_extension_prolongs_it(w: &World) {
    w.set_today(date(2026, 3, 2));
    let case = w
        .submit(
            "work-injury-recognition",
            "330211",
            "330211",
            &["application-form", "labour-relation-proof", "diagnosis"],
        )
        .await;
    w.run(&case, CLERK, accept()).await.unwrap();
    let before = w.engine.case(&case.case_id).await.unwrap().unwrap();
    // 镇海 promises 30 calendar days: 2026-04-01 (a Wednesday); the law, 60: 2026-05-01 is a holiday → 05-06.
    assert_eq!(before.promised.as_ref().unwrap().deadline, date(2026, 4, 1));
    assert_eq!(
        before.statutory.as_ref().unwrap().deadline,
        date(2026, 5, 6)
    );
    w.run(
        &case,
        REVIEWER,
        CommandKind::Suspend {
            reason: "等待法院结论".to_owned(),
        },
    )
    .await
    .unwrap();
    let listed = w
        .engine
        .list(&CaseFilter {
            item: Some("work-injury-recognition".to_owned()),
            warning: Some(WarningLevel::Red),
            today: Some(date(2026, 12, 1)),
            limit: 100,
            ..CaseFilter::default()
        })
        .await
        .unwrap();
    assert!(
        !listed.iter().any(|c| c.id == case.case_id),
        "a suspended case is not overdue"
    );
    w.set_today(date(2026, 3, 12));
    let resumed = w
        .run(
            &case,
            REVIEWER,
            CommandKind::Resume {
                reason: "结论已作出".to_owned(),
            },
        )
        .await
        .unwrap();
    assert_eq!(resumed.state, "accepted");
    let after = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(
        after.promised.as_ref().unwrap().deadline,
        date(2026, 4, 13),
        "pushed out by the 10 stopped days (04-11 is a Saturday)"
    );
    w.set_today(date(2026, 2, 10));

    let arbitration = w
        .submit(
            "labour-dispute-arbitration",
            "330211",
            "330211",
            &["arbitration-application", "id-card"],
        )
        .await;
    w.run(&arbitration, CLERK, accept()).await.unwrap();
    let err = case_error(
        w.run(
            &arbitration,
            SUPERVISOR,
            CommandKind::Extend {
                days: 16,
                reason: "案情复杂".to_owned(),
            },
        )
        .await,
    );
    assert_eq!(
        err,
        CaseError::ExtensionTooLong {
            requested: 16,
            allowed: 15
        }
    );
    w.run(
        &arbitration,
        SUPERVISOR,
        CommandKind::Extend {
            days: 10,
            reason: "案情复杂".to_owned(),
        },
    )
    .await
    .unwrap();
    let err = case_error(
        w.run(
            &arbitration,
            SUPERVISOR,
            CommandKind::Extend {
                days: 6,
                reason: "再次延长".to_owned(),
            },
        )
        .await,
    );
    assert_eq!(
        err,
        CaseError::ExtensionTooLong {
            requested: 6,
            allowed: 5
        }
    );
}

async fn on_the_spot_items_complete_in_one_step(w: &World) {
    let case = w
        .submit("personal-record-query", "330211", "330211", &["id-card"])
        .await;
    let done = w
        .run(
            &case,
            CLERK,
            CommandKind::CompleteOnTheSpot {
                method: "当场打印".to_owned(),
            },
        )
        .await
        .unwrap();
    assert_eq!(done.state, "completed");
    let other = w
        .submit(
            "social-security-card-replacement",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    let err = case_error(
        w.run(
            &other,
            CLERK,
            CommandKind::CompleteOnTheSpot {
                method: "x".to_owned(),
            },
        )
        .await,
    );
    assert_eq!(err, CaseError::NotOnTheSpot);
    // In 武侯区 card replacement is on the spot (a hall inside a bank outlet).
    let wuhou = w
        .submit(
            "social-security-card-replacement",
            "510107",
            "510107",
            &["id-card"],
        )
        .await;
    assert_eq!(
        w.run(
            &wuhou,
            CLERK,
            CommandKind::CompleteOnTheSpot {
                method: "当场领卡".to_owned()
            }
        )
        .await
        .unwrap()
        .state,
        "completed"
    );
}

async fn remote_acceptance_is_visible_to_both_regions(w: &World) {
    let case = w
        .submit("pension-transfer", "510107", "330211", &["id-card"])
        .await;
    let stored = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(stored.accepting_region.to_string(), "510107");
    for prefix in ["51", "5101", "510107", "33", "330211"] {
        let found = w
            .engine
            .list(&CaseFilter {
                region_prefix: Some(prefix.to_owned()),
                item: Some("pension-transfer".to_owned()),
                limit: 1000,
                ..CaseFilter::default()
            })
            .await
            .unwrap();
        assert!(found.iter().any(|c| c.id == case.case_id), "{prefix}");
    }
    let elsewhere = w
        .engine
        .list(&CaseFilter {
            region_prefix: Some("44".to_owned()),
            item: Some("pension-transfer".to_owned()),
            limit: 1000,
            ..CaseFilter::default()
        })
        .await
        .unwrap();
    assert!(!elsewhere.iter().any(|c| c.id == case.case_id));
}

async fn a_supplement_restarts_the_acceptance_review(w: &World) {
    w.set_today(date(2026, 6, 1));
    let case = w
        .submit(
            "work-injury-recognition",
            "330211",
            "330211",
            &["application-form"],
        )
        .await;
    let first = w
        .engine
        .case(&case.case_id)
        .await
        .unwrap()
        .unwrap()
        .acceptance
        .unwrap();
    assert_eq!(first.deadline, date(2026, 6, 16));
    w.run(&case, CLERK, CommandKind::IssueNotice).await.unwrap();
    w.set_today(date(2026, 6, 10));
    w.run(
        &case,
        ActorRole::Applicant,
        CommandKind::Supplement {
            materials: vec!["labour-relation-proof".to_owned(), "diagnosis".to_owned()],
            attachments: Vec::new(),
        },
    )
    .await
    .unwrap();
    let restarted = w
        .engine
        .case(&case.case_id)
        .await
        .unwrap()
        .unwrap()
        .acceptance
        .unwrap();
    assert_eq!(restarted.started, date(2026, 6, 10));
    assert_eq!(restarted.deadline, date(2026, 6, 25));
    w.set_today(date(2026, 2, 10));
}

async fn warnings_list_cheaply_by_level_and_deadline(w: &World) {
    let case = w
        .submit("retirement-pension-claim", "330211", "330211", &["id-card"])
        .await;
    w.run(&case, CLERK, accept()).await.unwrap();
    let stored = w.engine.case(&case.case_id).await.unwrap().unwrap();
    let clock = stored.promised.clone().unwrap();
    let id = case.case_id.clone();
    let level_on = |day: Date| {
        let id = id.clone();
        async move {
            for level in [WarningLevel::Green, WarningLevel::Yellow, WarningLevel::Red] {
                let listed = w
                    .engine
                    .list(&CaseFilter {
                        warning: Some(level),
                        today: Some(day),
                        item: Some("retirement-pension-claim".to_owned()),
                        limit: 10_000,
                        ..CaseFilter::default()
                    })
                    .await
                    .unwrap();
                if listed.iter().any(|c| c.id == id) {
                    return level;
                }
            }
            panic!("not listed on {day}");
        }
    };
    assert_eq!(level_on(clock.started).await, WarningLevel::Green);
    assert_eq!(level_on(clock.yellow_from).await, WarningLevel::Yellow);
    assert_eq!(level_on(clock.deadline).await, WarningLevel::Yellow);
    assert_eq!(
        level_on(clock.deadline.tomorrow().unwrap()).await,
        WarningLevel::Red
    );
    // Review and decide leave the clock alone (only the state is rewritten): the case
    // keeps its place in the warning lists; completion stops the clock.
    w.run(&case, REVIEWER, CommandKind::StartReview)
        .await
        .unwrap();
    w.run(&case, REVIEWER, grant()).await.unwrap();
    assert_eq!(level_on(clock.yellow_from).await, WarningLevel::Yellow);
    assert_eq!(
        level_on(clock.deadline.tomorrow().unwrap()).await,
        WarningLevel::Red
    );
    w.run(
        &case,
        CLERK,
        CommandKind::Complete {
            method: "窗口领取".to_owned(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        level_on(clock.deadline.tomorrow().unwrap()).await,
        WarningLevel::Green,
        "a completed case is never overdue"
    );
    let (_, _, red) = w
        .engine
        .store()
        .warning_counts(date(2030, 1, 1))
        .await
        .unwrap();
    assert!(red >= 1);
}

/// Files handed in are kept once by their SHA-256, read back byte for byte, recorded in
/// the submission's event, and the audit finds a file that was edited or removed.
async fn files_are_kept_by_hash_and_checked_by_the_audit(w: &World, url: &str) {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-a-small-test-picture".to_vec();
    let hash = w.engine.store_file(png.clone(), "image/png").await.unwrap();
    assert_eq!(hash, yichuang_store::sha256_hex(&png));
    assert_eq!(
        w.engine.store_file(png.clone(), "image/png").await.unwrap(),
        hash,
        "stored once"
    );
    assert_eq!(w.engine.file(&hash).await.unwrap(), Some(png.clone()));
    assert_eq!(w.engine.file(&"0".repeat(64)).await.unwrap(), None);
    assert_eq!(
        w.engine.file("../../etc/passwd").await.unwrap(),
        None,
        "not a hash"
    );

    let mut request = submission(
        "unemployment-benefit-claim",
        ("330211", "330211"),
        Channel::Online,
        &["id-card"],
    );
    let Request::Submit { submission, .. } = &mut request else {
        unreachable!()
    };
    submission.attachments = vec![yichuang_domain::case::Attachment {
        material: "id-card".to_owned(),
        sha256: hash.clone(),
        bytes: png.len() as u64,
        media_type: "image/png".to_owned(),
    }];
    // An attachment for a material not handed in, or of a type not taken, is refused.
    let mut stray = request.clone();
    if let Request::Submit { submission, .. } = &mut stray {
        submission.attachments[0].material = "termination-proof".to_owned();
    }
    let refused = w.engine.execute(&w.request_id(), stray).await;
    assert!(matches!(
        case_error(refused),
        CaseError::BadAttachment { .. }
    ));
    let case = w.engine.execute(&w.request_id(), request).await.unwrap();
    let events = w.engine.events(&case.case_id).await.unwrap();
    assert!(
        events[0].json.contains(&hash),
        "the event records the file's hash"
    );
    let report = w.engine.store().verify_audit().await.unwrap();
    assert_eq!(report.first_broken, None, "{report:?}");
    assert!(report.files >= 1);

    // Someone edits the stored file.
    overwrite_file(url, &hash, b"forged".to_vec()).await;
    let report = w.engine.store().verify_audit().await.unwrap();
    let (subject, problem) = report.first_broken.expect("the edited file is found");
    assert!(
        subject.contains(&hash) && subject.contains(&case.case_id),
        "{subject}"
    );
    assert!(problem.contains("does not match its hash"), "{problem}");
    // Put it back, so the rest of the suite starts from a clean audit.
    overwrite_file(url, &hash, png).await;
}

/// Replaces a stored file's bytes behind the store's back.
async fn overwrite_file(url: &str, hash: &str, bytes: Vec<u8>) {
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query("UPDATE files SET content = $1 WHERE sha256 = $2")
            .bind(bytes)
            .bind(hash)
            .execute(&pool)
            .await
            .unwrap();
    } else {
        let db = url.trim_start_matches("sqlite://");
        let db = db.split('?').next().unwrap();
        let path = std::path::Path::new(db)
            .parent()
            .unwrap()
            .join("files")
            .join(&hash[..2])
            .join(&hash[2..]);
        std::fs::write(&path, bytes).unwrap();
    }
}

async fn the_audit_verifies_and_names_the_first_tampered_case(w: &World, url: &str) {
    let report = w.engine.store().verify_audit().await.unwrap();
    assert_eq!(report.first_broken, None, "{report:?}");
    assert!(report.events >= report.cases && report.cases > 0);
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    w.run(&case, CLERK, accept()).await.unwrap();
    // Tamper with the stored event, as someone with database access might.
    let tamper = format!(
        "UPDATE case_events SET event = REPLACE(event, 'termination-proof', 'forged-proof') WHERE case_id = '{}' AND seq = 1",
        case.case_id
    );
    execute_sql(url, &tamper).await;
    let report = w.engine.store().verify_audit().await.unwrap();
    let (id, problem) = report.first_broken.expect("tampering must be found");
    assert_eq!(id, case.case_id);
    assert!(problem.contains("event 1 was edited"), "{problem}");
}

/// Another process (here a second engine on the same database) moves a case the first
/// engine has cached: the first engine's stale step is refused as a conflict, the
/// requests batched with it still land, and nothing is overwritten.
async fn a_second_writer_never_loses_a_step(w: &World, url: &str) {
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    w.run(&case, ActorRole::Staff(Role::Clerk), accept())
        .await
        .unwrap();
    let store = Store::open(url).await.unwrap();
    let other = Engine::start(
        store,
        Arc::new(yichuang_catalog::builtin().unwrap().catalog),
        Arc::new(Calendar::builtin()),
        EngineConfig {
            clock: Arc::new(|| noon(date(2026, 2, 10))),
            ..EngineConfig::default()
        },
    );
    let review = |version| Request::Command {
        case_id: case.case_id.clone(),
        command: Command {
            expected_version: version,
            actor: Actor {
                id: "staff-2".to_owned(),
                role: ActorRole::Staff(Role::Reviewer),
            },
            kind: CommandKind::StartReview,
        },
    };
    other
        .execute(&w.request_id(), review(2))
        .await
        .expect("the other writer reviews");
    // The first engine still believes the case is at version 2; bystanders share the batch.
    let stale_id = w.request_id();
    let (stale, a, b) = tokio::join!(
        w.engine.execute(&stale_id, review(2)),
        w.submit(
            "social-security-card-issue",
            "330211",
            "330211",
            &["id-card"]
        ),
        w.submit(
            "social-security-card-issue",
            "330211",
            "330211",
            &["id-card"]
        ),
    );
    assert!(
        matches!(
            stale,
            Err(EngineError::Case(CaseError::Conflict {
                expected: 2,
                actual: 3
            }))
        ),
        "{stale:?}"
    );
    assert_eq!(a.version, 1);
    assert_eq!(b.version, 1);
    let events = w.engine.events(&case.case_id).await.unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[2].event.actor.id, "staff-2");
    // Knowing better now, the first engine carries on from version 3.
    w.run(&case, ActorRole::Staff(Role::Reviewer), grant())
        .await
        .unwrap();
}

/// Many clients at once, each sending every command twice (a retry racing the first):
/// the writer batches them, and joins late arrivals to the batch about to be written.
/// Every client gets one answer per request id, and every case holds each step once.
async fn a_crowd_of_clients_gets_every_step_once(w: &World) {
    const CLIENTS: usize = 24;
    let run = uuid_like();
    let mut crowd = tokio::task::JoinSet::new();
    for client in 0..CLIENTS {
        let engine = w.engine.clone();
        let run = run.clone();
        crowd.spawn(async move {
            let submit = submission(
                "unemployment-benefit-claim",
                ("330211", "330211"),
                Channel::Window,
                &["id-card", "termination-proof"],
            );
            let twice = |id: String, request: Request| {
                let engine = engine.clone();
                async move {
                    let (first, retry) = tokio::join!(
                        engine.execute(&id, request.clone()),
                        engine.execute(&id, request)
                    );
                    let first = first.unwrap();
                    assert_eq!(first, retry.unwrap(), "request {id}");
                    first
                }
            };
            let submitted = twice(format!("crowd-{run}-{client}-0"), submit).await;
            let steps = [
                (Role::Clerk, accept()),
                (Role::Reviewer, CommandKind::StartReview),
            ];
            let mut version = submitted.version;
            for (n, (role, kind)) in steps.into_iter().enumerate() {
                let command = Request::Command {
                    case_id: submitted.case_id.clone(),
                    command: Command {
                        expected_version: version,
                        actor: Actor {
                            id: format!("crowd-{client}"),
                            role: ActorRole::Staff(role),
                        },
                        kind,
                    },
                };
                version = twice(format!("crowd-{run}-{client}-{}", n + 1), command)
                    .await
                    .version;
            }
            (submitted.case_id, version)
        });
    }
    let mut cases = std::collections::HashSet::new();
    while let Some(done) = crowd.join_next().await {
        let (case_id, version) = done.unwrap();
        assert_eq!(version, 3);
        let events = w.engine.events(&case_id).await.unwrap();
        let seqs: Vec<u64> = events.iter().map(|e| e.event.seq).collect();
        assert_eq!(seqs, [1, 2, 3], "case {case_id}");
        assert_eq!(
            w.engine.case(&case_id).await.unwrap().unwrap().state,
            CaseState::InReview
        );
        cases.insert(case_id);
    }
    assert_eq!(
        cases.len(),
        CLIENTS,
        "one case per client, however often it asked"
    );
}

/// A fixture schedule for 2027 with one holiday more than the statutory ones (4 January),
/// standing in for the one the State Council will publish.
const OFFICIAL_2027: &str = r#"
source = "test fixture, not the published 2027 schedule"
provenance = "illustrative"
year = 2027

[[holiday]]
date = 2027-01-01
name = "元旦"

[[holiday]]
date = 2027-01-04
name = "元旦"
"#;

/// Across the new year: a deadline reaching an unpublished year is counted on the
/// provisional calendar and says so; when the official schedule arrives, the engine
/// counts it again, records the change as an event, and a second run moves nothing.
async fn deadlines_across_the_new_year_are_provisional_then_recomputed(w: &World, url: &str) {
    w.set_today(date(2026, 12, 28));
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    let accepted = w.run(&case, CLERK, accept()).await.unwrap();
    let before = w.engine.case(&accepted.case_id).await.unwrap().unwrap();
    let clock = before.driving_clock().unwrap().clone();
    assert!(clock.provisional, "{clock:?}");
    assert_eq!(clock.deadline.year(), 2027);

    let mut calendar = Calendar::builtin();
    calendar
        .add_file(yichuang_domain::calendar::CalendarFile::parse(OFFICIAL_2027).unwrap())
        .unwrap();
    let store = Store::open(url).await.unwrap();
    let official = Engine::start(
        store,
        Arc::new(yichuang_catalog::builtin().unwrap().catalog),
        Arc::new(calendar),
        EngineConfig {
            clock: Arc::new(|| noon(date(2026, 12, 29))),
            ..EngineConfig::default()
        },
    );
    let moved = official.recompute_provisional_deadlines().await.unwrap();
    assert!(moved >= 1, "{moved}");
    let after = official.case(&case.case_id).await.unwrap().unwrap();
    let recounted = after.driving_clock().unwrap();
    assert!(!recounted.provisional);
    assert!(
        recounted.deadline > clock.deadline,
        "the extra holiday moves it out"
    );
    let events = official.events(&case.case_id).await.unwrap();
    let last = &events.last().unwrap().event;
    match &last.body {
        yichuang_domain::case::EventBody::DeadlinesRecomputed { changes, .. } => {
            assert!(
                changes
                    .iter()
                    .any(|c| c.from == clock.deadline && c.to == recounted.deadline),
                "{changes:?}"
            );
        }
        other => panic!("expected deadlines_recomputed, got {other:?}"),
    }
    assert_eq!(official.recompute_provisional_deadlines().await.unwrap(), 0);
    // The staff of the region find it among recent recomputations; others do not.
    let recomputed_in = |region: &'static str| {
        let store = official.store().clone();
        let since = last.at - jiff::SignedDuration::from_hours(1);
        async move {
            store
                .recent_events("deadlines_recomputed", region, since, 10)
                .await
                .unwrap()
        }
    };
    assert!(
        recomputed_in("330211")
            .await
            .iter()
            .any(|(id, _)| *id == case.case_id)
    );
    assert!(
        recomputed_in("51")
            .await
            .iter()
            .all(|(id, _)| *id != case.case_id)
    );
    w.set_today(date(2026, 2, 10));
}

/// A person or employer finds every case they apply for or act in, newest first, and
/// public sign-in sessions live until they expire or end.
async fn a_party_lists_its_cases_and_public_sessions_expire(w: &World) {
    let store = w.engine.store();
    let mut request = submission(
        "unemployment-benefit-claim",
        ("330211", "330211"),
        Channel::Online,
        &["id-card"],
    );
    let Request::Submit { submission, .. } = &mut request else {
        unreachable!()
    };
    submission.applicant = Applicant::Person("330211198001010018".to_owned());
    submission.agent = Some(Applicant::Person("330211199001010012".to_owned()));
    let own = w.engine.execute(&w.request_id(), request).await.unwrap();
    for party in ["330211198001010018", "330211199001010012"] {
        let cases = store.cases_of_party(party, 50).await.unwrap();
        assert_eq!(cases.len(), 1, "{party}");
        assert_eq!(cases[0].id, own.case_id);
    }
    let others = store
        .cases_of_party("11010519491231002X", 1000)
        .await
        .unwrap();
    assert!(!others.is_empty() && others.iter().all(|c| c.id != own.case_id));
    assert!(
        store
            .cases_of_party("330211200001010011", 50)
            .await
            .unwrap()
            .is_empty()
    );

    let session = yichuang_store::CitizenSession {
        party_kind: "person".to_owned(),
        party: "330211198001010018".to_owned(),
        agent: None,
        name: "张三".to_owned(),
        method: "demo".to_owned(),
        csrf: "c".to_owned(),
    };
    let now = noon(date(2026, 2, 10));
    let later = noon(date(2026, 2, 11));
    store
        .create_citizen_session("h1", &session, later)
        .await
        .unwrap();
    store
        .create_citizen_session("h2", &session, later)
        .await
        .unwrap();
    assert_eq!(
        store.citizen_session("h1", now).await.unwrap(),
        Some(session.clone())
    );
    assert_eq!(
        store.citizen_session("h1", later).await.unwrap(),
        None,
        "expired"
    );
    store.end_citizen_session("h2").await.unwrap();
    assert_eq!(
        store.citizen_session("h2", now).await.unwrap(),
        None,
        "ended"
    );
    assert!(store.purge_expired(later).await.unwrap() >= 1);

    // Drafts: one per party and item, replaced, then discarded.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR draft".to_vec();
    let hash = w.engine.store_file(png.clone(), "image/png").await.unwrap();
    let draft = yichuang_store::Draft {
        attachments: vec![yichuang_domain::case::Attachment {
            material: "id-card".to_owned(),
            sha256: hash,
            bytes: png.len() as u64,
            media_type: "image/png".to_owned(),
        }],
        commitments: Vec::new(),
    };
    let party = "330211198001010018";
    w.engine
        .save_draft(party, "unemployment-benefit-claim", &draft)
        .await
        .unwrap();
    assert_eq!(
        w.engine
            .draft(party, "unemployment-benefit-claim")
            .await
            .unwrap(),
        Some(draft.clone())
    );
    let emptied = yichuang_store::Draft::default();
    w.engine
        .save_draft(party, "unemployment-benefit-claim", &emptied)
        .await
        .unwrap();
    assert_eq!(
        w.engine
            .draft(party, "unemployment-benefit-claim")
            .await
            .unwrap(),
        Some(emptied)
    );
    assert_eq!(
        w.engine.draft(party, "pension-transfer").await.unwrap(),
        None
    );
    let mut unknown = draft;
    unknown.attachments[0].sha256 = "cd".repeat(32);
    assert!(
        w.engine
            .save_draft(party, "pension-transfer", &unknown)
            .await
            .is_err(),
        "files first"
    );
    w.engine
        .discard_draft(party, "unemployment-benefit-claim")
        .await
        .unwrap();
    assert_eq!(
        w.engine
            .draft(party, "unemployment-benefit-claim")
            .await
            .unwrap(),
        None
    );
}

/// Every case gets a human-readable number: its handling region, its day and a
/// sequence that counts up per region and day, never twice, found again by number.
async fn cases_are_numbered_per_region_and_day(w: &World) {
    w.set_today(date(2026, 2, 10));
    let first = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    let second = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    let other = w
        .submit(
            "unemployment-benefit-claim",
            "510107",
            "510107",
            &["id-card"],
        )
        .await;
    let store = w.engine.store();
    let number = |id: String| async move { store.case_number(&id).await.unwrap().unwrap() };
    let (a, b, c) = (
        number(first.case_id.clone()).await,
        number(second.case_id.clone()).await,
        number(other.case_id.clone()).await,
    );
    assert!(
        a.starts_with("330211-20260210-") && c.starts_with("510107-20260210-"),
        "{a} {c}"
    );
    let sequence = |n: &str| n.rsplit('-').next().unwrap().parse::<u64>().unwrap();
    assert_eq!(sequence(&b), sequence(&a) + 1, "{a} then {b}");
    assert_eq!(
        store.case_id_by_number(&b).await.unwrap(),
        Some(second.case_id.clone())
    );
    assert_eq!(
        store
            .case_id_by_number("330211-20260210-99999")
            .await
            .unwrap(),
        None
    );
    // Listed with their numbers, and no number twice across everything stored.
    let all = store
        .list_cases(&CaseFilter {
            limit: 10_000,
            ..CaseFilter::default()
        })
        .await
        .unwrap();
    let mut numbers: Vec<&String> = all.iter().filter_map(|c| c.number.as_ref()).collect();
    assert_eq!(numbers.len(), all.len(), "every case has a number");
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), all.len(), "no number twice");
}

/// Each event the applicant should know about leaves one message in the outbox, in the
/// same commit; a retried request leaves none more; delivery is recorded.
async fn events_leave_messages_in_the_outbox(w: &World) {
    let case = w
        .submit(
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card"],
        )
        .await;
    w.run(&case, CLERK, CommandKind::IssueNotice).await.unwrap();
    w.run(
        &case,
        ActorRole::Applicant,
        CommandKind::Supplement {
            materials: vec!["termination-proof".to_owned()],
            attachments: Vec::new(),
        },
    )
    .await
    .unwrap();
    w.run(&case, CLERK, accept()).await.unwrap();
    let store = w.engine.store();
    let mine: Vec<_> = store
        .messages_to("11010519491231002X", 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.case_id == case.case_id)
        .collect();
    let kinds: Vec<&str> = mine.iter().rev().map(|m| m.message.kind.name()).collect();
    assert_eq!(
        kinds,
        ["received", "one_time_notice", "accepted"],
        "a supplement sends none"
    );
    let accepted = &mine[0];
    assert!(
        accepted.message.deadline.is_some(),
        "the deadline is in the message"
    );
    assert_eq!(
        mine[1].message.missing,
        vec!["termination-proof".to_owned()]
    );
    // Delivery: failed once (with the next try), then sent; sent ones are no longer due.
    let later = Timestamp::now()
        .checked_add(jiff::SignedDuration::from_secs(3600))
        .unwrap();
    store
        .message_failed(accepted.id, "gateway down", later)
        .await
        .unwrap();
    let due: Vec<i64> = store
        .due_messages(Timestamp::now(), 1000)
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert!(!due.contains(&accepted.id), "waits for its next try");
    assert!(due.contains(&mine[1].id));
    store
        .message_sent(mine[1].id, Timestamp::now())
        .await
        .unwrap();
    let again = store.messages_to("11010519491231002X", 1000).await.unwrap();
    let notice = again.iter().find(|m| m.id == mine[1].id).unwrap();
    assert!(notice.sent_at.is_some() && notice.attempts == 1);
    let failed = again.iter().find(|m| m.id == accepted.id).unwrap();
    assert_eq!(failed.last_error.as_deref(), Some("gateway down"));
    assert!(
        !store
            .due_messages(later, 1000)
            .await
            .unwrap()
            .iter()
            .any(|m| m.id == mine[1].id)
    );
}

/// A commitment the applicant signs when applying (告知承诺) stands in for its
/// material: no one-time notice asks for it, and acceptance counts it.
async fn a_commitment_signed_when_applying_stands_in_for_its_material(w: &World) {
    let with_commitment = |commitments: &[&str], materials: &[&str]| {
        let mut request = submission(
            "survivor-benefit-claim",
            ("330211", "330211"),
            Channel::Online,
            materials,
        );
        if let Request::Submit { submission, .. } = &mut request {
            submission.commitments = commitments.iter().map(|c| (*c).to_owned()).collect();
        }
        request
    };
    let refused = w
        .engine
        .execute(
            &w.request_id(),
            with_commitment(&["id-card"], &["death-proof"]),
        )
        .await;
    assert!(matches!(
        case_error(refused),
        CaseError::CommitmentNotAllowed { .. }
    ));
    let twice = w
        .engine
        .execute(
            &w.request_id(),
            with_commitment(&["kinship-proof"], &["id-card", "kinship-proof"]),
        )
        .await;
    assert!(matches!(
        case_error(twice),
        CaseError::DuplicateMaterial { .. }
    ));
    let case = w
        .engine
        .execute(
            &w.request_id(),
            with_commitment(&["kinship-proof"], &["id-card", "death-proof"]),
        )
        .await
        .unwrap();
    let stored = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(stored.commitments, vec!["kinship-proof".to_owned()]);
    assert!(
        stored.missing_materials().is_empty(),
        "{:?}",
        stored.missing_materials()
    );
    let accepted = w.run(&case, CLERK, accept()).await.unwrap();
    assert_eq!(accepted.state, "accepted");
    let accepted = w.engine.case(&case.case_id).await.unwrap().unwrap();
    assert_eq!(
        accepted.unverified_commitments,
        vec!["kinship-proof".to_owned()],
        "to be verified"
    );
}

async fn suite(url: Option<String>) {
    let w = World::new(url.clone()).await;
    full_lifecycle_with_one_time_notice(&w).await;
    commands_outside_their_state_or_role_are_refused(&w).await;
    two_clerks_at_once_get_a_conflict_not_a_lost_update(&w).await;
    a_retried_request_returns_the_first_answer(&w).await;
    a_request_id_answers_only_its_own_request(&w).await;
    provisional_acceptance_and_its_lapse(&w).await;
    a_false_commitment_revokes_the_result(&w).await;
    suspension_stops_the_clock_and_extension_prolongs_it(&w).await;
    on_the_spot_items_complete_in_one_step(&w).await;
    remote_acceptance_is_visible_to_both_regions(&w).await;
    a_supplement_restarts_the_acceptance_review(&w).await;
    warnings_list_cheaply_by_level_and_deadline(&w).await;
    a_party_lists_its_cases_and_public_sessions_expire(&w).await;
    a_crowd_of_clients_gets_every_step_once(&w).await;
    cases_are_numbered_per_region_and_day(&w).await;
    events_leave_messages_in_the_outbox(&w).await;
    a_commitment_signed_when_applying_stands_in_for_its_material(&w).await;
    hall::tickets_are_called_once_and_by_skill(&w).await;
    hall::the_recall_lock_and_aging_hold(&w).await;
    hall::bookings_never_overfill_and_check_in_queues_first(&w).await;
    hall::a_halls_green_lane_rules_apply(&w).await;
    hall::a_booking_is_reminded_the_working_day_before(&w).await;
    ratings::a_case_is_rated_once_per_stage_and_a_poor_rating_is_followed_up(&w).await;
    ratings::a_hall_visit_is_rated_at_the_pad(&w).await;
    ratings::many_cases_rated_at_once_each_get_one_rating(&w).await;
    ratings::an_unrated_service_gets_its_regions_default_once(&w).await;
    ratings::the_totals_equal_a_recount_from_the_events(&w).await;
    complaints::a_complaint_is_answered_once_and_goes_up_when_unsatisfied(&w).await;
    escalation::the_overdue_counts_equal_the_lists_rule(&w).await;
    let url =
        url.unwrap_or_else(|| Store::sqlite_url(&w._dir.as_ref().unwrap().path().join("cases.db")));
    a_second_writer_never_loses_a_step(&w, &url).await;
    deadlines_across_the_new_year_are_provisional_then_recomputed(&w, &url).await;
    files_are_kept_by_hash_and_checked_by_the_audit(&w, &url).await;
    stored_guides::a_submission_names_its_guide_and_reads_back_whole(&w, &url).await;
    hall::hall_requests_are_idempotent_and_audited(&w, &url).await;
    the_audit_verifies_and_names_the_first_tampered_case(&w, &url).await;
    histories::a_history_is_written_whole_and_queues_no_message(&w).await;
    figures::the_case_totals_equal_a_recount_from_the_events(&w).await;
    figures::the_hall_waits_equal_a_recount_from_the_events(&w).await;
    facts::imports_are_idempotent_and_a_screening_reads_them_back(&w).await;
    facts::certificates_read_back_by_holder_and_year(&w).await;
    facts::the_register_reads_back_in_pages(&w).await;
    facts::a_rules_filter_in_the_store_finds_whom_cel_finds_eligible(&w).await;
    grant_lists::a_list_is_published_objected_to_and_granted_once(&w).await;
    grant_lists::a_list_of_certificates_grants_each_holder_once(&w).await;
    rule_decisions::a_rule_decides_after_acceptance_and_a_reviewer_can_take_it_up(&w).await;
    rule_decisions::an_online_application_is_accepted_decided_and_delivered_by_the_system(&w).await;
    rule_decisions::a_rule_gone_from_the_catalog_refers_the_case(&w, &url).await;
    figures::drifted_totals_are_named_and_rebuilt(&w).await;
    claims::servers_share_and_maintenance_is_alone(&w).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_on_sqlite() {
    suite(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_on_postgres() {
    let Ok(base) = std::env::var("YICHUANG_TEST_DATABASE_URL") else {
        eprintln!("YICHUANG_TEST_DATABASE_URL is not set: PostgreSQL half skipped");
        return;
    };
    // A fresh schema per run, so runs never see each other's cases.
    let schema = format!("t{}", uuid_like());
    let admin = sqlx::PgPool::connect(&base)
        .await
        .expect("PostgreSQL at YICHUANG_TEST_DATABASE_URL");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options=-c%20search_path%3D{schema}");
    suite(Some(url)).await;
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_bad_url_is_refused_clearly() {
    let err = Store::open("mysql://x").await.unwrap_err();
    assert!(matches!(err, StoreError::BadUrl { .. }), "{err}");
}
