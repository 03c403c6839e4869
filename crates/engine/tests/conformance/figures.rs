//! The supervision figures' running totals on both backends: after every case the
//! suite ran (submissions, notices, acceptances, completions on time and late, on
//! the spot, across both writers and a restart), the stored totals equal a recount
//! from the events; and the overdue count by county agrees with the warning list.

use super::World;

pub async fn the_case_totals_equal_a_recount_from_the_events(w: &World) {
    let recount = w.engine.recount_case_totals().await.unwrap();
    let mut stored = std::collections::BTreeMap::new();
    for c in w.engine.store().counters("cases|").await.unwrap() {
        if c.value != 0 {
            stored.insert((c.key, c.name), c.value);
        }
    }
    assert!(
        recount.keys().any(|(_, name)| name == "completed"),
        "the suite completed cases"
    );
    assert!(recount.keys().any(|(_, name)| name == "notices"));
    let first_difference = recount
        .iter()
        .find(|(k, v)| stored.get(*k) != Some(*v))
        .map(|(k, v)| format!("{k:?}: recount {v}, stored {:?}", stored.get(k)))
        .or_else(|| {
            stored
                .iter()
                .find(|(k, _)| !recount.contains_key(*k))
                .map(|(k, v)| format!("{k:?}: stored {v}, not in the recount"))
        });
    assert_eq!(first_difference, None);
    // A county's month: submissions are at least completions.
    let submitted: i64 = recount
        .iter()
        .filter(|((key, name), _)| key.starts_with("cases|region|") && name == "submitted")
        .map(|(_, v)| v)
        .sum();
    let completed: i64 = recount
        .iter()
        .filter(|((key, name), _)| key.starts_with("cases|region|") && name == "completed")
        .map(|(_, v)| v)
        .sum();
    assert!(
        submitted >= completed && completed > 0,
        "{submitted} {completed}"
    );
    // Overdue now, by county, adds up to the warning list's red count on any day.
    for day in [w.engine.today(), jiff::civil::date(2031, 1, 1)] {
        let (_, _, red) = w.engine.store().warning_counts(day).await.unwrap();
        let by_county: i64 = w
            .engine
            .store()
            .overdue_by_county("", day)
            .await
            .unwrap()
            .iter()
            .map(|(_, n)| n)
            .sum();
        assert_eq!(u64::try_from(by_county).unwrap(), red, "on {day}");
    }
    let (_, _, red_later) = w
        .engine
        .store()
        .warning_counts(jiff::civil::date(2031, 1, 1))
        .await
        .unwrap();
    assert!(red_later > 0, "some open case is late by 2031");
}

/// After every hall day the suite ran (calls, recalls, returns, a second writer), the
/// stored waits (`halls|…`) equal a recount from the hall days' events, and each first
/// call counted once.
pub async fn the_hall_waits_equal_a_recount_from_the_events(w: &World) {
    let recount = w.engine.recount_hall_totals().await.unwrap();
    let mut stored = std::collections::BTreeMap::new();
    for c in w.engine.store().counters("halls|").await.unwrap() {
        if c.value != 0 {
            stored.insert((c.key, c.name), c.value);
        }
    }
    let called: i64 = recount
        .iter()
        .filter(|((key, name), _)| key.starts_with("halls|region|") && name == "called")
        .map(|(_, v)| *v)
        .sum();
    assert!(called > 0, "the suite called tickets: {recount:?}");
    let bucketed: i64 = recount
        .iter()
        .filter(|((key, name), _)| {
            key.starts_with("halls|region|") && name.starts_with("wait_") && name != "wait_s_sum"
        })
        .map(|(_, v)| *v)
        .sum();
    assert_eq!(bucketed, called, "every first call is in one bucket");
    assert_eq!(stored, recount);
}

/// Totals that drifted from the events are named, and a rebuild puts the recount in
/// their place in one transaction; a total outside the families is refused whole.
pub async fn drifted_totals_are_named_and_rebuilt(w: &World) {
    let store = w.engine.store();
    assert_eq!(w.engine.totals_differences().await.unwrap().len(), 0);
    let existing = store
        .counters("cases|region|")
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.value > 0)
        .unwrap();
    let delta = |key: &str, name: &str, delta| yichuang_store::CounterDelta {
        key: key.to_owned(),
        name: name.to_owned(),
        delta,
    };
    store
        .add_to_counters(&[
            delta(&existing.key, &existing.name, 5),
            delta("cases|region_day|2020-01-01|330211", "submitted", 3),
        ])
        .await
        .unwrap();
    let differences = w.engine.totals_differences().await.unwrap();
    assert_eq!(
        differences.into_iter().collect::<Vec<_>>(),
        [
            (
                (
                    "cases|region_day|2020-01-01|330211".to_owned(),
                    "submitted".to_owned()
                ),
                (3, 0)
            ),
            (
                (existing.key.clone(), existing.name.clone()),
                (existing.value + 5, existing.value)
            ),
        ]
    );
    let refused = store
        .replace_counters(
            &yichuang_engine::TOTAL_FAMILIES,
            &[delta("queues|x", "n", 1)],
        )
        .await;
    assert!(refused.is_err());
    assert_eq!(w.engine.totals_differences().await.unwrap().len(), 2);
    let kept = w.engine.rebuild_totals().await.unwrap();
    assert_eq!(kept, w.engine.recount_totals().await.unwrap().len());
    assert_eq!(w.engine.totals_differences().await.unwrap().len(), 0);
}
