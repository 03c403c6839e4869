//! The equalization indices against hand-computed examples, and their properties: zero
//! for equal values, unchanged by scaling, the Theil split adds up to the whole.

#![allow(clippy::unwrap_used, clippy::expect_used)]
use proptest::prelude::*;
use yichuang_domain::equalization::{EqualizationError, Observation, indices};

fn regions(values: &[f64]) -> Vec<Observation> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| Observation {
            region: format!("r{i}"),
            value: *v,
            population: None,
            group: None,
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn one_two_three_four_by_hand() {
    let r = indices(&regions(&[1.0, 2.0, 3.0, 4.0])).unwrap();
    assert_eq!(r.n, 4);
    assert!(close(r.mean, 2.5));
    // σ = √1.25.
    assert!(close(r.cv, 1.25f64.sqrt() / 2.5), "{}", r.cv);
    // Σ|xi − xj| over ordered pairs is 20; 20 / (2 · 16 · 2.5).
    assert!(close(r.gini, 0.25), "{}", r.gini);
    // (0.4 ln 0.4 + 0.8 ln 0.8 + 1.2 ln 1.2 + 1.6 ln 1.6) / 4.
    assert!(close(r.theil_t, 0.106_440_3), "{}", r.theil_t);
    // (ln 2.5 + ln 1.25 + ln(2.5/3) + ln(2.5/4)) / 4.
    assert!(close(r.theil_l, 0.121_777_3), "{}", r.theil_l);
    assert_eq!(r.cv_weighted, None);
    assert_eq!(r.decomposition, None);
}

#[test]
fn population_weights_and_groups() {
    let mut obs = regions(&[1.0, 3.0]);
    obs[0].population = Some(1000.0);
    obs[1].population = Some(3000.0);
    let r = indices(&obs).unwrap();
    // μ_w = 2.5; variance .25 · 2.25 + .75 · .25 = .75.
    assert!(close(r.cv_weighted.unwrap(), 0.75f64.sqrt() / 2.5));

    let mut grouped = regions(&[1.0, 2.0, 3.0, 4.0]);
    for (o, g) in grouped.iter_mut().zip(["东", "东", "西", "西"]) {
        o.group = Some(g.to_owned());
    }
    let r = indices(&grouped).unwrap();
    let d = r.decomposition.unwrap();
    assert!(close(d.theil_t_between + d.theil_t_within, r.theil_t));
    assert!(close(d.theil_l_between + d.theil_l_within, r.theil_l));
    // Between: group means 1.5 and 3.5 against 2.5, each half the regions.
    assert!(close(
        d.theil_l_between,
        0.5 * (2.5f64 / 1.5).ln() + 0.5 * (2.5f64 / 3.5).ln()
    ));
}

#[test]
fn bad_figures_are_refused_with_their_place() {
    assert_eq!(indices(&[]), Err(EqualizationError::Empty));
    match indices(&regions(&[1.0, 0.0, 2.0])) {
        Err(EqualizationError::NotPositive { index: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
    match indices(&regions(&[1.0, -3.0])) {
        Err(EqualizationError::NotPositive { index: 1, .. }) => {}
        other => panic!("{other:?}"),
    }
    let mut some = regions(&[1.0, 2.0]);
    some[1].population = Some(10.0);
    assert!(matches!(
        indices(&some),
        Err(EqualizationError::SomePopulations { index: 1, .. })
    ));
    some[0].population = Some(0.0);
    assert!(matches!(
        indices(&some),
        Err(EqualizationError::BadPopulation { index: 0, .. })
    ));
}

fn values() -> impl Strategy<Value = Vec<f64>> {
    proptest::collection::vec(0.01f64..1000.0, 1..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn equal_values_are_perfectly_even(v in 0.01f64..1e6, n in 1usize..30) {
        let r = indices(&regions(&vec![v; n])).unwrap();
        prop_assert!(r.cv.abs() < 1e-9 && r.gini.abs() < 1e-9);
        prop_assert!(r.theil_t.abs() < 1e-9 && r.theil_l.abs() < 1e-9);
    }

    #[test]
    fn scaling_changes_nothing(xs in values(), c in 0.001f64..1000.0) {
        let a = indices(&regions(&xs)).unwrap();
        let scaled: Vec<f64> = xs.iter().map(|x| x * c).collect();
        let b = indices(&regions(&scaled)).unwrap();
        for (x, y) in [(a.cv, b.cv), (a.gini, b.gini), (a.theil_t, b.theil_t), (a.theil_l, b.theil_l)] {
            prop_assert!((x - y).abs() < 1e-7, "{x} vs {y}");
        }
    }

    #[test]
    fn indices_stay_in_range_and_the_split_adds_up(
        xs in values(),
        groups in proptest::collection::vec(0usize..4, 40),
    ) {
        let mut obs = regions(&xs);
        for (o, g) in obs.iter_mut().zip(&groups) {
            o.group = Some(format!("g{g}"));
        }
        let r = indices(&obs).unwrap();
        prop_assert!(r.gini >= -1e-12 && r.gini < 1.0);
        prop_assert!(r.theil_t >= -1e-12 && r.theil_l >= -1e-12);
        prop_assert!(r.theil_t <= (xs.len() as f64).ln() + 1e-9);
        let d = r.decomposition.unwrap();
        prop_assert!((d.theil_t_between + d.theil_t_within - r.theil_t).abs() < 1e-9);
        prop_assert!((d.theil_l_between + d.theil_l_within - r.theil_l).abs() < 1e-9);
        prop_assert!(d.theil_t_within >= -1e-12 && d.theil_l_within >= -1e-12);
    }

    #[test]
    fn gini_equals_the_pairwise_definition(xs in values()) {
        let r = indices(&regions(&xs)).unwrap();
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let pairs: f64 = xs.iter().flat_map(|a| xs.iter().map(move |b| (a - b).abs())).sum();
        prop_assert!((r.gini - pairs / (2.0 * n * n * mean)).abs() < 1e-9);
    }
}
