//! 智能审批: right after an application for a rule-decided item is accepted, the engine
//! reads the applicant's facts, runs the item's rule and records the outcome as the
//! system: a decision carrying the rule's version, the digest of the facts it read and
//! every condition's values; or, where a fact is missing or the rule cannot run, a
//! referral that tells the reviewer why. Both go through the writer like every
//! command, under a request id drawn from the case, so a retry records nothing twice.

use yichuang_domain::case::{
    Actor, ActorRole, Applicant, Case, CaseState, Command, CommandKind, RuleTrace,
};
use yichuang_domain::catalog::{DecisionRule, Role};
use yichuang_domain::facts::person_facts;
use yichuang_store::CaseFilter;

use crate::{Answer, Engine, EngineError, Request, Response};

/// Cases listed at once by the sweep.
const PAGE: u32 = 1_000;

/// True while a case's item has a rule and the rule has not yet had its turn.
fn awaits_rule(case: &Case) -> bool {
    case.state == CaseState::Accepted
        && case.referred.is_none()
        && case.guide.guide.decided_by.is_some()
}

fn refer(reason: String) -> CommandKind {
    CommandKind::ReferToReviewer { reason }
}

impl Engine {
    /// After an acceptance: the item's rule has its turn. A rule that cannot record
    /// because the case moved meanwhile leaves it to whoever moved it; any other
    /// failure is the caller's to retry (the acceptance replays, the rule runs again).
    pub(crate) async fn follow_acceptance(
        &self,
        response: Response,
    ) -> Result<Response, EngineError> {
        if response.event == "accepted" {
            match self.decide_by_rule(&response.case_id).await {
                Ok(_) => {}
                Err(e) if e.is_client_error() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(response)
    }

    /// Runs the item's rule on a case waiting for it and records the outcome; `None`
    /// when the case waits for no rule (no rule, not accepted, or already done).
    pub async fn decide_by_rule(&self, case_id: &str) -> Result<Option<Response>, EngineError> {
        let Some(case) = self.case(case_id).await? else {
            return Ok(None);
        };
        let Some(rule) = case.guide.guide.decided_by.clone() else {
            return Ok(None);
        };
        if !awaits_rule(&case) {
            return Ok(None);
        }
        let kind = self.rule_outcome(&case, &rule).await?;
        let command = Command {
            expected_version: case.version,
            actor: Actor {
                id: crate::proactive::SYSTEM.to_owned(),
                role: ActorRole::Staff(Role::System),
            },
            kind,
        };
        // Straight to the writer: a decision is no acceptance to follow.
        let request = Request::Command {
            case_id: case_id.to_owned(),
            command,
        };
        match self
            .dispatch(&format!("rule:{case_id}"), request, None)
            .await?
        {
            Answer::Case(response) => Ok(Some(response)),
            _ => Err(EngineError::WrongAggregate),
        }
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

    /// Gives every accepted case still waiting for its item's rule its turn (after a
    /// restart that fell between acceptance and the rule). Returns the cases done.
    pub async fn decide_waiting_by_rule(&self) -> Result<usize, EngineError> {
        let mut done = 0;
        for policy in &self.catalog.decision_rules {
            let filter = CaseFilter {
                state: Some(CaseState::Accepted),
                item: Some(policy.item.clone()),
                limit: PAGE,
                ..CaseFilter::default()
            };
            // Page by page: a case done leaves the accepted state, one referred stays.
            loop {
                let page = self.list(&filter).await?;
                let before = done;
                for summary in &page {
                    match self.decide_by_rule(&summary.id).await {
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
