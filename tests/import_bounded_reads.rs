//! `zscore import` against an export directory holding things that are not rule files: a link
//! to `/dev/zero`, a FIFO, a huge file, links leading out of the directory. Each is refused by
//! name and the command ends; nothing is read without bound and nothing waits forever.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::Harness;
use common::cli::text;

/// Runs zscore; a run that has not ended after a minute is killed and reported as hung (the
/// bug this file guards against), so a regression fails instead of stalling the suite.
fn run_bounded(url: &str, home: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zscore"))
        .arg("--sandbox-url")
        .arg(url)
        .args(args)
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "zscore {args:?} hung; stderr so far: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// An export of the demo org in `home/rules`.
async fn exported(h: &Harness, home: &Path) -> PathBuf {
    let dir = home.join("rules");
    let out = common::run_cli(
        &h.sandbox.url,
        home,
        &["export", "--out", dir.to_str().unwrap()],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    dir
}

async fn import(h: &Harness, home: &Path, dir: &Path, extra: &[&str]) -> Output {
    let url = h.sandbox.url.clone();
    let home = home.to_path_buf();
    let mut args = vec![
        "import".to_string(),
        dir.display().to_string(),
        "--dry-run".into(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_bounded(&url, &home, &args)
    })
    .await
    .unwrap()
}

#[cfg(unix)]
#[tokio::test]
async fn a_link_to_dev_zero_is_refused_naming_its_target_and_with_follow_links_as_a_device() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let dir = exported(&h, home.path()).await;
    std::os::unix::fs::symlink("/dev/zero", dir.join("Leads/Standard/z.json")).unwrap();

    let out = import(&h, home.path(), &dir, &[]).await;
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(
            "Leads/Standard/z.json: a symbolic link to /dev/zero, outside the directory; not read (--follow-links reads it)"
        ),
        "{err}"
    );

    let out = import(&h, home.path(), &dir, &["--follow-links"]).await;
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("Leads/Standard/z.json: not a regular file (a character device); not read"),
        "{err}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_fifo_is_refused_by_name_instead_of_waiting_for_a_writer() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let dir = exported(&h, home.path()).await;
    let fifo = dir.join("Leads/Standard/pipe.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());

    let out = import(&h, home.path(), &dir, &[]).await;
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("Leads/Standard/pipe.json: not a regular file (a FIFO); not read"),
        "{err}"
    );
}

#[tokio::test]
async fn a_file_past_the_limit_is_refused_without_being_read_whole() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let dir = exported(&h, home.path()).await;
    // Sparse: 64 GiB claimed, nothing on disk; a reader that trusted it would try to load it.
    let big = std::fs::File::create(dir.join("Leads/Standard/big.json")).unwrap();
    big.set_len(64 << 30).unwrap();

    let out = import(&h, home.path(), &dir, &[]).await;
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains(
            "Leads/Standard/big.json: larger than 16777216 bytes, too large for a rule file; not read"
        ),
        "{err}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn links_leaving_the_directory_are_refused_unless_followed_and_links_inside_are_read() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let dir = exported(&h, home.path()).await;
    // A rule file outside the export directory, linked in as a new rule.
    let rule = std::fs::read_dir(dir.join("Leads/Standard"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .unwrap();
    let outside = home.path().join("elsewhere.json");
    let contents = std::fs::read_to_string(&rule).unwrap();
    let name = serde_json::from_str::<serde_json::Value>(&contents).unwrap()["name"]
        .as_str()
        .unwrap()
        .to_string();
    // A new rule: its own name and criteria (a rule repeating another's criteria in its
    // layout is refused as DUPLICATE_DATA).
    let mut linked: serde_json::Value = serde_json::from_str(&contents).unwrap();
    assert_eq!(linked["name"], name.as_str());
    linked["name"] = "Linked from outside".into();
    linked["field_rules"] = serde_json::json!([{"score": 5, "criteria":
        {"field": "Company", "comparator": "contains", "value": "linked from outside"}}]);
    std::fs::write(&outside, linked.to_string()).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("Leads/Standard/linked.json")).unwrap();
    // A link that stays inside: one of the exported rules, moved to a file that is not read
    // (not .json) and linked back in under another name.
    let inside = dir.join("Leads/Standard/inside.json");
    std::fs::rename(&rule, home.path().join("moved-away.json")).unwrap();
    std::fs::write(dir.join("Leads/Standard/original.txt"), &contents).unwrap();
    std::os::unix::fs::symlink("original.txt", &inside).unwrap();

    let out = import(&h, home.path(), &dir, &[]).await;
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{}", text(&out.stdout));
    let target = std::fs::canonicalize(&outside).unwrap();
    assert!(
        err.contains(&format!(
            "Leads/Standard/linked.json: a symbolic link to {}, outside the directory; not read",
            target.display()
        )),
        "{err}"
    );
    assert!(!err.contains("inside.json"), "{err}");

    let out = import(&h, home.path(), &dir, &["--follow-links"]).await;
    let plan = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let created = |file: &str| {
        plan.lines()
            .any(|l| l.starts_with('+') && l.ends_with(&format!("Leads/Standard/{file}")))
    };
    assert!(created("linked.json"), "{plan}");
    // The linked-in original is the same rule, not a new one.
    assert!(
        plan.contains("Leads/Standard/inside.json") && !created("inside.json"),
        "{plan}"
    );
}
