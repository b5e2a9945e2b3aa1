//! Marks in the real binary, in a tmux pane against an in-process sandbox reached with
//! `--sandbox-url`: mark two active rules of Leads / Standard, `a` plans their deactivation,
//! `y` sends it, and both are inactive at the API; `u` undoes the whole change as one, and
//! both are active again. Waits poll with a deadline; the test runs its own tmux server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Harness;
use common::tmux::{Tmux, sandbox_script};

/// Whether each named Leads rule is active, as the API says.
async fn active(h: &Harness, names: &[&str]) -> Vec<bool> {
    let r = h
        .get("/crm/v8/settings/automation/scoring_rules?module=Leads")
        .await;
    let rules = r.body["scoring_rules"].as_array().unwrap().clone();
    names
        .iter()
        .map(|n| {
            rules
                .iter()
                .find(|r| r["name"] == *n)
                .unwrap_or_else(|| panic!("no rule {n}"))["active"]
                .as_bool()
                .unwrap()
        })
        .collect()
}

const PAIR: [&str; 2] = ["Inbound Demand", "Enterprise Fit"];

#[tokio::test(flavor = "multi_thread")]
async fn two_marked_rules_deactivate_as_one_change_and_u_undoes_it_as_one() {
    let h = Harness::start().await;
    assert_eq!(active(&h, &PAIR).await, [true, true]);
    let dir = tempfile::tempdir().unwrap();
    let script = sandbox_script(dir.path(), &h.sandbox.url, "");
    let tmux = tokio::task::spawn_blocking(move || {
        let tmux = Tmux::start("marks", &script);
        tmux.wait_for(&["Lumen Ridge Software", "Standard"]);
        // Leads → Standard → Inbound Demand, marked; Enterprise Fit, marked.
        tmux.keys(&["Enter", "j", "Enter"]);
        tmux.wait_for(&["Inbound Demand  active"]);
        tmux.keys(&["Space", "j", "Space"]);
        tmux.wait_for(&["2 marked", "✚● Inbound Demand", "✚● Enterprise Fit"]);
        tmux.keys(&["a"]);
        tmux.wait_for(&[
            "Deactivate 2 rules",
            "- deactivate “Inbound Demand”",
            "- deactivate “Enterprise Fit”",
            "y deactivate 2",
        ]);
        tmux.keys(&["y"]);
        tmux.wait_for(&["deactivate 2 rules: 2 of 2 applied"]);
        tmux
    })
    .await
    .unwrap();
    assert_eq!(active(&h, &PAIR).await, [false, false]);
    let tmux = tokio::task::spawn_blocking(move || {
        tmux.keys(&["Escape"]);
        tmux.wait_gone("Esc close · u undoes");
        tmux.keys(&["u"]);
        tmux.wait_for(&["Undo deactivate 2 rules?"]);
        tmux.keys(&["y"]);
        tmux.wait_for(&["undid deactivate 2 rules"]);
        tmux
    })
    .await
    .unwrap();
    assert_eq!(active(&h, &PAIR).await, [true, true]);
    tokio::task::spawn_blocking(move || {
        tmux.keys(&["q"]);
        tmux.wait_for(&["EXIT=0"]);
    })
    .await
    .unwrap();
}
