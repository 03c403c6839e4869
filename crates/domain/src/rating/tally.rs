//! What each rating event adds to the published figures (51号: 评价结果及整改情况向社会
//! 公开), by region, hall, window, item and clerk, in the month of the rating. Kept as
//! running totals as events are committed, so the figures over millions of ratings
//! are a read of a few rows.

use super::file::{RatingEvent, RatingEventBody, RatingFile};

/// One amount to add to one total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub key: String,
    pub name: &'static str,
    pub delta: i64,
}

/// `ratings|<dimension>|<YYYY-MM>|<value>`: the month, then the value (a region's code
/// first), so a province's totals for a month are every key starting with
/// `ratings|region|<month>|` and its two digits: one range of the index.
pub fn tally_key(dimension: &str, value: &str, month: &str) -> String {
    format!("ratings|{dimension}|{month}|{value}")
}

/// What `event` adds, given the file before it.
pub fn tally(before: &RatingFile, event: &RatingEvent) -> Vec<Tally> {
    let china = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let (stage, names): (_, Vec<&'static str>) = match &event.body {
        RatingEventBody::Rated { rating, .. } => {
            let mut names = vec!["rated", rating.level.name()];
            if rating.level.is_poor() {
                names.push("poor");
            }
            if matches!(rating.rater, super::file::Rater::Default { .. }) {
                names.push("defaulted");
            }
            (rating.stage, names)
        }
        RatingEventBody::FollowUpClosed { stage, on_time, .. } => {
            let mut names = vec!["closed"];
            if *on_time {
                names.push("closed_on_time");
            }
            (*stage, names)
        }
        RatingEventBody::AppealDecided {
            stage,
            upheld: true,
            ..
        } => {
            let poor = before.rating(*stage).is_some_and(|r| r.level.is_poor());
            (
                *stage,
                if poor {
                    vec!["excluded", "excluded_poor"]
                } else {
                    vec!["excluded"]
                },
            )
        }
        _ => return Vec::new(),
    };
    let (service, rated_at) = match &event.body {
        RatingEventBody::Rated {
            service, rating, ..
        } => (service.as_ref(), rating.at),
        _ => match (&before.service, before.rating(stage)) {
            (Some(service), Some(rating)) => (service, rating.at),
            _ => return Vec::new(),
        },
    };
    let rated_on = rated_at.to_zoned(china).date();
    let month = rated_on.strftime("%Y-%m").to_string();
    let mut keys = vec![tally_key("region", &service.region, &month)];
    if let Some(hall) = &service.hall {
        keys.push(tally_key("hall", hall, &month));
        if let Some(window) = service.window {
            keys.push(tally_key("window", &format!("{hall}#{window}"), &month));
        }
    }
    if let Some(item) = &service.item {
        keys.push(tally_key("item", item, &month));
        // By region and item: the region's code first, so a region's items are one
        // prefix read.
        keys.push(tally_key(
            "area_item",
            &format!("{}|{item}", service.region),
            &month,
        ));
    }
    if let Some(clerk) = &service.served_by {
        keys.push(tally_key("clerk", clerk, &month));
    }
    // Who served at a window: its stars weigh those clerks' on-time cases.
    let mut extra = Vec::new();
    if let (RatingEventBody::Rated { .. }, Some(hall), Some(window), Some(clerk)) = (
        &event.body,
        &service.hall,
        service.window,
        &service.served_by,
    ) {
        extra.push(Tally {
            key: tally_key("window_clerk", &format!("{hall}#{window}|{clerk}"), &month),
            name: "rated",
            delta: 1,
        });
    }
    let tallies = keys
        .iter()
        .flat_map(|key| {
            names.iter().map(move |name| Tally {
                key: key.clone(),
                name,
                delta: 1,
            })
        })
        .chain(extra)
        .collect();
    crate::roll_up::with_days(tallies, rated_on)
}
