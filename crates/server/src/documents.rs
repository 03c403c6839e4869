//! Printable A4 documents: the one-time notice (一次性告知书), acceptance receipt
//! (受理通知书), refusal notice (不予受理通知书) and decision (决定书). The event records
//! each document's content hash; this renders the same facts as HTML.

use yichuang_domain::case::{APPEAL_ROUTES, Case, CaseEvent, DocumentKind, EventBody};

pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
pub fn render(case: &Case, event: &CaseEvent) -> Option<String> {
    let document = event.documents.first()?;
    let guide = &case.guide.guide;
    let (title, body) = match (&document.kind, &event.body) {
        (DocumentKind::OneTimeNotice, EventBody::NoticeIssued { missing, .. }) => {
            let items: String = material_names(case, missing)
                .iter()
                .map(|m| format!("<li>{}</li>", escape(m)))
                .collect();
            (
                "一次性告知书",
                format!(
                    "<p>您申请办理的“{}”尚缺以下材料，请一次性补齐后再次提交：</p><ol>{items}</ol><p>补齐后我们将在规定时限内受理。</p>",
                    escape(&guide.name)
                ),
            )
        }
        (
            DocumentKind::AcceptanceReceipt,
            EventBody::Accepted {
                statutory,
                promised,
                provisional,
                commitments,
            },
        ) => {
            let mut text = format!(
                "<p>您申请办理的“{}”已于 {} 受理。</p>",
                escape(&guide.name),
                event.on
            );
            if let Some(p) = promised {
                text.push_str(&format!(
                    "<p>承诺办结期限：{}{}（承诺时限 {} {}）。</p>",
                    p.deadline,
                    provisional_mark(p),
                    p.amount,
                    p.unit.name_zh()
                ));
            }
            if let Some(s) = statutory {
                text.push_str(&format!(
                    "<p>法定办结期限：{}{}。</p>",
                    s.deadline,
                    provisional_mark(s)
                ));
            }
            if promised
                .iter()
                .chain(statutory.iter())
                .any(|c| c.provisional)
            {
                text.push_str(PROVISIONAL_NOTE);
            }
            if !provisional.is_empty() {
                let names = material_names(
                    case,
                    &provisional
                        .iter()
                        .map(|p| p.material.clone())
                        .collect::<Vec<_>>(),
                );
                text.push_str(&format!(
                    "<p>容缺受理：请于 {} 前补交 {}；逾期未补交的，终止办理。</p>",
                    provisional[0].supply_by,
                    escape(&names.join("、"))
                ));
            }
            if !commitments.is_empty() {
                text.push_str(&format!("<p>告知承诺：您已书面承诺 {} 真实有效，我们将核查；承诺不实的，撤销办理结果。</p>", escape(&material_names(case, commitments).join("、"))));
            }
            ("受理通知书", text)
        }
        (DocumentKind::RefusalNotice, EventBody::Refused { reason }) => (
            "不予受理通知书",
            format!(
                "<p>您申请办理的“{}”不予受理。理由：{}</p><p>{}</p>",
                escape(&guide.name),
                escape(reason),
                APPEAL_ROUTES
            ),
        ),
        (
            DocumentKind::Decision,
            EventBody::Decided {
                grant,
                reason,
                legal_basis,
                appeal,
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
            let mut text = format!(
                "<p>经审查，您申请办理的“{}”{}。</p><p>理由：{}</p><p>依据：{}</p>",
                escape(&guide.name),
                outcome,
                escape(reason),
                escape(&basis)
            );
            if let Some(appeal) = appeal {
                text.push_str(&format!("<p>{}</p>", escape(appeal)));
            }
            ("决定书", text)
        }
        (DocumentKind::Decision, EventBody::CompletedOnTheSpot { .. }) => (
            "办结通知",
            format!(
                "<p>您申请办理的“{}”已于 {} 当场办结。</p>",
                escape(&guide.name),
                event.on
            ),
        ),
        (DocumentKind::RevocationNotice, _) => (
            "撤销决定书",
            format!(
                "<p>因告知承诺内容不实，撤销“{}”的办理结果。</p><p>{}</p>",
                escape(&guide.name),
                APPEAL_ROUTES
            ),
        ),
        _ => return None,
    };
    let office = format!("{} 人力资源社会保障部门", case.handling_region.full_name());
    Some(format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>@page {{ size: A4; margin: 25mm 20mm; }} body {{ font-family: "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.8; max-width: 170mm; margin: auto; }}
h1 {{ text-align: center; font-size: 22pt; letter-spacing: .3em; }} .meta {{ font-size: 11pt; color: #333; }} .seal {{ text-align: right; margin-top: 3em; }}
.hash {{ font-size: 8pt; color: #666; word-break: break-all; }} @media print {{ .hash {{ color: #999; }} }}</style></head>
<body><main><h1>{title}</h1>
<p class="meta">办件编号：{case_id}<br>申请人：{applicant}<br>事项：{item}（{item_id}，指南版本 {version}）<br>日期：{on}</p>
{body}
<p class="seal">{office}<br>{on}</p>
<p class="hash">文书内容摘要 SHA-256：{hash}</p></main></body></html>"#,
        case_id = escape(&case.id),
        applicant = escape(&case.applicant.masked()),
        item = escape(&guide.name),
        item_id = escape(&guide.item),
        version = case.guide.version,
        on = event.on,
        office = escape(&office),
        hash = document.content_hash,
    ))
}

/// Said of a date counted on a provisional calendar.
fn provisional_mark(clock: &yichuang_domain::case::Clock) -> &'static str {
    if clock.provisional {
        "（暂定）"
    } else {
        ""
    }
}

const PROVISIONAL_NOTE: &str = "<p>注：标注“暂定”的期限所在年度的节假日安排尚未公布，暂按《全国年节及纪念日放假办法》规定的法定节假日计算（不含调休）；正式安排公布后将重新计算并告知。</p>";
