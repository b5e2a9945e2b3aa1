//! No secret ever leaves zscore in text a person or a log collector can read.
//!
//! One full session through the real binary against the sandbox: `login` (grant code exchange),
//! `audit`, `export`, `import`, `execute`, `history`, with access tokens living one second so
//! every command refreshes (and a long execute refreshes mid-run), then a failed sign-in. A
//! recording proxy in front of the sandbox collects every token the sandbox actually issued;
//! then every stdout, every stderr and every line of the log file is checked for the client
//! secret, the grant codes, the refresh token and each access token.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use zscore::sandbox::{RunningSandbox, SandboxOptions};

const CLIENT_ID: &str = "1000.SWEEPCLIENTID";
const CLIENT_SECRET: &str = "sweep-client-secret-5f1c0e9a7b";
const GRANT: &str = "1000.sweepgrantcode.4d2b8e61c3";
const BAD_GRANT: &str = "invalid-grant-code-9a8b7c6d";

/// A TCP proxy that forwards everything and keeps a copy of what the server sent.
async fn recording_proxy(upstream: String) -> (String, Arc<Mutex<Vec<u8>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let upstream = upstream.clone();
            let record = record.clone();
            tokio::spawn(async move {
                let Ok(server) = TcpStream::connect(&upstream).await else {
                    return;
                };
                let (mut cr, mut cw) = client.into_split();
                let (mut sr, mut sw) = server.into_split();
                let up = tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut cr, &mut sw).await;
                    let _ = sw.shutdown().await;
                });
                let mut buf = vec![0u8; 16 * 1024];
                while let Ok(n) = sr.read(&mut buf).await {
                    if n == 0 || cw.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                    record.lock().unwrap().extend_from_slice(&buf[..n]);
                }
                let _ = cw.shutdown().await;
                up.abort();
            });
        }
    });
    (url, seen)
}

/// Every `"key":"value"` string value in the recorded answers.
fn values_of(raw: &str, key: &str) -> Vec<String> {
    let needle = format!("\"{key}\":\"");
    raw.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &raw[i + needle.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

async fn zscore(home: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_zscore"));
    cmd.args(args)
        .env("ZSCORE_CONFIG_DIR", home.join("config"))
        .env("ZSCORE_DATA_DIR", home.join("data"))
        .env("ZSCORE_LOG", "trace")
        .env_remove("ZSCORE_CLIENT_ID")
        .env_remove("ZSCORE_CLIENT_SECRET")
        .env_remove("ZSCORE_REFRESH_TOKEN")
        .env_remove("ZSCORE_GRANT_TOKEN")
        .stdin(std::process::Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

struct Transcript(Vec<(String, String)>);

impl Transcript {
    fn add(&mut self, what: &str, out: &Output) {
        self.0.push((
            format!("{what} stdout"),
            String::from_utf8_lossy(&out.stdout).to_string(),
        ));
        self.0.push((
            format!("{what} stderr"),
            String::from_utf8_lossy(&out.stderr).to_string(),
        ));
    }
}

fn ok(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_secret_or_grant_code_reaches_output_or_logs() {
    let sandbox = RunningSandbox::start(
        "127.0.0.1:0",
        SandboxOptions {
            token_ttl: Duration::from_secs(1),
            job_chunk_delay: Duration::from_millis(150),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (proxy, recorded) = recording_proxy(sandbox.addr.to_string()).await;
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let mut t = Transcript(Vec::new());
    let profile = ["--profile", "sweep"];

    // The secret and the grant code come through the environment, as the README advises.
    let login = zscore(
        h,
        &[
            "--sandbox-url",
            &proxy,
            "--profile",
            "sweep",
            "login",
            "--client-id",
            CLIENT_ID,
        ],
        &[
            ("ZSCORE_CLIENT_SECRET", CLIENT_SECRET),
            ("ZSCORE_GRANT_TOKEN", GRANT),
        ],
    )
    .await;
    ok("login", &login);
    t.add("login", &login);

    let out_dir = h.join("rules");
    let out_dir = out_dir.to_str().unwrap();
    for (what, args) in [
        ("audit", vec!["audit", "--all"]),
        (
            "export",
            vec!["export", "--out", out_dir, "--module", "Deals"],
        ),
    ] {
        let out = zscore(h, &[&profile[..], &args[..]].concat(), &[]).await;
        ok(what, &out);
        t.add(what, &out);
    }
    let file = Path::new(out_dir).join("Deals/Standard/Pipeline Priority.json");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("\"description\": null", "\"description\": \"swept\"");
    std::fs::write(&file, edited).unwrap();
    // Expired tokens between commands and during the long execute: refreshes happen.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for (what, args) in [
        ("import", vec!["import", out_dir, "--yes"]),
        (
            "execute",
            vec!["execute", "--module", "Leads", "--all-active"],
        ),
        ("history", vec!["history"]),
    ] {
        let out = zscore(h, &[&profile[..], &args[..]].concat(), &[]).await;
        ok(what, &out);
        t.add(what, &out);
    }

    let failed = zscore(
        h,
        &[
            "--sandbox-url",
            &proxy,
            "--profile",
            "refused",
            "login",
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            "--grant-token",
            BAD_GRANT,
        ],
        &[],
    )
    .await;
    assert!(!failed.status.success(), "an invalid grant code is refused");
    let failed_err = String::from_utf8_lossy(&failed.stderr).to_string();
    assert!(failed_err.contains("sign-in failed"), "{failed_err}");
    t.add("failed login", &failed);

    let raw = String::from_utf8_lossy(&recorded.lock().unwrap()).to_string();
    let access = values_of(&raw, "access_token");
    let refresh = values_of(&raw, "refresh_token");
    assert_eq!(
        refresh.len(),
        1,
        "one grant exchange issued one refresh token"
    );
    assert!(
        access.len() >= 7,
        "every command signed in and at least one refreshed an expired token mid-run: {} access tokens",
        access.len()
    );

    let log = std::fs::read_to_string(h.join("data").join("zscore.log")).unwrap_or_default();
    assert!(
        log.lines().count() > 10,
        "the log file was written at trace level"
    );
    t.0.push(("zscore.log".into(), log));

    let mut secrets: Vec<(&str, String)> = vec![
        ("client secret", CLIENT_SECRET.to_string()),
        ("grant code", GRANT.to_string()),
        ("rejected grant code", BAD_GRANT.to_string()),
        ("refresh token", refresh[0].clone()),
    ];
    secrets.extend(access.iter().map(|a| ("access token", a.clone())));
    for (place, text) in &t.0 {
        for (kind, secret) in &secrets {
            assert!(secret.len() >= 8, "{kind} too short to search for");
            if let Some(line) = text.lines().find(|l| l.contains(secret.as_str())) {
                panic!("the {kind} appears in {place}: {line}");
            }
        }
    }
}
