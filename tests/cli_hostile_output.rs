//! Every CLI command against hostile sources: a server whose error codes, messages and details
//! carry escape sequences (OSC 52 clipboard writes, screen clears, a one-byte C1 CSI, bidi
//! overrides, DEL, a zero-width joiner, a lone carriage return), a token endpoint whose `error`
//! does, a proxy in front of a real sandbox that puts them into every name, label and message
//! the org returns, an export directory whose file and directory names carry them, and local
//! files (config.toml, a seed directory name) that do. Nothing a command prints on stdout or
//! stderr may hold a byte below 0x20 other than a line feed or tab (or the carriage return of a
//! CSV row end), DEL, a C1 control, a bidi control or a zero-width joiner.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use common::Harness;
use common::scripted::{Act, scripted, scripted_with_token};
use serde_json::{Value, json};

const ATTACK: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J\u{1b}]0;pwned\u{1b}\\\u{9b}31m\u{202e}\u{7f}\u{200d}\rEND";

/// Where a forbidden character sits in `text`, if anywhere.
fn first_forbidden(text: &str) -> Option<(usize, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().find_map(|(i, &c)| {
        let bad = match c {
            '\n' | '\t' => false,
            // A carriage return right before a line feed ends a CSV row and overwrites nothing.
            '\r' => chars.get(i + 1) != Some(&'\n'),
            c if (c as u32) < 0x20 => true,
            '\u{7f}'..='\u{9f}' => true,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' => true,
            '\u{2066}'..='\u{2069}' | '\u{200D}' => true,
            _ => false,
        };
        bad.then_some((i, c))
    })
}

/// Asserts both streams are inert; returns them joined, for checks that the attack was seen.
fn assert_inert(what: &str, out: &Output) -> String {
    let stdout = String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8");
    let stderr = String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8");
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        if let Some((i, c)) = first_forbidden(text) {
            panic!(
                "{what}: U+{:04X} at char {i} of {name}:\n{}",
                c as u32,
                text.escape_debug()
            );
        }
    }
    format!("{stdout}{stderr}")
}

/// A successful JSON command's stdout is still JSON (one document, or JSON lines) after the
/// output path: the data is escaped inside its strings, not broken.
fn assert_json(what: &str, out: &Output) {
    if !out.status.success() {
        return;
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    if serde_json::from_str::<Value>(&stdout).is_ok() {
        return;
    }
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        if let Err(e) = serde_json::from_str::<Value>(line) {
            panic!("{what}: not JSON ({e}):\n{stdout}");
        }
    }
}

/// The attack as the output path shows it: defused, visible.
fn defused(all: &str) -> bool {
    all.contains("\\u{1b}]52;c;")
}

async fn cli(url: &str, home: &Path, args: &[&str]) -> Output {
    common::run_cli(url, home, args).await
}

/// A server answering every API request with a 400 whose code, message and details are
/// hostile; its token endpoint works.
async fn hostile_errors() -> String {
    let body = json!({
        "code": format!("INVALID_DATA{ATTACK}"),
        "message": format!("bad{ATTACK}"),
        "details": {"api_name": ATTACK, "json_path": format!("$.scoring_rules[0]{ATTACK}"), "limit": ATTACK},
        "status": "error",
    })
    .to_string();
    let (url, _) = scripted(Arc::new(move |_| {
        Act::Owned(StatusCode::BAD_REQUEST, body.clone())
    }))
    .await;
    url
}

/// Keys whose string values the proxy makes hostile: names, labels, messages; never ids,
/// api_names or states, which the client needs to find its way.
const HOSTILE_KEYS: [&str; 9] = [
    "name",
    "display_label",
    "plural_label",
    "singular_label",
    "field_label",
    "company_name",
    "full_name",
    "message",
    "description",
];

fn poison(v: &mut Value) {
    match v {
        Value::Object(map) => {
            // The sandbox announces itself as the API domain; the client must keep coming here.
            map.remove("api_domain");
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if HOSTILE_KEYS.contains(&k.as_str()) => {
                        s.push_str(ATTACK);
                    }
                    other => poison(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(poison),
        _ => {}
    }
}

/// A proxy in front of the sandbox at `upstream` that poisons every JSON answer.
async fn poisoning_proxy(upstream: String) -> String {
    let http = reqwest::Client::new();
    let app = Router::new().fallback(move |req: Request| {
        let http = http.clone();
        let upstream = upstream.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 24)
                .await
                .unwrap_or_default();
            let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
            let mut fwd = http.request(parts.method.clone(), format!("{upstream}{path}"));
            for (k, v) in &parts.headers {
                if k != header::HOST && k != header::CONTENT_LENGTH {
                    fwd = fwd.header(k, v);
                }
            }
            let Ok(resp) = fwd.body(body).send().await else {
                return StatusCode::BAD_GATEWAY.into_response();
            };
            let status = resp.status();
            let bytes = resp.bytes().await.unwrap_or_default();
            let body = match serde_json::from_slice::<Value>(&bytes) {
                Ok(mut v) => {
                    poison(&mut v);
                    Bytes::from(v.to_string())
                }
                Err(_) => bytes,
            };
            Response::builder()
                .status(status)
                .header(header::CONTENT_TYPE, "application/json")
                .body(axum::body::Body::from(body))
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

/// A rule file for Leads/Standard, named `name`.
fn rule_file(name: &str) -> String {
    serde_json::to_string_pretty(&json!({
        "name": name,
        "description": null,
        "module": "Leads",
        "layout": "Standard",
        "active": false,
        "field_rules": [
            {"score": 10, "criteria": {"field": "Lead_Source", "comparator": "equal", "value": "Web Download"}}
        ],
        "signal_rules": [],
        "custom_fields": []
    }))
    .unwrap()
}

#[tokio::test]
async fn every_command_prints_hostile_server_text_inert() {
    let h = Harness::start().await;
    let proxy = poisoning_proxy(h.sandbox.url.clone()).await;
    let errors = hostile_errors().await;
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let mut seen = String::new();

    // Reading commands, against names and against errors.
    for url in [&proxy, &errors] {
        for args in [
            vec!["audit", "--all"],
            vec!["audit", "--all", "--format", "csv"],
            vec!["audit", "--all", "--format", "json"],
            vec!["lint", "--sample", "50"],
            vec!["lint", "--sample", "0", "--format", "json"],
            vec![
                "preview", "--module", "Leads", "--layout", "Standard", "--sample", "50",
            ],
            vec!["execute", "--module", "Leads", "--all-active"],
            vec!["execute", "--module", "Leads", "--rules", "111,222"],
        ] {
            let out = cli(url, home, &args).await;
            seen.push_str(&assert_inert(&format!("{url} {args:?}"), &out));
            if args.contains(&"json") {
                assert_json(&format!("{args:?}"), &out);
            }
        }
    }

    // A rule to preview and explain, named by the proxy.
    let rule_id = h.get(common::RULES).await.body["scoring_rules"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for args in [
        vec![
            "preview", "--module", "Leads", "--rule", &rule_id, "--sample", "50",
        ],
        vec![
            "preview", "--module", "Leads", "--rule", &rule_id, "--format", "json", "--sample",
            "50",
        ],
    ] {
        let out = cli(&proxy, home, &args).await;
        seen.push_str(&assert_inert(&format!("{args:?}"), &out));
        if args.contains(&"json") {
            assert_json(&format!("{args:?}"), &out);
        }
    }

    // Export through the proxy: rule names become file names.
    let dir = home.join("rules");
    let out = cli(&proxy, home, &["export", "--out", dir.to_str().unwrap()]).await;
    seen.push_str(&assert_inert("export", &out));
    let out = cli(&errors, home, &["export", "--out", dir.to_str().unwrap()]).await;
    seen.push_str(&assert_inert("export against errors", &out));

    // A directory with hostile file and directory names: a new rule, a misplaced file, an
    // unknown module, a broken file.
    let standard = dir.join("Leads/Standard");
    std::fs::create_dir_all(&standard).unwrap();
    std::fs::write(
        standard.join(format!("new{ATTACK}.json")),
        rule_file("Fresh rule"),
    )
    .unwrap();
    std::fs::write(standard.join(format!("broken{ATTACK}.json")), "{").unwrap();
    std::fs::write(dir.join(format!("stray{ATTACK}.json")), "{}").unwrap();
    let unknown = dir.join(format!("Mod{ATTACK}")).join("Standard");
    std::fs::create_dir_all(&unknown).unwrap();
    std::fs::write(unknown.join("x.json"), rule_file("Elsewhere")).unwrap();
    for url in [&proxy, &errors] {
        let out = cli(url, home, &["import", dir.to_str().unwrap(), "--dry-run"]).await;
        seen.push_str(&assert_inert("import of a hostile directory", &out));
    }

    // Without the broken entries, the plan is shown and applied (and journaled).
    std::fs::remove_file(standard.join(format!("broken{ATTACK}.json"))).unwrap();
    std::fs::remove_file(dir.join(format!("stray{ATTACK}.json"))).unwrap();
    std::fs::remove_dir_all(dir.join(format!("Mod{ATTACK}"))).unwrap();
    let out = cli(
        &proxy,
        home,
        &["import", dir.to_str().unwrap(), "--yes", "--force"],
    )
    .await;
    seen.push_str(&assert_inert("import --yes", &out));
    let out = cli(&errors, home, &["import", dir.to_str().unwrap(), "--yes"]).await;
    seen.push_str(&assert_inert("import --yes against errors", &out));

    // The journal now holds hostile names and answers: history shows them, revert puts one back.
    let out = cli(&proxy, home, &["history", "--json"]).await;
    seen.push_str(&assert_inert("history --json", &out));
    assert!(out.status.success());
    assert_json("history --json", &out);
    for args in [vec!["history"], vec!["revert", "1"], vec!["revert", "2"]] {
        let out = cli(&proxy, home, &args).await;
        seen.push_str(&assert_inert(&format!("{args:?}"), &out));
    }
    for args in [vec!["history"], vec!["revert", "1"]] {
        let out = cli(&errors, home, &args).await;
        seen.push_str(&assert_inert(&format!("{args:?} against errors"), &out));
    }

    assert!(
        defused(&seen),
        "the attack never reached the output:\n{seen}"
    );
    assert!(seen.contains("\\u{9b}31m"), "C1 defused:\n{seen}");
    assert!(seen.contains("\\u{202e}"), "bidi defused:\n{seen}");
}

#[tokio::test]
async fn login_and_profiles_print_hostile_answers_and_files_inert() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let login = [
        "login",
        "--client-id",
        "1000.X",
        "--client-secret",
        "s",
        "--grant-token",
        "1000.g",
    ];

    // The token endpoint's `error`.
    let (token_errors, _) = scripted_with_token(
        json!({ "error": format!("invalid_code{ATTACK}") }).to_string(),
        Arc::new(|_| Act::Json(StatusCode::OK, "{}")),
    )
    .await;
    let out = cli(&token_errors, home, &login).await;
    assert!(!out.status.success());
    let all = assert_inert("login against a hostile token endpoint", &out);
    assert!(defused(&all), "{all}");

    // Signing in works, then the org's answer is hostile.
    let errors = hostile_errors().await;
    let out = cli(&errors, home, &login).await;
    let all = assert_inert("login against hostile errors", &out);
    assert!(defused(&all), "{all}");

    let h = Harness::start().await;
    let proxy = poisoning_proxy(h.sandbox.url.clone()).await;
    let out = cli(&proxy, home, &login).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = assert_inert("login through the poisoning proxy", &out);
    assert!(defused(&all), "the company name is shown, defused: {all}");

    // config.toml edited by someone else: a hostile client id and accent.
    let config = home.join("config/config.toml");
    std::fs::write(
        &config,
        "default = \"default\"\n[profiles.default]\ndc = \"eu\"\nclient_id = \"1000.\\u001b]52;c;cm0=\\u0007\\u009b2J\"\n",
    )
    .unwrap();
    for args in [vec!["profiles"], vec!["profiles", "--format", "json"]] {
        let out = common::run_cli("", home, &args).await;
        // Refused (the value is checked when read), and said inertly.
        assert!(!out.status.success());
        let all = assert_inert(&format!("{args:?}"), &out);
        assert!(
            all.contains("client_id contains spaces or control characters"),
            "{all}"
        );
    }
    std::fs::write(
        &config,
        "[profiles.p]\ndc = \"eu\"\nclient_id = \"x\"\naccent = \"\\u001b]52;c;cm0=\\u0007\"\n",
    )
    .unwrap();
    let out = common::run_cli("", home, &["profiles"]).await;
    let all = assert_inert("profiles with a hostile accent", &out);
    assert!(!out.status.success() || !all.is_empty());
}

#[tokio::test]
async fn the_sandbox_command_names_hostile_paths_inert() {
    let home = tempfile::tempdir().unwrap();
    let seed = home.path().join(format!("seed{ATTACK}"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"))
        .args(["sandbox", "--addr", "127.0.0.1:0", "--seed"])
        .arg(&seed)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let all = assert_inert("sandbox --seed", &out);
    assert!(defused(&all), "{all}");
}
