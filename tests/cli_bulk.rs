//! Bulk changes from the command line, as an admin runs them: the real binary against an
//! in-process sandbox over HTTP, with its own config and data directories. Plans with a limit
//! conflict, --dry-run sending nothing, --yes applying, a group undone as one, a refusal without
//! a terminal, the API-call meter, and the shell's completions and man page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::atomic::Ordering;

use common::cli::{stderr as err, stdout as out};
use common::proxy::counting;
use common::{Harness, RULES, leads_rule, run_cli};
use serde_json::Value;
use zscore::domain::Edition;
use zscore::sandbox::SandboxOptions;

/// Every rule of a module as the sandbox has it.
async fn rules(h: &Harness, module: &str) -> Vec<Value> {
    h.get(&format!("{RULES}?module={module}&per_page=200"))
        .await
        .body["scoring_rules"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn named(h: &Harness, module: &str, name: &str) -> Value {
    rules(h, module)
        .await
        .into_iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("no rule {name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_run_shows_the_plan_and_sends_nothing_and_v_counts_the_calls() {
    let h = Harness::start().await;
    let (url, calls, writes) = counting(&h.sandbox.url).await;
    let home = tempfile::tempdir().unwrap();
    let o = run_cli(
        &url,
        home.path(),
        &[
            "-v",
            "deactivate",
            "--module",
            "leads",
            "--layout",
            "standard",
            "--dry-run",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
    let plan = out(&o);
    assert!(plan.contains("- deactivate “Inbound Demand”"), "{plan}");
    assert!(plan.contains("- deactivate “Enterprise Fit”"), "{plan}");
    assert!(
        plan.contains("“Stale Lead Decay”") && plan.contains("already inactive; left alone"),
        "{plan}"
    );
    assert!(err(&o).contains("dry run: nothing was sent"), "{}", err(&o));
    assert_eq!(writes.load(Ordering::SeqCst), 0, "a dry run writes nothing");
    assert_eq!(named(&h, "Leads", "Inbound Demand").await["active"], true);
    // -v: the count the client kept is the count the server saw.
    let seen = calls.load(Ordering::SeqCst);
    assert!(seen > 0);
    assert!(
        err(&o).contains(&format!(
            "zscore: {seen} API calls ({seen} reads, 0 writes)"
        )),
        "server saw {seen}: {}",
        err(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_count_as_calls() {
    let h = Harness::with(SandboxOptions {
        fail_rate: 0.3,
        fault_seed: 7,
        ..SandboxOptions::default()
    })
    .await;
    let (url, calls, _) = counting(&h.sandbox.url).await;
    let home = tempfile::tempdir().unwrap();
    let o = run_cli(&url, home.path(), &["-v", "audit", "--all"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let seen = calls.load(Ordering::SeqCst);
    // A fault-free audit of the demo org sends 14 calls: org, modules, signals, rules, and
    // layouts and fields of each of the five modules.
    assert!(
        seen > 14,
        "faults were injected, so some calls were sent again ({seen})"
    );
    assert!(
        err(&o).contains(&format!("zscore: {seen} API calls")),
        "server saw {seen}: {}",
        err(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limit_conflict_is_planned_refused_with_yes_and_fitted_with_fit() {
    let h = Harness::start().await;
    let (layout, _) = h.layout("Leads", "Standard").await;
    // Leads / Standard: 2 active and 1 inactive rule; 4 more inactive make 5 to activate.
    for i in 0..4 {
        h.create(leads_rule(&format!("Bulk {i}"), &layout)).await;
    }
    let home = tempfile::tempdir().unwrap();
    let base = ["activate", "--module", "Leads", "--layout", "Standard"];

    let o = run_cli(
        &h.sandbox.url,
        home.path(),
        &[&base[..], &["--yes"]].concat(),
    )
    .await;
    assert!(!o.status.success());
    let plan = out(&o);
    assert!(
        plan.contains(
            "limit: activating 5 rules in Leads / Standard makes 7 of 5 active (the Enterprise edition's limit per layout): only the first 3 fit"
        ),
        "{plan}"
    );
    assert_eq!(
        plan.matches("✗ over the limit: not sent").count(),
        2,
        "{plan}"
    );
    assert!(
        err(&o).contains("pass --fit to send the first 3"),
        "{}",
        err(&o)
    );
    let active = |rs: &[Value]| {
        rs.iter()
            .filter(|r| r["active"] == true && r["layout"]["id"] == layout.as_str())
            .count()
    };
    assert_eq!(active(&rules(&h, "Leads").await), 2, "nothing was sent");

    let o = run_cli(
        &h.sandbox.url,
        home.path(),
        &[&base[..], &["--yes", "--fit"]].concat(),
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o).matches("applied\t").count(), 3, "{}", out(&o));
    assert_eq!(active(&rules(&h, "Leads").await), 5);
    assert!(
        err(&o).contains("activate 3 rules: 3 of 3 applied"),
        "{}",
        err(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yes_applies_as_one_group_and_revert_undoes_the_group_as_one() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let o = run_cli(
        &h.sandbox.url,
        home.path(),
        &["deactivate", "--module", "Leads", "--name", "*e*", "--yes"],
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
    let active_before: Vec<String> = vec![
        "Inbound Demand".into(),
        "Enterprise Fit".into(),
        "Partner Referrals".into(),
        "Event Engagement".into(),
        "Junk Filter".into(),
    ];
    for name in &active_before {
        assert_eq!(named(&h, "Leads", name).await["active"], false, "{name}");
        assert!(
            out(&o).contains(&format!("“{name}” — now inactive")),
            "{}",
            out(&o)
        );
    }
    let summary = err(&o);
    assert!(
        summary.contains("deactivate 5 rules: 5 of 5 applied"),
        "{summary}"
    );
    let group = summary
        .split("zscore revert ")
        .nth(1)
        .and_then(|s| s.split('`').next())
        .unwrap()
        .to_string();

    let o = run_cli(&h.sandbox.url, home.path(), &["history"]).await;
    assert!(
        out(&o).contains(&format!("#{group} "))
            && out(&o).contains(&format!(
                "group “deactivate 5 rules” — applied (5 of 5 writes took effect); `zscore revert {group}` undoes them as one"
            )),
        "{}",
        out(&o)
    );
    // Each write names its group, with what it changed in the history's words.
    assert_eq!(
        out(&o)
            .matches(&format!(" in group #{group} — applied"))
            .count(),
        5,
        "{}",
        out(&o)
    );
    assert!(
        out(&o).contains("    ~ state active → inactive"),
        "{}",
        out(&o)
    );

    // The revert's plan, as a single revert shows it: each write, what changes; nothing sent.
    let o = run_cli(
        &h.sandbox.url,
        home.path(),
        &["revert", &group, "--dry-run"],
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
    let plan = out(&o);
    assert!(
        plan.contains(&format!(
            "Revert group #{group} “deactivate 5 rules”: 5 write(s), newest first"
        )),
        "{plan}"
    );
    assert_eq!(plan.matches("~ restore rule ").count(), 5, "{plan}");
    assert_eq!(
        plan.matches("    ~ state inactive → active").count(),
        5,
        "{plan}"
    );
    assert!(
        err(&o).contains("dry run: nothing was changed"),
        "{}",
        err(&o)
    );
    assert_eq!(named(&h, "Leads", "Junk Filter").await["active"], false);

    // Without a terminal and without --yes, revert refuses and changes nothing.
    let o = run_cli(&h.sandbox.url, home.path(), &["revert", &group]).await;
    assert!(!o.status.success());
    assert!(err(&o).contains("stdin is not a terminal"), "{}", err(&o));
    assert_eq!(named(&h, "Leads", "Junk Filter").await["active"], false);

    let o = run_cli(&h.sandbox.url, home.path(), &["revert", &group, "--yes"]).await;
    assert!(o.status.success(), "{}", err(&o));
    assert!(err(&o).contains("reverted 5 of 5 write(s)"), "{}", err(&o));
    for name in &active_before {
        assert_eq!(named(&h, "Leads", name).await["active"], true, "{name}");
    }
    assert_eq!(
        named(&h, "Leads", "Stale Lead Decay").await["active"],
        false,
        "a rule the group did not touch stays as it was"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_and_without_yes_nothing_is_sent() {
    let h = Harness::start().await;
    let (url, _, writes) = counting(&h.sandbox.url).await;
    let home = tempfile::tempdir().unwrap();
    let o = run_cli(&url, home.path(), &["delete", "--name", "Junk*"]).await;
    assert!(!o.status.success());
    assert!(out(&o).contains("- delete “Junk Filter”"), "{}", out(&o));
    assert!(
        err(&o).contains("stdin is not a terminal (pass --yes"),
        "{}",
        err(&o)
    );
    assert_eq!(writes.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_plan_names_the_custom_fields_that_go_with_the_rules() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    let o = run_cli(
        &h.sandbox.url,
        home.path(),
        &[
            "delete",
            "--module",
            "Leads",
            "--name",
            "Partner*",
            "--dry-run",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
    let plan = out(&o);
    assert!(plan.contains("- delete “Partner Referrals”"), "{plan}");
    assert!(plan.contains("and its custom field “"), "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_score_changes_one_criterion_across_rules_in_one_journaled_request() {
    let h = Harness::start().await;
    let (url, _, writes) = counting(&h.sandbox.url).await;
    let home = tempfile::tempdir().unwrap();
    let o = run_cli(
        &url,
        home.path(),
        &[
            "set-score",
            "--module",
            "Leads",
            "--criteria-field",
            "Annual_Revenue",
            "--to",
            "25",
            "--yes",
        ],
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
    assert!(out(&o).contains("~ “Inbound Demand”"), "{}", out(&o));
    // The change in the words of every other change zscore shows (`rule_diff`).
    assert!(
        out(&o).contains("    ~ field rule 2: score +30 → +25"),
        "{}",
        out(&o)
    );
    assert_eq!(
        writes.load(Ordering::SeqCst),
        1,
        "one bulk PUT for both rules"
    );
    let inbound = named(&h, "Leads", "Inbound Demand").await;
    assert_eq!(inbound["field_rules"][1]["score"], 25);
    assert_eq!(
        inbound["field_rules"][0]["score"], 20,
        "a field rule on another field keeps its score"
    );
    assert_eq!(
        named(&h, "Leads", "Partner Referrals").await["field_rules"][2]["score"],
        25
    );

    // Out of range: the validator refuses before anything is sent.
    let o = run_cli(
        &url,
        home.path(),
        &[
            "set-score",
            "--module",
            "Leads",
            "--criteria-field",
            "Annual_Revenue",
            "--to",
            "150",
            "--yes",
        ],
    )
    .await;
    assert!(!o.status.success());
    assert!(out(&o).contains("refused by the validator"), "{}", out(&o));
    assert_eq!(writes.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_layout_or_rule_is_named_with_what_there_is() {
    let h = Harness::with(SandboxOptions {
        edition: Edition::Enterprise,
        ..SandboxOptions::default()
    })
    .await;
    let home = tempfile::tempdir().unwrap();
    let o = run_cli(
        &h.sandbox.url,
        home.path(),
        &[
            "deactivate",
            "--module",
            "Leads",
            "--layout",
            "Nope",
            "--yes",
        ],
    )
    .await;
    assert!(!o.status.success());
    assert!(
        err(&o).contains("no layout \"Nope\" in Leads"),
        "{}",
        err(&o)
    );
    let o = run_cli(
        &h.sandbox.url,
        home.path(),
        &["deactivate", "--rules", "123", "--yes"],
    )
    .await;
    assert!(err(&o).contains("no rule 123 in the org"), "{}", err(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bash_sources_the_completions_and_completes_subcommands_modules_and_profiles() {
    let h = Harness::start().await;
    let home = tempfile::tempdir().unwrap();
    // Loading the org once teaches completion its modules; a profile comes from config.toml.
    let o = run_cli(&h.sandbox.url, home.path(), &["audit", "--all"]).await;
    assert!(o.status.success(), "{}", err(&o));
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(
        home.path().join("config").join("config.toml"),
        "[profiles.production]\ndc = \"eu\"\nclient_id = \"x\"\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_zscore");
    let script = format!(
        r#"source <("{bin}" completions bash) || exit 3
complete -p zscore || exit 4
reply() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_TYPE=9; COMPREPLY=();
  _clap_complete_zscore zscore "${{@: -1}}" "${{@: -2:1}}"; printf '%s,' "${{COMPREPLY[@]}}"; echo; }}
reply zscore deac
reply zscore deactivate --module Pa
reply zscore audit --profile pro
"#
    );
    let run = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("ZSCORE_CONFIG_DIR", home.path().join("config"))
        .env("ZSCORE_DATA_DIR", home.path().join("data"))
        .output()
        .unwrap();
    let text = out(&run);
    assert!(run.status.success(), "{text}{}", err(&run));
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("complete ") && lines[0].ends_with(" zscore"),
        "a completion is registered for zscore: {text}"
    );
    assert_eq!(lines[1], "deactivate,", "{text}");
    assert_eq!(lines[2], "Partners,", "modules zscore has loaded: {text}");
    assert_eq!(lines[3], "production,", "profiles from config.toml: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shell_gets_a_script_and_man_writes_a_page() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        for extra in [&[][..], &["--static"][..]] {
            let o = run_cli(
                "http://127.0.0.1:9",
                home.path(),
                &[&["completions", shell][..], extra].concat(),
            )
            .await;
            assert!(o.status.success(), "{shell} {extra:?}: {}", err(&o));
            assert!(out(&o).contains("zscore"), "{shell} {extra:?}: {}", out(&o));
        }
    }
    let o = run_cli("http://127.0.0.1:9", home.path(), &["man"]).await;
    assert!(o.status.success(), "{}", err(&o));
    let page = out(&o);
    assert!(page.contains(".TH zscore 1"), "{page}");
    assert!(
        page.contains("set\\-score"),
        "the page lists the subcommands: {page}"
    );
    let dir = home.path().join("man");
    let o = run_cli(
        "http://127.0.0.1:9",
        home.path(),
        &["man", "--dir", dir.to_str().unwrap()],
    )
    .await;
    assert!(o.status.success(), "{}", err(&o));
    assert!(dir.join("zscore.1").is_file());
    assert!(dir.join("zscore-deactivate.1").is_file());
}
