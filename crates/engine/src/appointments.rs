//! A day's bookings through the engine, like a hall's day: one stream per hall and day
//! (`appointments/<hall>/<date>`), decided by `hall::decide_appointment` against the
//! hall's schedule and the legal calendar.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use yichuang_domain::hall::{
    AppointmentCommand, AppointmentContext, AppointmentDay, AppointmentEvent, Booking,
    decide_appointment,
};

use yichuang_domain::calendar::Calendar;
use yichuang_domain::case::{AppointmentNote, Message};
use yichuang_domain::hall::{reminder_changes, reminder_due, reminder_key};
use yichuang_store::{ScheduledMessage, StoreError};

use crate::streams::{Working, record, working};
use crate::writer::Writer;
use crate::{EngineError, Job};

crate::streams::day_stream!(AppointmentDay, AppointmentEvent, "appointment_day");

/// The answer to a booking command, stored for retries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppointmentResponse {
    pub hall: String,
    pub day: Date,
    pub version: u64,
    pub event: String,
    pub booking: Option<Booking>,
}

impl Writer {
    pub(crate) async fn run_appointment_job(
        &mut self,
        job: &Job,
        hall: &str,
        day: Date,
        command: &AppointmentCommand,
        days: &mut HashMap<String, Working<AppointmentDay>>,
        order: &mut Vec<String>,
    ) -> Result<AppointmentResponse, EngineError> {
        let at = (self.config.clock)();
        let config = self.hall_config(hall).await?;
        let working_day = self
            .calendar
            .is_working_day(day, Some(config.region))
            .map_err(|e| EngineError::Case(e.into()))?;
        let w = working(
            &self.store,
            &mut self.booking_cache,
            days,
            order,
            &job.case_id,
            || AppointmentDay::new(hall, day),
        )
        .await?;
        let catalog = self.catalog.clone();
        let item_exists = move |item: &str| !catalog.versions(item).is_empty();
        let ctx = AppointmentContext {
            at,
            today: crate::china_date(at),
            schedule: &config.schedule,
            working_day,
            item_exists: &item_exists,
        };
        let event = decide_appointment(&w.state, command, &ctx)?;
        let (remind, withdrawn) = reminder_changes(hall, day, &event.body);
        for key in withdrawn {
            w.withdraw(key);
        }
        if let Some(booking) = remind {
            let day_before = working_day_before(&self.calendar, day, config.region)?;
            if let Some(due) = reminder_due(day, day_before, at) {
                let item = self
                    .catalog
                    .guide_at(&booking.item, day)
                    .map_or_else(|_| booking.item.clone(), |g| g.name.clone());
                let message = Message::reminder(AppointmentNote {
                    hall: config.name.clone(),
                    item,
                    day,
                    slot: booking.slot.strftime("%H:%M").to_string(),
                    code: booking.code.clone(),
                });
                w.messages.push(ScheduledMessage {
                    key: reminder_key(hall, day, &booking.code),
                    recipient: booking.person.clone(),
                    kind: message.kind.name().to_owned(),
                    message: serde_json::to_string(&message)
                        .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))?,
                    due: due.to_string(),
                });
            }
        }
        let (name, code) = (event.body.name(), event.body.code().to_owned());
        record(w, job, &event, |state: &AppointmentDay| {
            AppointmentResponse {
                hall: hall.to_owned(),
                day,
                version: state.version,
                event: name.to_owned(),
                booking: state.booking(&code).cloned(),
            }
        })
    }
}

/// The working day before `day` in `region` (a booking is at most weeks ahead, and no
/// holiday run is longer than a few weeks, so the walk back is short).
fn working_day_before(
    calendar: &Calendar,
    day: Date,
    region: yichuang_domain::RegionCode,
) -> Result<Date, EngineError> {
    let mut before = day;
    for _ in 0..60 {
        before = before
            .yesterday()
            .map_err(|e| EngineError::Store(StoreError::Corrupt(e.to_string())))?;
        if calendar
            .is_working_day(before, Some(region))
            .map_err(|e| EngineError::Case(e.into()))?
        {
            return Ok(before);
        }
    }
    Ok(before)
}
