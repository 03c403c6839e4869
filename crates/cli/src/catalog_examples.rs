//! `yichuang catalog test`: every policy rule's examples against their expected
//! outcomes, and `catalog schema --facts`: what a rule may read.

use serde_json::json;
use yichuang_catalog::LoadedCatalog;
use yichuang_domain::proactive::{ExampleOutcome, schema_named};

use crate::Outcome;
use crate::output::print_json;

pub(crate) fn run(loaded: &LoadedCatalog, json: bool) -> anyhow::Result<Outcome> {
    let outcomes: Vec<ExampleOutcome> = loaded
        .policies
        .iter()
        .flat_map(|policy| policy.run_examples())
        .collect();
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    if json {
        print_json(&json!({
            "examples": outcomes.len(),
            "failed": failed,
            "outcomes": outcomes,
        }))?;
    } else {
        for outcome in &outcomes {
            if outcome.passed {
                println!("ok    {}: {}", outcome.policy, outcome.example);
            } else {
                println!(
                    "FAIL  {}: {}: {}",
                    outcome.policy, outcome.example, outcome.message
                );
            }
        }
        println!(
            "{} example(s) in {} policies, {failed} failed",
            outcomes.len(),
            loaded.policies.len()
        );
    }
    Ok(if failed == 0 {
        Outcome::Done
    } else {
        Outcome::Invalid
    })
}

pub(crate) fn fact_schema(subject: &str) -> anyhow::Result<Outcome> {
    let Some(schema) = schema_named(subject) else {
        eprintln!("{subject:?} is not a subject policies can have");
        return Ok(Outcome::Invalid);
    };
    let fields: Vec<_> = schema
        .fields
        .iter()
        .map(|f| json!({ "name": f.name, "type": f.kind.name(), "meaning": f.meaning }))
        .collect();
    print_json(&json!({ "subject": schema.subject, "facts": fields }))?;
    Ok(Outcome::Done)
}
