//! 免申即享 through HTTP: a supervisor sees the employers in reach with their outcome,
//! amount and reasons in words, a bad year answered in words; a published list is
//! public, a signed-in person objects, the supervisor in reach decides.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use app::pages::{browser, hidden, staff_browser, text};
use app::spawn_app;
use reqwest::StatusCode;
use yichuang_domain::facts::{Cents, EmployerMonthRecord, EmployerRecord, EmployerSize, Month};
use yichuang_domain::proactive::{ListCommand, Listed};
use yichuang_domain::{RegionCode, Uscc};
use yichuang_engine::proactive::SYSTEM;

fn employer(region: &str, serial: u32, name: &str) -> EmployerRecord {
    let region = RegionCode::parse(region).unwrap();
    EmployerRecord {
        uscc: Uscc::enterprise(region.digits(), serial).unwrap(),
        name: name.to_owned(),
        region,
        size: EmployerSize::Sme,
    }
}

fn year(of: &EmployerRecord, months: i8) -> Vec<EmployerMonthRecord> {
    (1..=months)
        .map(|month| EmployerMonthRecord {
            uscc: of.uscc,
            month: Month { year: 2025, month },
            insured: 10,
            due: Cents(100_000),
            paid: Cents(100_000),
        })
        .collect()
}

#[tokio::test]
async fn a_supervisor_sees_the_employers_in_reach_with_reasons() {
    let app = spawn_app().await;
    let full = employer("330211", 40_000_001, "镇海全年缴费公司");
    let short = employer("330211", 40_000_002, "镇海少缴一月公司");
    let elsewhere = employer("320102", 40_000_003, "南京某公司");
    app.store
        .import_employers(&[full.clone(), short.clone(), elsewhere.clone()])
        .await
        .unwrap();
    let mut months = year(&full, 12);
    months.extend(year(&short, 11));
    months.extend(year(&elsewhere, 12));
    app.store.import_employer_months(&months).await.unwrap();

    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let (status, page) = text(&supervisor, format!("{}/staff/proactive", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2025 年度比对结果"), "last year by default");
    assert!(
        page.contains("辖区内单位 2 家"),
        "only 浙江's employers: {page}"
    );
    assert!(!page.contains("南京某公司"));
    assert!(page.contains("符合条件 1 家"));
    // 60% of 12 × 1,000.00 yuan.
    assert!(page.contains("7200.00 元"), "{page}");
    assert!(
        page.contains("不满足：当年12个月足额缴纳失业保险费（足额缴费月数 11）"),
        "{page}"
    );
    assert!(
        page.contains("中小微企业返还比例（%）"),
        "settings in words"
    );
    assert!(!page.contains("months_paid_in_full"), "no codes shown");

    let (status, page) = text(
        &supervisor,
        format!("{}/staff/proactive?year=20x5&policy=nothing", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("年度无法识别，已显示 2025 年。"), "{page}");
    assert!(page.contains("没有这项政策"), "{page}");
}

/// A long list is read a page of 50 at a time, narrowed to one outcome or to an
/// employer found by name or credit code; a bad filter or page is said in words.
#[tokio::test]
async fn a_long_list_is_filtered_searched_and_paged() {
    let app = spawn_app().await;
    let employers: Vec<EmployerRecord> = (0..120)
        .map(|i| employer("330211", 41_000_000 + i, &format!("镇海{i:03}号公司")))
        .collect();
    app.store.import_employers(&employers).await.unwrap();
    // The first 70 paid every month, the other 50 missed one.
    let months: Vec<EmployerMonthRecord> = employers
        .iter()
        .enumerate()
        .flat_map(|(i, e)| year(e, if i < 70 { 12 } else { 11 }))
        .collect();
    app.store.import_employer_months(&months).await.unwrap();
    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let list = |query: &str| {
        text(
            &supervisor,
            format!(
                "{}/staff/proactive?policy=job-retention-refund&year=2025&{query}",
                app.base
            ),
        )
    };
    let rows = |page: &str, class: &str| page.matches(&format!("<tr class=\"{class}\"")).count();

    let (status, page) = list("").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("辖区内单位 120 家"), "{page}");
    assert_eq!(rows(&page, "eligible") + rows(&page, "not"), 50);
    assert!(page.contains("第 1 页，共 3 页"), "{page}");
    assert!(page.contains("rel=\"next\""));
    assert!(!page.contains("rel=\"prev\""));

    let (_, page) = list("show=eligible&page=2").await;
    assert!(page.contains("符合筛选的单位 70 家"), "{page}");
    assert_eq!((rows(&page, "eligible"), rows(&page, "not")), (20, 0));
    assert!(page.contains("第 2 页，共 2 页"));
    assert!(page.contains("rel=\"prev\"") && !page.contains("rel=\"next\""));
    assert!(
        page.contains("show=eligible&#38;q=&#38;page=1#list"),
        "the previous page keeps the filter: {page}"
    );
    assert!(page.contains("符合条件 70 家"), "the totals cover everyone");

    let (_, page) = list("show=not").await;
    assert_eq!((rows(&page, "eligible"), rows(&page, "not")), (0, 50));
    assert!(!page.contains("rel=\"next\""), "50 fit on one page");

    let code = employers[75].uscc.to_string().to_lowercase();
    let (_, page) = list(&format!("q={code}")).await;
    assert!(page.contains("符合筛选的单位 1 家"), "{page}");
    assert!(page.contains("镇海075号公司"));
    let (_, page) = list("q=%E9%95%87%E6%B5%B7011").await;
    assert!(page.contains("符合筛选的单位 1 家") && page.contains("镇海011号公司"));

    let (status, page) = list("show=everything&page=9").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("没有这种筛选，已显示全部单位。"), "{page}");
    assert!(page.contains("第 1 页，共 3 页"), "{page}");
    assert!(page.contains("role=\"alert\""));
}

async fn post(
    client: &reqwest::Client,
    url: String,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = client.post(url).form(fields).send().await.unwrap();
    let status = response.status();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    (status, location.unwrap_or(response.text().await.unwrap()))
}

#[tokio::test]
async fn a_published_list_takes_an_objection_that_a_supervisor_decides() {
    let app = app::spawn_demo_app().await;
    // Synthetic employers of 2025 in 浙江, screened and published as the command
    // line does.
    let facts =
        yichuang_server::generate_facts(200, 2025, &[RegionCode::parse("330000").unwrap()], 7);
    app.store.import_employers(&facts.employers).await.unwrap();
    app.store
        .import_employer_months(&facts.months)
        .await
        .unwrap();
    app.store.import_claimants(&facts.claimants).await.unwrap();
    let loaded = yichuang_catalog::builtin().unwrap();
    let policy = loaded.policy("job-retention-refund").unwrap();
    let screening = yichuang_engine::proactive::screen_employers(&app.store, policy, 2025)
        .await
        .unwrap();
    let lines: Vec<Listed> = screening
        .eligible()
        .map(|(e, ev)| Listed {
            id: e.id.clone(),
            name: e.name.clone(),
            region: e.region.to_string(),
            amount_cents: ev.amount_cents,
        })
        .collect();
    let target = lines
        .iter()
        .find(|l| l.region.starts_with("33"))
        .expect("an eligible employer in 浙江")
        .clone();
    app.engine
        .execute_grant_list(
            "publish-test",
            ("job-retention-refund", 2025),
            ListCommand::Publish {
                policy_hash: screening.policy_hash.clone(),
                inputs_digest: screening.inputs_digest.clone(),
                lines,
                publicity_days: 5,
            },
            SYSTEM,
            None,
        )
        .await
        .unwrap();

    let public = format!("{}/proactive/job-retention-refund/2025", app.base);
    let (status, page) = text(&browser(), public.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("公示期：2026年3月2日"), "{page}");
    assert!(page.contains(&target.name));
    let (status, _) = text(
        &browser(),
        format!("{}/proactive/job-retention-refund/1999", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A person objects: an empty text is refused in words, then one is taken.
    let person = browser();
    let (_, signin) = text(&person, format!("{}/signin", app.base)).await;
    let (status, _) = post(
        &person,
        format!("{}/signin/demo", app.base),
        &[
            ("csrf", &hidden(&signin, "csrf")),
            ("party", "person:0"),
            ("back", "/"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let form_url = format!("{public}/object?id={}", target.id);
    let (status, form) = text(&person, form_url).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    let fields = |text: &'static str| {
        vec![
            ("csrf", hidden(&form, "csrf")),
            ("nonce", format!("{}-{text}", hidden(&form, "nonce"))),
            ("id", target.id.clone()),
            ("text", text.to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let person = person.clone();
        let url = format!("{public}/object");
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(&person, url, &pairs).await
        }
    };
    let (status, page) = send(fields("  ")).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("请填写异议内容"), "{page}");
    let (status, location) = send(fields("该单位当年有欠缴记录")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    assert!(location.ends_with("?done=objected"));
    let (_, page) = text(&browser(), public.clone()).await;
    assert!(page.contains("异议核实中"));

    // The supervisor in reach sees it; no decision chosen is refused; upheld with a
    // reason, the employer is shown as not refunded.
    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let desk = format!(
        "{}/staff/proactive?policy=job-retention-refund&year=2025",
        app.base
    );
    let (_, page) = text(&supervisor, desk.clone()).await;
    assert!(
        page.contains("该单位当年有欠缴记录"),
        "the objection is waiting"
    );
    let decide = |decision: &'static str| {
        vec![
            ("csrf", hidden(&page, "csrf")),
            ("nonce", format!("{}-{decision}", hidden(&page, "nonce"))),
            ("policy", "job-retention-refund".to_owned()),
            ("year", "2025".to_owned()),
            ("id", target.id.clone()),
            ("decision", decision.to_owned()),
            ("reason", "核实有欠缴".to_owned()),
        ]
    };
    let url = format!("{}/staff/proactive/decide", app.base);
    let pairs = decide("");
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, answer) = post(&supervisor, url.clone(), &pairs).await;
    assert_eq!(status, StatusCode::OK);
    assert!(answer.contains("请选择异议是否成立"), "{answer}");
    let pairs = decide("uphold");
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = post(&supervisor, url, &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = text(&browser(), public).await;
    assert!(page.contains("异议成立，不予返还"), "{page}");
    // The objector is told in their messages, with the list and the line.
    let (status, inbox) = text(&person, format!("{}/my/inbox", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        inbox.contains(&format!(
            "您对2025年度“{}”公示名单中“{}”一条提出的异议经核实成立，该条不予发放。",
            policy.name, target.id
        )),
        "{inbox}"
    );
    assert!(
        inbox.contains("/proactive/job-retention-refund/2025"),
        "{inbox}"
    );
}

/// A long public notice is read page by page and searched by name or credit code; a
/// page number that is none is said so, and the first page shown.
#[tokio::test]
async fn a_long_notice_pages_and_finds_an_employer() {
    let app = spawn_app().await;
    let lines: Vec<Listed> = (0..120u32)
        .map(|i| {
            let e = employer("330211", 50_000_000 + i, &format!("公示测试单位{i:03}"));
            Listed {
                id: e.uscc.as_str().to_owned(),
                name: e.name,
                region: "330211".to_owned(),
                amount_cents: 100_000,
            }
        })
        .collect();
    let wanted = lines[77].clone();
    app.engine
        .execute_grant_list(
            "publish-long",
            ("job-retention-refund", 2025),
            ListCommand::Publish {
                policy_hash: "h".to_owned(),
                inputs_digest: "d".to_owned(),
                lines,
                publicity_days: 5,
            },
            SYSTEM,
            None,
        )
        .await
        .unwrap();
    let url = |query: &str| format!("{}/proactive/job-retention-refund/2025?{query}", app.base);
    let (status, first) = text(&browser(), url("")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("共 120 家单位"), "{first}");
    assert!(first.contains("第 1 页，共 3 页"), "{first}");
    assert_eq!(first.matches("<th scope=\"row\">").count(), 50);
    assert!(first.contains("rel=\"next\""));
    let (_, last) = text(&browser(), url("page=3")).await;
    assert_eq!(last.matches("<th scope=\"row\">").count(), 20);
    assert!(last.contains("rel=\"prev\"") && !last.contains("rel=\"next\""));
    let (_, found) = text(&browser(), url(&format!("q={}", wanted.id.to_lowercase()))).await;
    assert!(
        found.contains(&wanted.name),
        "found by credit code, any case"
    );
    assert_eq!(found.matches("<th scope=\"row\">").count(), 1);
    let (_, none) = text(&browser(), url("q=%E4%B8%8D%E5%AD%98%E5%9C%A8")).await;
    assert!(none.contains("没有符合查找条件的单位"), "{none}");
    let (status, bad) = text(&browser(), url("page=x9")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(bad.contains("页码“x9”无效（共 3 页）"), "{bad}");
}

/// The whole published list downloads as CSV, names with commas quoted.
#[tokio::test]
async fn the_published_list_downloads_as_csv() {
    let app = spawn_app().await;
    let e = employer("330211", 60_000_001, "甲，乙,丙公司");
    app.engine
        .execute_grant_list(
            "publish-csv",
            ("job-retention-refund", 2025),
            ListCommand::Publish {
                policy_hash: "h".to_owned(),
                inputs_digest: "d".to_owned(),
                lines: vec![Listed {
                    id: e.uscc.as_str().to_owned(),
                    name: e.name.clone(),
                    region: "330211".to_owned(),
                    amount_cents: 123_456,
                }],
                publicity_days: 5,
            },
            SYSTEM,
            None,
        )
        .await
        .unwrap();
    let response = browser()
        .get(format!(
            "{}/proactive/job-retention-refund/2025/list.csv",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = response.text().await.unwrap();
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("uscc,name,region,region_name,amount_yuan,status")
    );
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "{},\"甲，乙,丙公司\",330211,浙江省 宁波市 镇海区,1234.56,公示中",
            e.uscc.as_str()
        )
    );
    let (status, _) = text(
        &browser(),
        format!("{}/proactive/job-retention-refund/1999/list.csv", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A list of persons (技能提升补贴) is public with each holder's identity number masked:
/// the full number is on no page, in no CSV, and no search by it finds the line; the
/// last four characters and the certificate's number do.
#[tokio::test]
async fn a_list_of_persons_shows_only_masked_identity_numbers() {
    let app = spawn_app().await;
    let holder =
        yichuang_domain::ResidentId::from_parts(330211, jiff::civil::date(1990, 6, 1), 31).unwrap();
    let full = holder.as_str().to_owned();
    app.engine
        .execute_grant_list(
            "publish-persons",
            ("skill-upgrade-subsidy", 2025),
            ListCommand::Publish {
                policy_hash: "h".to_owned(),
                inputs_digest: "d".to_owned(),
                lines: vec![Listed {
                    id: "C-3".to_owned(),
                    name: full.clone(),
                    region: "330211".to_owned(),
                    amount_cents: 200_000,
                }],
                publicity_days: 5,
            },
            SYSTEM,
            None,
        )
        .await
        .unwrap();
    let url = |rest: &str| format!("{}/proactive/skill-upgrade-subsidy/2025{rest}", app.base);
    let (status, page) = text(&browser(), url("")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&holder.masked()), "{page}");
    assert!(!page.contains(&full), "the full number is never shown");
    assert!(
        page.contains("共 1 张证书")
            && page.contains("持证人")
            && page.contains("对名单中的人员提出异议"),
        "{page}"
    );
    assert!(!page.contains("autocomplete=\"organization\""));
    let (_, by_full) = text(&browser(), url(&format!("?q={full}"))).await;
    assert!(
        by_full.contains("没有符合查找条件的证书"),
        "a search by the full number finds nothing: {by_full}"
    );
    for q in [holder.last_four(), "c-3"] {
        let (_, found) = text(&browser(), url(&format!("?q={q}"))).await;
        assert_eq!(
            found.matches("<th scope=\"row\">").count(),
            1,
            "{q}: {found}"
        );
    }
    let (_, csv) = text(&browser(), url("/list.csv")).await;
    assert!(csv.starts_with("certificate,name,region,"), "{csv}");
    assert!(
        csv.contains(&holder.masked()) && !csv.contains(&full),
        "{csv}"
    );
}

/// A client signed in with the demo sign-in as `party` (`person:0`, `employer:0`, …).
async fn signed_in_as(base: &str, party: &str) -> reqwest::Client {
    let client = browser();
    let (_, signin) = text(&client, format!("{base}/signin")).await;
    let (status, _) = post(
        &client,
        format!("{base}/signin/demo"),
        &[
            ("csrf", &hidden(&signin, "csrf")),
            ("party", party),
            ("back", "/"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    client
}

/// A signed-in person or employer finds their own lines at the top of a notice (a
/// person by their certificates, never by the full number shown), or is told they are
/// not on it; someone not signed in sees neither.
#[tokio::test]
async fn a_signed_in_party_finds_its_own_lines() {
    let app = app::spawn_demo_app().await;
    let parties = yichuang_server::demo_parties();
    let (person, employer) = (parties.people[0].clone(), parties.employers[0].clone());
    let line = |id: &str, name: &str, cents: i64| Listed {
        id: id.to_owned(),
        name: name.to_owned(),
        region: "330211".to_owned(),
        amount_cents: cents,
    };
    for (policy, lines) in [
        (
            "skill-upgrade-subsidy",
            vec![
                line("C-1", &person, 150_000),
                line("C-2", &person, 200_000),
                line("C-3", &parties.people[1], 150_000),
            ],
        ),
        (
            "job-retention-refund",
            vec![
                line(&employer, "演示单位", 1_234_500),
                line("X", "别的单位", 1),
            ],
        ),
    ] {
        app.engine
            .execute_grant_list(
                &format!("publish-{policy}"),
                (policy, 2024),
                ListCommand::Publish {
                    policy_hash: "h".to_owned(),
                    inputs_digest: "d".to_owned(),
                    lines,
                    publicity_days: 5,
                },
                SYSTEM,
                None,
            )
            .await
            .unwrap();
    }
    let persons = format!("{}/proactive/skill-upgrade-subsidy/2024", app.base);
    let employers = format!("{}/proactive/job-retention-refund/2024", app.base);

    let (_, page) = text(&browser(), persons.clone()).await;
    assert!(!page.contains("名单中有您的记录") && !page.contains("没有您的记录"));

    let citizen = signed_in_as(&app.base, "person:0").await;
    let (_, page) = text(&citizen, persons.clone()).await;
    assert!(page.contains("名单中有您的记录"), "{page}");
    assert!(page.contains("证书 C-1：1500.00 元，公示中"), "{page}");
    assert!(page.contains("证书 C-2：2000.00 元，公示中"), "{page}");
    assert!(
        !page.contains("证书 C-3"),
        "another holder's line is not mine"
    );
    assert!(
        page.contains("/object?id=C-2"),
        "an objection to one's own line"
    );
    assert!(
        !page.contains(&person),
        "the full number is still not shown"
    );
    let (_, page) = text(&citizen, employers.clone()).await;
    assert!(page.contains("本名单中没有您的记录。"), "{page}");

    let company = signed_in_as(&app.base, "employer:0").await;
    let (_, page) = text(&company, employers).await;
    assert!(page.contains("演示单位：12345.00 元，公示中"), "{page}");
    assert!(!page.contains("别的单位："));
    let (_, page) = text(&company, persons).await;
    assert!(page.contains("本名单中没有您的记录。"), "{page}");
}

/// An objection by phone or at a window: a clerk in reach takes it for the caller (a
/// bad identity number or a line outside the clerk's reach refused in words, with what
/// was typed kept); the supervisor decides; the caller is told in their messages.
#[tokio::test]
async fn a_clerk_takes_an_objection_by_phone_and_the_caller_is_told() {
    let app = spawn_app().await;
    let zhenhai = employer("330211", 42_000_001, "镇海电话异议公司");
    let wuhou = employer("510107", 42_000_002, "武侯某公司");
    let lines: Vec<Listed> = [&zhenhai, &wuhou]
        .iter()
        .map(|e| Listed {
            id: e.uscc.as_str().to_owned(),
            name: e.name.clone(),
            region: e.region.to_string(),
            amount_cents: 100_000,
        })
        .collect();
    app.engine
        .execute_grant_list(
            "publish-phone",
            ("job-retention-refund", 2025),
            ListCommand::Publish {
                policy_hash: "h".to_owned(),
                inputs_digest: "d".to_owned(),
                lines,
                publicity_days: 5,
            },
            SYSTEM,
            None,
        )
        .await
        .unwrap();
    let caller =
        yichuang_domain::ResidentId::from_parts(330211, jiff::civil::date(1980, 2, 3), 77).unwrap();
    let clerk = staff_browser(&app.base, "clerk-zh").await;
    let desk = format!(
        "{}/staff/proactive?policy=job-retention-refund&year=2025",
        app.base
    );
    let (_, page) = text(&clerk, desk.clone()).await;
    assert!(page.contains("代为登记异议（12333 电话或窗口）"), "{page}");
    let url = format!("{}/staff/proactive/object", app.base);
    let take = |id: &str, party: &str, nonce: &str| {
        vec![
            ("csrf", hidden(&page, "csrf")),
            ("nonce", nonce.to_owned()),
            ("policy", "job-retention-refund".to_owned()),
            ("year", "2025".to_owned()),
            ("id", id.to_owned()),
            ("party", party.to_owned()),
            ("text", "来电称该单位12月欠缴".to_owned()),
        ]
    };
    let send = |fields: Vec<(&'static str, String)>| {
        let (clerk, url) = (clerk.clone(), url.clone());
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post(&clerk, url, &pairs).await
        }
    };
    let (status, answer) = send(take(zhenhai.uscc.as_str(), "33021119800203123", "a")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(answer.contains("提出人的证件号码无效"), "{answer}");
    assert!(
        answer.contains("来电称该单位12月欠缴") && answer.contains("33021119800203123"),
        "what was typed is kept: {answer}"
    );
    let (_, answer) = send(take(wuhou.uscc.as_str(), caller.as_str(), "b")).await;
    assert!(answer.contains("不在您的辖区内"), "{answer}");
    let (status, location) = send(take(zhenhai.uscc.as_str(), caller.as_str(), "c")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    assert!(location.contains("taken=1"));
    let (_, page) = text(&clerk, format!("{desk}&taken=1")).await;
    assert!(page.contains("异议已登记，待处理。"));
    let (_, notice) = text(
        &browser(),
        format!("{}/proactive/job-retention-refund/2025", app.base),
    )
    .await;
    assert!(notice.contains("异议核实中"), "{notice}");

    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let (_, page) = text(&supervisor, desk).await;
    assert!(page.contains("来电称该单位12月欠缴"), "waiting: {page}");
    assert!(page.contains("电话或窗口代为登记"), "{page}");
    let fields = [
        ("csrf", hidden(&page, "csrf")),
        ("nonce", "d".to_owned()),
        ("policy", "job-retention-refund".to_owned()),
        ("year", "2025".to_owned()),
        ("id", zhenhai.uscc.as_str().to_owned()),
        ("decision", "dismiss".to_owned()),
        ("reason", "经核实已补缴".to_owned()),
    ];
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _) = post(
        &supervisor,
        format!("{}/staff/proactive/decide", app.base),
        &pairs,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let told = app.store.messages_to(caller.as_str(), 10).await.unwrap();
    assert!(
        told.iter().any(
            |m| m.message.kind == yichuang_domain::case::MessageKind::ObjectionDecided
                && m.message.objection.as_ref().is_some_and(|o| !o.upheld)
        ),
        "the caller is sent the decision: {told:?}"
    );
}
