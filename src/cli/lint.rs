//! `zscore lint`: rules that cannot work as meant. Snapshot checks (never-matching criteria,
//! missing or disrupted fields, duplicate criteria in a layout, cancelling scores) plus checks
//! on a sample of each module's records (rules matching none, parts summing to 0).
//! Findings are data, so they go to stdout and the exit code stays 0; failures exit 1.

use clap::Args;

use super::connect::{Target, connect};
use super::output::errln;
use super::preview::{Format, eval_context};
use crate::domain::rule::ScoringRule;
use crate::lab::lint::{Finding, render_text, sample_findings, snapshot_findings};
use crate::lab::preview::preview;
use crate::lab::sample::fetch_sample;

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Only this module (API name); repeat for several.
    #[arg(long = "module", value_name = "API_NAME")]
    pub modules: Vec<String>,
    /// Records per module for the sample checks; 0 skips them.
    #[arg(long, value_name = "N", default_value_t = 2_000)]
    pub sample: usize,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub async fn lint(target: &Target, args: LintArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    let client = &conn.client;
    let snapshot = client
        .load_snapshot(conn.edition, &args.modules)
        .await
        .map_err(|e| e.to_string())?;
    for wanted in &args.modules {
        if snapshot.module(wanted).is_none()
            && !snapshot
                .modules
                .iter()
                .any(|m| m.module.api_name.eq_ignore_ascii_case(wanted))
        {
            return Err(format!(
                "module {wanted:?} is not a scorable module of the org"
            ));
        }
    }
    let mut findings: Vec<Finding> = snapshot_findings(&snapshot, &args.modules);
    if args.sample > 0 {
        let ctx = eval_context(client).await;
        for schema in &snapshot.modules {
            let module = schema.module.api_name.as_str();
            let rules: Vec<ScoringRule> = snapshot.rules_of(module).cloned().collect();
            if rules.is_empty() {
                continue;
            }
            errln!(
                "zscore lint: sampling up to {} {module} records",
                args.sample
            );
            let sample = fetch_sample(client, schema, &rules, args.sample)
                .await
                .map_err(|e| e.to_string())?;
            let report = preview(module, schema, &[], &rules, &sample, &ctx);
            findings.extend(sample_findings(&report, &rules));
        }
    }
    let out = match args.format {
        Format::Json => super::output::json_text(&findings)?,
        Format::Table => render_text(&findings),
    };
    super::output::out(&out);
    Ok(true)
}
