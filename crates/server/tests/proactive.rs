//! 免申即享's list through HTTP: a supervisor sees the employers in reach with their
//! outcome, amount and reasons in words; a bad year is answered in words.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use app::pages::{staff_browser, text};
use app::spawn_app;
use reqwest::StatusCode;
use yichuang_domain::facts::{Cents, EmployerMonthRecord, EmployerRecord, EmployerSize, Month};
use yichuang_domain::{RegionCode, Uscc};

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
