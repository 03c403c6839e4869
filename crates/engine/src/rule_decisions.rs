//! 智能审批: right after an application for a rule-decided item is accepted, the engine
//! reads the applicant's facts, runs the item's rule and records the outcome as the
//! system: a decision carrying the rule's version, the digest of the facts it read and
//! every condition's values; or, where a fact is missing or the rule cannot run, a
//! referral that tells the reviewer why. An application made without staff (online, on
//! a phone, at a kiosk) with every material is also accepted by the system first (自动
//! 受理), and the rule's decision on it delivered electronically (自动出具结果), as
//! `case::automatic_step` says. Every step goes through the writer like every command,
//! under a request id drawn from the case and the step, so a retry records nothing
//! twice.

use yichuang_domain::case::{
    Actor, ActorRole, Applicant, AutomaticStep, Case, CaseState, Command, CommandKind,
    ELECTRONIC_DELIVERY, RuleTrace, automatic_step,
};
use yichuang_domain::catalog::{DecisionRule, Role};
use yichuang_domain::facts::person_facts;
use yichuang_store::CaseFilter;

use crate::{Answer, Engine, EngineError, Request, Response};

/// Cases listed at once by the sweep.
const PAGE: u32 = 1_000;

fn refer(reason: String) -> CommandKind {
    CommandKind::ReferToReviewer { reason }
}

impl Engine {
    /// Whether the system may take steps of its own after `request`: not after
    /// submitting an item no rule decides (spares every such submission a read).
    pub(crate) fn may_step_on_its_own(&self, request: &Request) -> bool {
        match request {
            Request::Submit { item, .. } => {
                self.catalog.decision_rules.iter().any(|p| p.item == *item)
            }
            _ => true,
        }
    }

    /// After a submission or an acceptance: the steps the system takes on its own. A
    /// step that cannot record because the case moved meanwhile leaves it to whoever
    /// moved it; any other failure is the caller's to retry (the request replays, the
    /// steps run again under the same request ids).
    pub(crate) async fn follow_acceptance(
        &self,
        response: Response,
    ) -> Result<Response, EngineError> {
        if matches!(response.event.as_str(), "submitted" | "accepted") {
            match self.advance_automatically(&response.case_id).await {
                Ok(_) => {}
                Err(e) if e.is_client_error() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(response)
    }

    /// Takes every step the system may take on its own on a case (accept, run the
    /// rule, deliver), one after the other; the last one's answer, or `None` when
    /// staff act next.
    pub async fn advance_automatically(
        &self,
        case_id: &str,
    ) -> Result<Option<Response>, EngineError> {
        let mut last = None;
        // Three steps at most; the bound keeps a surprise from looping.
        for _ in 0..3 {
            let Some(case) = self.case(case_id).await? else {
                break;
            };
            let Some(step) = automatic_step(&case) else {
                break;
            };
            let (kind, name) = match step {
                AutomaticStep::Accept => (
                    CommandKind::Accept {
                        provisional: Vec::new(),
                        commitments: Vec::new(),
                        supply_within_days: 1,
                    },
                    "accept",
                ),
                AutomaticStep::RunRule => {
                    let Some(rule) = case.guide.guide.decided_by.clone() else {
                        break;
                    };
                    (self.rule_outcome(&case, &rule).await?, "rule")
                }
                AutomaticStep::Deliver => (
                    CommandKind::Complete {
                        method: ELECTRONIC_DELIVERY.to_owned(),
                    },
                    "deliver",
                ),
            };
            let command = Command {
                expected_version: case.version,
                actor: Actor {
                    id: crate::proactive::SYSTEM.to_owned(),
                    role: ActorRole::Staff(Role::System),
                },
                kind,
            };
            // Straight to the writer: this loop is what follows each step.
            let request = Request::Command {
                case_id: case_id.to_owned(),
                command,
            };
            let request_id = if name == "rule" {
                format!("rule:{case_id}")
            } else {
                format!("auto-{name}:{case_id}")
            };
            match self.dispatch(&request_id, request, None).await? {
                Answer::Case(response) => last = Some(response),
                _ => return Err(EngineError::WrongAggregate),
            }
        }
        Ok(last)
    }

    /// Runs the item's rule on a case waiting for it and records the outcome (and
    /// what follows on its own); `None` when the case waits for no rule.
    pub async fn decide_by_rule(&self, case_id: &str) -> Result<Option<Response>, EngineError> {
        let Some(case) = self.case(case_id).await? else {
            return Ok(None);
        };
        if automatic_step(&case) != Some(AutomaticStep::RunRule) {
            return Ok(None);
        }
        self.advance_automatically(case_id).await
    }

    /// What the rule says about `case`: a decision, or why a person must decide.
    async fn rule_outcome(
        &self,
        case: &Case,
        rule: &DecisionRule,
    ) -> Result<CommandKind, EngineError> {
        let policy = self
            .catalog
            .decision_rules
            .iter()
            .find(|p| p.id == rule.policy && p.content_hash() == rule.content_hash);
        let Some(policy) = policy else {
            return Ok(refer(format!(
                "本事项指南所载规则“{}”（版本 {}）已不在现行目录中或已修改，规则不能判断，请人工审核。",
                rule.policy, rule.version
            )));
        };
        if !case.pending.is_empty() {
            let names: Vec<&str> = case.pending.iter().map(|p| p.material.as_str()).collect();
            return Ok(refer(format!(
                "容缺受理的材料尚未补齐（{}），规则不能作出准予决定，请人工审核。",
                names.join("、")
            )));
        }
        let Applicant::Person(person) = &case.applicant else {
            return Ok(refer(
                "申请人不是个人，规则只读取个人的登记数据，请人工审核。".to_owned(),
            ));
        };
        let Some(record) = self.store.person_facts(person).await? else {
            return Ok(refer(
                "登记数据中没有申请人的记录（参保人员数据未导入或未登记），规则无法判断，请人工审核。"
                    .to_owned(),
            ));
        };
        let facts = person_facts(&record);
        let params = policy.params_for(Some(case.handling_region));
        let evaluation = match policy.rule.evaluate(&params, &facts) {
            Ok(evaluation) => evaluation,
            Err(e) => {
                return Ok(refer(format!("规则运行出错，不能判断，请人工审核：{e}")));
            }
        };
        let failed: Vec<&str> = evaluation
            .reasons
            .iter()
            .filter(|r| !r.held)
            .map(|r| r.label.as_str())
            .collect();
        let reason = if failed.is_empty() {
            let held: Vec<&str> = evaluation
                .reasons
                .iter()
                .map(|r| r.label.as_str())
                .collect();
            format!("按登记数据，符合全部条件：{}。", held.join("；"))
        } else {
            format!("按登记数据，不符合条件：{}。", failed.join("；"))
        };
        Ok(CommandKind::DecideByRule {
            reason,
            legal_basis: policy.basis.clone(),
            trace: RuleTrace {
                policy: policy.id.clone(),
                version: policy.version.clone(),
                rule_hash: rule.content_hash.clone(),
                facts_digest: facts.digest(),
                reasons: evaluation.reasons,
            },
        })
    }

    /// Gives every case of a rule-decided item still waiting for a step the system
    /// takes on its own (acceptance, the rule, delivery) its turn, after a restart
    /// that fell between two steps. Returns the cases moved.
    pub async fn decide_waiting_by_rule(&self) -> Result<usize, EngineError> {
        let mut done = 0;
        let states = [
            CaseState::Submitted,
            CaseState::Accepted,
            CaseState::Decided,
        ];
        for (policy, state) in self
            .catalog
            .decision_rules
            .iter()
            .flat_map(|p| states.map(|s| (p, s)))
        {
            let filter = CaseFilter {
                state: Some(state),
                item: Some(policy.item.clone()),
                limit: PAGE,
                ..CaseFilter::default()
            };
            // Page by page: a case moved leaves the state; one left to staff stays.
            loop {
                let page = self.list(&filter).await?;
                let before = done;
                for summary in &page {
                    match self.advance_automatically(&summary.id).await {
                        Ok(Some(_)) => done += 1,
                        Ok(None) => {}
                        // Moved meanwhile by someone else: nothing is waiting any more.
                        Err(e) if e.is_client_error() => {}
                        Err(e) => return Err(e),
                    }
                }
                if page.len() < PAGE as usize || done == before {
                    break;
                }
            }
        }
        Ok(done)
    }
}
