//! `zscore profiles` as a process, with its config directory in a temporary directory: it lists
//! profiles and never prints a secret, whichever the format.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

const SECRET: &str = "client-secret-do-not-print";
const TOKEN: &str = "1000.refresh-token-do-not-print";

fn zscore(config_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zscore"))
        .args(args)
        .env("ZSCORE_CONFIG_DIR", config_dir)
        .env("ZSCORE_DATA_DIR", config_dir.join("data"))
        .env_remove("ZSCORE_CLIENT_ID")
        .env_remove("ZSCORE_CLIENT_SECRET")
        .env_remove("ZSCORE_REFRESH_TOKEN")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn write_secrets(dir: &Path, text: &str) {
    let path = dir.join("secrets.toml");
    std::fs::write(&path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        r#"default = "prod"

[profiles.prod]
dc = "eu"
client_id = "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ"
edition = "enterprise"
readonly = true

[profiles.stage]
dc = "ca"
client_id = "1000.STAGESTAGESTAGESTAGE"
"#,
    )
    .unwrap();
    write_secrets(
        dir.path(),
        &format!("[prod]\nclient_secret = \"{SECRET}\"\nrefresh_token = \"{TOKEN}\"\n"),
    );
    dir
}

#[test]
fn lists_profiles_without_secrets() {
    let dir = setup();
    let out = zscore(dir.path(), &["profiles"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(
        stdout,
        "NAME   DEFAULT  DC  CLIENT ID       EDITION     READONLY  SECRETS\n\
         prod   *        eu  1000.ABCD…WXYZ  enterprise  yes       yes\n\
         stage           ca  1000.STAG…TAGE  -           no        no\n"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn json_lists_profiles_without_secrets() {
    let dir = setup();
    let out = zscore(dir.path(), &["profiles", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for needle in [SECRET, TOKEN, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] {
        assert!(!stdout.contains(needle), "{needle} in {stdout}");
    }
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let names: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod", "stage"]);
    assert_eq!(v[1]["api_domain"], "https://www.zohoapis.ca");
    assert_eq!(v[1]["accounts_url"], "https://accounts.zohocloud.ca");
}

#[test]
fn environment_secrets_are_noted_not_printed() {
    let dir = setup();
    let out = Command::new(env!("CARGO_BIN_EXE_zscore"))
        .arg("profiles")
        .env("ZSCORE_CONFIG_DIR", dir.path())
        .env("ZSCORE_DATA_DIR", dir.path().join("data"))
        .env("ZSCORE_REFRESH_TOKEN", "env-token-do-not-print")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let all = text(&out.stdout) + &text(&out.stderr);
    assert!(!all.contains("env-token-do-not-print"), "{all}");
    assert!(text(&out.stderr).contains("ZSCORE_REFRESH_TOKEN"));
}

#[test]
fn no_profiles_explains_how_to_add_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = zscore(dir.path(), &["profiles"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "", "stdout is data, and there is none");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("zscore login --profile NAME"), "{stderr}");
    assert!(stderr.contains("built-in sandbox"), "{stderr}");
}

#[test]
fn a_broken_config_fails_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[profiles.prod]\ndc = \"eu\"\nclient_id = \"x\"\nclient_secret = \"s3cr3t\"\n",
    )
    .unwrap();
    let out = zscore(dir.path(), &["profiles"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("{}, line 4", config.display())),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cr3t"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn an_exposed_secrets_file_is_flagged_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let dir = setup();
    let secrets = dir.path().join("secrets.toml");
    std::fs::set_permissions(&secrets, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = zscore(dir.path(), &["profiles"]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("run: chmod 600 {}", secrets.display())),
        "{stderr}"
    );
    assert!(!text(&out.stdout).contains(SECRET));
}
