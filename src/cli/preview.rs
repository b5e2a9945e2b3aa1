//! `zscore preview`: what a rule draft, an existing rule or a layout's active rules do to a
//! sample of the module's records, before vs after; `--record` explains one record's score.

use std::path::PathBuf;

use clap::{ArgGroup, Args, ValueEnum};

use super::connect::{Target, connect};
use super::output::{errln, json_text};
use crate::api::{Client, Retry};
use crate::domain::find_layout;
use crate::domain::id::Id;
use crate::domain::metadata::ModuleSchema;
use crate::domain::rule::ScoringRule;
use crate::domain::snapshot::OrgSnapshot;
use crate::lab::explain::{explain, render_text as explain_text};
use crate::lab::names::record_name;
use crate::lab::preview::{SampleRecord, preview as run_preview, render_text};
use crate::lab::records::{layout_of, to_record};
pub use crate::lab::sample::eval_context;
use crate::lab::sample::{fetch_rows, fetch_sample, fields_for, in_window};
use crate::transfer::read_rule_file;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("scope").required(true).args(["rule", "file", "layout"])))]
pub struct PreviewArgs {
    /// Module the records come from (API name).
    #[arg(long, value_name = "API_NAME")]
    pub module: String,
    /// An existing rule, re-evaluated with its current criteria.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// A rule draft: a file written by `zscore export`, or the API's JSON (a rule object, or
    /// `{"scoring_rules": [rule]}`) with or without ids. A draft that is an existing rule (the
    /// API's id, or an exported rule's name) is previewed as an edit of it, else as a new rule.
    #[arg(long, value_name = "RULE.json")]
    pub file: Option<PathBuf>,
    /// Every active rule of this layout (id, API name or label).
    #[arg(long, value_name = "LAYOUT")]
    pub layout: Option<String>,
    /// How many records to score.
    #[arg(long, value_name = "N", default_value_t = 2_000)]
    pub sample: usize,
    /// Explain this record's after-score instead of summarising the sample.
    #[arg(long, value_name = "ID")]
    pub record: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The rules a preview compares: ids whose existing scores are "before", rules scored "after".
pub struct Scope {
    pub before: Vec<Id>,
    pub after: Vec<ScoringRule>,
}

pub async fn preview(target: &Target, args: PreviewArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    let client = &conn.client;
    let snapshot = super::connect::load(&conn, std::slice::from_ref(&args.module)).await?;
    let schema = snapshot.module(&args.module).ok_or_else(|| {
        format!(
            "module {:?} is not a scorable module of the org",
            args.module
        )
    })?;
    let scope = scope(&args, &snapshot, schema)?;
    let ctx = eval_context(client).await;
    errln!(
        "zscore preview: fetching up to {} {} records and their entity scores",
        args.sample,
        schema.module.api_name
    );
    let mut sample = fetch_sample(client, schema, &scope.after, args.sample)
        .await
        .map_err(|e| e.to_string())?;
    if args.record.is_none() {
        // Execution skips records outside the window; previewing them would promise changes
        // that never happen.
        let fetched = sample.len();
        sample.retain(|s| in_window(&s.record, schema, ctx.now));
        if sample.len() < fetched {
            errln!(
                "zscore preview: {} of {fetched} records are outside the six-month scoring window and left out",
                fetched - sample.len()
            );
        }
    }
    if let Some(raw) = &args.record {
        let id = Id::parse(raw.trim()).ok_or_else(|| format!("{raw:?} is not a record id"))?;
        let s = match sample.iter().position(|s| s.record.id == id) {
            Some(i) => sample.swap_remove(i),
            None => fetch_one(client, schema, &scope.after, &id).await?,
        };
        let e = explain(schema, &scope.after, &s, &ctx);
        let out = match args.format {
            Format::Json => json_text(&e)?,
            Format::Table => explain_text(&e),
        };
        super::output::out(&out);
        return Ok(true);
    }
    let report = run_preview(
        &schema.module.api_name,
        schema,
        &scope.before,
        &scope.after,
        &sample,
        &ctx,
    );
    let out = match args.format {
        Format::Json => json_text(&report)?,
        Format::Table => render_text(&report),
    };
    super::output::out(&out);
    Ok(true)
}

pub fn scope(
    args: &PreviewArgs,
    snapshot: &OrgSnapshot,
    schema: &ModuleSchema,
) -> Result<Scope, String> {
    let module = schema.module.api_name.as_str();
    if let Some(raw) = &args.rule {
        let id = Id::parse(raw.trim()).ok_or_else(|| format!("{raw:?} is not a rule id"))?;
        let rule = snapshot
            .rules_of(module)
            .find(|r| r.id.as_ref() == Some(&id))
            .ok_or_else(|| format!("no rule {id} in {module}"))?;
        return Ok(Scope {
            before: vec![id],
            after: vec![rule.clone()],
        });
    }
    if let Some(path) = &args.file {
        let draft = read_rule_file(path, snapshot).map_err(|e| e.to_string())?;
        if !draft.module.api_name.eq_ignore_ascii_case(module) {
            return Err(format!(
                "{} is a {} rule, not a {module} rule",
                path.display(),
                draft.module.api_name
            ));
        }
        return Ok(Scope {
            before: draft.id.iter().cloned().collect(),
            after: vec![draft],
        });
    }
    let wanted = args.layout.as_deref().unwrap_or_default();
    let layout = find_layout(&schema.layouts, module, wanted)?;
    let after: Vec<ScoringRule> = snapshot
        .rules_of(module)
        .filter(|r| r.active && r.layout_id() == Some(&layout.id))
        .cloned()
        .collect();
    Ok(Scope {
        before: after.iter().filter_map(|r| r.id.clone()).collect(),
        after,
    })
}

/// A record outside the sample, fetched by id.
async fn fetch_one(
    client: &Client,
    schema: &ModuleSchema,
    rules: &[ScoringRule],
    id: &Id,
) -> Result<SampleRecord, String> {
    let module = &schema.module.api_name;
    let mut fields = fields_for(rules, schema);
    fields.truncate(49);
    let q = [("fields", fields.join(",")), ("ids", id.to_string())];
    let reply = client
        .send(
            reqwest::Method::GET,
            &format!("/crm/v8/{module}"),
            &q,
            None,
            Retry::Idempotent,
            false,
        )
        .await
        .map_err(|e| e.to_string())?;
    let obj = reply
        .body
        .as_ref()
        .and_then(|b| b.pointer("/data/0"))
        .cloned()
        .ok_or_else(|| format!("no record {id} in {module}"))?;
    let record = to_record(&obj, schema).ok_or_else(|| format!("record {id} has no id"))?;
    let layout = layout_of(&obj);
    let mut rows = fetch_rows(client, module, std::slice::from_ref(id))
        .await
        .map_err(|e| e.to_string())?;
    Ok(SampleRecord {
        name: record_name(schema, &record),
        record,
        layout,
        rows: rows.remove(id).unwrap_or_default(),
    })
}
