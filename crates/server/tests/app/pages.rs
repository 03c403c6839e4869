//! Driving the pages as a browser would: a cookie jar, no redirects followed, hidden
//! form fields read back.

use reqwest::StatusCode;

/// A browser: keeps cookies, does not follow redirects (the tests look at them).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of the hidden field `name` in a page.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// A page's status and text.
pub async fn text(client: &reqwest::Client, url: String) -> (StatusCode, String) {
    let response = client.get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

/// A browser signed in to the staff pages as `id` (the test world's password `pw-<id>`).
pub async fn staff_browser(base: &str, id: &str) -> reqwest::Client {
    let client = browser();
    let (_, login) = text(&client, format!("{base}/staff/login")).await;
    let response = client
        .post(format!("{base}/staff/login"))
        .form(&[
            ("staff_id", id.to_owned()),
            ("password", format!("pw-{id}")),
            ("csrf", hidden(&login, "csrf")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{id} signs in");
    client
}
