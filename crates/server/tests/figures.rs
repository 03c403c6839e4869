//! 监督统计 through HTTP: cases taken in over the API are counted as they move, a
//! city's page lists its counties with their figures, a chart and the equalization
//! indices, the CSV holds the same lines, and a bad month or an area outside the
//! staff member's reach is answered in words.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod app;
mod contract;

use app::pages::{staff_browser, text};
use app::spawn_app;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_citys_figures_count_its_counties_cases_as_they_move() {
    let app = spawn_app().await;
    // Two cases in 镇海区: one completed on the spot, one only received.
    for complete in [true, false] {
        let (status, case) = app
            .submit(
                "clerk-zh",
                "personal-record-query",
                "330211",
                "330211",
                &["id-card"],
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
        if complete {
            let id = case["case_id"].as_str().unwrap();
            let (status, done) = app
                .command(
                    "clerk-zh",
                    id,
                    1,
                    json!({ "command": "complete_on_the_spot", "method": "当场打印" }),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{done}");
        }
    }
    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let city = format!("{}/staff/figures?region=330200&figure=submitted", app.base);
    let (status, page) = text(&supervisor, city.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("监督统计：浙江省 宁波市"), "{page}");
    assert!(page.contains("镇海区"), "the county is listed");
    assert!(page.contains("region=330211"), "and opens one level down");
    assert!(page.contains("<svg role=\"img\""), "a chart");
    // Quick periods keep the region and the figure (the engine's day is 2026-03-02).
    assert!(
        page.contains("href=\"/staff/figures?region=330200&#38;from=2026-01&#38;to=2026-03&#38;figure=submitted\"")
            && page.contains("from=2025-01&#38;to=2025-12"),
        "this quarter and last year: {page}"
    );
    let trend = &page[page.find("id=\"trend\"").expect("the month-by-month table")..];
    assert!(
        trend.contains(">2026-03<"),
        "the engine's month is a row: {trend}"
    );
    assert!(
        page.contains("100.0%"),
        "the completed case was on time: {page}"
    );
    assert!(
        page.contains("有该指标的地区不足两个"),
        "one county: nothing to compare"
    );
    // By item and by channel: both cases were taken at a window for one item.
    let by_item = &page[page.find("id=\"by-item\"").expect("an item table")..];
    assert!(
        by_item.contains("个人社会保险权益记录查询打印"),
        "the item by its name: {by_item}"
    );
    let by_channel = &page[page.find("id=\"by-channel\"").expect("a channel table")..];
    let window = &by_channel[by_channel.find("大厅窗口").expect("the window channel")..];
    assert!(
        window.contains(">2<") && window.contains("100.0%"),
        "{window}"
    );

    let (status, csv) = text(
        &supervisor,
        format!("{}/staff/figures.csv?region=330200", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("part,code,name,from,to,on_time_rate"),
        "{header}"
    );
    let county = lines.find(|l| l.starts_with("area,330211,")).expect(&csv);
    let cells: Vec<&str> = county.split(',').collect();
    let column = |name: &str| header.split(',').position(|h| h == name).unwrap();
    assert_eq!(cells[column("submitted")], "2.0000");
    assert_eq!(cells[column("on_time_rate")], "1.0000");
    // Nothing is past its deadline yet.
    assert_eq!(cells[column("overdue_now")], "0.0000");
    let item = lines
        .clone()
        .find(|l| l.starts_with("item,personal-record-query,"))
        .expect(&csv);
    let cells: Vec<&str> = item.split(',').collect();
    assert_eq!(cells[column("submitted")], "2.0000");
    assert_eq!(cells[column("overdue_now")], "", "not kept per item");

    // 效果评估: the item's figures before and after each change in force, and around a
    // month the supervisor names (the engine's month, 2026-03: the two cases fall
    // after it).
    let month = "2026-03";
    let effect = format!(
        "{}/staff/figures/effect?region=330200&item=personal-record-query&months=3&since={month}",
        app.base
    );
    let (status, page) = text(&supervisor, effect).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("国家标准 第 1 版生效"),
        "the national version: {page}"
    );
    let chosen = &page[page
        .find(&format!("自选月份 {month}"))
        .expect("the chosen month")..];
    let submitted = &chosen[chosen.find("收件量").expect("the volume line")..];
    let cells: Vec<&str> = submitted
        .split("<td")
        .skip(1)
        .take(3)
        .map(|c| {
            c.split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("")
        })
        .collect();
    assert_eq!(cells, ["0", "2", "+2"], "{submitted}");
    for (query, said) in [
        ("item=no-such-item", "没有找到这个事项"),
        (
            "item=personal-record-query&months=99",
            "比较月数应为 1 到 24",
        ),
        (
            "item=personal-record-query&since=2026-13",
            "对比月份无法识别",
        ),
    ] {
        let (status, page) = text(
            &supervisor,
            format!("{}/staff/figures/effect?region=330200&{query}", app.base),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(page.contains(said), "{query}: {page}");
    }
    let (status, _) = text(
        &supervisor,
        format!(
            "{}/staff/figures/effect?region=440000&item=personal-record-query",
            app.base
        ),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "outside the supervisor's reach"
    );

    // The province's cases per 10,000 residents (2020 census): 2 of 64,567,588.
    let (_, province) = text(
        &supervisor,
        format!("{}/staff/figures?region=330000", app.base),
    )
    .await;
    let summary = &province[province
        .find("每万常住人口收件量")
        .expect("the residents' figure")..];
    assert!(summary.contains("<dd>0.00</dd>"), "{summary}");
    // A month that is not one: the defaults, said in words.
    let (status, page) = text(
        &supervisor,
        format!("{}/staff/figures?region=330200&from=2026-13", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("月份或日期无法识别"), "{page}");
    // 广东 is outside 浙江's supervisor's reach; a clerk sees only their county.
    let (status, page) = text(
        &supervisor,
        format!("{}/staff/figures?region=440000", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("不在您的管辖范围内"));
    let clerk = staff_browser(&app.base, "clerk-zh").await;
    let (status, _) = text(&clerk, format!("{}/staff/figures?region=330200", app.base)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, own) = text(&clerk, format!("{}/staff/figures", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(own.contains("镇海区"), "{own}");
}

#[tokio::test]
async fn the_ministry_compares_provinces_weighted_by_residents_and_by_economic_region() {
    let app = spawn_app().await;
    // Two cases in 浙江 (东部), one in 四川 (西部).
    for (clerk, county) in [
        ("clerk-zh", "330211"),
        ("clerk-zh", "330211"),
        ("clerk-wh", "510107"),
    ] {
        let (status, case) = app
            .submit(clerk, "personal-record-query", county, county, &["id-card"])
            .await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
    }
    let ministry = staff_browser(&app.base, "supervisor-cn").await;
    let (status, page) = text(
        &ministry,
        format!("{}/staff/figures?figure=submitted", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("监督统计：全国"), "{page}");
    assert!(
        page.contains("region=330000") && page.contains("region=510000"),
        "each province opens one level down: {page}"
    );
    let evenness = &page[page.find("均衡程度").expect("the evenness section")..];
    let value = |label: &str| {
        let at = evenness
            .find(label)
            .unwrap_or_else(|| panic!("{label}: {evenness}"));
        let dd = &evenness[at..];
        let start = dd.find("<dd>").unwrap() + 4;
        dd[start..start + dd[start..].find("</dd>").unwrap()].to_owned()
    };
    // Values 2 and 1: CV 0.5 / 1.5; weighted by 64,567,588 and 83,674,866 residents,
    // 0.345392 (computed by hand); one province per economic region, so the Theil
    // index is all "between" and nothing "within".
    assert_eq!(value("变异系数</dt>"), "0.333333");
    assert_eq!(value("变异系数（按常住人口加权）"), "0.345392");
    assert_eq!(value("泰尔指数 T</dt>"), "0.056633");
    assert_eq!(value("泰尔指数 T：四大区域之间"), "0.056633");
    assert_eq!(value("泰尔指数 T：四大区域内部"), "0.000000");
    assert!(evenness.contains("国家统计局"), "the grouping is sourced");
    // A province's page goes back up to the whole country for the ministry only.
    let (_, province) = text(
        &ministry,
        format!("{}/staff/figures?region=330000", app.base),
    )
    .await;
    assert!(province.contains("region=000000"), "{province}");
    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let (_, own) = text(
        &supervisor,
        format!("{}/staff/figures?region=330000", app.base),
    )
    .await;
    assert!(!own.contains("region=000000"), "no link above the reach");
    let (status, _) = text(
        &supervisor,
        format!("{}/staff/figures?region=000000", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the country is above 浙江");
    let (status, csv) = text(
        &ministry,
        format!("{}/staff/figures.csv?region=000000", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("\nregion,000000,全国,"), "{csv}");
    assert!(csv.contains("\narea,510000,四川省,"), "{csv}");

    // 效果评估 for the whole country: the national versions only, all three cases
    // after the month the ministry names.
    let (status, effect) = text(
        &ministry,
        format!(
            "{}/staff/figures/effect?item=personal-record-query&months=3&since=2026-03",
            app.base
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{effect}");
    assert!(effect.contains("全国"), "{effect}");
    let chosen = &effect[effect.find("自选月份 2026-03").expect("the chosen month")..];
    let volume = &chosen[chosen.find("收件量").expect("the volume line")..];
    assert!(
        volume.contains(">0<") && volume.contains(">3<") && volume.contains(">+3<"),
        "{volume}"
    );

    // The same lines through the API, with the ministry's token.
    let (status, body) = app
        .get("/api/v1/figures?region=000000", Some("supervisor-cn"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["name"], "全国");
    assert_eq!(body["figures"]["submitted"], 3.0);
    let areas = body["areas"].as_array().unwrap();
    let sichuan = areas.iter().find(|a| a["code"] == "510000").expect("四川");
    assert_eq!(sichuan["figures"]["submitted"], 1.0);
    assert_eq!(body["items"][0]["name"], "个人社会保险权益记录查询打印");
    assert!(
        body["months"].as_array().unwrap().len() == 12,
        "a year by default"
    );
    let spread = &body["evenness"]["submitted"];
    assert!(
        (spread["cv_weighted"].as_f64().unwrap() - 0.345_392).abs() < 1e-6,
        "{spread}"
    );
    assert_eq!(spread["theil_t_within"], 0.0);
    assert_eq!(
        body["evenness"]["mean_wait_minutes"],
        serde_json::Value::Null,
        "no hall waits: nothing to compare"
    );
    // A province's own supervisor gets their province by default and not the country.
    let (status, own) = app.get("/api/v1/figures", Some("supervisor-zj")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own["region"], "330000");
    assert_eq!(own["figures"]["submitted"], 2.0);
    let (status, refused) = app
        .get("/api/v1/figures?region=000000", Some("supervisor-zj"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, _) = app.get("/api/v1/figures", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for (query, field) in [
        ("from=2026-13", "from"),
        ("to=2031-01", "to"),
        ("from=2026-03&to=2026-01", "from"),
        ("from=2001-01&to=2026-01", "from"),
        ("region=99", "region"),
    ] {
        let (status, problem) = app
            .get(&format!("/api/v1/figures?{query}"), Some("supervisor-cn"))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
}

#[tokio::test]
async fn a_standards_officer_sees_where_regions_differ_from_the_national_standard() {
    let app = spawn_app().await;
    let officer = staff_browser(&app.base, "standards-zj").await;
    let (status, page) = text(&officer, format!("{}/staff/standards", app.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("与国家标准的差异"), "{page}");
    // 浙江's regions with a local implementation are compared, 广东's are not.
    assert!(page.contains("浙江省"), "{page}");
    assert!(!page.contains("广东省"), "outside the officer's reach");
    // 浙江 promises 领取基本养老金 in 15 working days against the national 20 and drops
    // a material: a quarter shorter and one material, two steps of green.
    assert!(
        page.contains(
            "<td class=\"better heat-2\" data-label=\"浙江省\">承诺时限 ↓ 20 个工作日 → 15 个工作日（-25%）；减少材料 1 项"
        ),
        "the size of the difference: {page}"
    );
    // 地域覆盖: every built-in item is offered online, so every one of 浙江's county
    // units can apply for all of them (the catalog test covers the gaps).
    let units = yichuang_catalog::county_units(Some("330000".parse().unwrap())).len();
    assert!(units >= 80, "{units}");
    assert!(
        page.contains(&format!(
            "{units} 个县级单位中，{units} 个能办理全部现行事项"
        )),
        "{page}"
    );
    let coverage = &page[page.find("id=\"area-coverage\"").expect("the section")..];
    assert!(coverage.contains(">宁波市<"), "by city: {coverage}");
    assert!(coverage.contains("辖区内每个县（区）都能办理每个现行事项"));
    let (status, page) = text(
        &officer,
        format!("{}/staff/standards?date=2026-02-30", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("日期无法识别"), "{page}");
}

#[tokio::test]
async fn figures_by_the_day_read_day_totals_down_to_the_county() {
    let app = spawn_app().await;
    // Today (the test clock) is 2026-03-02: two cases in 镇海区, one in 四川.
    for (clerk, county) in [
        ("clerk-zh", "330211"),
        ("clerk-zh", "330211"),
        ("clerk-wh", "510107"),
    ] {
        let (status, case) = app
            .submit(clerk, "personal-record-query", county, county, &["id-card"])
            .await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
    }
    let figures = |region: &str, period: &str| format!("/api/v1/figures?region={region}&{period}");
    let week = "from=2026-02-24&to=2026-03-02";
    let (status, nation) = app
        .get(&figures("000000", week), Some("supervisor-cn"))
        .await;
    assert_eq!(status, StatusCode::OK, "{nation}");
    assert_eq!(nation["figures"]["submitted"], 3.0);
    let days = nation["months"].as_array().unwrap();
    assert_eq!(days.len(), 7, "one line a day");
    assert_eq!(days[0]["month"], "2026-02-24");
    assert_eq!(days[6]["month"], "2026-03-02");
    assert_eq!(days[6]["figures"]["submitted"], 3.0);
    assert_eq!(days[5]["figures"]["submitted"], 0.0);
    assert_eq!(nation["items_kept"], true);
    assert_eq!(nation["items"][0]["figures"]["submitted"], 3.0);
    let areas = nation["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 2, "{areas:?}");
    // A province: its counties' days, its items by day.
    let (_, zhejiang) = app
        .get(&figures("330000", week), Some("supervisor-zj"))
        .await;
    assert_eq!(zhejiang["figures"]["submitted"], 2.0);
    assert_eq!(zhejiang["areas"][0]["code"], "330200");
    assert_eq!(zhejiang["items"][0]["figures"]["submitted"], 2.0);
    // A city: its counties by day; its items are kept by month only, and it says so.
    let (_, ningbo) = app
        .get(&figures("330200", week), Some("supervisor-zj"))
        .await;
    assert_eq!(ningbo["figures"]["submitted"], 2.0);
    assert_eq!(ningbo["areas"][0]["code"], "330211");
    assert_eq!(ningbo["items_kept"], false);
    assert_eq!(ningbo["items"].as_array().unwrap().len(), 0);
    // The day before has none; one end alone runs to today.
    let (_, before) = app
        .get(
            &figures("330200", "from=2026-02-01&to=2026-03-01"),
            Some("supervisor-zj"),
        )
        .await;
    assert_eq!(before["figures"]["submitted"], 0.0);
    let (_, open) = app
        .get(&figures("330200", "from=2026-03-01"), Some("supervisor-zj"))
        .await;
    assert_eq!(
        (open["from"].as_str(), open["to"].as_str()),
        (Some("2026-03-01"), Some("2026-03-02"))
    );
    for (period, field) in [
        ("from=2026-03-01&to=2026-03", "to"),
        ("from=2025-11-01&to=2026-03-02", "from"),
        ("from=2026-03-03", "from"),
        ("from=2026-02-30", "from"),
        ("to=2026-3-1", "to"),
    ] {
        let (status, problem) = app
            .get(&figures("330200", period), Some("supervisor-zj"))
            .await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{period}: {problem}"
        );
        assert_eq!(problem["errors"][0]["field"], field, "{period}: {problem}");
    }
    // The page: day inputs filled, a line a day, the items' absence said in words.
    let supervisor = staff_browser(&app.base, "supervisor-zj").await;
    let (status, page) = text(
        &supervisor,
        format!("{}/staff/figures?region=330200&{week}", app.base),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(r#"name="from" type="date" value="2026-02-24""#),
        "{page}"
    );
    assert!(
        page.contains(r#"name="from" type="month" value="""#),
        "{page}"
    );
    assert!(page.contains(">2026-03-02</th>"), "{page}");
    assert!(page.contains("按日的事项数字只为省和全国保存"), "{page}");
    let (_, mixed) = text(
        &supervisor,
        format!("{}/staff/figures?from=2026-03-01&to=2026-03", app.base),
    )
    .await;
    assert!(mixed.contains("起止须同为月份或同为日期"), "{mixed}");
}
