//! Complaints on the pages, through HTTP with a browser's cookie jar: a person files
//! one about a staff member, the staff member cannot answer it, a supervisor answers
//! in writing, the person is told, reads and prints the answer, is not satisfied, the
//! level above answers again, and the person closes it satisfied. Every bad form is
//! refused in words and keeps what was typed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use app::pages::{browser, hidden, staff_browser, text};
use app::spawn_demo_app;
use reqwest::StatusCode;
use reqwest::header::LOCATION;

async fn post(
    client: &reqwest::Client,
    url: String,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let response = client.post(url).form(fields).send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

async fn person(app: &app::App, index: usize) -> reqwest::Client {
    let client = browser();
    let (_, page) = text(&client, format!("{}/signin", app.base)).await;
    let (status, _, _) = post(
        &client,
        format!("{}/signin/demo", app.base),
        &[
            ("csrf", &hidden(&page, "csrf")),
            ("party", &format!("person:{index}")),
            ("back", "/"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    client
}

/// Posts a staff step on a complaint page and returns the redirect or the page.
async fn step(
    client: &reqwest::Client,
    url: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    // The list page always has a form (to write one down): the session's token.
    let list = format!("{}/staff/complaints", url.split("/staff/").next().unwrap());
    let (_, page) = text(client, list).await;
    let csrf = hidden(&page, "csrf");
    let nonce = format!("{}-{}", hidden(&page, "nonce"), fields[0].1);
    let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf), ("nonce", &nonce)];
    all.extend_from_slice(fields);
    post(client, url.to_owned(), &all).await
}

#[tokio::test]
async fn a_complaint_is_answered_in_writing_goes_up_once_and_closes_satisfied() {
    let app = spawn_demo_app().await;
    let citizen = person(&app, 0).await;
    let mine = format!("{}/my/complaints", app.base);
    let (status, page) = text(&citizen, mine.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("我要投诉"), "{page}");
    let csrf = hidden(&page, "csrf");

    // Nothing chosen: refused in words, the text kept.
    let (status, _, again) = post(
        &citizen,
        mine.clone(),
        &[("csrf", &csrf), ("nonce", "n1"), ("text", "窗口态度差")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("请选择投诉什么"), "{again}");
    assert!(again.contains(">窗口态度差</textarea>"), "typed text kept");
    // A staff number that does not exist.
    let (status, _, again) = post(
        &citizen,
        mine.clone(),
        &[
            ("csrf", &csrf),
            ("nonce", "n2"),
            ("about", "clerk"),
            ("clerk", "nobody-here"),
            ("text", "窗口态度差"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.contains("没有找到该大厅、窗口、排队号或工号"),
        "{again}"
    );
    assert!(again.contains("value=\"nobody-here\""), "typed number kept");
    // No text.
    let (status, _, again) = post(
        &citizen,
        mine.clone(),
        &[
            ("csrf", &csrf),
            ("nonce", "n3"),
            ("about", "clerk"),
            ("clerk", "clerk-zh"),
            ("text", "  "),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(again.contains("请填写投诉内容"), "{again}");
    // A case number that is not the person's.
    let (status, _, again) = post(
        &citizen,
        mine.clone(),
        &[
            ("csrf", &csrf),
            ("nonce", "n4"),
            ("about", "case"),
            ("case", "330211-20260101-0001"),
            ("text", "太慢"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("您的申请中没有这个办件编号"), "{again}");

    let filing = [
        ("csrf", csrf.as_str()),
        ("nonce", "n5"),
        ("about", "clerk"),
        ("clerk", "clerk-zh"),
        ("text", "窗口人员让我跑了三趟"),
    ];
    let (status, location, _) = post(&citizen, mine.clone(), &filing).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.starts_with("/my/complaints/TS"), "{location}");
    // The same form sent twice files it once.
    let (_, twice, _) = post(&citizen, mine.clone(), &filing).await;
    assert_eq!(twice, location);
    let number = location
        .trim_start_matches("/my/complaints/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let (_, shown) = text(&citizen, format!("{}{location}", app.base)).await;
    assert!(
        shown.contains("投诉已收到") && shown.contains("待答复"),
        "{shown}"
    );
    assert!(shown.contains("工号 clerk-zh"), "{shown}");
    // Someone else cannot see it.
    let other = person(&app, 1).await;
    let own_page = format!("{}/my/complaints/{number}", app.base);
    assert_eq!(
        text(&other, own_page.clone()).await.0,
        StatusCode::NOT_FOUND
    );

    // The clerk complained about sees it but may not answer; the supervisor answers.
    let clerk = staff_browser(&app.base, "clerk-zh").await;
    let (_, list) = text(&clerk, format!("{}/staff/complaints", app.base)).await;
    assert!(list.contains(&number), "{list}");
    let desk = format!("{}/staff/complaints/{number}", app.base);
    let (_, clerk_page) = text(&clerk, desk.clone()).await;
    assert!(
        !clerk_page.contains("发送答复"),
        "no answer form for the clerk"
    );
    let (status, _, refused) = step(&clerk, &desk, &[("action", "reply"), ("text", "x")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(refused.contains("您不能对此投诉进行该操作"), "{refused}");

    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let (status, _, empty) = step(&supervisor, &desk, &[("action", "reply"), ("text", " ")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(empty.contains("请填写投诉内容"), "{empty}");
    let (status, location, _) = step(&supervisor, &desk, &[("action", "take")]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, desk.trim_start_matches(&app.base))
    );
    let (status, _, _) = step(
        &supervisor,
        &desk,
        &[
            ("action", "reply"),
            ("text", "已核实，对窗口人员批评教育，今后一次告知。"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The person is told, with a link to the complaint.
    let (_, inbox) = text(&citizen, format!("{}/my/inbox", app.base)).await;
    assert!(
        inbox.contains(&format!("投诉（编号 {number}）已有书面答复")),
        "{inbox}"
    );
    let (_, answered) = text(&citizen, own_page.clone()).await;
    assert!(answered.contains("对窗口人员批评教育"), "{answered}");
    let (status, document) = text(&citizen, format!("{own_page}/reply")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(document.contains("投诉答复书") && document.contains(&number));

    // Not satisfied: the city answers next.
    let csrf = hidden(&answered, "csrf");
    let (status, _, unchosen) = post(
        &citizen,
        own_page.clone(),
        &[("csrf", &csrf), ("nonce", "j0")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unchosen.contains("请选择满意或不满意"));
    let (status, _, _) = post(
        &citizen,
        own_page.clone(),
        &[("csrf", &csrf), ("nonce", "j1"), ("verdict", "unsatisfied")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, reopened) = text(&citizen, own_page.clone()).await;
    assert!(
        reopened.contains("待答复") && reopened.contains("宁波市"),
        "{reopened}"
    );
    let (status, _, _) = step(
        &supervisor,
        &desk,
        &[
            ("action", "reply"),
            ("text", "市局复核：已退还多收的复印费。"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, second) = text(&citizen, own_page.clone()).await;
    assert!(second.contains("第 2 次答复"), "{second}");
    let (status, _, _) = post(
        &citizen,
        own_page.clone(),
        &[
            ("csrf", &hidden(&second, "csrf")),
            ("nonce", "j2"),
            ("verdict", "satisfied"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, closed) = text(&citizen, own_page).await;
    assert!(
        closed.contains("已办结") && closed.contains("满意"),
        "{closed}"
    );
    let (_, open_list) = text(&supervisor, format!("{}/staff/complaints", app.base)).await;
    assert!(!open_list.contains(&number), "closed leaves the open list");
    let (_, all) = text(
        &supervisor,
        format!("{}/staff/complaints?show=all", app.base),
    )
    .await;
    assert!(all.contains(&number));
}

#[tokio::test]
async fn staff_write_down_a_phone_complaint_only_with_a_way_to_answer() {
    let app = spawn_demo_app().await;
    let clerk = staff_browser(&app.base, "clerk-zh").await;
    let list = format!("{}/staff/complaints", app.base);
    let (_, page) = text(&clerk, list.clone()).await;
    let csrf = hidden(&page, "csrf");
    let base = [
        ("csrf", csrf.as_str()),
        ("nonce", "p1"),
        ("about", "clerk"),
        ("clerk", "clerk-wh"),
        ("text", "电话一直占线"),
        ("name", "王女士"),
    ];
    // No channel chosen.
    let (status, _, again) = post(&clerk, list.clone(), &base).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.contains("请选择投诉渠道") && again.contains("value=\"王女士\""));
    let mut phone = base.to_vec();
    phone.push(("channel", "phone"));
    let (status, _, again) = post(&clerk, list.clone(), &phone).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(again.contains("请留下电话"), "{again}");
    // 武侯区's clerk is outside this clerk's reach: the complaint goes there, and is
    // written down all the same (any office takes a complaint in).
    phone.push(("phone", "13800000000"));
    let (status, location, _) = post(&clerk, list.clone(), &phone).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let wh = staff_browser(&app.base, "clerk-wh").await;
    let (_, theirs) = text(&wh, format!("{}/staff/complaints", app.base)).await;
    let number = location.trim_start_matches("/staff/complaints/");
    assert!(theirs.contains(number), "{theirs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complainant_known_only_by_phone_gets_the_answer_by_text_message() {
    use yichuang_server::MessageOptions;
    let (webhook, received) = app::gateway::accepting_gateway().await;
    let app = app::spawn_app_shaped(move |state| {
        state.with_demo_sign_in().with_messages(MessageOptions {
            webhook: Some(webhook),
            public_url: "https://yichuang.example".to_owned(),
            first_retry: std::time::Duration::ZERO,
            ..MessageOptions::default()
        })
    })
    .await;
    // 武侯's clerk writes down a call about a clerk in 镇海.
    let clerk = staff_browser(&app.base, "clerk-wh").await;
    let list = format!("{}/staff/complaints", app.base);
    let (_, page) = text(&clerk, list.clone()).await;
    let csrf = hidden(&page, "csrf");
    let call = |nonce: &'static str, phone: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("nonce", nonce.to_owned()),
            ("about", "clerk".to_owned()),
            ("clerk", "clerk-zh".to_owned()),
            ("channel", "phone".to_owned()),
            ("name", "李先生".to_owned()),
            ("phone", phone.to_owned()),
            ("text", "窗口让我跑了三趟".to_owned()),
        ]
    };
    let form = |v: Vec<(&'static str, String)>| {
        let clerk = clerk.clone();
        let list = list.clone();
        async move {
            let response = clerk.post(list).form(&v).send().await.unwrap();
            let status = response.status();
            let location = response
                .headers()
                .get(LOCATION)
                .map(|l| l.to_str().unwrap().to_owned())
                .unwrap_or_default();
            (status, location, response.text().await.unwrap())
        }
    };
    let (status, _, again) = form(call("t1", "138x0000")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(again.contains("电话号码有误"), "{again}");
    assert!(again.contains("窗口让我跑了三趟"), "what was typed is kept");
    let (status, location, _) = form(call("t2", "138-0000-1111")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let number = location.trim_start_matches("/staff/complaints/").to_owned();

    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let desk = format!("{}/staff/complaints/{number}", app.base);
    step(&supervisor, &desk, &[("action", "take")]).await;
    let (status, _, _) = step(
        &supervisor,
        &desk,
        &[
            ("action", "reply"),
            ("text", "已核实，材料清单已改为一次告知。"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The gateway gets a text to the number, with a signed link to the answer.
    let started = std::time::Instant::now();
    let delivery = loop {
        let found = received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, body)| body.clone())
            .find(|body| body["kind"] == "complaint_answered");
        if let Some(body) = found {
            break body;
        }
        assert!(started.elapsed().as_secs() < 20, "no text message was sent");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(delivery["to"], "tel:13800001111", "{delivery}");
    let said = delivery["text"].as_str().unwrap();
    assert!(said.contains(&number) && said.contains("12333"), "{said}");
    let link = delivery["link"].as_str().unwrap();
    let path = link.strip_prefix("https://yichuang.example").unwrap();
    assert!(path.starts_with(&format!("/r/{number}/")), "{path}");
    let anyone = app::pages::browser();
    let (status, document) = text(&anyone, format!("{}{path}", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        document.contains("投诉答复书") && document.contains("材料清单已改为一次告知"),
        "{document}"
    );
    // A link with another signature, or for another complaint, opens nothing.
    // (the last hex digit changed: to 0, or to 1 where it already was 0)
    let flipped = if path.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{}{flipped}", app.base, &path[..path.len() - 1]);
    assert_eq!(text(&anyone, forged).await.0, StatusCode::NOT_FOUND);
    let other = path.replacen(&number, "TS-0", 1);
    assert_eq!(
        text(&anyone, format!("{}{other}", app.base)).await.0,
        StatusCode::NOT_FOUND
    );
}
