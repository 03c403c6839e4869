//! The demo's rule-decided cases (智能审批): the register's records of the demo people
//! (cards in every state, some drawing unemployment benefit), and a few applications
//! accepted at the window that the items' rules then decided or referred: a card
//! activated, one refused because it is already active, and one referred because the
//! register has no record of the applicant.

use jiff::civil::Date;
use yichuang_domain::case::{Actor, ActorRole, Applicant, Command, CommandKind, Submission};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_domain::facts::{CardStatus, CertificateRecord, PersonRecord, PersonStatus};
use yichuang_domain::{RegionCode, ResidentId};
use yichuang_engine::{Engine, Request};

use crate::demo::DemoError;
use crate::demo_ratings::other;

const CARDS: [CardStatus; 4] = [
    CardStatus::Issued,
    CardStatus::Active,
    CardStatus::Lost,
    CardStatus::Active,
];

/// The register's record of every demo person but the last (who stays unknown, so
/// a rule has someone to refer).
fn records(people: &[String], today: Date) -> Vec<PersonRecord> {
    let zhenhai = RegionCode::parse("330211").ok();
    people
        .iter()
        .take(people.len().saturating_sub(1))
        .enumerate()
        .filter_map(|(i, id)| {
            Some(PersonRecord {
                person: ResidentId::parse(id, today).ok()?.value,
                region: zhenhai?,
                status: match i % 7 {
                    0 => PersonStatus::ClaimingBenefit,
                    6 => PersonStatus::Other,
                    _ => PersonStatus::Employed,
                },
                ui_months: (i as u32 * 13) % 240,
                card: CARDS[i % CARDS.len()],
            })
        })
        .collect()
}

/// Skill certificates some demo people earned last year (技能提升补贴's list): a 初级,
/// a 中级 and a 高级 to people insured long enough, and one to someone who is not.
fn certificates(people: &[String], today: Date) -> Vec<CertificateRecord> {
    let year = today.year() - 1;
    let earned = [
        (0, 5, "电工"),
        (1, 5, "电工"),
        (2, 4, "焊工"),
        (3, 3, "电工"),
    ];
    earned
        .into_iter()
        .filter_map(|(i, level, occupation): (usize, u8, &str)| {
            Some(CertificateRecord {
                person: ResidentId::parse(people.get(i)?, today).ok()?.value,
                certificate: format!("DEMO-{year}-{:04}", i + 1),
                occupation: occupation.to_owned(),
                level,
                issued_on: jiff::civil::date(year, 3 + i as i8, 15),
            })
        })
        .collect()
}

/// Imports the records and decides a few applications; returns the cases made.
pub(crate) async fn seed_rule_decisions(
    engine: &Engine,
    today: Date,
    people: &[String],
) -> Result<usize, DemoError> {
    engine
        .store()
        .import_persons(&records(people, today))
        .await
        .map_err(other)?;
    engine
        .store()
        .import_certificates(&certificates(people, today))
        .await
        .map_err(other)?;
    let zhenhai = RegionCode::parse("330211").map_err(other)?;
    let clerk = Actor {
        id: "clerk-zh".to_owned(),
        role: ActorRole::Staff(Role::Clerk),
    };
    let unknown = people.last().cloned().unwrap_or_default();
    let applications = [
        ("social-security-card-activation", people.first()),
        ("social-security-card-activation", people.get(1)),
        ("social-security-card-activation", Some(&unknown)),
        ("unemployment-medical-contribution", people.first()),
        ("social-security-card-loss-report", people.get(3)),
    ];
    let mut made = 0;
    for (n, (item, person)) in applications.into_iter().enumerate() {
        let Some(person) = person else { continue };
        let channel = if item == "unemployment-medical-contribution" {
            Channel::Online
        } else {
            Channel::Window
        };
        let submitted = engine
            .execute(
                &format!("demo-rule-submit-{n}"),
                Request::Submit {
                    item: item.to_owned(),
                    submission: Submission {
                        applicant: Applicant::Person(person.clone()),
                        agent: None,
                        channel,
                        accepting_region: zhenhai,
                        handling_region: zhenhai,
                        // The medical cover asks for nothing: the register is the proof.
                        materials: if item == "unemployment-medical-contribution" {
                            Vec::new()
                        } else {
                            vec!["id-card".to_owned()]
                        },
                        attachments: Vec::new(),
                        commitments: Vec::new(),
                    },
                    actor: clerk.clone(),
                },
            )
            .await
            .map_err(other)?;
        made += 1;
        // Applied online with nothing missing: the system has accepted, decided and
        // delivered it already (自动受理, 自动出具结果). The window's are the clerk's.
        if channel != Channel::Window {
            continue;
        }
        engine
            .execute(
                &format!("demo-rule-accept-{n}"),
                Request::Command {
                    case_id: submitted.case_id.clone(),
                    command: Command {
                        expected_version: submitted.version,
                        actor: clerk.clone(),
                        kind: CommandKind::Accept {
                            provisional: Vec::new(),
                            commitments: Vec::new(),
                            supply_within_days: 5,
                        },
                    },
                },
            )
            .await
            .map_err(other)?;
    }
    Ok(made)
}
