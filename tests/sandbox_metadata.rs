//! Org metadata endpoints: modules, layouts (with their fields), fields, signals, org, users.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use reqwest::StatusCode;
use serde_json::json;
use zscore::sandbox::SandboxOptions;

#[tokio::test]
async fn modules_layouts_and_fields_describe_the_demo_org() {
    let h = Harness::start().await;
    let modules = h.get("/crm/v8/settings/modules").await.body["modules"].clone();
    let names: Vec<&str> = modules
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["api_name"].as_str().unwrap())
        .collect();
    for m in ["Leads", "Contacts", "Accounts", "Deals"] {
        assert!(names.contains(&m), "{m} in {names:?}");
    }
    assert!(
        modules
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["generated_type"] == "custom"),
        "a custom module"
    );

    let layouts = h.get("/crm/v8/settings/layouts?module=Leads").await.body["layouts"].clone();
    let layouts = layouts.as_array().unwrap();
    assert!(layouts.len() >= 3);
    let fields = h.get("/crm/v8/settings/fields?module=Leads").await.body["fields"].clone();
    let fields = fields.as_array().unwrap();
    let field_names: Vec<&str> = fields
        .iter()
        .map(|f| f["api_name"].as_str().unwrap())
        .collect();
    for f in [
        "Last_Name",
        "Company",
        "Designation",
        "Email",
        "Lead_Source",
        "Lead_Status",
        "Industry",
        "Annual_Revenue",
        "No_of_Employees",
        "Rating",
        "Country",
        "Created_Time",
        "Modified_Time",
        "Last_Activity_Time",
    ] {
        assert!(field_names.contains(&f), "Leads field {f}");
    }
    // Some Leads field is missing from some Leads layout.
    let in_layout = |l: &serde_json::Value, f: &str| {
        l["sections"].as_array().unwrap().iter().any(|s| {
            s["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x["api_name"] == f)
        })
    };
    assert!(field_names.iter().any(
        |f| layouts.iter().any(|l| !in_layout(l, f)) && layouts.iter().any(|l| in_layout(l, f))
    ));

    let first = layouts[0]["id"].as_str().unwrap();
    let narrowed = h
        .get(&format!(
            "/crm/v8/settings/fields?module=Leads&layout_id={first}"
        ))
        .await
        .body["fields"]
        .clone();
    assert!(
        narrowed
            .as_array()
            .unwrap()
            .iter()
            .all(|f| in_layout(&layouts[0], f["api_name"].as_str().unwrap()))
    );

    let r = h.get("/crm/v8/settings/layouts").await;
    assert_eq!(
        r.body,
        json!({"code":"REQUIRED_PARAM_MISSING","details":{"param_name":"module"},"message":"required param is missing","status":"error"})
    );
    let r = h.get("/crm/v8/settings/fields?module=Nope").await;
    assert_eq!(
        (r.status, r.body["details"]["param_name"].as_str()),
        (StatusCode::BAD_REQUEST, Some("module"))
    );
}

#[tokio::test]
async fn signals_org_and_current_user() {
    let h = Harness::with(SandboxOptions {
        edition: "ultimate".parse().unwrap(),
        ..Default::default()
    })
    .await;
    let signals = h.get("/crm/v8/settings/signals").await.body["signals"].clone();
    let signals = signals.as_array().unwrap();
    assert!(signals.len() >= 10);
    assert!(
        signals
            .iter()
            .any(|s| s["feature_availability"]["scoring"] == false)
    );
    assert!(
        signals
            .iter()
            .all(|s| s["namespace"].is_string() && s["extension"]["namespace"].is_string())
    );

    let org = h.get("/crm/v8/org").await.body["org"][0].clone();
    assert_eq!(
        org["license_details"]["paid_type"], "ultimate",
        "the edition the sandbox runs"
    );
    assert!(org["company_name"].is_string());

    let me = h.get("/crm/v8/users?type=CurrentUser").await.body["users"].clone();
    assert_eq!(me.as_array().unwrap().len(), 1);
    assert!(me[0]["email"].as_str().unwrap().contains('@'));
}
