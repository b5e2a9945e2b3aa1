//! The scripting subcommands as a user runs them: the real binary against an in-process
//! sandbox, with its own config and data directories.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Output;

use common::{Harness, RULES, leads_rule};
use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    async fn run(&self, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
        cmd.args(args)
            .env("ZSCORE_CONFIG_DIR", self.dir.path().join("config"))
            .env("ZSCORE_DATA_DIR", self.dir.path().join("data"))
            .env_remove("ZSCORE_CLIENT_ID")
            .env_remove("ZSCORE_CLIENT_SECRET")
            .env_remove("ZSCORE_REFRESH_TOKEN");
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[tokio::test]
async fn audit_json_matches_what_the_sandbox_holds() {
    let h = Harness::start().await;
    let env = Env::new();
    let out = env
        .run(
            &[
                "--sandbox-url",
                &h.sandbox.url,
                "audit",
                "--all",
                "--format",
                "json",
            ],
            &[],
        )
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let listed = h.get(&format!("{RULES}?per_page=200")).await.body["scoring_rules"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows.len(), listed.len());
    for rule in &listed {
        let row = rows
            .iter()
            .find(|r| r["rule_id"] == rule["id"])
            .unwrap_or_else(|| panic!("{} missing", rule["name"]));
        assert_eq!(row["rule_name"], rule["name"]);
        assert_eq!(row["active"], rule["active"]);
        assert_eq!(row["module"], rule["module"]["api_name"]);
        assert_eq!(row["layout_id"], rule["layout"]["id"]);
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 12, "{keys:?}");
    }
    let active_only = env
        .run(
            &["--sandbox-url", &h.sandbox.url, "audit", "--format", "json"],
            &[],
        )
        .await;
    let active: Vec<Value> = serde_json::from_slice(&active_only.stdout).unwrap();
    assert!(active.iter().all(|r| r["active"] == true) && active.len() < rows.len());
}

#[tokio::test]
async fn audit_table_fits_80_columns() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut hostile = leads_rule("Evil \u{1b}[2J name 名前", &layout);
    hostile["name"] = Value::String("Evil 名前 long name".into());
    h.create(hostile).await;
    let env = Env::new();
    let out = env
        .run(
            &["--sandbox-url", &h.sandbox.url, "audit", "--all"],
            &[("COLUMNS", "80")],
        )
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Leads"));
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 80,
            "too wide: {line:?}"
        );
        assert!(!line.contains('\u{1b}'));
    }
    let csv = env
        .run(
            &["--sandbox-url", &h.sandbox.url, "audit", "--format", "csv"],
            &[],
        )
        .await;
    assert!(stdout(&csv).starts_with("module,"));
    let bad = env
        .run(
            &["--sandbox-url", &h.sandbox.url, "audit", "--module", "Nope"],
            &[],
        )
        .await;
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("Nope"));
    let usage = env.run(&["audit", "--format", "yaml"], &[]).await;
    assert_eq!(usage.status.code(), Some(2));
}

#[tokio::test]
async fn execute_schedules_and_follows_jobs() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    let mut rule = leads_rule("CLI exec", &layout);
    rule["active"] = Value::Bool(true);
    let id = h.create(rule).await;
    let env = Env::new();
    let out = env
        .run(
            &[
                "--sandbox-url",
                &h.sandbox.url,
                "execute",
                "--module",
                "Leads",
                "--rules",
                &id,
            ],
            &[],
        )
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    assert!(line.starts_with("scheduled\t"), "{line}");
    let job = line.split('\t').nth(1).unwrap();
    let status = h.get(&format!("/sandbox/v1/jobs/{job}")).await.body;
    assert_eq!(
        status["state"], "done",
        "the command follows the job to the end"
    );

    let out = env
        .run(
            &[
                "--sandbox-url",
                &h.sandbox.url,
                "execute",
                "--module",
                "Leads",
                "--layout",
                &layout,
            ],
            &[],
        )
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let bad = env
        .run(
            &[
                "--sandbox-url",
                &h.sandbox.url,
                "execute",
                "--module",
                "Leads",
                "--rules",
                "1234567890123456789",
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status.code(), Some(1));
    assert!(stdout(&bad).starts_with("failed"), "{}", stdout(&bad));
    assert!(stderr(&bad).contains("INVALID_DATA"));
    let usage = env.run(&["execute", "--module", "Leads"], &[]).await;
    assert_eq!(
        usage.status.code(),
        Some(2),
        "one of --layout, --rules, --all-active is required"
    );
}

/// Issue 10.16: `execute --layout Standard` failed with "is not an id" while `preview --layout`
/// took a name. Every command takes a layout's id, API name or label, through one resolver.
#[tokio::test]
async fn a_layout_is_named_by_id_api_name_or_label_in_every_command() {
    let h = Harness::start().await;
    let (layout_id, _) = h.layout("Leads", "Standard").await;
    let env = Env::new();
    for name in ["Standard", "standard", layout_id.as_str()] {
        let out = env
            .run(
                &[
                    "--sandbox-url",
                    &h.sandbox.url,
                    "execute",
                    "--module",
                    "Leads",
                    "--layout",
                    name,
                ],
                &[],
            )
            .await;
        assert!(
            out.status.success(),
            "execute --layout {name}: {}",
            stderr(&out)
        );
        let line = stdout(&out);
        assert!(
            line.starts_with("scheduled\t") && line.contains(&format!("layout {layout_id}")),
            "{name}: {line}"
        );
        let out = env
            .run(
                &[
                    "--sandbox-url",
                    &h.sandbox.url,
                    "preview",
                    "--module",
                    "Leads",
                    "--layout",
                    name,
                    "--sample",
                    "50",
                ],
                &[],
            )
            .await;
        assert!(
            out.status.success(),
            "preview --layout {name}: {}",
            stderr(&out)
        );
    }
    for command in ["execute", "preview"] {
        let out = env
            .run(
                &[
                    "--sandbox-url",
                    &h.sandbox.url,
                    command,
                    "--module",
                    "Leads",
                    "--layout",
                    "Nowhere",
                ],
                &[],
            )
            .await;
        assert_eq!(out.status.code(), Some(1), "{command}");
        let err = stderr(&out);
        assert!(
            err.contains("no layout \"Nowhere\" in Leads")
                && err.contains(&format!("Standard (\"Standard\", id {layout_id})")),
            "{command}: {err}"
        );
    }
}

#[tokio::test]
async fn login_stores_a_profile_that_later_commands_use() {
    let h = Harness::start().await;
    let env = Env::new();
    let out = env
        .run(
            &[
                "--sandbox-url",
                &h.sandbox.url,
                "--profile",
                "demo",
                "login",
                "--dc",
                "eu",
                "--client-id",
                "1000.CLIENT",
                "--client-secret",
                "s3cret-value",
                "--grant-token",
                "1000.grant",
            ],
            &[],
        )
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("as profile demo"), "{}", stdout(&out));
    let secrets = env.dir.path().join("config/secrets.toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&secrets).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let config = std::fs::read_to_string(env.dir.path().join("config/config.toml")).unwrap();
    assert!(
        !config.contains("s3cret-value"),
        "secrets stay out of config.toml"
    );

    let audit = env
        .run(&["--profile", "demo", "audit", "--format", "json"], &[])
        .await;
    assert!(audit.status.success(), "{}", stderr(&audit));
    let listed = env.run(&["profiles"], &[]).await;
    assert!(stdout(&listed).contains("demo"));
    assert!(!stdout(&listed).contains("s3cret-value"));

    let bad = env
        .run(
            &[
                "--sandbox-url",
                &h.sandbox.url,
                "--profile",
                "x",
                "login",
                "--client-id",
                "a",
                "--client-secret",
                "b",
                "--grant-token",
                "invalid-code",
            ],
            &[],
        )
        .await;
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("sign-in failed"), "{}", stderr(&bad));
    assert!(
        !stderr(&bad).contains('{'),
        "no raw JSON dump: {}",
        stderr(&bad)
    );
    let log = std::fs::read_to_string(env.dir.path().join("data/zscore.log")).unwrap_or_default();
    for secret in ["s3cret-value", "1000.grant"] {
        assert!(!log.contains(secret), "the log leaks {secret}");
    }
}

/// The journal is kept per Zoho org: two profiles signed in to one org read one history, and
/// the org id `login` recorded is what names it.
#[tokio::test]
async fn profiles_on_one_org_share_its_change_history() {
    let h = Harness::start().await;
    let env = Env::new();
    for (profile, grant) in [("first", "1000.grant-a"), ("second", "1000.grant-b")] {
        let out = env
            .run(
                &[
                    "--sandbox-url",
                    &h.sandbox.url,
                    "--profile",
                    profile,
                    "login",
                    "--client-id",
                    "1000.CLIENT",
                    "--client-secret",
                    "s3cret-value",
                    "--grant-token",
                    grant,
                ],
                &[],
            )
            .await;
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let config = std::fs::read_to_string(env.dir.path().join("config/config.toml")).unwrap();
    assert_eq!(
        config.matches("org_id = ").count(),
        2,
        "login records the org: {config}"
    );

    let out = env
        .run(
            &[
                "--profile",
                "first",
                "deactivate",
                "--module",
                "Leads",
                "--name",
                "Inbound Demand",
                "--yes",
            ],
            &[],
        )
        .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let history = env
        .run(&["--profile", "second", "history", "--format", "json"], &[])
        .await;
    assert!(history.status.success(), "{}", stderr(&history));
    assert!(
        stdout(&history).contains("Inbound Demand"),
        "the second profile sees the first one's change: {}",
        stdout(&history)
    );
}
