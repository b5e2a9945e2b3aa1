//! `zscore sandbox`: a local emulator of Zoho CRM's scoring-rules API with a seeded demo org.
//!
//! `store` holds the org and its changes, `http` speaks Zoho's wire format over axum, `jobs`
//! tracks background executions, `persist` keeps the org in a `--state` file, and `seed` builds
//! the demo org (or the large one).

pub mod holder;
pub mod http;
pub mod jobs;
pub mod persist;
pub mod seed;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::domain::Edition;
use http::AppState;
use store::Org;

#[derive(Clone, Debug)]
pub struct SandboxOptions {
    pub edition: Edition,
    /// A seed directory to load instead of the embedded demo org.
    pub seed_dir: Option<PathBuf>,
    /// The large org (built in code) instead of the demo org; `seed_dir` wins over it.
    pub large_org: Option<seed::large::LargeOrg>,
    /// Added to every response.
    pub latency: Duration,
    /// How many requests may be in flight before the sandbox answers 429, as Zoho does.
    pub max_concurrency: Concurrency,
    /// How long issued access tokens live (Zoho: one hour).
    pub token_ttl: Duration,
    /// Pause between chunks of a scoring job, to make progress observable in demos and tests.
    pub job_chunk_delay: Duration,
    /// Fraction of requests (0–1) that fail: 500/502/503 or a connection dropped mid-answer,
    /// injected before the request changes anything or after its change is complete.
    pub fail_rate: f64,
    /// Seeds the fault and jitter choices, so a run can be replayed.
    pub fault_seed: u64,
    /// Requests per rate window (a burst of N, then N per window); beyond, 429
    /// TOO_MANY_REQUESTS.
    pub rate_limit: Option<u32>,
    /// The window `rate_limit` counts in: Zoho's minute, shorter only to keep tests quick.
    pub rate_window: Duration,
    /// Random extra latency, 0 to this, per request.
    pub jitter: Duration,
    /// Keep the org in this SQLite file: restored at start, every acknowledged write committed
    /// to it before the answer is sent.
    pub state_file: Option<PathBuf>,
    /// Listening on a non-loopback address is refused unless this is set and `require_token`
    /// is too.
    pub allow_remote: bool,
    /// Every request must present this token or one the sandbox issued, and the token endpoint
    /// issues tokens only to callers giving it as `client_secret`.
    pub require_token: Option<String>,
    /// The base URL the token endpoint announces as `api_domain`: `--public-url`, else set
    /// from the address actually bound; never taken from a request (a client chooses its Host
    /// header). `None` (a wildcard address and no `--public-url`): announced not at all, so
    /// clients keep the URL they reached the sandbox by.
    pub public_url: Option<String>,
    /// How this sandbox names itself, beside its state file, to a process that finds the file
    /// locked (see `holder`).
    pub role: Role,
    /// Serve `GET /sandbox/v1/jobs/{id}`. Off, the sandbox is like Zoho, which has no
    /// job-status endpoint: clients must find out from the records' scores.
    pub job_status: bool,
}

/// What a sandbox holding a state file tells other processes about itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// `zscore sandbox`, `zscore (terminal UI)`, `zscore import`, …
    pub command: String,
    /// It serves other processes until it stops, rather than stopping soon.
    pub serves_others: bool,
}

impl Default for Role {
    fn default() -> Self {
        Role {
            command: "zscore sandbox".into(),
            serves_others: true,
        }
    }
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            edition: Edition::Enterprise,
            seed_dir: None,
            large_org: None,
            latency: Duration::ZERO,
            max_concurrency: Concurrency::Edition,
            token_ttl: Duration::from_secs(3600),
            job_chunk_delay: Duration::ZERO,
            fail_rate: 0.0,
            fault_seed: 0,
            rate_limit: None,
            rate_window: Duration::from_secs(60),
            jitter: Duration::ZERO,
            state_file: None,
            allow_remote: false,
            require_token: None,
            public_url: None,
            role: Role::default(),
            job_status: true,
        }
    }
}

/// The sandbox's cap on requests in flight (the token endpoint, Zoho's accounts server, is not
/// counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Concurrency {
    /// The edition's limit (`Edition::concurrency`), as real Zoho enforces it.
    #[default]
    Edition,
    /// `--max-concurrency N`.
    At(usize),
    /// No cap: for tests that burst raw requests at the sandbox to study something else.
    Unlimited,
}

impl Concurrency {
    /// The cap in force for an org of `edition`.
    pub fn cap(self, edition: Edition) -> Option<usize> {
        match self {
            Concurrency::Edition => Some(edition.concurrency()),
            Concurrency::At(n) => Some(n),
            Concurrency::Unlimited => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot load the seed org: {0}")]
    Seed(#[from] seed::SeedError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("the sandbox server stopped: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    State(#[from] persist::PersistError),
    #[error("{}: the state file is in use by {} at {}", .path.display(), .holder.describe(), .holder.url)]
    InUse {
        path: PathBuf,
        holder: Box<holder::Holder>,
    },
    #[error(
        "refusing to listen on {addr}: it is not a loopback address, and the sandbox accepts any credentials; \
         to serve other machines pass --allow-remote together with --require-token TOKEN"
    )]
    Remote { addr: SocketAddr },
    #[error("--require-token must not be empty")]
    EmptyToken,
    #[error("cannot write {}: {source}", .path.display())]
    Holder {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Loads the seed org and scores it with its active rules, ready to serve; with a state file
/// that already holds an org, that org instead.
pub fn build_state(options: SandboxOptions) -> Result<Arc<AppState>, SandboxError> {
    if options.require_token.as_deref().is_some_and(str::is_empty) {
        return Err(SandboxError::EmptyToken);
    }
    let Some(path) = options.state_file.clone() else {
        let org = seeded_org(&options)?;
        return Ok(Arc::new(AppState::new(org, options)));
    };
    let (mut file, restored) = persist::StateFile::open(&path).map_err(|e| in_use(e, &path))?;
    let state = match restored {
        Some(restored) => {
            if restored.org.edition != options.edition {
                tracing::warn!(
                    file = %path.display(),
                    "the state file holds a {} org; its limits apply, not {}'s",
                    restored.org.edition,
                    options.edition
                );
            }
            AppState::new(restored.org, options).with_state_file(file, restored.pending_jobs)
        }
        None => {
            let mut org = seeded_org(&options)?;
            file.write_all(&org)?;
            org.take_changes();
            AppState::new(org, options).with_state_file(file, Vec::new())
        }
    };
    Ok(Arc::new(state))
}

/// A refusal because another process holds the file names that process, when it says.
fn in_use(e: persist::PersistError, path: &std::path::Path) -> SandboxError {
    match (&e, holder::read(path)) {
        (persist::PersistError::Busy { .. }, Some(h)) => SandboxError::InUse {
            path: path.to_path_buf(),
            holder: Box::new(h),
        },
        _ => SandboxError::State(e),
    }
}

/// Puts a freshly seeded org (from `options`) into the state file at `path`, under a new
/// identity, replacing what it held in one transaction. A file in use is refused, naming its
/// holder; so is a file that is not a zscore state file. A damaged file or one of another
/// format version is replaced whole: it is zscore's, and unreadable as it is.
pub fn reset_state(path: &std::path::Path, options: &SandboxOptions) -> Result<(), SandboxError> {
    use persist::PersistError::{Corrupt, Version};
    let org = seeded_org(options)?;
    let mut file = match persist::StateFile::open(path) {
        Ok((file, _)) => file,
        Err(Corrupt { .. } | Version { .. }) => {
            for suffix in ["", "-wal", "-shm"] {
                let mut p = path.as_os_str().to_os_string();
                p.push(suffix);
                match std::fs::remove_file(&p) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(SandboxError::State(persist::PersistError::Corrupt {
                            path: path.display().to_string(),
                            detail: format!("cannot remove it to start over: {e}"),
                        }));
                    }
                    _ => {}
                }
            }
            persist::StateFile::open(path)
                .map_err(|e| in_use(e, path))?
                .0
        }
        Err(e) => return Err(in_use(e, path)),
    };
    file.reset(&org)?;
    Ok(())
}

fn seeded_org(options: &SandboxOptions) -> Result<Org, SandboxError> {
    let now = Utc::now();
    let seed = match (&options.seed_dir, &options.large_org) {
        (Some(dir), _) => seed::load_dir(dir, now)?,
        (None, Some(spec)) => seed::load_large(spec, now)?,
        (None, None) => seed::load_embedded(now)?,
    };
    let mut org = Org::from_seed(seed, options.edition, now);
    org.score_history(now);
    org.take_changes();
    Ok(org)
}

/// The sandbox accepts any credentials, so by default it serves this machine only.
pub fn check_remote(addr: SocketAddr, options: &SandboxOptions) -> Result<(), SandboxError> {
    if addr.ip().is_loopback() || (options.allow_remote && options.require_token.is_some()) {
        Ok(())
    } else {
        Err(SandboxError::Remote { addr })
    }
}

/// Applies the loopback rule to every address `addr` resolves to, before any is bound (a
/// refused address never holds a port, not even for a moment), then binds them and checks the
/// address actually bound again.
pub async fn bind(addr: &str, options: &SandboxOptions) -> Result<TcpListener, SandboxError> {
    let bind_err = |source| SandboxError::Bind {
        addr: addr.to_string(),
        source,
    };
    let resolved: Vec<SocketAddr> = tokio::net::lookup_host(addr)
        .await
        .map_err(bind_err)?
        .collect();
    for a in &resolved {
        check_remote(*a, options)?;
    }
    let listener = TcpListener::bind(resolved.as_slice())
        .await
        .map_err(bind_err)?;
    let local = listener.local_addr().map_err(bind_err)?;
    check_remote(local, options)?;
    Ok(listener)
}

/// The options with `public_url` filled from the address bound, unless given or a wildcard.
pub fn with_public_url(mut options: SandboxOptions, bound: SocketAddr) -> SandboxOptions {
    match &options.public_url {
        Some(url) => options.public_url = Some(url.trim_end_matches('/').to_string()),
        None if !bound.ip().is_unspecified() => {
            options.public_url = Some(format!("http://{bound}"));
        }
        None => {}
    }
    options
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), SandboxError> {
    http::resume_jobs(&state);
    axum::serve(listener, http::router(state))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(SandboxError::Serve)
}

/// Writes the holder file of the state file at `path`: this process serves it at `url`.
pub fn announce(
    path: &std::path::Path,
    url: &str,
    role: &Role,
    identity: &str,
) -> Result<holder::HolderGuard, SandboxError> {
    let me = holder::Holder {
        pid: std::process::id(),
        url: url.to_string(),
        command: role.command.clone(),
        serves_others: role.serves_others,
        identity: identity.to_string(),
    };
    holder::HolderGuard::new(path, &me).map_err(|source| SandboxError::Holder {
        path: holder::path_for(path),
        source,
    })
}

/// A sandbox running in this process (tests, and the TUI's embedded demo org).
pub struct RunningSandbox {
    pub addr: SocketAddr,
    pub url: String,
    pub state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<Result<(), SandboxError>>>,
    /// With a state file: says who holds it until this sandbox is dropped.
    _holder: Option<holder::HolderGuard>,
}

impl RunningSandbox {
    /// Starts on `addr` (port 0 picks a free one) in the current tokio runtime. Opening (or
    /// seeding) the org runs on a blocking thread: restoring a state file takes a while.
    pub async fn start(addr: &str, options: SandboxOptions) -> Result<Self, SandboxError> {
        let listener = bind(addr, &options).await?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            addr: addr.to_string(),
            source,
        })?;
        let options = with_public_url(options, addr);
        let state_path = options.state_file.clone();
        let role = options.role.clone();
        let state = tokio::task::spawn_blocking(move || build_state(options))
            .await
            .map_err(|e| SandboxError::Serve(std::io::Error::other(e)))??;
        let url = format!("http://{addr}");
        let holder = match &state_path {
            Some(path) => Some(announce(path, &url, &role, state.identity())?),
            None => None,
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(serve(listener, state.clone(), async {
            let _ = stopped.await;
        }));
        Ok(RunningSandbox {
            addr,
            url,
            state,
            stop: Some(stop),
            handle: Some(handle),
            _holder: holder,
        })
    }

    pub async fn stop(mut self) -> Result<(), SandboxError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.handle.take() {
            Some(h) => h.await.unwrap_or(Ok(())),
            None => Ok(()),
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
