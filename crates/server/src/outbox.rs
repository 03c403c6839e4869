//! Delivering the outbox: every event an applicant should know about left a message
//! in the same transaction as the event; this sender posts each to the operator's SMS
//! gateway (a webhook), marks it sent on a 2xx answer, and otherwise tries again later
//! (10 s, doubling, at most an hour apart), so nothing is lost. A message can be posted
//! twice only if the process stops between the gateway's answer and the mark; the
//! `Idempotency-Key` header lets the gateway drop the second. Messages carry a signed,
//! expiring link to the case.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use jiff::{Timestamp, ToSpan};
use sha2::Sha256;
use yichuang_domain::case::{Message, MessageKind};
use yichuang_store::OutboxMessage;

use crate::state::AppState;
use crate::web::dates_written;

/// How messages leave and how their links are made.
#[derive(Debug, Clone)]
pub struct MessageOptions {
    /// The SMS gateway's webhook; without one, messages wait (and show in the inbox).
    pub webhook: Option<String>,
    /// The address people reach this server at, for links in messages.
    pub public_url: String,
    /// Signs the links in messages.
    pub link_key: Arc<Vec<u8>>,
    /// How long a link in a message opens the case.
    pub link_days: i64,
    /// The wait before the first retry of a failed delivery (doubling, at most an hour).
    pub first_retry: Duration,
}

impl Default for MessageOptions {
    fn default() -> MessageOptions {
        let key: Vec<u8> = (0..4)
            .flat_map(|_| uuid::Uuid::new_v4().into_bytes())
            .collect();
        MessageOptions {
            webhook: None,
            public_url: "http://127.0.0.1:8080".to_owned(),
            link_key: Arc::new(key),
            link_days: 30,
            first_retry: Duration::from_secs(10),
        }
    }
}

const BATCH: u32 = 50;
const POLL: Duration = Duration::from_secs(2);

fn signature(key: &[u8], case_id: &str, expires: i64) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(format!("{case_id}.{expires}").as_bytes());
    mac.finalize().into_bytes()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What opens the rating page of one hall visit: shown only at the window (its QR code
/// and pad), since ticket numbers are easy to guess.
pub(crate) fn visit_signature(options: &MessageOptions, visit: &str) -> String {
    signature(&options.link_key, &format!("visit/{visit}"), 0)
}

/// True when `given` is this server's signature of the visit (`hall/day/number`).
pub(crate) fn visit_signature_is_valid(options: &MessageOptions, visit: &str, given: &str) -> bool {
    use subtle::ConstantTimeEq;
    let expected = visit_signature(options, visit);
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// The path of a link that opens `case_id` until `expires` (Unix seconds).
pub(crate) fn link_path(options: &MessageOptions, case_id: &str, expires: i64) -> String {
    format!(
        "/m/{case_id}/{expires}/{}",
        signature(&options.link_key, case_id, expires)
    )
}

/// What a complaint's signed answer link signs: not a case id, so neither link opens
/// the other.
pub(crate) fn answer_link_subject(number: &str) -> String {
    format!("complaint/{number}")
}

/// The path of a link that opens a complaint's written answer until `expires`: for a
/// complainant known only by a phone number, who has no account to sign in with.
pub(crate) fn answer_link_path(options: &MessageOptions, number: &str, expires: i64) -> String {
    format!(
        "/r/{number}/{expires}/{}",
        signature(&options.link_key, &answer_link_subject(number), expires)
    )
}

/// True when the link was made by this server for this case and has not expired.
pub(crate) fn link_is_valid(
    options: &MessageOptions,
    case_id: &str,
    expires: i64,
    given: &str,
    now: Timestamp,
) -> bool {
    use subtle::ConstantTimeEq;
    let expected = signature(&options.link_key, case_id, expires);
    expires > now.as_second() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// The text of a message, in Chinese as sent by SMS; `by_phone` for a complainant
/// known only by a phone number (no account to judge the answer with).
pub(crate) fn text(
    message: &Message,
    item: &str,
    number: &str,
    link: &str,
    by_phone: bool,
) -> String {
    let date = |d: Option<jiff::civil::Date>| d.map(dates_written).unwrap_or_default();
    let provisional = if message.provisional {
        "（暂定）"
    } else {
        ""
    };
    let body = match message.kind {
        MessageKind::Received => format!("您申请的“{item}”已收到（办件编号 {number}）。"),
        MessageKind::OneTimeNotice => {
            format!("您申请的“{item}”（{number}）还缺材料，已一次性告知，请补齐后提交。")
        }
        MessageKind::Accepted => {
            let mut text = format!(
                "您申请的“{item}”（{number}）已受理，最迟{}{provisional}办结。",
                date(message.deadline)
            );
            if message.supply_by.is_some() {
                text.push_str(&format!("容缺材料请于{}前补交。", date(message.supply_by)));
            }
            text
        }
        MessageKind::Refused => {
            format!("您申请的“{item}”（{number}）不予受理，理由见不予受理通知书。")
        }
        MessageKind::Decided => match message.granted {
            Some(false) => format!(
                "您申请的“{item}”（{number}）已作出不予准许的决定，理由和救济途径见决定书。"
            ),
            _ => format!("您申请的“{item}”（{number}）已作出准予的决定。"),
        },
        MessageKind::Completed => {
            format!("您申请的“{item}”（{number}）已办结，请按约定方式领取结果。")
        }
        MessageKind::Withdrawn => format!("您申请的“{item}”（{number}）已撤回。"),
        MessageKind::Terminated => format!("您申请的“{item}”（{number}）已终止办理。"),
        MessageKind::Revoked => {
            format!("您申请的“{item}”（{number}）的办理结果已撤销，理由见撤销决定书。")
        }
        MessageKind::AppointmentReminder => match &message.appointment {
            Some(a) => format!(
                "您预约了{}{}在{}办理“{}”（预约码 {}）。请在预约时段前30分钟内到大厅签到取号；不能前来请取消预约。",
                dates_written(a.day),
                a.slot,
                a.hall,
                a.item,
                a.code
            ),
            None => format!("您预约的“{item}”（{number}）就在下一个工作日。"),
        },
        MessageKind::ComplaintAnswered if by_phone => {
            return format!(
                "【一窗】您的投诉（编号 {number}）已有书面答复，查看：{link} 。是否满意，请致电 12333 告诉我们，工作人员会为您记录。"
            );
        }
        MessageKind::ComplaintAnswered => {
            format!("您的投诉（编号 {number}）已有书面答复，请查看答复并告诉我们是否满意。")
        }
        MessageKind::ObjectionDecided => match &message.objection {
            Some(note) if note.upheld => {
                format!("您对{item}公示名单中“{number}”一条提出的异议经核实成立，该条不予发放。")
            }
            _ => format!(
                "您对{item}公示名单中“{number}”一条提出的异议经核实不成立，将按公示名单发放。"
            ),
        },
        MessageKind::DeadlineChanged => format!(
            "您申请的“{item}”（{number}）按正式放假安排重新计算期限，最迟{}{provisional}办结。",
            date(message.deadline)
        ),
    };
    format!("【一窗】{body}查看：{link}")
}

/// What the gateway receives for one message.
#[derive(Debug, serde::Serialize)]
struct Delivery<'a> {
    id: i64,
    to: &'a str,
    case: &'a str,
    number: &'a str,
    kind: &'static str,
    text: String,
    link: String,
}

/// Delivers due messages until the server stops.
pub(crate) async fn deliver(state: AppState) {
    let Some(webhook) = state.messages.webhook.clone() else {
        return;
    };
    let http = match openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
    {
        Ok(http) => http,
        Err(e) => {
            tracing::error!(error = %e, "the message sender could not start");
            return;
        }
    };
    let mut every = tokio::time::interval(POLL);
    loop {
        every.tick().await;
        let due = match state.store.due_messages(Timestamp::now(), BATCH).await {
            Ok(due) => due,
            Err(e) => {
                tracing::warn!(error = %e, "the outbox could not be read");
                continue;
            }
        };
        for message in due {
            send_one(&state, &http, &webhook, message).await;
        }
    }
}

/// What a message names its case by: the item and the human-readable number.
pub(crate) struct CaseLabel {
    pub item: String,
    pub number: String,
}

/// What a message names: its booking, or its case.
pub(crate) async fn label_of(state: &AppState, message: &OutboxMessage) -> CaseLabel {
    if let Some(number) = &message.message.complaint {
        return CaseLabel {
            item: "投诉".to_owned(),
            number: number.clone(),
        };
    }
    if let Some(note) = &message.message.objection {
        let policy = state
            .catalog
            .policy(&note.policy)
            .map_or_else(|| note.policy.clone(), |p| p.name.clone());
        return CaseLabel {
            item: format!("{}年度“{policy}”", note.year),
            number: note.line.clone(),
        };
    }
    match &message.message.appointment {
        Some(note) => CaseLabel {
            item: note.item.clone(),
            number: note.code.clone(),
        },
        None => label(state, &message.case_id).await,
    }
}

/// A case's human-readable number, or its id where it has none.
pub(crate) async fn case_number_or_id(state: &AppState, case_id: &str) -> String {
    state
        .store
        .case_number(case_id)
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| case_id.to_owned())
}

/// Reads a case's label (once per case: an inbox of many messages reuses it).
pub(crate) async fn label(state: &AppState, case_id: &str) -> CaseLabel {
    let number = case_number_or_id(state, case_id).await;
    let item = match state.engine.case(case_id).await {
        Ok(Some(case)) => case.guide.guide.name.clone(),
        _ => String::new(),
    };
    CaseLabel { item, number }
}

/// The full link and text of a message.
pub(crate) fn compose(
    options: &MessageOptions,
    message: &OutboxMessage,
    label: &CaseLabel,
) -> (String, String) {
    // Counted from when the message was written, so every try sends the same text.
    let written: Timestamp = message
        .created_at
        .parse()
        .unwrap_or_else(|_| Timestamp::now());
    let expires = written
        .checked_add((options.link_days * 24).hours())
        .unwrap_or(Timestamp::MAX)
        .as_second();
    // A booking's reminder opens "my appointments" (signed in), not a case.
    // A complaint's answer opens the complaint (signed in), or, for a complainant known
    // only by phone, the written answer by a signed link.
    let by_phone = message
        .recipient
        .starts_with(yichuang_engine::PHONE_RECIPIENT);
    let path = if let Some(number) = &message.message.complaint {
        if by_phone {
            answer_link_path(options, number, expires)
        } else {
            format!("/my/complaints/{number}")
        }
    } else if message.message.appointment.is_some() {
        "/my/appointments".to_owned()
    } else if let Some(note) = &message.message.objection {
        // The public notice shows the line's standing; nothing there is private.
        format!("/proactive/{}/{}", note.policy, note.year)
    } else {
        link_path(options, &message.case_id, expires)
    };
    let link = format!("{}{path}", options.public_url.trim_end_matches('/'));
    let text = text(
        &message.message,
        &label.item,
        &label.number,
        &link,
        by_phone,
    );
    (link, text)
}

async fn send_one(
    state: &AppState,
    http: &openidconnect::reqwest::Client,
    webhook: &str,
    message: OutboxMessage,
) {
    let label = label_of(state, &message).await;
    let (link, text) = compose(&state.messages, &message, &label);
    let delivery = Delivery {
        id: message.id,
        to: &message.recipient,
        case: &message.case_id,
        number: &label.number,
        kind: message.message.kind.name(),
        text,
        link,
    };
    let answer = http
        .post(webhook)
        .header(
            "Idempotency-Key",
            format!("yichuang-message-{}", message.id),
        )
        .json(&delivery)
        .send()
        .await;
    let outcome = match answer {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!("the gateway answered {}", r.status())),
        Err(e) => Err(format!("the gateway could not be reached: {e}")),
    };
    let now = Timestamp::now();
    let recorded = match outcome {
        Ok(()) => state.store.message_sent(message.id, now).await,
        Err(error) => {
            let first = i64::try_from(state.messages.first_retry.as_secs()).unwrap_or(10);
            let wait = first
                .saturating_mul(1i64 << message.attempts.min(9))
                .min(3600);
            tracing::info!(id = message.id, %error, wait, "a message will be tried again");
            let next = now.checked_add(wait.seconds()).unwrap_or(now);
            state.store.message_failed(message.id, &error, next).await
        }
    };
    if let Err(e) = recorded {
        tracing::warn!(error = %e, id = message.id, "a message's delivery could not be recorded");
    }
}
