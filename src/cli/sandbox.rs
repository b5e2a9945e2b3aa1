//! `zscore sandbox`: serve the emulator until Ctrl-C or SIGTERM.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::domain::Edition;
use crate::sandbox::seed::large::LargeOrg;
use crate::sandbox::{self, Concurrency, SandboxError, SandboxOptions};

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub addr: String,
    /// CRM edition whose limits apply: standard, zohoone_standard, professional, developer,
    /// enterprise, zohoone_enterprise, crmplus, ultimate (default: enterprise for the demo org,
    /// ultimate for the large one).
    #[arg(long)]
    pub edition: Option<Edition>,
    /// The org to serve: `demo` (5 modules, 14 rules) or `large` (104 modules, thousands of
    /// rules, 100,000 Leads; built in code at start).
    #[arg(long, value_enum, default_value_t = OrgChoice::Demo)]
    pub org: OrgChoice,
    /// Seed of the large org's generator: the same seed gives the same org.
    #[arg(long, value_name = "N", default_value_t = LargeOrg::DEFAULT_SEED)]
    pub org_seed: u64,
    /// Seed directory to load instead of the built-in demo org.
    #[arg(long, value_name = "DIR", conflicts_with = "org")]
    pub seed: Option<PathBuf>,
    /// Milliseconds added to every response.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,
    /// Answer 429 TOO_MANY_REQUESTS beyond N requests in flight (default: the edition's
    /// concurrency limit, as Zoho enforces it: 10 to 25).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_concurrency: Option<u64>,
    /// Lifetime of issued access tokens, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    pub token_ttl_secs: u64,
    /// Pause between chunks of 500 records in scoring jobs, in milliseconds (to watch progress).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub job_chunk_delay_ms: u64,
    /// Fraction of requests (0 to 1) answered 500/502/503 or cut off mid-answer, either before
    /// they change anything or after their change is complete.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub fail_rate: f64,
    /// Seed for the choice of faults and jitter; the same seed replays the same faults.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_seed: u64,
    /// Requests per minute (a burst of N, then N per minute); beyond, 429 TOO_MANY_REQUESTS.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit: Option<u32>,
    /// The window --rate-limit counts in, in milliseconds (Zoho's is a minute; shorter keeps
    /// tests of throttled clients quick).
    #[arg(long, value_name = "MS", default_value_t = 60_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub rate_window_ms: u64,
    /// Random extra latency per request, 0 to N milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub jitter_ms: u64,
    /// Keep the org in this SQLite file: restored when it exists, seeded into it when new;
    /// every acknowledged change is written before it is answered.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// Allow a non-loopback --addr (other machines can reach the sandbox); needs --require-token.
    #[arg(long)]
    pub allow_remote: bool,
    /// Every request must carry `Authorization: Zoho-oauthtoken TOKEN` (or a token the sandbox
    /// issued, which it does only for client_secret=TOKEN).
    #[arg(long, value_name = "TOKEN")]
    pub require_token: Option<String>,
    /// The base URL the token endpoint tells clients to use (its `api_domain`); default the
    /// address listened on (none for a wildcard address such as 0.0.0.0).
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Put the seeded demo org (or --seed DIR's, with --edition) back into the state file and
    /// exit: --state FILE's, else the built-in sandbox's in the data directory.
    #[arg(long)]
    pub reset: bool,
    /// Behave like Zoho, which has no job-status endpoint: do not serve
    /// `/sandbox/v1/jobs/{id}` (clients then verify executions from the records' scores).
    #[arg(long)]
    pub no_job_status: bool,
}

fn parse_rate(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(f) if (0.0..=1.0).contains(&f) => Ok(f),
        _ => Err("expected a fraction from 0 to 1, e.g. 0.2".into()),
    }
}

/// Which built-in org `zscore sandbox` serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OrgChoice {
    Demo,
    Large,
}

impl SandboxArgs {
    /// Refuses what the options cannot mean. The large org is for measuring: rebuilt the same
    /// from `--org-seed` at every start, never kept in a state file (300,000 records would make
    /// every start a long restore, and the built-in sandbox, which `--reset` without `--state`
    /// resets, is the demo org that the TUI and commands use).
    pub fn check(&self) -> Result<(), String> {
        if self.org != OrgChoice::Large {
            return Ok(());
        }
        if self.reset {
            return Err("--reset puts the demo org (or --seed DIR's) back; --org large is built anew at every start and has nothing to reset".into());
        }
        if self.state.is_some() {
            return Err("--org large is not kept in a state file: it is built anew from --org-seed at every start (drop --state)".into());
        }
        Ok(())
    }

    pub fn options(&self) -> SandboxOptions {
        let large_org = (self.org == OrgChoice::Large).then(|| LargeOrg::full(self.org_seed));
        let default_edition = if large_org.is_some() {
            Edition::Ultimate
        } else {
            Edition::Enterprise
        };
        SandboxOptions {
            edition: self.edition.unwrap_or(default_edition),
            seed_dir: self.seed.clone(),
            large_org,
            latency: Duration::from_millis(self.latency_ms),
            max_concurrency: self
                .max_concurrency
                .map_or(Concurrency::Edition, |n| Concurrency::At(n as usize)),
            token_ttl: Duration::from_secs(self.token_ttl_secs),
            job_chunk_delay: Duration::from_millis(self.job_chunk_delay_ms),
            fail_rate: self.fail_rate,
            fault_seed: self.fault_seed,
            rate_limit: self.rate_limit,
            rate_window: Duration::from_millis(self.rate_window_ms),
            jitter: Duration::from_millis(self.jitter_ms),
            state_file: self.state.clone(),
            allow_remote: self.allow_remote,
            require_token: self.require_token.clone(),
            public_url: self.public_url.clone(),
            role: sandbox::Role::default(),
            job_status: !self.no_job_status,
        }
    }
}

/// `--reset`: the seed back in the state file; prints which file.
pub fn reset(args: &SandboxArgs) -> Result<(), String> {
    let path = match &args.state {
        Some(p) => p.clone(),
        None => super::builtin::state_path()?,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    sandbox::reset_state(&path, &args.options()).map_err(|e| e.to_string())?;
    super::output::outln!("reset {} to the seeded org", path.display());
    Ok(())
}

/// Prints exactly one line, `listening on http://ADDR`, once the port accepts connections.
pub async fn run(args: SandboxArgs) -> Result<(), SandboxError> {
    let options = args.options();
    // Bound (and checked for loopback) before the state file is opened and locked.
    let listener = sandbox::bind(&args.addr, &options).await?;
    let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
        addr: args.addr.clone(),
        source,
    })?;
    let options = sandbox::with_public_url(options, addr);
    let role = options.role.clone();
    let state = sandbox::build_state(options)?;
    // Who holds the state file, for a process that finds it locked; removed when we stop.
    let _holder = match &args.state {
        Some(path) => Some(sandbox::announce(
            path,
            &format!("http://{addr}"),
            &role,
            state.identity(),
        )?),
        None => None,
    };
    // Signal handlers go in before the line is printed: whoever reads it may stop us at once.
    let stop = shutdown_signal().map_err(|source| SandboxError::Bind {
        addr: args.addr.clone(),
        source,
    })?;
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{addr}");
        let _ = out.flush();
    }
    sandbox::serve(listener, state, stop).await
}

#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
