//! The staff pages in a real browser (Chromium driven through chromedriver), against
//! `yichuang serve --demo` as the README starts it.
//!
//! Needs `chromedriver` and Chromium (Debian: `chromium chromium-driver`, which `.ci/run`
//! installs). Without them the test says so and passes, unless
//! `YICHUANG_BROWSER_TESTS=required` (set by `.ci/run`), where it fails.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

mod common;
use common::{Killed, find_program, free_port, serve_demo};

async fn browser(driver_port: u16) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({ "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=zh-CN", "--accept-lang=zh-CN"] }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match ClientBuilder::new(connector.clone())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await
        {
            Ok(client) => return client,
            Err(e) if Instant::now() > deadline => panic!("chromedriver did not start: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

async fn path_of(client: &Client) -> String {
    client.current_url().await.unwrap().path().to_owned()
}

/// Waits until the page at `path` has loaded: a click that navigates returns before the
/// new page is there, and the old page's elements go stale under the test.
async fn wait_for_path(client: &Client, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while path_of(client).await != path {
        assert!(
            Instant::now() < deadline,
            "the browser never reached {path}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the page's text contains `text`.
async fn wait_for_text(client: &Client, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let shown = match client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if shown.contains(text) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the page never said {text:?}: {shown}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn sign_in(client: &Client, base: &str, id: &str, password: &str) {
    client.goto(&format!("{base}/staff/login")).await.unwrap();
    client
        .find(Locator::Css("input[name=staff_id]"))
        .await
        .unwrap()
        .send_keys(id)
        .await
        .unwrap();
    client
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clerk_signs_in_sees_overdue_cases_and_signs_out() {
    let required = std::env::var("YICHUANG_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let (Some(driver), Some(_)) = (
        find_program(&["chromedriver"]),
        find_program(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        assert!(
            !required,
            "YICHUANG_BROWSER_TESTS=required but chromedriver or Chromium is missing"
        );
        eprintln!("chromedriver or Chromium not found: browser test skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (_server, base, id, password) = serve_demo(dir.path(), "clerk");
    let driver_port = free_port();
    let _driver = Killed(
        Command::new(driver)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = browser(driver_port).await;

    // Not signed in: the workbench sends you to the sign-in page.
    client.goto(&format!("{base}/staff")).await.unwrap();
    assert_eq!(path_of(&client).await, "/staff/login");

    // A wrong password is refused in words, and nothing is signed in.
    sign_in(&client, &base, &id, "not-the-password").await;
    wait_for_text(&client, "工号或密码错误").await;

    // The demo clerk signs in and sees the overdue and warned cases of their region.
    sign_in(&client, &base, &id, &password).await;
    wait_for_path(&client, "/staff").await;
    let heading = client.find(Locator::Css("h1")).await.unwrap();
    assert_eq!(heading.text().await.unwrap(), "办件工作台");
    let overdue = client.find_all(Locator::Css("td.red")).await.unwrap();
    assert!(!overdue.is_empty(), "the demo has overdue cases");
    assert_eq!(overdue[0].text().await.unwrap(), "超期");
    let session = client.get_named_cookie("yc_session").await.unwrap();
    assert_eq!(session.http_only(), Some(true));
    assert_eq!(format!("{:?}", session.same_site()), "Some(Strict)");

    // Signing out ends the session: the workbench is closed again.
    client
        .find(Locator::Css("form[action='/staff/logout'] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_path(&client, "/staff/login").await;
    client.goto(&format!("{base}/staff")).await.unwrap();
    assert_eq!(path_of(&client).await, "/staff/login");
    client.close().await.unwrap();
}
