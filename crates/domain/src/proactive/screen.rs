//! Evaluating a policy over every subject it covers.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::policy::Policy;
use crate::RegionCode;
use crate::rules::{Evaluation, Facts, RuleError};

/// One subject to evaluate: an employer (by credit code) or a person, and its facts.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: String,
    pub name: String,
    pub region: RegionCode,
    pub facts: Facts,
}

/// One subject's outcome, or why the rule could not decide it (it then goes to a
/// person; it is never counted as not eligible).
#[derive(Debug, Clone, Serialize)]
pub struct Screened {
    pub id: String,
    pub name: String,
    pub region: RegionCode,
    pub facts_digest: String,
    pub outcome: Result<Evaluation, String>,
}

/// A whole list, with the digest that makes it reproducible.
#[derive(Debug, Clone, Serialize)]
pub struct Screening {
    pub policy: String,
    pub policy_version: String,
    pub policy_hash: String,
    /// SHA-256 over the policy hash and every subject's id and facts digest, in id
    /// order: the same facts and rule version give the same digest.
    pub inputs_digest: String,
    pub entries: Vec<Screened>,
}

impl Screening {
    pub fn eligible(&self) -> impl Iterator<Item = (&Screened, &Evaluation)> {
        self.entries.iter().filter_map(|e| match &e.outcome {
            Ok(evaluation) if evaluation.eligible => Some((e, evaluation)),
            _ => None,
        })
    }
}

/// Evaluates `policy` for every subject, each with its region's settings. The list is
/// sorted by subject id whatever order the subjects came in.
pub fn screen(policy: &Policy, mut subjects: Vec<Subject>) -> Screening {
    subjects.sort_by(|a, b| a.id.cmp(&b.id));
    let policy_hash = policy.content_hash();
    let mut digest = Sha256::new();
    digest.update(policy_hash.as_bytes());
    let mut evaluator = policy.rule.evaluator();
    let entries = subjects
        .into_iter()
        .map(|subject| {
            let facts_digest = subject.facts.digest();
            digest.update(b"\n");
            digest.update(subject.id.as_bytes());
            digest.update(b" ");
            digest.update(facts_digest.as_bytes());
            let params = policy.params_for(Some(subject.region));
            Screened {
                outcome: evaluator
                    .evaluate(&params, &subject.facts)
                    .map_err(|e: RuleError| e.to_string()),
                id: subject.id,
                name: subject.name,
                region: subject.region,
                facts_digest,
            }
        })
        .collect();
    Screening {
        policy: policy.id.clone(),
        policy_version: policy.version.clone(),
        policy_hash,
        inputs_digest: crate::rules::hex_digest(&digest.finalize()),
        entries,
    }
}
