//! A citizen on the public pages, through HTTP with a browser's cookie jar: sign in
//! (the demo sign-in), apply online with files, follow the case, hand in what a
//! one-time notice asked for, withdraw; and every bad form gets a clear answer and
//! changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use app::pages::{browser, hidden, staff_browser, text};
use app::{spawn_app, spawn_app_shaped, spawn_demo_app};
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::json;

const ITEM: &str = "unemployment-benefit-claim";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR a small picture";

/// Signs in as the demo person at `index` and chooses Zhenhai as the region.
async fn signed_in(app: &app::App, index: usize) -> reqwest::Client {
    let client = browser();
    let (status, page) = text(&client, format!("{}/signin", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("演示登录"), "the demo sign-in is labelled");
    let response = client
        .post(format!("{}/signin/demo", app.base))
        .form(&[
            ("csrf", hidden(&page, "csrf").as_str()),
            ("party", &format!("person:{index}")),
            ("back", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/my");
    client
        .post(format!("{}/preferences", app.base))
        .form(&[("region", "330211"), ("back", "/")])
        .send()
        .await
        .unwrap();
    client
}

fn files_form(page: &str, files: &[(&str, &[u8])]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", hidden(page, "csrf"))
        .text("request_id", hidden(page, "request_id"));
    if page.contains("name=\"channel\"") {
        form = form.text("channel", hidden(page, "channel"));
    }
    if page.contains("name=\"version\"") {
        form = form.text("version", hidden(page, "version"));
    }
    for (field, bytes) in files {
        // The name says PDF; the content decides.
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("scan.pdf");
        form = form.part((*field).to_owned(), part);
    }
    form
}

async fn post_form(
    client: &reqwest::Client,
    url: String,
    form: reqwest::multipart::Form,
) -> (StatusCode, String, String) {
    let response = client.post(url).multipart(form).send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

#[tokio::test]
async fn without_the_demo_there_is_no_demo_sign_in() {
    let app = spawn_app().await;
    let client = browser();
    let (status, page) = text(&client, format!("{}/signin", app.base)).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.contains("尚未配置"), "{page}");
    let response = client
        .post(format!("{}/signin/demo", app.base))
        .form(&[("csrf", "x"), ("party", "person:0")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Pages that need a signed-in person send one to sign in, and back after.
    let response = client.get(format!("{}/my", app.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/signin?back=%2Fmy");
}

#[tokio::test]
async fn a_person_applies_online_follows_supplements_and_withdraws() {
    let app = spawn_demo_app().await;
    let client = signed_in(&app, 3).await;
    let apply = format!("{}/apply/{ITEM}", app.base);
    let (status, page) = text(&client, apply.clone()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("name=\"file-id-card\"") && page.contains("name=\"file-termination-proof\"")
    );

    // Bad files are named next to their field, and no case is made.
    let fake = b"MZ\x90\0 an executable named scan.pdf";
    let (status, _, answer) = post_form(
        &client,
        apply.clone(),
        files_form(&page, &[("file-id-card", fake)]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.contains("id=\"file-id-card-error\"") && answer.contains("文件类型不对"),
        "{answer}"
    );
    let big = [PNG, &vec![0u8; 10 * 1024 * 1024]].concat();
    let (status, _, answer) = post_form(
        &client,
        apply.clone(),
        files_form(&page, &[("file-termination-proof", &big)]),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.contains("文件太大"), "{answer}");
    // A tampered hidden field: a channel the page never offers.
    let form = files_form(&page, &[("file-id-card", PNG)]).text("channel", "window");
    let (status, _, _) = post_form(&client, apply.clone(), form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A form from elsewhere (no CSRF token of this session).
    let form = reqwest::multipart::Form::new()
        .text("csrf", "forged")
        .text("channel", "online");
    let (status, _, _) = post_form(&client, apply.clone(), form).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, mine) = text(&client, format!("{}/my", app.base)).await;
    assert!(mine.contains("您还没有办件"), "nothing was made: {mine}");

    // A good form makes one case; sent twice (a double click), still one.
    let (status, first, _) = post_form(
        &client,
        apply.clone(),
        files_form(&page, &[("file-id-card", PNG)]),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, again, _) = post_form(
        &client,
        apply.clone(),
        files_form(&page, &[("file-id-card", PNG)]),
    )
    .await;
    assert_eq!(
        first, again,
        "the same request id answers with the same case"
    );
    let case_id = first.trim_start_matches("/my/cases/").to_owned();
    let (_, mine) = text(&client, format!("{}/my", app.base)).await;
    assert_eq!(mine.matches("href=\"/my/cases/").count(), 1, "{mine}");
    let (_, case_page) = text(&client, format!("{}{first}", app.base)).await;
    assert!(
        case_page.contains("已提交，等待受理") && case_page.contains("网上办理"),
        "{case_page}"
    );

    // The message that says it arrived waits in the inbox (the demo has no SMS gateway).
    let (_, inbox) = text(&client, format!("{}/my/inbox", app.base)).await;
    assert!(
        inbox.contains("已收到") && inbox.contains("未发送：本平台没有配置短信网关"),
        "{inbox}"
    );

    // Staff see the file's hash in the case's events, and the channel.
    let (_, detail) = app
        .get(&format!("/api/v1/cases/{case_id}"), Some("clerk-zh"))
        .await;
    assert_eq!(detail["case"]["channel"], "online");
    let submitted = &detail["events"][0]["event"]["body"]["submission"]["attachments"][0];
    assert_eq!(submitted["sha256"], yichuang_store::sha256_hex(PNG));
    assert_eq!(submitted["media_type"], "image/png");

    // The clerk asks once for what is missing; the applicant sees it and hands it in.
    let (status, _) = app
        .command(
            "clerk-zh",
            &case_id,
            1,
            json!({ "command": "issue_notice" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, case_page) = text(&client, format!("{}{first}", app.base)).await;
    assert!(
        case_page.contains("还缺的材料") && case_page.contains("终止或者解除劳动关系的证明"),
        "{case_page}"
    );
    assert!(
        case_page.contains("一次性告知书"),
        "the notice is among the documents"
    );
    let notice = format!("{}{first}/documents/2", app.base);
    let (status, document) = text(&client, notice.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(document.contains("一次性告知书") && document.contains("终止或者解除劳动关系的证明"));
    let supplement = format!("{}{first}/supplement", app.base);
    let (status, _, answer) =
        post_form(&client, supplement.clone(), files_form(&case_page, &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.contains("请至少选择一个要补交的文件"), "{answer}");
    let (status, back, _) = post_form(
        &client,
        supplement,
        files_form(
            &case_page,
            &[("file-termination-proof", b"%PDF-1.4\n%a letter\n")],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{back}");
    let (_, case_page) = text(&client, format!("{}{first}", app.base)).await;
    assert!(
        case_page.contains("已补交材料") && case_page.contains("已提交，等待受理"),
        "{case_page}"
    );
    let report = app.store.verify_audit().await.unwrap();
    assert_eq!(report.first_broken, None);
    assert_eq!(report.files, 2, "both files recorded and checked");

    // Another person never sees it.
    let stranger = signed_in(&app, 4).await;
    let (status, _) = text(&stranger, format!("{}{first}", app.base)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = text(&stranger, notice).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Withdrawing needs a reason; with one, the case is withdrawn.
    let withdraw = format!("{}{first}/withdraw", app.base);
    let form = |reason: &str| {
        vec![
            ("csrf".to_owned(), hidden(&case_page, "csrf")),
            ("version".to_owned(), hidden(&case_page, "version")),
            ("request_id".to_owned(), hidden(&case_page, "request_id")),
            ("reason".to_owned(), reason.to_owned()),
        ]
    };
    let response = client
        .post(withdraw.clone())
        .form(&form("  "))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("请写明撤回原因"));
    let response = client
        .post(withdraw)
        .form(&form("已在别处办理"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, case_page) = text(&client, format!("{}{first}", app.base)).await;
    assert!(
        case_page.contains("已撤回") && !case_page.contains("撤回原因"),
        "{case_page}"
    );
}

#[tokio::test]
async fn a_kiosk_starts_again_with_nothing_of_the_last_person() {
    let app = spawn_demo_app().await;
    let client = signed_in(&app, 0).await;
    let response = client
        .get(format!("{}/kiosk", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, home) = text(&client, format!("{}/", app.base)).await;
    assert!(
        home.contains("class=\"senior kiosk\"") && home.contains("/assets/kiosk.js"),
        "{home}"
    );
    assert!(home.contains("当前地区：浙江省 宁波市 镇海区"));
    let response = client
        .get(format!("{}/kiosk/reset", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, home) = text(&client, format!("{}/", app.base)).await;
    assert!(
        home.contains("尚未选择地区") && home.contains("kiosk"),
        "still a kiosk, nothing chosen"
    );
    let response = client.get(format!("{}/my", app.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed out");
    let script = client
        .get(format!("{}/assets/kiosk.js", app.base))
        .send()
        .await
        .unwrap();
    assert!(script.text().await.unwrap().contains("/kiosk/reset"));
}

#[tokio::test]
async fn an_unreachable_or_tricked_sign_in_is_refused_in_words() {
    // An issuer nobody answers at (the real provider is in crates/cli/tests/pages.rs).
    let app = spawn_app_shaped(|state| {
        state
            .with_oidc(yichuang_server::OidcConfig {
                issuer: "http://127.0.0.1:9".to_owned(),
                client_id: "yichuang".to_owned(),
                client_secret: "secret".to_owned(),
                redirect_url: "http://127.0.0.1/signin/callback".to_owned(),
                id_claim: "id_number".to_owned(),
                uscc_claim: "uscc".to_owned(),
                scopes: vec!["profile".to_owned()],
            })
            .unwrap()
    })
    .await;
    let client = browser();
    let (status, page) = text(&client, format!("{}/signin", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("通过统一身份认证平台登录") && !page.contains("演示登录"),
        "{page}"
    );
    let (status, page) = text(&client, format!("{}/signin/oidc?back=/my", app.base)).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(page.contains("暂时连不上统一身份认证平台"), "{page}");
    // A callback with a state this server never issued, or an error from the issuer.
    let (status, page) = text(
        &client,
        format!("{}/signin/callback?code=c&state=forged", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("登录已过期或来源不明"), "{page}");
    let (status, _) = text(
        &client,
        format!("{}/signin/callback?error=access_denied&state=x", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response = client.get(format!("{}/my", app.base)).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "nobody was signed in"
    );
}

#[tokio::test]
async fn a_commitment_ticked_online_stands_in_for_its_document() {
    let app = spawn_demo_app().await;
    let client = signed_in(&app, 5).await;
    let apply = format!("{}/apply/survivor-benefit-claim", app.base);
    let (status, page) = text(&client, apply.clone()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("name=\"commit-kinship-proof\""),
        "the guide allows a commitment here"
    );
    assert!(
        !page.contains("name=\"commit-id-card\""),
        "and not for the identity card"
    );
    // A file and a commitment for the same document: choose one.
    let form =
        files_form(&page, &[("file-kinship-proof", PNG)]).text("commit-kinship-proof", "yes");
    let (status, _, answer) = post_form(&client, apply.clone(), form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.contains("请只选一种"), "{answer}");
    // A commitment for a document the guide does not allow it for is not taken.
    let form = files_form(&page, &[("file-death-proof", PNG)])
        .text("commit-kinship-proof", "yes")
        .text("commit-id-card", "yes");
    let (status, location, _) = post_form(&client, apply, form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case_id = location.trim_start_matches("/my/cases/");
    let (_, detail) = app
        .get(&format!("/api/v1/cases/{case_id}"), Some("clerk-zh"))
        .await;
    let submission = &detail["events"][0]["event"]["body"]["submission"];
    assert_eq!(
        submission["commitments"],
        json!(["kinship-proof"]),
        "{submission}"
    );
}

#[tokio::test]
async fn a_draft_is_saved_resumed_and_sent_with_its_files() {
    let app = spawn_demo_app().await;
    let client = signed_in(&app, 2).await;
    let apply = format!("{}/apply/unemployment-benefit-claim", app.base);
    let (_, page) = text(&client, apply.clone()).await;
    let form = files_form(&page, &[("file-id-card", PNG)]).text("action", "draft");
    let (status, location, _) = post_form(&client, apply.clone(), form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location, "/apply/unemployment-benefit-claim?saved=1");
    let (_, mine) = text(&client, format!("{}/my", app.base)).await;
    assert!(mine.contains("您还没有办件"), "a draft is no case");

    // Back later: the page says what the draft holds.
    let (_, page) = text(&client, format!("{}{location}", app.base)).await;
    assert!(
        page.contains("草稿已保存") && page.contains("草稿中已有文件：PNG 1 KB"),
        "{page}"
    );
    // Sent with one more file: both go into the case, and the draft is gone.
    let form = files_form(&page, &[("file-termination-proof", b"%PDF-1.4\n%letter\n")]);
    let (status, location, _) = post_form(&client, apply.clone(), form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case_id = location.trim_start_matches("/my/cases/");
    let (_, detail) = app
        .get(&format!("/api/v1/cases/{case_id}"), Some("clerk-zh"))
        .await;
    let submission = &detail["events"][0]["event"]["body"]["submission"];
    assert_eq!(
        submission["materials"],
        json!(["termination-proof", "id-card"]),
        "{submission}"
    );
    assert_eq!(submission["attachments"].as_array().unwrap().len(), 2);
    let (_, page) = text(&client, apply).await;
    assert!(!page.contains("草稿中已有文件"), "the draft was discarded");
}

/// The `value`s of the enabled time choices on a booking page.
fn free_slots(page: &str) -> Vec<String> {
    page.split("name=\"slot\" value=\"")
        .skip(1)
        .filter(|rest| !rest.split('>').next().unwrap_or("").contains("disabled"))
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_person_books_moves_to_another_time_and_a_bad_move_changes_nothing() {
    let app = spawn_demo_app().await;
    app.store
        .add_hall(&yichuang_store::Hall {
            id: "zhenhai-center".to_owned(),
            region: "330211".to_owned(),
            name: "镇海区人社服务大厅".to_owned(),
            kind: yichuang_store::HallKind::Hall,
            address: String::new(),
            windows: vec![yichuang_store::HallWindow {
                number: 1,
                label: "1".to_owned(),
            }],
        })
        .await
        .unwrap();
    let client = signed_in(&app, 0).await;
    let hall = format!("{}/halls/zhenhai-center/appointments", app.base);
    let (status, page) = text(&client, format!("{hall}?item=retirement-pension-claim")).await;
    assert_eq!(status, StatusCode::OK);
    // The last day offered: far enough ahead that every slot is still to come.
    let day = page
        .split("<option value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .filter(|v| v.len() == 10 && v.as_bytes()[4] == b'-')
        .last()
        .expect("a day to book");
    let (_, page) = text(
        &client,
        format!("{hall}?item=retirement-pension-claim&day={day}"),
    )
    .await;
    let slots = free_slots(&page);
    assert!(slots.len() >= 2, "{slots:?}");
    let response = client
        .post(&hall)
        .form(&[
            ("csrf", hidden(&page, "csrf").as_str()),
            ("nonce", "move-test"),
            ("item", "retirement-pension-claim"),
            ("day", &day),
            ("slot", &slots[0]),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let mine = format!("{}/my/appointments", app.base);
    let (_, page) = text(&client, mine.clone()).await;
    let code = format!("Y{}-1", slots[0].replace(':', ""));
    assert!(page.contains(&code), "{page}");
    assert!(
        page.contains("改到当天其他时段"),
        "an open booking can be moved"
    );

    let move_to = |slot: &str, page: &str| {
        vec![
            ("csrf", hidden(page, "csrf")),
            ("nonce", format!("move-{slot}")),
            ("hall", "zhenhai-center".to_owned()),
            ("day", day.clone()),
            ("code", code.clone()),
            ("slot", slot.to_owned()),
        ]
    };
    // A time that is not a time: said in words, the booking as it was.
    let response = client
        .post(format!("{mine}/move"))
        .form(&move_to("25:00", &page))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.unwrap();
    assert!(body.contains("请选择日期和时段"), "{body}");
    assert!(body.contains("已预约"), "{body}");
    // A time the hall does not have: the engine's refusal, in words.
    let response = client
        .post(format!("{mine}/move"))
        .form(&move_to("03:00", &page))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CONFLICT);

    let response = client
        .post(format!("{mine}/move"))
        .form(&move_to(&slots[1], &page))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = text(&client, mine).await;
    let moved = format!("Y{}-1", slots[1].replace(':', ""));
    assert!(page.contains(&moved), "{page}");
    assert!(
        page.contains("已取消"),
        "the old time is shown cancelled: {page}"
    );
}

#[tokio::test]
async fn a_person_rates_the_acceptance_once_and_a_poor_rating_promises_a_call_back() {
    let app = spawn_demo_app().await;
    let client = signed_in(&app, 0).await;
    let apply = format!("{}/apply/{ITEM}", app.base);
    let (_, page) = text(&client, apply.clone()).await;
    let (status, first, _) = post_form(
        &client,
        apply,
        files_form(
            &page,
            &[("file-id-card", PNG), ("file-termination-proof", PNG)],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case_id = first.trim_start_matches("/my/cases/").to_owned();
    let case_page = format!("{}{first}", app.base);
    let (_, before) = text(&client, case_page.clone()).await;
    assert!(
        !before.contains("评价本次服务"),
        "nothing to rate before acceptance"
    );
    let (status, _) = app
        .command("clerk-zh", &case_id, 1, json!({ "command": "accept" }))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = text(&client, case_page).await;
    assert!(after.contains(&format!("href=\"{first}/rate\"")), "{after}");

    // The acceptance message's signed link opens the same form without signing in; a
    // tampered link does not.
    let (_, inbox) = text(&client, format!("{}/my/inbox", app.base)).await;
    let link = inbox
        .split("/m/")
        .nth(1)
        .and_then(|rest| {
            rest.split(|c: char| c.is_whitespace() || c == '<' || c == '"')
                .next()
        })
        .map(|rest| format!("/m/{rest}"))
        .expect("a signed link in the inbox");
    let stranger = browser();
    let (status, form) = text(&stranger, format!("{}{link}/rate", app.base)).await;
    assert_eq!(status, StatusCode::OK, "{link}: {form}");
    assert!(
        form.contains("name=\"stage\" value=\"acceptance\""),
        "{form}"
    );
    let flipped = if link.ends_with('0') { '1' } else { '0' };
    let tampered = format!("{}{}{flipped}/rate", app.base, &link[..link.len() - 1]);
    assert_eq!(text(&stranger, tampered).await.0, StatusCode::NOT_FOUND);

    let rate = format!("{}{first}/rate", app.base);
    let (status, form) = text(&client, rate.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("name=\"stage\" value=\"acceptance\""),
        "{form}"
    );
    assert!(
        form.contains("办事指南准确") && !form.contains("服务态度"),
        "online indicators"
    );
    let csrf = hidden(&form, "csrf");
    let send = |fields: Vec<(&'static str, String)>| {
        let client = client.clone();
        let rate = rate.clone();
        async move {
            let response = client.post(rate).form(&fields).send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let base = |level: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("nonce", format!("rate-{level}")),
            ("stage", "acceptance".to_owned()),
            ("level", level.to_owned()),
            ("indicator", "efficiency".to_owned()),
            ("text", "等了很久才受理".to_owned()),
        ]
    };
    // No level chosen: said at the question, the comment kept.
    let (status, answer) = send(base("")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        answer.contains("请选择满意程度") && answer.contains("等了很久才受理"),
        "{answer}"
    );
    assert!(answer.contains("value=\"efficiency\" checked"), "{answer}");
    // A hall indicator through the online form: refused in words.
    let mut wrong = base("satisfied");
    wrong.push(("indicator", "attitude".to_owned()));
    let (status, answer) = send(wrong).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(answer.contains("不属于这个渠道"), "{answer}");
    // Someone else's form (no CSRF token of this session).
    let mut forged = base("satisfied");
    forged[0].1 = "forged".to_owned();
    assert_eq!(send(forged).await.0, StatusCode::FORBIDDEN);

    let (status, answer) = send(base("dissatisfied")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        answer.contains("感谢您的评价") && answer.contains("不满意"),
        "{answer}"
    );
    assert!(
        answer.contains("我们会在"),
        "a poor rating promises a call back: {answer}"
    );
    let (status, answer) = send(base("very_satisfied")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(answer.contains("已经评价过"), "{answer}");
    // Rated: the case page no longer asks.
    let (_, after) = text(&client, format!("{}{first}", app.base)).await;
    assert!(!after.contains("评价本次服务"), "{after}");

    // The province's supervisor follows it up from the desk.
    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let (status, list) = text(&supervisor, format!("{}/staff/ratings", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("不满意") && list.contains("待回访"), "{list}");
    let href = list
        .split("href=\"/staff/ratings/file?")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to the rating")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let file_url = format!("{}/staff/ratings/file?{href}", app.base);
    let (_, detail) = text(&supervisor, file_url.clone()).await;
    assert!(
        detail.contains("等了很久才受理") && detail.contains("记录回访"),
        "{detail}"
    );
    assert!(
        !detail.contains("办结整改"),
        "closing waits for the contact"
    );
    let step = |fields: Vec<(&'static str, String)>| {
        let supervisor = supervisor.clone();
        let url = format!("{}/staff/ratings", app.base);
        async move {
            let response = supervisor.post(url).form(&fields).send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let form = |detail: &str, action: &str| {
        vec![
            ("csrf", hidden(detail, "csrf")),
            ("nonce", format!("{action}-{}", uuid_like())),
            ("id", hidden(detail, "id")),
            ("stage", "acceptance".to_owned()),
            ("action", action.to_owned()),
        ]
    };
    let mut contact = form(&detail, "contact");
    contact.push(("text", "电话回访：受理等候约一小时".to_owned()));
    let (status, _) = step(contact).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, detail) = text(&supervisor, file_url.clone()).await;
    assert!(
        detail.contains("已回访") && detail.contains("办结整改"),
        "{detail}"
    );
    // Closing without saying how: refused in words, nothing closed.
    let mut close = form(&detail, "close");
    close.push(("text", "已增开受理窗口".to_owned()));
    let (status, answer) = step(close.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.contains("请选择办结方式"), "{answer}");
    assert!(
        answer.contains("已增开受理窗口"),
        "what was typed is kept: {answer}"
    );
    close.push(("way", "fixed_at_once".to_owned()));
    close[1].1 = "close-again".to_owned();
    let (status, _) = step(close).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, detail) = text(&supervisor, file_url.clone()).await;
    assert!(
        detail.contains("立行立改") && detail.contains("按期"),
        "{detail}"
    );
    let (_, list) = text(&supervisor, format!("{}/staff/ratings", app.base)).await;
    assert!(list.contains("没有需要整改的差评"), "{list}");

    // Published: the figures for the county, its province and the country, as JSON,
    // a page and CSV; no personal data; bad input named.
    let public = reqwest::Client::new();
    for region in ["330211", "330000", ""] {
        let answer: serde_json::Value = public
            .get(format!("{}/api/v1/ratings?region={region}", app.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let f = &answer["figures"];
        assert_eq!(
            (f["rated"].as_i64(), f["poor"].as_i64()),
            (Some(1), Some(1)),
            "{region}: {answer}"
        );
        assert_eq!(
            (f["closed"].as_i64(), f["follow_up_rate"].as_f64()),
            (Some(1), Some(1.0)),
            "{answer}"
        );
        assert_eq!(f["satisfaction_rate"].as_f64(), Some(0.0));
        assert!(
            !answer.to_string().contains("11010"),
            "no identity numbers: {answer}"
        );
    }
    let (_, country) = text(&public, format!("{}/ratings", app.base)).await;
    assert!(
        country.contains("浙江省") && country.contains("满意率"),
        "{country}"
    );
    let (_, county) = text(&public, format!("{}/ratings?region=330211", app.base)).await;
    assert!(
        county.contains("镇海区") && county.contains("失业保险金申领"),
        "{county}"
    );
    let (status, csv) = text(&public, format!("{}/ratings.csv?region=330211", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("part,code,name,rated"), "{csv}");
    assert!(csv.contains("region,330211,"), "{csv}");
    for bad in ["month=2026-13", "month=2999-01", "region=99"] {
        let response = public
            .get(format!("{}/api/v1/ratings?{bad}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let (status, page) = text(&public, format!("{}/ratings?{bad}", app.base)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {page}");
    }

    // A clerk cannot close or decide; a caller's rating needs a real case number.
    let clerk = staff_browser(&app.base, "clerk-zh").await;
    let (_, page) = text(&clerk, format!("{}/staff/ratings", app.base)).await;
    let response = clerk
        .post(format!("{}/staff/ratings", app.base))
        .form(&[
            ("csrf", hidden(&page, "csrf")),
            ("nonce", "phone-1".to_owned()),
            ("action", "phone".to_owned()),
            ("case", "no-such-number".to_owned()),
            ("level", "satisfied".to_owned()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, page) = text(
        &clerk,
        format!(
            "{}{}",
            app.base,
            response.headers()[LOCATION].to_str().unwrap()
        ),
    )
    .await;
    assert!(page.contains("找不到这个办件编号"), "{page}");
}

fn uuid_like() -> String {
    format!(
        "{:x}",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}
