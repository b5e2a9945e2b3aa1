//! What zscore writes is its owner's alone: the config and data directories it creates are
//! 0700, and the log, the change journal, form drafts, config.toml, secrets.toml and a new
//! sandbox state file are 0600 (a log an older version left 0644 is narrowed). A config
//! directory others can write to is refused like a wide secrets file, with the chmod that
//! fixes it.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::Harness;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .permissions()
        .mode()
        & 0o777
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

/// zscore with its directories at `home/config` and `home/data` (neither exists yet).
fn zscore(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zscore"))
        .args(args)
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[tokio::test]
async fn directories_are_created_0700_and_files_0600() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    // Deeper than the temporary directory, so zscore creates every level itself.
    let home = home.path().join("deep/er");
    let url = h.sandbox.url.clone();
    let run = |args: &'static [&'static str]| {
        let home = home.clone();
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let mut all = vec!["--sandbox-url", url.as_str()];
            all.extend_from_slice(args);
            zscore(&home, &all)
        })
    };
    let run_owned = |args: Vec<String>| {
        let home = home.clone();
        let url = url.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                let mut all = vec!["--sandbox-url".to_string(), url];
                all.extend(args);
                let all: Vec<&str> = all.iter().map(String::as_str).collect();
                zscore(&home, &all)
            })
            .await
            .unwrap()
        }
    };

    // Every command logs; an import's writes go through the journal.
    let out = run(&["audit"]).await.unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rules = home.join("rules");
    let out = run_owned(vec![
        "export".into(),
        "--out".into(),
        rules.display().to_string(),
    ])
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = std::fs::read_dir(rules.join("Leads/Standard"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap();
    let mut rule: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    rule["field_rules"][0]["score"] = serde_json::Value::from(3);
    std::fs::write(&file, rule.to_string()).unwrap();
    let out = run_owned(vec![
        "import".into(),
        rules.display().to_string(),
        "--yes".into(),
    ])
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let journal_dir = home.join("data/journal");

    assert_eq!(mode(&home.join("data")), 0o700, "created by zscore");
    assert_eq!(
        mode(home.parent().unwrap()),
        0o700,
        "every level it created"
    );
    assert_eq!(mode(&home.join("data/zscore.log")), 0o600);
    assert_eq!(mode(&journal_dir), 0o700);
    let journal_file = std::fs::read_dir(&journal_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(mode(&journal_file), 0o600);

    // A log an older zscore left readable by others is narrowed on the next run.
    std::fs::set_permissions(
        home.join("data/zscore.log"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    run(&["audit"]).await.unwrap();
    assert_eq!(mode(&home.join("data/zscore.log")), 0o600);

    // Signing in writes config.toml and secrets.toml into a new config directory.
    let out = run(&[
        "login",
        "--client-id",
        "1000.X",
        "--client-secret",
        "s",
        "--grant-token",
        "1000.g",
    ])
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&home.join("config")), 0o700);
    assert_eq!(mode(&home.join("config/config.toml")), 0o600);
    assert_eq!(mode(&home.join("config/secrets.toml")), 0o600);
}

#[test]
fn drafts_are_owner_only() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("data");
    let store = zscore::tui::form::draft::DraftStore::new(&data, "sandbox-x");
    let draft = zscore::tui::form::draft::Draft::new("Leads", None, None, &Default::default());
    store.save(&draft).unwrap();
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(store.path().parent().unwrap()), 0o700);
    assert_eq!(mode(store.path()), 0o600);
}

#[tokio::test]
async fn a_new_state_file_is_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("org.sqlite");
    let sandbox = zscore::sandbox::RunningSandbox::start(
        "127.0.0.1:0",
        zscore::sandbox::SandboxOptions {
            state_file: Some(path.clone()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(mode(&path), 0o600);
    sandbox.stop().await.unwrap();
}

#[test]
fn a_config_directory_others_can_write_is_refused_with_the_fix() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config");
    std::fs::create_dir(&config).unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o777)).unwrap();
    let expected = format!(
        "{} is writable by other users (mode 0777), who could replace the profiles and secrets in it; run: chmod 700 {}",
        config.display(),
        config.display()
    );
    for args in [&["profiles"][..], &["audit"], &["history"]] {
        let out = zscore(home.path(), args);
        assert!(!out.status.success(), "{args:?}");
        let err = text(&out.stderr);
        assert!(err.contains(&expected), "{args:?}: {err}");
    }
    // Group-writable is as bad; the chmod it names fixes it.
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o770)).unwrap();
    assert!(text(&zscore(home.path(), &["profiles"]).stderr).contains("(mode 0770)"));
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o700)).unwrap();
    let out = zscore(home.path(), &["profiles"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}
