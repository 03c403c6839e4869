//! 免申即享: reading the facts a policy covers and screening every subject (reading
//! only), and the published list (公示) as a stream aggregate through the writer, with
//! the grant cases made through the engine like every case.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use yichuang_domain::case::{
    Actor, ActorRole, Applicant, Message, ObjectionNote, Staff, Submission,
};
use yichuang_domain::catalog::{Channel, Role};
use yichuang_domain::facts::{PERSON_CERTIFICATE, certificate_year_facts, employer_year_facts};
use yichuang_domain::proactive::{
    GrantList, ListCommand, ListContext, ListError, ListEvent, ListEventBody, Policy, Screening,
    Subject, decide_list, screen,
};
use yichuang_store::{CertificateHolder, EmployerYearRecords, ScheduledMessage, Store, StoreError};

use crate::streams::{StreamState, Working, record, working};
use crate::writer::Writer;
use crate::{EngineError, Job};

/// Every imported employer's facts for `year`, as subjects of an `employer_year` policy.
pub fn employer_subjects(records: &[EmployerYearRecords], year: i16) -> Vec<Subject> {
    records
        .iter()
        .map(|r| Subject {
            id: r.employer.uscc.as_str().to_owned(),
            name: r.employer.name.clone(),
            region: r.employer.region,
            facts: employer_year_facts(&r.employer, &r.months, year, r.new_claimants),
        })
        .collect()
}

/// Every certificate issued in `year` as a subject of a `person_certificate` policy:
/// the id is the certificate's number, the name its holder's identity number.
pub fn certificate_subjects(holders: &[CertificateHolder], year: i16) -> Vec<Subject> {
    holders
        .iter()
        .flat_map(|h| {
            certificate_year_facts(&h.person, &h.certificates, year)
                .into_iter()
                .map(|(certificate, facts)| Subject {
                    id: certificate.certificate,
                    name: h.person.person.as_str().to_owned(),
                    region: h.person.region,
                    facts,
                })
        })
        .collect()
}

/// The list for `policy` over `year`, whatever its subject: every employer's year, or
/// every certificate issued in the year, eligible or not, with reasons.
pub async fn screen_subjects(
    store: &Store,
    policy: &Policy,
    year: i16,
) -> Result<Screening, StoreError> {
    if policy.rule.schema.subject == PERSON_CERTIFICATE.subject {
        let holders = store.certificate_holders(year).await?;
        return Ok(screen(policy, certificate_subjects(&holders, year)));
    }
    screen_employers(store, policy, year).await
}

/// The list for `policy` over `year`: every employer, eligible or not, with reasons.
pub async fn screen_employers(
    store: &Store,
    policy: &Policy,
    year: i16,
) -> Result<Screening, StoreError> {
    let records = store.employer_years(year).await?;
    Ok(screen(policy, employer_subjects(&records, year)))
}

/// Whom a listed line's grant case is for: the subject a policy screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grantee {
    /// The line's id is the employer's credit code.
    Employer,
    /// The line's id is a certificate's number and its name the holder's identity
    /// number (as `certificate_subjects` lists them): one grant per certificate.
    Person,
}

impl Grantee {
    pub fn of(policy: &Policy) -> Grantee {
        if policy.rule.schema.subject == PERSON_CERTIFICATE.subject {
            Grantee::Person
        } else {
            Grantee::Employer
        }
    }

    fn applicant(self, listed: &yichuang_domain::proactive::Listed) -> Applicant {
        match self {
            Grantee::Employer => Applicant::Employer(listed.id.clone()),
            Grantee::Person => Applicant::Person(listed.name.clone()),
        }
    }
}

/// The answer to a command on a published list, stored for retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GrantListResponse {
    pub stream: String,
    pub version: u64,
    pub event: String,
}

impl StreamState for GrantList {
    const KIND: &'static str = "grant_list";
    type Event = ListEvent;

    fn version(&self) -> u64 {
        self.version
    }

    fn apply(&mut self, event: &ListEvent) {
        GrantList::apply(self, event);
    }

    fn describe(event: &ListEvent) -> (u64, String, &'static str, String) {
        (
            event.seq,
            event.at.to_string(),
            event.body.name(),
            event.actor.clone(),
        )
    }
}

fn corrupt(e: impl std::fmt::Display) -> EngineError {
    EngineError::Store(StoreError::Corrupt(e.to_string()))
}

impl Writer {
    pub(crate) async fn run_grant_list_job(
        &mut self,
        job: &Job,
        (policy, year): (&str, i16),
        actor: &str,
        command: &ListCommand,
        lists: &mut HashMap<String, Working<GrantList>>,
        order: &mut Vec<String>,
    ) -> Result<GrantListResponse, EngineError> {
        let at = (self.config.clock)();
        let w = working(
            &self.store,
            &mut self.grant_list_cache,
            lists,
            order,
            &job.case_id,
            || GrantList::new(policy, year),
        )
        .await?;
        let calendar = self.calendar.clone();
        // The national calendar: a list spans regions. A day past the calendar's
        // years cannot be counted: the same day then.
        let add_working_days =
            move |from, n| calendar.add_working_days(from, n, None).unwrap_or(from);
        let ctx = ListContext {
            at,
            today: crate::china_date(at),
            actor,
            add_working_days: &add_working_days,
        };
        let event = decide_list(&w.state, command, &ctx)?;
        let name = event.body.name();
        let stream = job.case_id.clone();
        let told = objector_told(&w.state, &event, at)?;
        let response = record(w, job, &event, |l: &GrantList| GrantListResponse {
            stream,
            version: l.version,
            event: name.to_owned(),
        })?;
        w.messages.extend(told);
        Ok(response)
    }
}

/// The message that tells an objector signed in online (`online:<party>`) how their
/// objection was decided; none for any other event, or an objection taken otherwise.
fn objector_told(
    list: &GrantList,
    event: &ListEvent,
    at: jiff::Timestamp,
) -> Result<Option<ScheduledMessage>, EngineError> {
    let ListEventBody::ObjectionDecided { id, upheld, .. } = &event.body else {
        return Ok(None);
    };
    // Made online by the party itself, or taken by staff for it.
    let Some(party) = list
        .line(id)
        .and_then(|line| line.objection.as_ref())
        .and_then(|objection| {
            objection
                .by
                .strip_prefix("online:")
                .or(objection.on_behalf_of.as_deref())
        })
    else {
        return Ok(None);
    };
    let message = Message::objection_decided(ObjectionNote {
        policy: list.policy.clone(),
        year: list.year,
        line: id.clone(),
        upheld: *upheld,
    });
    Ok(Some(ScheduledMessage {
        // One decision per objection: the key is the list's and the line's.
        key: format!(
            "objection:{}/{id}",
            GrantList::stream_id(&list.policy, list.year)
        ),
        recipient: party.to_owned(),
        kind: message.kind.name().to_owned(),
        message: serde_json::to_string(&message).map_err(corrupt)?,
        due: at.to_string(),
    }))
}

/// The system's own actor for what the platform does unasked (a grant case).
pub const SYSTEM: &str = "system";

impl crate::Engine {
    /// A policy's published list of one year (None: never published).
    pub async fn grant_list(
        &self,
        policy: &str,
        year: i16,
    ) -> Result<Option<GrantList>, EngineError> {
        match self
            .store()
            .load_stream(&GrantList::stream_id(policy, year))
            .await?
        {
            Some(stored) => serde_json::from_str(&stored.snapshot)
                .map(Some)
                .map_err(corrupt),
            None => Ok(None),
        }
    }

    /// A command on a published list. Publishing and recording grants are the
    /// system's (the trusted command line); an objection may come from anyone (the
    /// actor as the caller names it: `online:<party>` or staff); deciding one needs a
    /// supervisor whose jurisdiction holds the employer.
    pub async fn execute_grant_list(
        &self,
        request_id: &str,
        (policy, year): (&str, i16),
        command: ListCommand,
        actor: &str,
        staff: Option<&Staff>,
    ) -> Result<GrantListResponse, EngineError> {
        let actor = match (&command, staff) {
            (ListCommand::DecideObjection { id, .. }, Some(staff)) => {
                let region = self.line_region((policy, year), id).await?;
                staff.may_decide_objections(region)?;
                staff.id.clone()
            }
            (ListCommand::DecideObjection { .. }, None) => return Err(EngineError::WrongAggregate),
            (
                ListCommand::Object {
                    id,
                    on_behalf_of: Some(_),
                    ..
                },
                Some(staff),
            ) => {
                let region = self.line_region((policy, year), id).await?;
                staff.may_take_objections(region)?;
                staff.id.clone()
            }
            // Only staff take an objection for someone else.
            (
                ListCommand::Object {
                    on_behalf_of: Some(_),
                    ..
                },
                None,
            ) => return Err(EngineError::WrongAggregate),
            (_, Some(staff)) => staff.id.clone(),
            (_, None) => actor.to_owned(),
        };
        let request = crate::Request::GrantList {
            policy: policy.to_owned(),
            year,
            actor,
            command,
        };
        match self.dispatch(request_id, request, staff.cloned()).await? {
            crate::Answer::GrantList(response) => Ok(response),
            _ => Err(EngineError::WrongAggregate),
        }
    }

    /// The region of a line of a published list (None when it is not on one: the list's
    /// own rules then refuse the command).
    async fn line_region(
        &self,
        (policy, year): (&str, i16),
        id: &str,
    ) -> Result<Option<yichuang_domain::RegionCode>, EngineError> {
        let list = self.grant_list(policy, year).await?;
        Ok(list
            .as_ref()
            .and_then(|l| l.line(id))
            .and_then(|l| yichuang_domain::RegionCode::parse(&l.listed.region).ok()))
    }

    /// Publishes the eligible lines of `screening` for 公示, under a request id drawn
    /// from the policy, the year and the inputs' digest (the same list published twice
    /// is one publication).
    pub async fn publish_list(
        &self,
        policy: &Policy,
        year: i16,
        screening: &Screening,
    ) -> Result<GrantListResponse, EngineError> {
        let lines = screening
            .eligible()
            .map(|(entry, evaluation)| yichuang_domain::proactive::Listed {
                id: entry.id.clone(),
                name: entry.name.clone(),
                region: entry.region.to_string(),
                amount_cents: evaluation.amount_cents,
            })
            .collect();
        self.execute_grant_list(
            &format!("publish:{}:{year}:{}", policy.id, screening.inputs_digest),
            (&policy.id, year),
            ListCommand::Publish {
                policy_hash: screening.policy_hash.clone(),
                inputs_digest: screening.inputs_digest.clone(),
                lines,
                publicity_days: policy.publicity_days,
            },
            SYSTEM,
            None,
        )
        .await
    }

    /// Makes the grant case of every line the list allows now (to the employer, or to
    /// the certificate's holder), and records it on the list. Idempotent by request
    /// ids drawn from policy, year and the line's id: a run interrupted half way and
    /// run again makes each case once.
    pub async fn grant_from_list(
        &self,
        policy: &str,
        year: i16,
        (item, grantee): (&str, Grantee),
    ) -> Result<Vec<(String, String)>, EngineError> {
        let Some(list) = self.grant_list(policy, year).await? else {
            return Err(EngineError::GrantList(ListError::NotPublished));
        };
        let today = self.today();
        if let Some(until) = list.public_until
            && today <= until
        {
            return Err(EngineError::GrantList(ListError::PeriodRunning { until }));
        }
        let mut granted = Vec::new();
        for listed in list.grantable(today) {
            let region = yichuang_domain::RegionCode::parse(&listed.region).map_err(corrupt)?;
            let submission = Submission {
                applicant: grantee.applicant(listed),
                agent: None,
                channel: Channel::Online,
                accepting_region: region,
                handling_region: region,
                materials: Vec::new(),
                attachments: Vec::new(),
                commitments: Vec::new(),
            };
            let case = self
                .execute(
                    &format!("grant:{policy}:{year}:{}", listed.id),
                    crate::Request::Submit {
                        item: item.to_owned(),
                        submission,
                        actor: Actor {
                            id: SYSTEM.to_owned(),
                            role: ActorRole::Staff(Role::System),
                        },
                    },
                )
                .await?;
            self.execute_grant_list(
                &format!("granted:{policy}:{year}:{}", listed.id),
                (policy, year),
                ListCommand::RecordGrant {
                    id: listed.id.clone(),
                    case_id: case.case_id.clone(),
                },
                SYSTEM,
                None,
            )
            .await?;
            granted.push((listed.id.clone(), case.case_id));
        }
        Ok(granted)
    }
}
