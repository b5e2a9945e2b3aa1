//! Quitting never waits on work in flight: the real binary in tmux against a sandbox behind a
//! proxy that can stall requests forever, as a dead server or a dropped VPN would. Ctrl-C while
//! the org is still loading quits at once; Ctrl-C while a save waits for an answer that never
//! comes says so and a second Ctrl-C quits, keeping the draft for the next start.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::http::Method;
use common::Harness;
use common::proxy::{self, Gate};
use common::tmux::{Tmux, sandbox_url, write_script, zscore_command};

/// Which requests to the API the proxy holds forever.
#[derive(Default)]
struct Stall {
    reads: AtomicBool,
    writes: AtomicBool,
}

async fn stall_proxy(upstream: &str) -> (String, Arc<Stall>) {
    let stall = Arc::new(Stall::default());
    let gate = Arc::clone(&stall);
    let url = proxy::start(upstream, move |method, path| {
        let held = if method == Method::GET {
            &gate.reads
        } else {
            &gate.writes
        };
        if path.starts_with("/crm/") && held.load(Ordering::SeqCst) {
            Gate::Stall
        } else {
            Gate::Forward
        }
    })
    .await;
    (url, stall)
}

/// The binary against `url` in a tmux pane with its own config and data directories under
/// `dir`; `RUN` counts the starts so a restart is told apart, and the exit code is printed.
fn start(name: &str, url: &str, dir: &std::path::Path) -> Tmux {
    let command = zscore_command(dir, &sandbox_url(url));
    let script = write_script(
        dir,
        &format!(
            "for run in 1 2; do\n\
             {command}\n\
             echo \"EXIT$run=$?\"\n\
             read line\n\
             done\n\
             sleep 600\n"
        ),
    );
    Tmux::start(&format!("quit-{name}"), &script)
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_quits_at_once_while_the_org_is_still_loading() {
    let h = Harness::start().await;
    let (url, stall) = stall_proxy(&h.sandbox.url).await;
    stall.reads.store(true, Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let tmux = start("loading", &url, &path);
        tmux.wait_for(&["SANDBOX"]);
        // Still loading: no rule has arrived, and none will.
        let screen = tmux.screen();
        assert!(!screen.contains("Standard"), "{screen}");
        tmux.keys(&["C-c"]);
        // The load never finishes; the driver's deadline (30 s) is the "moment" allowed.
        tmux.wait_for(&["EXIT1=0"]);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_twice_quits_during_a_save_that_never_answers_and_keeps_the_draft() {
    let h = Harness::start().await;
    let (url, stall) = stall_proxy(&h.sandbox.url).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let tmux = start("save", &url, &path);
        tmux.wait_for(&["SANDBOX", "Leads", "Standard"]);
        // Leads → Standard → Inbound Demand, edit its name, review, send.
        tmux.keys(&["Tab", "j", "Tab", "e"]);
        tmux.wait_for(&["Edit rule “Inbound Demand”"]);
        tmux.text("ab");
        tmux.wait_for(&["Inbound Demandab"]);
        stall.writes.store(true, Ordering::SeqCst);
        tmux.keys(&["C-s"]);
        tmux.wait_for(&["Enter"]);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["saving “Inbound Demandab”"]);
        // Esc cannot take the request back, but it is answered.
        tmux.keys(&["Escape"]);
        tmux.wait_for(&["waiting for the answer"]);
        tmux.keys(&["C-c"]);
        tmux.wait_for(&["Ctrl-C again quits"]);
        tmux.keys(&["C-c"]);
        tmux.wait_for(&["EXIT1=0"]);
        // The next start offers what was typed: nothing is lost.
        stall.writes.store(false, Ordering::SeqCst);
        tmux.keys(&["Enter"]);
        tmux.wait_for(&["Unsaved draft", "Inbound Demandab"]);
        tmux.keys(&["d"]);
        tmux.wait_gone("Unsaved draft");
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT2=0"]);
    })
    .await
    .unwrap();
}
