//! `:profile NAME` in the real binary, in a tmux pane: two profiles point at two sandboxes (an
//! Enterprise org, and a Professional one that is read-only in config.toml and holds a rule the
//! first has not). Switching shows the other org's rules, edition and read-only state without
//! a restart, the call meter starts again for it, a write is refused there, and switching back
//! writes again. Waits poll with a deadline; the test runs its own tmux server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::Harness;
use common::tmux::Tmux;
use zscore::domain::Edition;
use zscore::sandbox::SandboxOptions;

/// config.toml with profiles "alpha" (default) and "beta", and their stored secrets.
fn profiles(home: &Path, alpha: &str, beta: &str) {
    let config = home.join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "default = \"alpha\"\n\
             [profiles.alpha]\ndc = \"us\"\nclient_id = \"1000.A\"\napi_domain = \"{alpha}\"\naccounts_url = \"{alpha}\"\n\
             [profiles.beta]\ndc = \"us\"\nclient_id = \"1000.B\"\napi_domain = \"{beta}\"\naccounts_url = \"{beta}\"\nreadonly = true\naccent = \"magenta\"\n"
        ),
    )
    .unwrap();
    let secrets = config.join("secrets.toml");
    std::fs::write(
        &secrets,
        "[alpha]\nclient_secret = \"s\"\nrefresh_token = \"r\"\n[beta]\nclient_secret = \"s\"\nrefresh_token = \"r\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn colon_profile_switches_org_edition_and_readonly_without_a_restart() {
    let alpha = Harness::start().await;
    let beta = Harness::with(SandboxOptions {
        edition: Edition::Professional,
        ..SandboxOptions::default()
    })
    .await;
    // A Leads / Standard rule of beta's renamed, so its rules list tells the orgs apart.
    let (layout_id, _) = beta.layout("Leads", "Standard").await;
    let list = beta.get(&format!("{}?module=Leads", common::RULES)).await;
    let id = list.body["scoring_rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["layout"]["id"].as_str() == Some(layout_id.as_str()))
        .and_then(|r| r["id"].as_str())
        .unwrap()
        .to_string();
    let renamed = beta
        .put(
            &format!("{}/{id}", common::RULES),
            Some(serde_json::json!({"scoring_rules": [{"name": "Only In Beta"}]})),
        )
        .await;
    assert_eq!(renamed.code(0), "SUCCESS", "{}", renamed.body);
    let home = tempfile::tempdir().unwrap();
    profiles(home.path(), &alpha.sandbox.url, &beta.sandbox.url);
    let script = home.path().join("run.sh");
    std::fs::write(
        &script,
        format!(
            "ZSCORE_CONFIG_DIR='{dir}/config' ZSCORE_DATA_DIR='{dir}/data' '{bin}'\necho \"EXIT=$?\"\nsleep 600\n",
            dir = home.path().display(),
            bin = env!("CARGO_BIN_EXE_zscore"),
        ),
    )
    .unwrap();
    tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start_sized("profile", &script, 120, 36);
        tmux.wait_for(&["profile alpha", "Enterprise", "Standard"]);

        // The profile's name completes; Enter switches.
        tmux.keys(&[":"]);
        tmux.text("profile be");
        tmux.wait_for(&[":profile beta", "switch to this org"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["profile beta", "Professional", "READ-ONLY"]);
        tmux.keys(&["l", "j", "l"]);
        tmux.wait_for(&["Only In Beta"]);

        // Read-only came with the profile: a write is refused, nothing sent.
        tmux.keys(&["a"]);
        tmux.wait_for(&["read-only"]);

        // Back to alpha: its own org, writable again.
        tmux.keys(&[":"]);
        tmux.text("profile alpha");
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["profile alpha", "Enterprise"]);
        tmux.wait_gone("READ-ONLY");
        tmux.wait_gone("Only In Beta");

        // An unknown profile leaves the session as it was, saying why.
        tmux.keys(&[":"]);
        tmux.text("profile gamma");
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["cannot switch to profile gamma", "still on profile alpha"]);

        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}
