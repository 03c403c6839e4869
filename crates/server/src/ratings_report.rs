//! What is published of ratings for a region and month (51号: 评价结果及整改情况向社会
//! 公开): the region's figures, its next level down, its halls and its items, read
//! from the running totals the engine keeps as ratings arrive. Never a person, never
//! a clerk: the clerk totals are kept for the star windows, not shown here.

use std::collections::BTreeMap;

use jiff::civil::Date;
use yichuang_domain::RegionCode;
use yichuang_domain::rating::RatingFigures;
use yichuang_store::StoreError;

use crate::state::AppState;

/// One line of a breakdown: its code (region, hall or item), its name and figures.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub code: String,
    pub name: String,
    pub figures: RatingFigures,
}

#[derive(Debug, Clone)]
pub(crate) struct Published {
    /// None: the whole country.
    pub region: Option<RegionCode>,
    /// `YYYY-MM`.
    pub month: String,
    pub figures: RatingFigures,
    /// The next level down (provinces of the country, cities of a province, …).
    pub areas: Vec<Line>,
    pub halls: Vec<Line>,
    pub items: Vec<Line>,
}

/// `YYYY-MM` if it is a month (from 2000 on, not after this month).
pub(crate) fn parse_month(text: &str, today: Date) -> Option<String> {
    let first = Date::strptime("%Y-%m-%d", format!("{}-01", text.trim())).ok()?;
    (first.year() >= 2000 && first <= today).then(|| first.strftime("%Y-%m").to_string())
}

/// The counters of `dimension` for `month` whose value starts with `start`, as (the
/// whole value, name, value).
async fn read(
    state: &AppState,
    dimension: &str,
    month: &str,
    start: &str,
) -> Result<Vec<(String, String, i64)>, StoreError> {
    let head = format!("ratings|{dimension}|{month}|");
    Ok(state
        .store
        .counters(&format!("{head}{start}"))
        .await?
        .into_iter()
        .filter_map(|c| Some((c.key.strip_prefix(&head)?.to_owned(), c.name, c.value)))
        .collect())
}

/// The next level down from `region` that `county` lies in.
pub(crate) fn area_of(region: Option<RegionCode>, county: RegionCode) -> Option<RegionCode> {
    match region {
        None => Some(county.province()),
        Some(region) => county
            .ancestors()
            .into_iter()
            .chain(std::iter::once(county))
            .find(|a| a.parent() == Some(region)),
    }
}

pub(crate) async fn published(
    state: &AppState,
    region: Option<RegionCode>,
    month: &str,
) -> Result<Published, StoreError> {
    let prefix = region.map(|r| r.subtree_prefix()).unwrap_or_default();
    let keys = crate::figures_report::line_keys(region, false);
    let mut figures = RatingFigures::default();
    let mut areas: BTreeMap<RegionCode, RatingFigures> = BTreeMap::new();
    for (county, name, value) in read(state, keys.areas.0, month, &keys.areas.1).await? {
        figures.add(&name, value);
        let area = RegionCode::parse(&county)
            .ok()
            .and_then(|c| area_of(region, c));
        if let Some(area) = area {
            areas.entry(area).or_default().add(&name, value);
        }
    }
    let halls_in_region = state.store.halls(&prefix).await?;
    let mut halls: BTreeMap<String, RatingFigures> = BTreeMap::new();
    for (hall, name, value) in read(state, "hall", month, "").await? {
        if halls_in_region.iter().any(|h| h.id == hall) {
            halls.entry(hall).or_default().add(&name, value);
        }
    }
    // One range of keys each, for the country and a province from their own totals.
    let mut items: BTreeMap<String, RatingFigures> = BTreeMap::new();
    let (by_item, start) = keys.items.unwrap_or(("area_item", prefix.clone()));
    for (value, name, n) in read(state, by_item, month, &start).await? {
        let item = crate::figures_report::item_of(&value);
        items.entry(item.to_owned()).or_default().add(&name, n);
    }
    let today = state.engine.today();
    let item_name = |id: &str| {
        state
            .catalog
            .catalog
            .guide_at(id, today)
            .map_or_else(|_| id.to_owned(), |g| g.name.clone())
    };
    Ok(Published {
        region,
        month: month.to_owned(),
        figures,
        areas: areas
            .into_iter()
            .map(|(code, figures)| Line {
                code: code.to_string(),
                name: code.name().to_owned(),
                figures,
            })
            .collect(),
        halls: halls
            .into_iter()
            .map(|(id, figures)| Line {
                name: halls_in_region
                    .iter()
                    .find(|h| h.id == id)
                    .map_or_else(|| id.clone(), |h| h.name.clone()),
                code: id,
                figures,
            })
            .collect(),
        items: items
            .into_iter()
            .map(|(id, figures)| Line {
                name: item_name(&id),
                code: id,
                figures,
            })
            .collect(),
    })
}

/// The figures as CSV: one line for the region, then each breakdown's lines.
pub(crate) fn csv(published: &Published) -> String {
    let mut out = String::from(
        "part,code,name,rated,very_satisfied,satisfied,basic,dissatisfied,very_dissatisfied,poor,excluded,defaulted,satisfaction_rate,follow_up_rate,timely_rate\n",
    );
    let rate = |r: Option<f64>| r.map(|r| format!("{r:.4}")).unwrap_or_default();
    let quote = |text: &str| {
        if text.contains([',', '"', '\n']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    };
    let mut line = |part: &str, code: &str, name: &str, f: &RatingFigures| {
        out.push_str(&format!(
            "{part},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            quote(code),
            quote(name),
            f.rated,
            f.very_satisfied,
            f.satisfied,
            f.basic,
            f.dissatisfied,
            f.very_dissatisfied,
            f.poor,
            f.excluded,
            f.defaulted,
            rate(f.satisfaction_rate()),
            rate(f.follow_up_rate()),
            rate(f.timely_rate()),
        ));
    };
    let (code, name) = published.region.map_or_else(
        || (String::new(), "全国".to_owned()),
        |r| (r.to_string(), r.full_name()),
    );
    line("region", &code, &name, &published.figures);
    for (part, lines) in [
        ("area", &published.areas),
        ("hall", &published.halls),
        ("item", &published.items),
    ] {
        for l in lines {
            line(part, &l.code, &l.name, &l.figures);
        }
    }
    out
}

/// Each `dimension` value's figures for `month` whose value starts with `start` (a
/// hall's windows: `window` and `<hall>#`; every clerk: `clerk` and `""`).
pub(crate) async fn figures_by(
    state: &AppState,
    dimension: &str,
    month: &str,
    start: &str,
) -> Result<BTreeMap<String, RatingFigures>, StoreError> {
    let mut by: BTreeMap<String, RatingFigures> = BTreeMap::new();
    for (value, name, count) in read(state, dimension, month, start).await? {
        by.entry(value).or_default().add(&name, count);
    }
    Ok(by)
}
