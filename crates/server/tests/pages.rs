//! The public pages through HTTP: what they say, in which language, for which region,
//! and what they do with bad or hostile input. (The same pages in a real browser, with
//! axe-core, are in `crates/cli/tests/pages.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use app::{spawn_app, spawn_app_with, test_protection};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use serde_json::json;
use yichuang_server::{ListenOptions, ProtectionConfig};

async fn page(app: &app::App, path: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut request = app.client.get(format!("{}{path}", app.base));
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let kind = response.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/html"), "{path} answered {kind}");
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn the_front_page_offers_search_life_events_and_every_project() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<main id=\"content\">"), "{html}");
    assert!(html.contains("action=\"/search\""));
    assert_eq!(
        html.matches("href=\"/projects/").count(),
        18,
        "the 18 projects"
    );
    for event in ["退休", "失业", "工伤", "生育"] {
        assert!(html.contains(event), "life event {event}");
    }
    // Every project and life event page lists items by name, with a link to the guide.
    let (status, html) = page(&app, "/life-events/unemployment", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("href=\"/guides/unemployment-benefit-claim\""));
    assert!(
        html.contains("示例内容"),
        "the grouping is labelled illustrative"
    );
    let (status, _) = page(&app, "/projects/no-such-project", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn search_puts_the_right_item_first_and_escapes_what_was_typed() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/search?q=失业了怎么领钱", None).await;
    assert_eq!(status, StatusCode::OK);
    let first = html.find("href=\"/guides/").unwrap();
    assert!(html[first..].starts_with("href=\"/guides/unemployment-benefit-claim\""));

    let (status, html) = page(&app, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert"), "typed markup is escaped");
    assert!(
        html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
        "{html}"
    );

    let (status, html) = page(&app, "/search?q=", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("请输入要办的事"));
    let long = "社".repeat(101);
    let (status, html) = page(&app, &format!("/search?q={long}"), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("最多 100 个字"), "{html}");
}

#[tokio::test]
async fn a_guide_shows_the_regions_rules_and_the_deadline_if_accepted_today() {
    let app = spawn_app().await;
    // No region chosen: the national standard, and it says so.
    let (status, html) = page(&app, "/guides/unemployment-benefit-claim", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("您尚未选择地区，下面是国家标准"));
    // The engine's day is 2026-03-02 (a Monday): 10 working days → 16 March.
    assert!(
        html.contains("如果今天受理，最迟2026年3月16日办结"),
        "{html}"
    );
    for element in [
        "办理条件",
        "申请材料",
        "办理时限",
        "办理渠道",
        "到现场次数",
        "办理流程",
        "办理地点",
        "收费标准",
        "办理结果",
        "结果送达方式",
        "设定依据",
        "咨询方式",
        "进度查询",
        "监督投诉",
        "适用范围",
        "申请人",
    ] {
        assert!(html.contains(element), "element {element}");
    }
    assert!(html.contains("关键材料，必须提交"), "key materials marked");
    assert!(
        html.contains("社会保险法 第四十五条"),
        "legal basis with the article"
    );
    assert!(
        html.contains("示例内容（非正式依据）"),
        "illustrative values labelled"
    );

    // Zhenhai chosen: its own note, halls and materials.
    let (status, html) = page(
        &app,
        "/guides/unemployment-benefit-claim",
        Some("yc_region=330211"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("以下是 浙江省 宁波市 镇海区 的办事指南"),
        "{html}"
    );
    assert!(html.contains("镇海区行政服务中心"));

    // The print view is the same guide without the site's controls.
    let (_, print) = page(&app, "/guides/unemployment-benefit-claim?print=1", None).await;
    assert!(print.contains("class=\"print-view\""));

    let (status, html) = page(&app, "/guides/no-such-item", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("没有这个事项"));
}

#[tokio::test]
async fn switches_set_display_cookies_and_never_send_anyone_elsewhere() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |form: Vec<(&'static str, &'static str)>| {
        client
            .post(format!("{}/preferences", app.base))
            .form(&form)
            .send()
    };
    let response = post(vec![("back", "//evil.example/"), ("lang", "en")])
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/");
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("yc_lang=en"), "{cookie}");
    assert!(
        cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"),
        "{cookie}"
    );

    // Values the switch does not know change nothing.
    let response = post(vec![
        ("back", "/progress"),
        ("lang", "fr"),
        ("senior", "maybe"),
        ("region", "999999"),
    ])
    .await
    .unwrap();
    assert_eq!(response.headers()[LOCATION], "/progress");
    assert!(response.headers().get(SET_COOKIE).is_none());

    let response = post(vec![("back", "/"), ("senior", "on"), ("region", "330211")])
        .await
        .unwrap();
    let cookies: Vec<&str> = response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("yc_senior=on")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("yc_region=330211")),
        "{cookies:?}"
    );

    // The page honours them: English, senior mode, the region's name.
    let (_, html) = page(
        &app,
        "/",
        Some("yc_lang=en; yc_senior=on; yc_region=330211"),
    )
    .await;
    assert!(
        html.contains("<html lang=\"en\" class=\"senior\">"),
        "{html}"
    );
    assert!(html.contains("Region: 浙江省 宁波市 镇海区"));
    assert!(html.contains("all in one place"));
}

#[tokio::test]
async fn the_progress_page_answers_in_words_and_locks_after_wrong_guesses() {
    let app = spawn_app().await;
    let (_, case) = app
        .submit(
            "clerk-zh",
            "unemployment-benefit-claim",
            "330211",
            "330211",
            &["id-card", "termination-proof"],
        )
        .await;
    let id = case["case_id"].as_str().unwrap().to_owned();
    app.command("clerk-zh", &id, 1, json!({ "command": "accept" }))
        .await;

    // The applicant's identity number ends in 002X; a lower-case x is the same.
    let (status, html) = page(&app, &format!("/progress?case={id}&last4=002x"), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("失业保险金申领"));
    assert!(html.contains("已受理"), "the state in words");
    assert!(
        html.contains("2026年3月2日：已受理，开始计算办理时限"),
        "{html}"
    );
    assert!(html.contains("还剩 5 个工作日"), "{html}");
    assert!(!html.contains("accepted"), "no code names");

    // The human-readable number finds the same case (it is what documents print).
    let (_, list) = app.get("/api/v1/cases?limit=1000", Some("clerk-zh")).await;
    let number = list["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["case"]["id"] == id.as_str())
        .and_then(|c| c["case"]["number"].as_str())
        .unwrap()
        .to_owned();
    assert!(number.starts_with("330211-20260302-"), "{number}");
    let (status, html) = page(&app, &format!("/progress?case={number}&last4=002X"), None).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&number) && html.contains("失业保险金申领"));

    // A malformed answer is named next to its field and costs nothing.
    let (status, html) = page(&app, &format!("/progress?case={id}&last4=12"), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"last4-error\"") && html.contains("aria-invalid=\"true\""));
    let (status, html) = page(&app, "/progress?case=&last4=1234", None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("请填写办件编号"));

    // Wrong answers look like no case; past the day's budget the lookup locks.
    for _ in 0..6 {
        let (status, _) = page(&app, &format!("/progress?case={id}&last4=9999"), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    let (status, html) = page(&app, &format!("/progress?case={id}&last4=002X"), None).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right answer waits"
    );
    assert!(html.contains("已暂时锁定"));
}

#[tokio::test]
async fn pages_are_rate_limited_with_a_page_that_says_when_to_come_back() {
    let app = spawn_app_with(
        None,
        ProtectionConfig {
            public_per_minute: 4,
            ..test_protection()
        },
        ListenOptions::default(),
    )
    .await;
    let mut last = None;
    for _ in 0..10 {
        let response = app
            .client
            .get(format!("{}/", app.base))
            .send()
            .await
            .unwrap();
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            last = Some(response);
            break;
        }
    }
    let response = last.expect("the budget runs out");
    assert!(response.headers().contains_key("retry-after"));
    assert!(
        response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("访问太频繁了"));
    // The stylesheet is not counted: a page's own file never pushes it over.
    let css = app
        .client
        .get(format!("{}/assets/site.css", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(
        css.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}
