//! `zscore audit`: active rules per module and layout, with issues and usage against the
//! edition's limits, as a table, JSON or CSV on stdout.

use clap::{Args, ValueEnum};

use super::connect::{Target, connect};
use super::output::outln;
use crate::audit::{AuditOptions, audit as audit_rows, render_csv, render_json, render_table};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this module (API name); repeat for several.
    #[arg(long = "module", value_name = "API_NAME")]
    pub modules: Vec<String>,
    /// Include inactive rules.
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub async fn audit(target: &Target, args: AuditArgs) -> Result<bool, String> {
    let conn = connect(target).await.map_err(|e| e.to_string())?;
    let snapshot = super::connect::load(&conn, &args.modules).await?;
    super::shell::remember_modules(&snapshot);
    let rows = audit_rows(
        &snapshot,
        &AuditOptions {
            modules: args.modules.clone(),
            include_inactive: args.all,
        },
    )
    .map_err(|e| e.to_string())?;
    let out = match args.format {
        Format::Json => render_json(&rows),
        Format::Csv => render_csv(&rows),
        Format::Table => render_table(&rows, &snapshot, table_width()),
    };
    super::output::out(&out);
    if !out.ends_with('\n') {
        outln!();
    }
    Ok(true)
}

/// The table fits the terminal when `COLUMNS` says how wide it is, else 80 columns.
fn table_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(80)
}
