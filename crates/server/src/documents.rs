//! Printable A4 documents: the one-time notice (一次性告知书), acceptance receipt
//! (受理通知书), refusal notice (不予受理通知书) and decision (决定书). The event records
//! each document's content hash; this renders the same facts as HTML.

use askama::Template;
use yichuang_domain::case::{APPEAL_ROUTES, Case, CaseEvent, DocumentKind, EventBody};

/// A piece of a document's body: a paragraph or a numbered list.
pub(crate) enum Block {
    Text(String),
    List(Vec<String>),
}

#[derive(Template)]
#[template(path = "documents/document.html")]
struct DocumentPage {
    title: &'static str,
    case_id: String,
    applicant: String,
    item: String,
    item_id: String,
    version: u32,
    on: jiff::civil::Date,
    office: String,
    hash: String,
    blocks: Vec<Block>,
}

fn material_names(case: &Case, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| {
            case.guide
                .guide
                .materials
                .iter()
                .find(|m| &m.id == id)
                .map_or_else(|| id.clone(), |m| m.name.clone())
        })
        .collect()
}

/// The HTML of the document an event issued, if it issued one.
/// `number` is the case's human-readable number, printed in place of its internal id.
pub fn render(case: &Case, event: &CaseEvent, number: Option<&str>) -> Option<String> {
    let document = event.documents.first()?;
    let guide = &case.guide.guide;
    let name = &guide.name;
    let (title, blocks) = match (&document.kind, &event.body) {
        (DocumentKind::OneTimeNotice, EventBody::NoticeIssued { missing, .. }) => (
            "一次性告知书",
            vec![
                Block::Text(format!(
                    "您申请办理的“{name}”尚缺以下材料，请一次性补齐后再次提交："
                )),
                Block::List(material_names(case, missing)),
                Block::Text("补齐后我们将在规定时限内受理。".to_owned()),
            ],
        ),
        (
            DocumentKind::AcceptanceReceipt,
            EventBody::Accepted {
                statutory,
                promised,
                provisional,
                commitments,
            },
        ) => {
            let mut blocks = vec![Block::Text(format!(
                "您申请办理的“{name}”已于 {} 受理。",
                event.on
            ))];
            if let Some(p) = promised {
                blocks.push(Block::Text(format!(
                    "承诺办结期限：{}{}（承诺时限 {} {}）。",
                    p.deadline,
                    provisional_mark(p),
                    p.amount,
                    p.unit.name_zh()
                )));
            }
            if let Some(s) = statutory {
                blocks.push(Block::Text(format!(
                    "法定办结期限：{}{}。",
                    s.deadline,
                    provisional_mark(s)
                )));
            }
            if promised
                .iter()
                .chain(statutory.iter())
                .any(|c| c.provisional)
            {
                blocks.push(Block::Text(PROVISIONAL_NOTE.to_owned()));
            }
            if let Some(first) = provisional.first() {
                let ids: Vec<String> = provisional.iter().map(|p| p.material.clone()).collect();
                blocks.push(Block::Text(format!(
                    "容缺受理：请于 {} 前补交 {}；逾期未补交的，终止办理。",
                    first.supply_by,
                    material_names(case, &ids).join("、")
                )));
            }
            if !commitments.is_empty() {
                blocks.push(Block::Text(format!(
                    "告知承诺：您已书面承诺 {} 真实有效，我们将核查；承诺不实的，撤销办理结果。",
                    material_names(case, commitments).join("、")
                )));
            }
            ("受理通知书", blocks)
        }
        (DocumentKind::RefusalNotice, EventBody::Refused { reason }) => (
            "不予受理通知书",
            vec![
                Block::Text(format!("您申请办理的“{name}”不予受理。理由：{reason}")),
                Block::Text(APPEAL_ROUTES.to_owned()),
            ],
        ),
        (
            DocumentKind::Decision,
            EventBody::Decided {
                grant,
                reason,
                legal_basis,
                appeal,
                rule,
            },
        ) => {
            let outcome = if *grant { "准予" } else { "不予准许" };
            let basis = if legal_basis.is_empty() {
                guide
                    .basis
                    .iter()
                    .map(|b| b.0.clone())
                    .collect::<Vec<_>>()
                    .join("；")
            } else {
                legal_basis.join("；")
            };
            let mut blocks = vec![
                Block::Text(format!("经审查，您申请办理的“{name}”{outcome}。")),
                Block::Text(format!("理由：{reason}")),
                Block::Text(format!("依据：{basis}")),
            ];
            if let Some(rule) = rule {
                blocks.extend(rule_blocks(rule));
            }
            if let Some(appeal) = appeal {
                blocks.push(Block::Text(appeal.clone()));
            }
            ("决定书", blocks)
        }
        (DocumentKind::Decision, EventBody::CompletedOnTheSpot { .. }) => (
            "办结通知",
            vec![Block::Text(format!(
                "您申请办理的“{name}”已于 {} 当场办结。",
                event.on
            ))],
        ),
        (DocumentKind::RevocationNotice, _) => (
            "撤销决定书",
            vec![
                Block::Text(format!("因告知承诺内容不实，撤销“{name}”的办理结果。")),
                Block::Text(APPEAL_ROUTES.to_owned()),
            ],
        ),
        _ => return None,
    };
    let page = DocumentPage {
        title,
        case_id: number.map_or_else(|| case.id.clone(), str::to_owned),
        applicant: case.applicant.masked(),
        item: guide.name.clone(),
        item_id: guide.item.clone(),
        version: case.guide.version,
        on: event.on,
        office: format!("{} 人力资源社会保障部门", case.handling_region.full_name()),
        hash: document.content_hash.clone(),
        blocks,
    };
    match page.render() {
        Ok(html) => Some(html),
        Err(e) => {
            tracing::error!(error = %e, "a document failed to render");
            None
        }
    }
}

/// Said of a date counted on a provisional calendar.
fn provisional_mark(clock: &yichuang_domain::case::Clock) -> &'static str {
    if clock.provisional {
        "（暂定）"
    } else {
        ""
    }
}

const PROVISIONAL_NOTE: &str = "注：标注“暂定”的期限所在年度的节假日安排尚未公布，暂按《全国年节及纪念日放假办法》规定的法定节假日计算（不含调休）；正式安排公布后将重新计算并告知。";

/// How a rule decided, in words: which rule, on which facts, and every condition with
/// the values it read, so the applicant can see what to correct if a record is wrong.
fn rule_blocks(rule: &yichuang_domain::case::RuleTrace) -> Vec<Block> {
    let short = |hash: &str| hash.chars().take(12).collect::<String>();
    let mut blocks = vec![Block::Text(format!(
        "本决定依据规则“{}”（版本 {}，规则摘要 {}）按登记数据自动作出，所读数据摘要 {}。对结果有疑问的，可以申请人工复核。",
        rule.policy,
        rule.version,
        short(&rule.rule_hash),
        short(&rule.facts_digest)
    ))];
    for reason in &rule.reasons {
        let values: Vec<String> = reason
            .values
            .iter()
            .map(|(name, value)| format!("{name} = {value}"))
            .collect();
        blocks.push(Block::Text(format!(
            "{}：{}（{}）",
            reason.label,
            if reason.held { "符合" } else { "不符合" },
            values.join("，")
        )));
    }
    blocks
}
