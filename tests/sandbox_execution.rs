//! Execution, jobs, records and entity scores: executing a rule really scores the module's
//! recent records, and the scores match an independent computation done here from the records
//! API.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Months, Utc};
use common::{Harness, RULES};
use reqwest::StatusCode;
use serde_json::{Value, json};
use zscore::sandbox::SandboxOptions;

/// Every record of a module with the given fields, walking pages and then page tokens.
async fn all_records(h: &Harness, module: &str, fields: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    let mut page = 1;
    loop {
        let path = match &token {
            Some(t) => format!("/crm/v8/{module}?fields={fields}&per_page=200&page_token={t}"),
            None => format!("/crm/v8/{module}?fields={fields}&per_page=200&page={page}"),
        };
        let r = h.get(&path).await;
        if r.status == StatusCode::NO_CONTENT {
            break;
        }
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        out.extend(r.body["data"].as_array().unwrap().iter().cloned());
        if r.body["info"]["more_records"] != true {
            break;
        }
        if page < 10 {
            page += 1;
        } else {
            token = Some(
                r.body["info"]["next_page_token"]
                    .as_str()
                    .expect("a token beyond 2,000")
                    .to_string(),
            );
        }
    }
    out
}

fn recent(record: &Value, since: DateTime<Utc>) -> bool {
    ["Created_Time", "Last_Activity_Time", "Modified_Time"]
        .iter()
        .any(|f| {
            record[*f]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .is_some_and(|t| t.with_timezone(&Utc) >= since)
        })
}

#[tokio::test]
async fn executing_a_rule_scores_recent_records_of_its_layout() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let id = h
        .create(json!({
            "name": "Exec check", "module": {"api_name": "Leads"}, "layout": {"id": layout}, "active": true,
            "field_rules": [
                {"score": 7, "criteria": {"field": {"api_name": "Lead_Source"}, "comparator": "equal", "value": "Web Download"}},
                {"score": -3, "criteria": {"group_operator": "AND", "group": [
                    {"field": {"api_name": "Country"}, "comparator": "equal", "value": "${EMPTY}"},
                    {"field": {"api_name": "Company"}, "comparator": "not_equal", "value": "${EMPTY}"}]}}
            ]
        }))
        .await;
    let started = Utc::now();
    let r = h
        .put(
            "/crm/v8/Leads/actions/run_scoring_rules",
            Some(json!({"scoring_rules": [id]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.code(0), "SUCCESS");
    let job = r.item(0)["details"]["job_id"].as_str().unwrap().to_string();
    let status = h.wait_job(&job).await;
    assert_eq!(status["state"], "done");
    assert_eq!(status["processed"], status["total"]);

    // The independent computation, from the records API alone.
    let since = started.checked_sub_months(Months::new(6)).unwrap();
    let records = all_records(
        &h,
        "Leads",
        "Lead_Source,Country,Company,Layout,Created_Time,Last_Activity_Time,Modified_Time",
    )
    .await;
    assert!(
        records.len() >= 5000,
        "the demo org has at least 5,000 leads ({})",
        records.len()
    );
    let empty = |v: &Value| v.is_null() || v.as_str() == Some("");
    let mut expected: HashMap<String, i64> = HashMap::new();
    for rec in &records {
        if rec["Layout"]["id"] != layout.as_str() || !recent(rec, since) {
            continue;
        }
        let mut s = 0;
        if rec["Lead_Source"]
            .as_str()
            .is_some_and(|v| v.eq_ignore_ascii_case("Web Download"))
        {
            s += 7;
        }
        if empty(&rec["Country"]) && !empty(&rec["Company"]) {
            s -= 3;
        }
        if s != 0 {
            expected.insert(rec["id"].as_str().unwrap().to_string(), s);
        }
    }
    assert!(
        expected.len() > 50,
        "the check exercises a real share of records ({})",
        expected.len()
    );

    let mut actual: HashMap<String, i64> = HashMap::new();
    let mut page = 1;
    loop {
        let r = h.get(&format!("/crm/v8/Entity_Scores__s?fields=Score,Scoring_Rule,Positive_Score,Negative_Score&per_page=200&page={page}")).await;
        if r.status == StatusCode::NO_CONTENT {
            break;
        }
        for row in r.body["data"].as_array().unwrap() {
            if row["Scoring_Rule"]["id"] == id.as_str() {
                actual.insert(
                    row["Entity"]["id"].as_str().unwrap().to_string(),
                    row["Score"].as_i64().unwrap(),
                );
            }
        }
        if r.body["info"]["more_records"] != true {
            break;
        }
        page += 1;
    }
    assert_eq!(actual, expected);

    // One record's scores on both documented paths agree.
    let (rec, score) = expected.iter().next().unwrap();
    let a = h
        .get(&format!(
            "/crm/v8/Entity_Scores__s/{rec}?fields=Score,Scoring_Rule"
        ))
        .await;
    let b = h
        .get(&format!(
            "/crm/v8/Leads/{rec}/Entity_Scores__s?fields=Score,Scoring_Rule"
        ))
        .await;
    assert_eq!(a.body["data"], b.body["data"]);
    let row = a.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["Scoring_Rule"]["id"] == id.as_str())
        .unwrap();
    assert_eq!(row["Score"].as_i64(), Some(*score));
    assert_eq!(
        row["Touch_Point_Score"],
        Value::Null,
        "not requested, not sent"
    );
}

#[tokio::test]
async fn execute_by_layout_module_and_already_scheduled() {
    let h = Harness::with(SandboxOptions {
        job_chunk_delay: Duration::from_millis(150),
        ..Default::default()
    })
    .await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let r = h
        .put(
            "/crm/v8/Leads/actions/run_scoring_rules",
            Some(json!({"layout": {"id": layout}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["code"], "SUCCESS");
    let job = r.body["details"]["job_id"].as_str().unwrap().to_string();
    let running = h.get(&format!("/sandbox/v1/jobs/{job}")).await.body;
    assert!(running["total"].as_u64().unwrap() > 0);

    let again = h
        .put(
            "/crm/v8/Leads/actions/run_scoring_rules",
            Some(json!({"layout": {"id": layout}})),
        )
        .await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("ALREADY_SCHEDULED"))
    );
    assert_eq!(h.wait_job(&job).await["state"], "done");

    let all = h.put("/crm/v8/Leads/actions/run_scoring_rules", None).await;
    assert_eq!(all.body["code"], "SUCCESS", "{}", all.body);

    let both = h
        .put(
            "/crm/v8/Leads/actions/run_scoring_rules",
            Some(json!({"layout": {"id": layout}, "scoring_rules": ["1"]})),
        )
        .await;
    assert_eq!(both.body["code"], "AMBIGUITY_DURING_PROCESSING");
    let six = h
        .put(
            "/crm/v8/Leads/actions/run_scoring_rules",
            Some(json!({"scoring_rules": ["1", "2", "3", "4", "5", "6"]})),
        )
        .await;
    assert_eq!(six.body["code"], "INVALID_DATA");
    let bad = h.put("/crm/v8/Nope/actions/run_scoring_rules", None).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn records_need_fields_and_page_tokens_beyond_2000() {
    let h = Harness::start().await;
    let r = h.get("/crm/v8/Leads").await;
    assert_eq!(
        r.body,
        json!({"code":"REQUIRED_PARAM_MISSING","details":{"param_name":"fields"},"message":"required param is missing","status":"error"})
    );
    let r = h
        .get("/crm/v8/Leads?fields=Last_Name&page=11&per_page=200")
        .await;
    assert_eq!(r.body["code"], "DISCRETE_PAGINATION_LIMIT_EXCEEDED");
    let r = h.get("/crm/v8/Nope?fields=Last_Name").await;
    assert_eq!(r.body["code"], "INVALID_MODULE");
    let r = h
        .get("/crm/v8/Leads?fields=Last_Name,Owner,Created_Time&per_page=2")
        .await;
    let first = &r.body["data"][0];
    assert!(first["id"].is_string() && first["Owner"]["id"].is_string());
    assert!(DateTime::parse_from_rfc3339(first["Created_Time"].as_str().unwrap()).is_ok());
    let token = r.body["info"]["next_page_token"]
        .as_str()
        .unwrap()
        .to_string();
    let r2 = h
        .get(&format!(
            "/crm/v8/Leads?fields=Last_Name,Owner,Created_Time&per_page=2&page_token={token}"
        ))
        .await;
    assert_ne!(r2.body["data"][0]["id"], first["id"]);
    let mismatch = h
        .get(&format!(
            "/crm/v8/Leads?fields=Last_Name&per_page=2&page_token={token}"
        ))
        .await;
    assert_eq!(mismatch.body["code"], "TOKEN_BOUND_DATA_MISMATCH");
    let missing = h.get("/crm/v8/Entity_Scores__s").await;
    assert_eq!(missing.body["code"], "REQUIRED_PARAM_MISSING");
}

#[tokio::test]
async fn the_seeded_org_is_already_scored() {
    let h = Harness::start().await;
    let r = h
        .get("/crm/v8/Entity_Scores__s?fields=Score,Scoring_Rule&per_page=5")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["data"].as_array().unwrap().len(), 5);
    let active = h.get(&format!("{RULES}?active=true&per_page=200")).await;
    assert!(active.body["scoring_rules"].as_array().unwrap().len() >= 3);
}

/// `GET /crm/v8/Entity_Scores__s/{id}` exactly as Zoho's Python SDK sends it
/// (`EntityScoresOperations(fields=…).get_entity_score(id)`: the id in the path, `fields` as
/// the only parameter): an entity-score row's own id answers that row; a scored record's id
/// answers that record's rows; an id naming neither is refused as before. The same calls go
/// through the SDK itself in `tests/sdk/entity_scores_by_id.py` (run by `.ci/run`).
#[tokio::test]
async fn entity_scores_by_id_take_a_rows_id_or_a_records_id() {
    const FIELDS: &str = "Positive_Score,Negative_Score,Touch_Point_Score,Touch_Point_Positive_Score,Touch_Point_Negative_Score,Score,Scoring_Rule";
    let h = Harness::start().await;
    let list = h
        .get(&format!("/crm/v8/Entity_Scores__s?fields={FIELDS}"))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    // A record the seeded history scored with more than one rule, and one of its rows.
    let rows = list.body["data"].as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| {
            rows.iter()
                .filter(|o| o["Entity"]["id"] == r["Entity"]["id"])
                .count()
                > 1
        })
        .expect("a record with two rows");
    let row_id = row["id"].as_str().unwrap();
    let record_id = row["Entity"]["id"].as_str().unwrap();
    assert_ne!(row_id, record_id);

    let by_row = h
        .get(&format!(
            "/crm/v8/Entity_Scores__s/{row_id}?fields={FIELDS}"
        ))
        .await;
    assert_eq!(by_row.status, StatusCode::OK);
    assert_eq!(by_row.body["data"], json!([row]), "exactly that row");
    assert_eq!(by_row.body["info"]["count"], 1);

    let by_record = h
        .get(&format!(
            "/crm/v8/Entity_Scores__s/{record_id}?fields={FIELDS}"
        ))
        .await;
    assert_eq!(by_record.status, StatusCode::OK);
    let data = by_record.body["data"].as_array().unwrap();
    assert!(data.len() > 1, "all of the record's rows: {data:?}");
    assert!(data.iter().all(|r| r["Entity"]["id"] == record_id));
    assert!(data.contains(row));

    let neither = h
        .get(&format!("/crm/v8/Entity_Scores__s/1234567?fields={FIELDS}"))
        .await;
    assert_eq!(neither.status, StatusCode::BAD_REQUEST);
    assert_eq!(neither.body["status"], "error");
}
