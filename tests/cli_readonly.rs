//! Read-only for the write subcommands: `--readonly` and a profile's `readonly = true` stop
//! import, revert, execute and the bulk commands before anything is sent, saying why; reads
//! still work. And a profile's `accent` that is not a colour is a config error naming the value.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::cli::text;
use common::{Harness, run_cli};

/// A profile "prod" whose API and accounts server are the sandbox, with stored secrets.
fn profile(home: &Path, url: &str, extra: &str) {
    let config = home.join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "default = \"prod\"\n[profiles.prod]\ndc = \"us\"\nclient_id = \"1000.TEST\"\napi_domain = \"{url}\"\naccounts_url = \"{url}\"\n{extra}"
        ),
    )
    .unwrap();
    let secrets = config.join("secrets.toml");
    std::fs::write(
        &secrets,
        "[prod]\nclient_secret = \"s\"\nrefresh_token = \"r\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

async fn run_profile(home: &Path, args: &[&str]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
    cmd.args(args)
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .env_remove("ZSCORE_CLIENT_ID")
        .env_remove("ZSCORE_CLIENT_SECRET")
        .env_remove("ZSCORE_REFRESH_TOKEN")
        .stdin(std::process::Stdio::null());
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readonly_flag_stops_write_commands_before_sending() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let url = h.sandbox.url.clone();

    let out = run_cli(
        &url,
        home.path(),
        &["--readonly", "execute", "--module", "Leads", "--all-active"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "refusing to execute rules: read-only (started with --readonly); nothing was sent"
        ),
        "{err}"
    );

    let out = run_cli(&url, home.path(), &["--readonly", "revert", "1"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("refusing to revert"),
        "{}",
        text(&out.stderr)
    );

    // The bulk commands stop before sending too; a dry run (a read) still plans.
    for (args, refusal) in [
        (
            &["deactivate", "--module", "Leads", "--yes"][..],
            "refusing to deactivate",
        ),
        (
            &["delete", "--name", "Junk*", "--yes"][..],
            "refusing to delete",
        ),
        (&["edit", "Enterprise Fit", "--yes"][..], "refusing to edit"),
        (
            &[
                "set-score",
                "--module",
                "Leads",
                "--criteria-field",
                "Annual_Revenue",
                "--to",
                "25",
                "--yes",
            ][..],
            "refusing to change scores: read-only (started with --readonly); nothing was sent",
        ),
    ] {
        let out = run_cli(&url, home.path(), &[&["--readonly"][..], args].concat()).await;
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains(refusal),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let out = run_cli(
        &url,
        home.path(),
        &["--readonly", "deactivate", "--module", "Leads", "--dry-run"],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("- deactivate “"));

    // Import shows its plan (a read), then stops before applying it.
    let export = home.path().join("rules");
    let out = run_cli(
        &url,
        home.path(),
        &["export", "--out", export.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let victim = std::fs::read_dir(export.join("Leads"))
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|f| f.unwrap().path())
        .next()
        .unwrap();
    std::fs::remove_file(&victim).unwrap();
    let out = run_cli(
        &url,
        home.path(),
        &[
            "--readonly",
            "import",
            export.to_str().unwrap(),
            "--prune",
            "--yes",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("refusing to import"),
        "{}",
        text(&out.stderr)
    );
    // Reads still work, and the org is untouched: the export finds every rule still there.
    let again = home.path().join("again");
    let out = run_cli(
        &url,
        home.path(),
        &["--readonly", "export", "--out", again.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rel = victim.strip_prefix(&export).unwrap();
    assert!(again.join(rel).exists(), "{rel:?} was deleted");
    assert!(
        !home.path().join("data/journal").exists(),
        "nothing journaled"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_profile_refuses_writes_and_names_itself() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    profile(
        home.path(),
        &h.sandbox.url,
        "readonly = true\naccent = \"red\"\n",
    );
    let out = run_profile(home.path(), &["audit", "--module", "Leads"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run_profile(
        home.path(),
        &["execute", "--module", "Leads", "--all-active"],
    )
    .await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("read-only (profile prod has readonly = true)"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_accent_that_is_not_a_colour_is_a_config_error_naming_it() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    profile(home.path(), &h.sandbox.url, "accent = \"prod-red\"\n");
    let out = run_profile(home.path(), &["audit", "--module", "Leads"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("accent \"prod-red\" is not a colour") && err.contains("config.toml"),
        "{err}"
    );
}
