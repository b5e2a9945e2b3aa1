//! The scoring-rules endpoints over real HTTP: create, read, list, update, delete, activate,
//! clone, with Zoho's statuses, envelopes and error codes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, RULES, leads_rule};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn create_read_update_delete_round_trip() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let id = h.create(leads_rule("Round trip", &layout)).await;
    assert_eq!(id.len(), 19, "ids are 19-digit strings");

    let rule = h.rule(&id).await;
    assert_eq!(rule["name"], "Round trip");
    assert_eq!(rule["active"], false);
    assert_eq!(rule["module"]["api_name"], "Leads");
    assert_eq!(rule["layout"]["id"], layout.as_str());
    assert!(rule["layout"]["display_label"].is_string());
    let fr = &rule["field_rules"][0];
    assert!(fr["id"].is_string());
    assert_eq!(fr["score"], 10);
    assert!(
        fr["criteria"]["field"]["id"].is_string(),
        "the sandbox fills in field ids"
    );
    assert_eq!(rule["signal_rules"], serde_json::Value::Null);
    assert!(rule["created_time"].as_str().unwrap().contains('T'));

    let fr_id = fr["id"].as_str().unwrap().to_string();
    let r = h
        .put(
            &format!("{RULES}/{id}"),
            Some(
                json!({"scoring_rules": [{"name": "Round trip 2", "description": "changed",
                "field_rules": [{"id": fr_id, "score": -20}]}]}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.item(0)["message"], "scoring rule updated successfully");
    let rule = h.rule(&id).await;
    assert_eq!(rule["name"], "Round trip 2");
    assert_eq!(rule["description"], "changed");
    assert_eq!(rule["field_rules"][0]["score"], -20);
    assert_eq!(
        rule["field_rules"][0]["criteria"]["value"], "Web Download",
        "criteria kept"
    );

    let r = h.delete(&format!("{RULES}/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.item(0),
        &json!({"code":"SUCCESS","details":{"id":id},"message":"scoring rule deleted successfully","status":"success"})
    );
    let r = h.get(&format!("{RULES}/{id}")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body,
        json!({"code":"INVALID_DATA","details":{"resource_path_index":3},"message":"The id given seems to be invalid","status":"error"})
    );
}

#[tokio::test]
async fn list_filters_and_pages_with_info() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let a = h.create(leads_rule("List A", &layout)).await;
    let b = h.create(leads_rule("List B", &layout)).await;

    let r = h
        .get(&format!(
            "{RULES}?module=Leads&layout_id={layout}&per_page=1&page=1"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["scoring_rules"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["info"]["per_page"], 1);
    assert_eq!(r.body["info"]["count"], 1);
    assert_eq!(r.body["info"]["page"], 1);
    assert_eq!(r.body["info"]["more_records"], true);

    let all = h
        .get(&format!(
            "{RULES}?module=Leads&layout_id={layout}&per_page=200"
        ))
        .await;
    let ids: Vec<&str> = all.body["scoring_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&a.as_str()) && ids.contains(&b.as_str()));
    for r in all.body["scoring_rules"].as_array().unwrap() {
        assert_eq!(r["module"]["api_name"], "Leads");
        assert_eq!(r["layout"]["id"], layout.as_str());
    }

    let inactive = h
        .get(&format!("{RULES}?module=Leads&active=False&name=list"))
        .await;
    let names: Vec<&str> = inactive.body["scoring_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["List A", "List B"]);

    let nothing = h
        .get(&format!("{RULES}?module=Leads&name=no-such-rule"))
        .await;
    assert_eq!(nothing.status, StatusCode::NO_CONTENT);

    let bad = h.get(&format!("{RULES}?module=Nope")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad.body,
        json!({"code":"INVALID_DATA","details":{"param_name":"module"},"message":"Please check whether the input values are correct","status":"error"})
    );
    let bad = h.get(&format!("{RULES}?per_page=0")).await;
    assert_eq!(bad.body["details"]["param_name"], "per_page");

    let only = h
        .get(&format!("{RULES}?module=Leads&fields=name&per_page=1"))
        .await;
    let first = &only.body["scoring_rules"][0];
    assert!(
        first["name"].is_string() && first["field_rules"].is_null() && first["active"].is_null()
    );
}

#[tokio::test]
async fn partial_success_applies_exactly_the_successful_items() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut nameless = leads_rule("x", &layout);
    nameless.as_object_mut().unwrap().remove("name");
    let r = h
        .post(
            RULES,
            json!({"scoring_rules": [nameless, leads_rule("Partial OK", &layout)]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS, "{}", r.body);
    assert_eq!(
        r.item(0),
        &json!({"code":"MANDATORY_NOT_FOUND","details":{"api_name":"name","json_path":"$.scoring_rules[0].name"},"message":"required field not found","status":"error"})
    );
    assert_eq!(r.code(1), "SUCCESS");
    assert_eq!(r.item(1)["message"], "scoring rule created successfully");
    let listed = h.get(&format!("{RULES}?module=Leads&name=Partial")).await;
    assert_eq!(listed.body["scoring_rules"].as_array().unwrap().len(), 1);

    // Bulk update: one unknown id among good ones.
    let ok_id = r.id(1);
    let r = h
        .put(RULES, Some(json!({"scoring_rules": [{"id": ok_id, "description": "bulk"}, {"id": "1234567890123456789", "name": "ghost"}]})))
        .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS);
    assert_eq!(r.code(0), "SUCCESS");
    assert_eq!(
        r.item(1),
        &json!({"code":"INVALID_DATA","details":{"api_name":"id","json_path":"$.scoring_rules[1].id"},"message":"The id given seems to be invalid","status":"error"})
    );
    assert_eq!(h.rule(&ok_id).await["description"], "bulk");

    // Delete by ids with one unknown.
    let r = h
        .delete(&format!("{RULES}?ids={ok_id},1111111111111111111"))
        .await;
    assert_eq!(r.status, StatusCode::MULTI_STATUS);
    assert_eq!(
        r.item(1),
        &json!({"code":"INVALID_DATA","details":{"id":"1111111111111111111"},"message":"The id given seems to be invalid","status":"error"})
    );
    assert_eq!(
        h.get(&format!("{RULES}/{ok_id}")).await.status,
        StatusCode::BAD_REQUEST
    );
    let r = h.delete(RULES).await;
    assert_eq!(
        r.body,
        json!({"code":"REQUIRED_PARAM_MISSING","details":{"param_name":"ids"},"message":"required param is missing","status":"error"})
    );
}

#[tokio::test]
async fn documented_create_errors() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let create = |rule: serde_json::Value| {
        let h = &h;
        async move { h.post(RULES, json!({ "scoring_rules": [rule] })).await }
    };

    let r = create(leads_rule("This name is twenty-six!!", &layout)).await;
    assert_eq!(
        (r.status, r.code(0)),
        (StatusCode::CREATED, "SUCCESS"),
        "25 chars pass: {}",
        r.body
    );
    let r = create(leads_rule("This name is twenty-six!!x", &layout)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.item(0)["code"], "INVALID_DATA");
    assert_eq!(r.item(0)["details"]["maximum_length"], 25);
    assert_eq!(r.item(0)["details"]["json_path"], "$.scoring_rules[0].name");

    let mut rule = leads_rule("Score high", &layout);
    rule["field_rules"][0]["score"] = json!(101);
    let r = create(rule).await;
    assert_eq!(
        (r.status, r.code(0)),
        (StatusCode::BAD_REQUEST, "INVALID_DATA")
    );
    assert_eq!(
        r.item(0)["details"]["json_path"],
        "$.scoring_rules[0].field_rules[0].score"
    );

    let mut rule = leads_rule("No rules", &layout);
    rule.as_object_mut().unwrap().remove("field_rules");
    let r = create(rule).await;
    assert_eq!(
        r.item(0),
        &json!({"code":"EXPECTED_FIELD_MISSING","details":{"expected_fields":[
            {"api_name":"field_rules","json_path":"$.scoring_rules[0].field_rules"},
            {"api_name":"signal_rules","json_path":"$.scoring_rules[0].signal_rules"}]},
            "message":"field_rules or signal_rules is expected","status":"error"})
    );

    let r = create(leads_rule("this NAME is twenty-six!!", &layout)).await;
    assert_eq!(
        r.code(0),
        "DUPLICATE_DATA",
        "names are unique case-insensitively: {}",
        r.body
    );
    assert_eq!(
        r.item(0)["message"],
        "The data is already given in the name"
    );

    let mut rule = leads_rule("Bad layout", &layout);
    rule["layout"]["id"] = json!("1234");
    let r = create(rule).await;
    assert_eq!(r.item(0)["message"], "Layout id seems to be invalid");

    let mut rule = leads_rule("Bad module", &layout);
    rule["module"]["api_name"] = json!("Nope");
    let r = create(rule).await;
    assert_eq!(r.item(0)["message"], "Module specified seems to be invalid");

    let mut rule = leads_rule("Wrong type", &layout);
    rule["active"] = json!("false");
    let r = create(rule).await;
    assert_eq!(r.item(0)["details"]["expected_data_type"], "boolean");
}

#[tokio::test]
async fn signal_rules_only_on_people_modules() {
    let h = Harness::start().await;
    let signals = h.get("/crm/v8/settings/signals").await.body["signals"].clone();
    let sig = signals
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["feature_availability"]["scoring"] == true)
        .unwrap()
        .clone();
    let (deals_layout, _) = h.layout("Deals", "Standard").await;
    let r = h
        .post(RULES, json!({"scoring_rules": [{
            "name": "Deal signals", "module": {"api_name": "Deals"}, "layout": {"id": deals_layout},
            "signal_rules": [{"score": 5, "signal": {"namespace": sig["namespace"], "id": sig["id"]}}]}]}))
        .await;
    assert_eq!(
        (r.status, r.code(0)),
        (StatusCode::BAD_REQUEST, "NOT_SUPPORTED"),
        "{}",
        r.body
    );

    let (leads_layout, _) = h.layout("Leads", "Standard").await;
    let id = h
        .create(json!({"name": "Lead signals", "module": {"api_name": "Leads"}, "layout": {"id": leads_layout},
            "signal_rules": [{"score": 5, "signal": {"namespace": sig["namespace"], "id": sig["id"]}}]}))
        .await;
    let rule = h.rule(&id).await;
    assert_eq!(rule["has_signal_rules"], true);
    let sr_id = rule["signal_rules"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(
        rule["signal_rules"][0]["signal"]["namespace"],
        sig["namespace"]
    );

    // `_delete: null` removes it; the rule must keep a field or signal rule, so add a field rule.
    let r = h
        .put(&format!("{RULES}/{id}"), Some(json!({"scoring_rules": [{
            "signal_rules": [{"id": sr_id, "_delete": null}],
            "field_rules": [{"score": 3, "criteria": {"field": {"api_name": "Company"}, "comparator": "contains", "value": "zoho"}}]}]})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rule = h.rule(&id).await;
    assert!(rule["signal_rules"].is_null());
    assert_eq!(rule["has_signal_rules"], false);
    assert_eq!(rule["field_rules"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn activate_deactivate_and_clone() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let id = h.create(leads_rule("Toggle me", &layout)).await;
    let r = h.put(&format!("{RULES}/{id}/actions/activate"), None).await;
    assert_eq!(
        r.item(0),
        &json!({"code":"SUCCESS","details":{"id":id},"message":"scoring rule activated successfully","status":"success"})
    );
    assert_eq!(h.rule(&id).await["active"], true);
    let r = h.delete(&format!("{RULES}/{id}/actions/activate")).await;
    assert_eq!(
        r.item(0)["message"],
        "scoring rule deactivated successfully"
    );
    assert_eq!(h.rule(&id).await["active"], false);

    let r = h
        .post(&format!("{RULES}/{id}/actions/clone"), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.item(0)["message"], "scoring rule cloned successfully");
    let clone = h.rule(&r.id(0)).await;
    assert_eq!(clone["active"], true, "clones are always active");
    assert_eq!(clone["name"], "Toggle me - Copy");
    assert_eq!(
        clone["field_rules"][0]["criteria"],
        h.rule(&id).await["field_rules"][0]["criteria"]
    );
    assert_eq!(
        h.rule(&id).await["active"],
        false,
        "the source keeps its state"
    );

    for path in [
        format!("{RULES}/9999999999999999999/actions/activate"),
        format!("{RULES}/abc/actions/clone"),
    ] {
        let r = h.put(&path, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
    }
}

#[tokio::test]
async fn per_layout_active_limit_is_enforced() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let listed = h
        .get(&format!(
            "{RULES}?module=Leads&layout_id={layout}&active=true"
        ))
        .await;
    let already = listed.body["scoring_rules"]
        .as_array()
        .map_or(0, |a| a.len());
    for i in already..5 {
        let mut rule = leads_rule(&format!("Active {i}"), &layout);
        rule["active"] = json!(true);
        rule["field_rules"][0]["score"] = json!(i as i64 + 1);
        h.create(rule).await;
    }
    let mut sixth = leads_rule("Active six", &layout);
    sixth["active"] = json!(true);
    let r = h.post(RULES, json!({"scoring_rules": [sixth]})).await;
    assert_eq!(
        r.item(0),
        &json!({"code":"ACTIVE_STATE_LIMIT_EXCEEDED","details":{"api_name":"id","limit":5,"json_path":"$.scoring_rules[0].layout.id"},
                "message":"More than 5 active scoring rules cannot be created for a layout","status":"error"})
    );
    // An inactive one still fits, but activating it does not.
    let id = h.create(leads_rule("Inactive extra", &layout)).await;
    let r = h.put(&format!("{RULES}/{id}/actions/activate"), None).await;
    assert_eq!(
        (r.status, r.code(0)),
        (StatusCode::BAD_REQUEST, "ACTIVE_STATE_LIMIT_EXCEEDED")
    );
    let r = h
        .post(&format!("{RULES}/{id}/actions/clone"), json!({}))
        .await;
    assert_eq!(
        r.code(0),
        "ACTIVE_STATE_LIMIT_EXCEEDED",
        "a clone is active, so it does not fit either"
    );
}

/// Zoho's "Create Scoring Rules" page: DUPLICATE_DATA when "a scoring rule with the specified
/// criteria … already exists". A create or update whose field rules' criteria, as a set,
/// equal another rule's in the same module and layout bucket is refused, `details.id` naming
/// that rule; other layouts, partial overlaps and clones are allowed.
#[tokio::test]
async fn repeating_another_rules_criteria_is_duplicate_data() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut first = leads_rule("Criteria first", &layout);
    first["field_rules"][1]["criteria"] =
        json!({"field": {"api_name": "Country"}, "comparator": "equal", "value": "India"});
    let first_id = h.create(first.clone()).await;

    // Same criteria, other scores and order, other name: refused, naming the first rule.
    let mut again = first.clone();
    again["name"] = json!("Criteria again");
    let list = again["field_rules"].as_array_mut().unwrap();
    list.reverse();
    list[0]["score"] = json!(-40);
    let r = h.post(RULES, json!({ "scoring_rules": [again] })).await;
    assert_eq!(r.status, reqwest::StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(
        r.item(0),
        &json!({"code": "DUPLICATE_DATA",
                "details": {"api_name": "field_rules", "json_path": "$.scoring_rules[0].field_rules", "id": first_id},
                "message": "A scoring rule with the specified criteria already exists",
                "status": "error"})
    );

    // The same criteria in another layout, or for all layouts: allowed.
    let (other_layout, _) = h.layout("Leads", "Partner_Referral").await;
    let mut elsewhere = first.clone();
    elsewhere["name"] = json!("Criteria elsewhere");
    elsewhere["layout"] = json!({"id": other_layout});
    h.create(elsewhere).await;
    let mut everywhere = first.clone();
    everywhere["name"] = json!("Criteria everywhere");
    everywhere.as_object_mut().unwrap().remove("layout");
    h.create(everywhere).await;

    // Sharing one field rule of two: allowed.
    let mut part = first.clone();
    part["name"] = json!("Criteria in part");
    part["field_rules"][1]["criteria"]["value"] = json!("Japan");
    let part_id = h.create(part).await;

    // An update that makes them equal: refused; renaming is fine.
    let stored = h.rule(&part_id).await;
    let fr = stored["field_rules"][1]["id"].as_str().unwrap();
    let r = h
        .put(
            &format!("{RULES}/{part_id}"),
            Some(json!({"scoring_rules": [{"field_rules": [
                {"id": fr, "criteria": {"field": {"api_name": "Country"}, "comparator": "equal", "value": "india"}}
            ]}]})),
        )
        .await;
    assert_eq!(r.code(0), "DUPLICATE_DATA", "{}", r.body);
    assert_eq!(r.item(0)["details"]["id"], json!(first_id));

    // A clone repeats its source's criteria, as Zoho's clone does; renaming it stays allowed.
    let r = h
        .post(&format!("{RULES}/{first_id}/actions/clone"), json!({}))
        .await;
    assert_eq!(r.code(0), "SUCCESS", "{}", r.body);
    let clone_id = r.id(0);
    let r = h
        .put(
            &format!("{RULES}/{clone_id}"),
            Some(json!({"scoring_rules": [{"name": "Criteria clone"}]})),
        )
        .await;
    assert_eq!(r.code(0), "SUCCESS", "{}", r.body);
}
