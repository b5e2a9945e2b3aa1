//! `zscore lint`: rules that cannot work as meant. Snapshot checks (never-matching criteria,
//! missing or disrupted fields, duplicate criteria in a layout, cancelling scores) plus checks
//! on a sample of each module's records (rules matching none, parts summing to 0).
//! Findings are data, so they go to stdout and the exit code stays 0; failures exit 1.

use clap::Args;
use futures::{StreamExt, stream};

use super::connect::{Target, connect};
use super::output::errln;
use super::preview::{Format, eval_context};
use crate::domain::rule::ScoringRule;
use crate::lab::lint::{Finding, render_text, sample_findings, snapshot_findings};
use crate::lab::preview::preview;
use crate::lab::sample::fetch_sample;

/// Modules whose samples are fetched at once; each sample asks for pages one after another,
/// so this many share the client's in-flight limit.
const MODULES_AT_ONCE: usize = 8;

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
    let snapshot = super::connect::load(&conn, &args.modules).await?;
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
        // Modules are sampled several at once: a sample's record pages follow one another,
        // so a large org sampled module after module waits ~10 round trips per module.
        let sampled: Vec<Result<Vec<Finding>, String>> =
            stream::iter(snapshot.modules.iter().filter_map(|schema| {
                let module = schema.module.api_name.as_str();
                let rules: Vec<ScoringRule> = snapshot.rules_of(module).cloned().collect();
                (!rules.is_empty()).then_some((schema, module, rules))
            }))
            .map(|(schema, module, rules)| {
                let ctx = &ctx;
                async move {
                    errln!(
                        "zscore lint: sampling up to {} {module} records",
                        args.sample
                    );
                    let sample = fetch_sample(client, schema, &rules, args.sample)
                        .await
                        .map_err(|e| e.to_string())?;
                    let report = preview(module, schema, &[], &rules, &sample, ctx);
                    Ok(sample_findings(&report, &rules))
                }
            })
            .buffered(MODULES_AT_ONCE)
            .collect()
            .await;
        for found in sampled {
            findings.extend(found?);
        }
    }
    let out = match args.format {
        Format::Json => super::output::json_text(&findings)?,
        Format::Table => render_text(&findings),
    };
    super::output::out(&out);
    Ok(true)
}
