//! Property: no input makes zscore panic where it reads what it does not control. Random bytes
//! and random JSON (built from the API's own vocabulary, so it gets past the first checks) go
//! into the client's response parsers, the request validator, the sandbox over HTTP (which must
//! answer every body with a 2xx/4xx JSON answer, never a 5xx or a dropped connection), the
//! criteria evaluator, and `zscore import`'s directory reader and planner. Fixed seeds and case
//! counts; failures are kept in `proptest-regressions/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Harness, RULES};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value, json};
use zscore::fuzzing;

fn runner(cases: u32, file: &'static str, seed: u8) -> TestRunner {
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: Some(Box::new(FileFailurePersistence::Direct(file))),
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

const KEYS: [&str; 28] = [
    "scoring_rules",
    "code",
    "status",
    "message",
    "details",
    "id",
    "name",
    "description",
    "module",
    "api_name",
    "layout",
    "active",
    "field_rules",
    "signal_rules",
    "custom_fields",
    "score",
    "criteria",
    "field",
    "comparator",
    "value",
    "group_operator",
    "group",
    "signal",
    "namespace",
    "_delete",
    "type",
    "reference_field",
    "field_label",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec![
            "",
            "SUCCESS",
            "error",
            "success",
            "INVALID_DATA",
            "Leads",
            "AND",
            "or",
            "equal",
            "between",
            "in",
            "${EMPTY}",
            "${TODAY}",
            "${LAST_N_DAYS:3}",
            "2026-02-30",
            "Lead_Source",
            "Annual_Revenue",
            "Created_Time",
            "1",
            "-1",
            "Score",
            "\u{1b}[2J",
        ])
        .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..6).prop_map(
                |kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            ),
        ]
    })
}

#[test]
fn response_parsing_never_panics() {
    runner(
        512,
        "proptest-regressions/properties_no_panic_response.txt",
        1,
    )
    .run(
        &(
            any::<u16>(),
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..256),
                json_value().prop_map(|v| v.to_string().into_bytes()),
                json_value().prop_map(|v| json!({"scoring_rules": [v]}).to_string().into_bytes()),
            ],
        ),
        |(status, body)| {
            let mut data = status.to_be_bytes().to_vec();
            data.extend(body);
            fuzzing::response_parse(&data);
            Ok(())
        },
    )
    .unwrap();
}

#[test]
fn request_validation_never_panics() {
    runner(
        512,
        "proptest-regressions/properties_no_panic_request.txt",
        2,
    )
    .run(&json_value(), |v| {
        fuzzing::request_validate(v.to_string().as_bytes());
        Ok(())
    })
    .unwrap();
}

#[test]
fn the_sandbox_answers_every_body_without_a_server_error() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let h = rt.block_on(Harness::start());
    let id = rt.block_on(h.get(&format!("{RULES}?module=Leads"))).body["scoring_rules"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let routes = vec![
        (reqwest::Method::POST, RULES.to_string()),
        (reqwest::Method::PUT, RULES.to_string()),
        (reqwest::Method::PUT, format!("{RULES}/{id}")),
        (
            reqwest::Method::PUT,
            "/crm/v8/Leads/actions/run_scoring_rules".to_string(),
        ),
    ];
    runner(
        96,
        "proptest-regressions/properties_no_panic_sandbox.txt",
        3,
    )
    .run(
        &(
            prop::sample::select(routes),
            prop_oneof![
                json_value().prop_map(|v| v.to_string()),
                json_value().prop_map(|v| json!({"scoring_rules": [v]}).to_string()),
                prop::collection::vec(any::<u8>(), 0..64)
                    .prop_map(|b| String::from_utf8_lossy(&b).to_string()),
            ],
        ),
        |((method, path), body)| {
            let answer = rt.block_on(async {
                let resp = h
                    .http
                    .request(method.clone(), h.url(&path))
                    .header("Authorization", format!("Zoho-oauthtoken {}", h.token))
                    .body(body.clone())
                    .send()
                    .await?;
                let status = resp.status();
                resp.text().await.map(|t| (status, t))
            });
            let (status, text) = match answer {
                Ok(a) => a,
                Err(e) => return Err(TestCaseError::fail(format!("{method} {path}: {e}"))),
            };
            prop_assert!(
                status.as_u16() < 500,
                "{} {} with {:?} → {} {}",
                method,
                path,
                body,
                status,
                text
            );
            prop_assert!(
                text.is_empty() || serde_json::from_str::<Value>(&text).is_ok(),
                "not JSON: {}",
                text
            );
            Ok(())
        },
    )
    .unwrap();
}

fn criteria() -> impl Strategy<Value = Value> {
    let condition = (
        prop::sample::select(vec![
            "Lead_Source",
            "Annual_Revenue",
            "No_of_Employees",
            "Email",
            "Created_Time",
            "Industry",
            "Owner",
            "Email_Opt_Out",
            "Nope",
        ]),
        prop::sample::select(
            zscore::domain::Comparator::ALL
                .iter()
                .map(|c| c.as_str().to_string())
                .collect::<Vec<_>>(),
        ),
        scalar().prop_recursive(1, 4, 3, |inner| {
            prop::collection::vec(inner, 0..3).prop_map(Value::Array)
        }),
        prop::option::of(prop::sample::select(vec!["value", "field", "merge_field"])),
    )
        .prop_map(|(f, c, v, t)| {
            let mut x = json!({"field": {"api_name": f}, "comparator": c, "value": v});
            if let Some(t) = t {
                x["type"] = json!(t);
            }
            x
        });
    condition.prop_recursive(4, 24, 5, |inner| {
        (
            prop::sample::select(vec!["AND", "OR"]),
            prop::collection::vec(inner, 0..5),
        )
            .prop_map(|(op, g)| json!({"group_operator": op, "group": g}))
    })
}

#[test]
fn the_evaluator_never_panics_on_any_criteria_and_record() {
    runner(512, "proptest-regressions/properties_no_panic_eval.txt", 4)
        .run(
            &(criteria(), prop::collection::vec(any::<u8>(), 0..400)),
            |(c, record)| {
                let mut data = c.to_string().into_bytes();
                data.push(b'\n');
                data.extend(record);
                fuzzing::criteria_eval(&data);
                Ok(())
            },
        )
        .unwrap();
}

/// A rule file, valid or broken: a real export file with a random key replaced, or noise.
fn file_contents() -> impl Strategy<Value = String> {
    let valid = json!({"name": "Prop file", "description": null, "module": "Leads",
        "layout": "Standard", "active": true,
        "field_rules": [{"score": 10, "criteria": {"field": "Lead_Source", "comparator": "equal", "value": "Web Download"}}],
        "signal_rules": [], "custom_fields": []});
    let keys = vec![
        "name",
        "description",
        "module",
        "layout",
        "active",
        "field_rules",
        "signal_rules",
        "custom_fields",
        "scroe",
    ];
    prop_oneof![
        3 => (prop::sample::select(keys), json_value()).prop_map(move |(k, v)| {
            let mut f = valid.clone();
            f[k] = v;
            serde_json::to_string_pretty(&f).unwrap()
        }),
        1 => json_value().prop_map(|v| v.to_string()),
        1 => prop::collection::vec(any::<u8>(), 0..128)
            .prop_map(|b| String::from_utf8_lossy(&b).to_string()),
    ]
}

#[test]
fn reading_and_planning_any_import_directory_never_panics() {
    let paths = vec![
        "Leads/Standard/A.json",
        "Leads/Standard/B.json",
        "Leads/_all/C.json",
        "Leads/Nope/D.json",
        "Deals/Standard/E.json",
        "Nope/Standard/F.json",
        "Leads/G.json",
        "Leads/Standard/deep/H.json",
        "Leads/Standard/notes.txt",
        ".zscore-ids.json",
        ".hidden/I.json",
    ];
    let org = fuzzing::demo_org().expect("the demo org loads");
    runner(64, "proptest-regressions/properties_no_panic_import.txt", 5)
        .run(
            &prop::collection::vec((prop::sample::select(paths), file_contents()), 0..6),
            |files| {
                let dir = tempfile::tempdir().unwrap();
                for (rel, contents) in &files {
                    let p = dir.path().join(rel);
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(&p, contents).unwrap();
                }
                if let Ok(set) = zscore::transfer::read_dir(dir.path()) {
                    let _ = zscore::transfer::plan(&set, org).map(|p| p.render());
                }
                Ok(())
            },
        )
        .unwrap();
}
