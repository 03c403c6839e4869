//! The workbench's escalation counts are counted in the store over the whole reach;
//! they must equal the lists' own rule (`overdue_on`) applied to every listed row, on
//! any day and for any reach, the whole country's included.

use yichuang_domain::complaint::{Complainant, ComplaintChannel, ComplaintCommandKind, Target};
use yichuang_domain::hall::TicketStatus;

use super::World;

pub async fn the_overdue_counts_equal_the_lists_rule(w: &World) {
    let store = w.engine.store();
    // One complaint left open (the suite's others are answered and closed).
    let day = w.engine.today();
    let hall = "hall-conformance";
    let finished = w.engine.hall_day(hall, day).await.unwrap();
    let finished = finished
        .tickets
        .iter()
        .find(|t| t.status == TicketStatus::Finished)
        .expect("the hall tests finished a ticket");
    let file = ComplaintCommandKind::File {
        target: Target::Ticket {
            hall: hall.to_owned(),
            day,
            number: finished.number.clone(),
        },
        channel: ComplaintChannel::Online,
        complainant: Complainant {
            party: None,
            name: String::new(),
            phone: String::new(),
        },
        text: "等候时间过长".to_owned(),
    };
    w.engine
        .execute_complaint(
            &w.request_id(),
            "TS-C9",
            file,
            "online:11010519491231002X",
            None,
        )
        .await
        .unwrap();
    let days = [
        w.engine.today(),
        jiff::civil::date(2026, 1, 1),
        jiff::civil::date(2031, 1, 1),
    ];
    let mut some_overdue = false;
    for prefix in ["", "33", "3302", "330211", "45", "11"] {
        let follow_ups = store.follow_ups(prefix, true, 100_000).await.unwrap();
        let complaints = store.complaints(prefix, true, 100_000).await.unwrap();
        for day in days {
            let listed = follow_ups.iter().filter(|r| r.overdue_on(day)).count();
            let counted = store.overdue_follow_ups(prefix, day).await.unwrap();
            assert_eq!(
                counted, listed as i64,
                "follow-ups under {prefix:?} on {day}"
            );
            some_overdue |= counted > 0;
            let listed = complaints.iter().filter(|r| r.overdue_on(day)).count();
            let counted = store.overdue_complaints(prefix, day).await.unwrap();
            assert_eq!(
                counted, listed as i64,
                "complaints under {prefix:?} on {day}"
            );
            some_overdue |= counted > 0;
        }
    }
    assert!(
        some_overdue,
        "the suite left something open: by 2031 it is late"
    );
}
