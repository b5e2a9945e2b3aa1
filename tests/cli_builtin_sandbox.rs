//! The built-in sandbox (no profile, no `--sandbox-url`) as a user meets it across launches:
//! the real binary, each test with its own config and data directories. The demo org lives in
//! the data directory, so what one run changes the next one sees, `history` and `revert` act on
//! that org, `zscore sandbox --reset` puts the seed back, and a second process either uses the
//! sandbox that serves the file or waits for the command holding it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::cli::text;
use common::{Remote, SandboxProcess};
use serde_json::Value;
use zscore::sandbox::{Role, RunningSandbox, SandboxOptions};

fn zscore(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zscore"));
    cmd.env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .env_remove("ZSCORE_CLIENT_ID")
        .env_remove("ZSCORE_CLIENT_SECRET")
        .env_remove("ZSCORE_REFRESH_TOKEN")
        .stdin(Stdio::null());
    cmd
}

async fn run(home: &Path, args: &[&str]) -> Output {
    let mut cmd = zscore(home);
    cmd.args(args);
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

fn state_file(home: &Path) -> PathBuf {
    home.join("data/sandbox/demo-org.sqlite")
}

/// The exported file of Leads' "Enterprise Fit".
fn enterprise_fit(dir: &Path) -> PathBuf {
    dir.join("Leads/Standard/Enterprise Fit.json")
}

fn first_score(file: &Path) -> i64 {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    v["field_rules"][0]["score"].as_i64().unwrap()
}

fn set_first_score(file: &Path, score: i64) {
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    v["field_rules"][0]["score"] = score.into();
    std::fs::write(file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
}

#[tokio::test]
async fn an_export_imported_by_a_later_run_plans_nothing() {
    let home = tempfile::tempdir().unwrap();
    let rules = home.path().join("rules");
    ok(&run(home.path(), &["export", "--out", rules.to_str().unwrap()]).await);
    assert!(state_file(home.path()).is_file(), "the org is kept on disk");

    let out = run(
        home.path(),
        &["import", rules.to_str().unwrap(), "--dry-run"],
    )
    .await;
    let plan = ok(&out);
    assert!(
        plan.contains("0 to create, 0 to update, 0 to delete"),
        "{plan}"
    );
    assert!(
        text(&out.stderr).contains("nothing to change"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn a_change_persists_and_history_and_revert_act_on_the_same_org() {
    let home = tempfile::tempdir().unwrap();
    let rules = home.path().join("rules");
    ok(&run(home.path(), &["export", "--out", rules.to_str().unwrap()]).await);
    assert_eq!(first_score(&enterprise_fit(&rules)), 25);
    set_first_score(&enterprise_fit(&rules), 40);
    ok(&run(home.path(), &["import", rules.to_str().unwrap(), "--yes"]).await);

    // A new process, a new launch of the sandbox: the change is still there.
    let again = home.path().join("again");
    ok(&run(home.path(), &["export", "--out", again.to_str().unwrap()]).await);
    assert_eq!(first_score(&enterprise_fit(&again)), 40);

    let history = ok(&run(home.path(), &["history"]).await);
    assert!(
        history.contains("#1 ") && history.contains("edit “Enterprise Fit”"),
        "{history}"
    );
    ok(&run(home.path(), &["revert", "1", "--yes"]).await);
    ok(&run(home.path(), &["export", "--out", again.to_str().unwrap()]).await);
    assert_eq!(
        first_score(&enterprise_fit(&again)),
        25,
        "the revert reached the org the history came from"
    );
}

#[tokio::test]
async fn reset_puts_the_seed_back_under_a_new_history() {
    let home = tempfile::tempdir().unwrap();
    let rules = home.path().join("rules");
    ok(&run(home.path(), &["export", "--out", rules.to_str().unwrap()]).await);
    set_first_score(&enterprise_fit(&rules), 40);
    ok(&run(home.path(), &["import", rules.to_str().unwrap(), "--yes"]).await);

    let said = ok(&run(home.path(), &["sandbox", "--reset"]).await);
    let file = state_file(home.path());
    assert!(
        said.contains(&file.display().to_string()),
        "names the file it reset: {said}"
    );
    ok(&run(home.path(), &["export", "--out", rules.to_str().unwrap()]).await);
    assert_eq!(first_score(&enterprise_fit(&rules)), 25);
    let out = run(home.path(), &["history"]).await;
    assert_eq!(
        ok(&out),
        "",
        "the seeded org's journal is not the old one's"
    );
    assert!(text(&out.stderr).contains("no changes recorded"));
}

/// The large org is for `zscore sandbox` only: `--reset` (the built-in sandbox's file unless
/// `--state` names another) and `--state` refuse it, before any file is touched, and say why.
#[tokio::test]
async fn the_large_org_is_never_put_in_a_state_file() {
    let home = tempfile::tempdir().unwrap();
    let out = run(home.path(), &["sandbox", "--org", "large", "--reset"]).await;
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("zscore sandbox: --reset puts the demo org (or --seed DIR's) back; --org large is built anew at every start"),
        "{err}"
    );
    let file = home.path().join("large.sqlite");
    let out = run(
        home.path(),
        &[
            "sandbox",
            "--org",
            "large",
            "--state",
            file.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ],
    )
    .await;
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains("zscore sandbox: --org large is not kept in a state file"),
        "{err}"
    );
    assert!(!state_file(home.path()).exists());
    assert!(!file.exists());
}

#[tokio::test]
async fn an_unreadable_org_file_is_named_with_the_way_out() {
    let home = tempfile::tempdir().unwrap();
    let file = state_file(home.path());
    ok(&run(home.path(), &["audit"]).await);
    // As a future zscore would leave it: another format version.
    rusqlite::Connection::open(&file)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let out = run(home.path(), &["audit"]).await;
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("zscore sandbox --reset"), "{err}");
    ok(&run(home.path(), &["sandbox", "--reset"]).await);
    ok(&run(home.path(), &["audit"]).await);
}

#[tokio::test]
async fn a_command_uses_the_sandbox_that_serves_the_file() {
    let home = tempfile::tempdir().unwrap();
    let file = state_file(home.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let server = SandboxProcess::spawn(&["--state", file.to_str().unwrap()]);
    let rules = home.path().join("rules");
    let out = run(home.path(), &["export", "--out", rules.to_str().unwrap()]).await;
    ok(&out);
    assert!(
        text(&out.stderr).contains(&format!("zscore sandbox (pid {})", server.child.id())),
        "{}",
        text(&out.stderr)
    );
    set_first_score(&enterprise_fit(&rules), 40);
    ok(&run(home.path(), &["import", rules.to_str().unwrap(), "--yes"]).await);
    // The change went to the serving process's org, not to a second copy.
    let remote = Remote::connect(&server.url).await;
    let all = remote.all_rules().await;
    let fit = all
        .values()
        .find(|r| r["name"] == "Enterprise Fit")
        .unwrap();
    assert_eq!(fit["field_rules"][0]["score"], 40);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_command_waits_for_another_command_holding_the_file() {
    let home = tempfile::tempdir().unwrap();
    let file = state_file(home.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    // This test process stands in for a `zscore import` that holds the org for a while.
    let holder = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            state_file: Some(file.clone()),
            role: Role {
                command: "zscore import".into(),
                serves_others: false,
            },
            ..SandboxOptions::default()
        },
    )
    .await
    .unwrap();

    let mut cmd = zscore(home.path());
    let mut child = cmd
        .args(["audit", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = child.stderr.take().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = seen.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = err.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let wanted = format!(
        "waiting for zscore import (pid {}) to finish with the built-in sandbox",
        std::process::id()
    );
    let start = Instant::now();
    while !seen.lock().unwrap().contains(&wanted) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no waiting message: {}",
            seen.lock().unwrap()
        );
        assert!(child.try_wait().unwrap().is_none(), "it did not wait");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    holder.stop().await.unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    reader.join().unwrap();
    assert!(out.status.success(), "{}", seen.lock().unwrap());
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!rows.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_refuses_an_org_in_use_naming_who_has_it() {
    let home = tempfile::tempdir().unwrap();
    let file = state_file(home.path());
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let holder = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            state_file: Some(file.clone()),
            role: Role {
                command: "zscore (terminal UI)".into(),
                serves_others: true,
            },
            ..SandboxOptions::default()
        },
    )
    .await
    .unwrap();
    let out = run(home.path(), &["sandbox", "--reset"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(&file.display().to_string())
            && err.contains(&format!(
                "in use by zscore (terminal UI) (pid {}) at {}",
                std::process::id(),
                holder.url
            )),
        "{err}"
    );
    holder.stop().await.unwrap();
    ok(&run(home.path(), &["sandbox", "--reset"]).await);
}
