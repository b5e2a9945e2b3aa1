//! Which org zscore talks to: `--sandbox-url`, a profile, or, with neither configured, the
//! built-in sandbox (started in this process or joined), so every command and the TUI work out
//! of the box. Shared by the CLI (`cli::connect`, which says on stderr what it connected to)
//! and the TUI; it prints nothing itself.

pub mod builtin;

use self::builtin::Builtin;
use crate::api::{ApiError, Budget, Client, ClientConfig, Credentials};
use crate::config::{Config, Paths, client_id_override, load_secrets};
use crate::domain::Edition;
use crate::sandbox::{Role, RunningSandbox, SandboxError};

/// A client and what it is connected to. Keeps an embedded sandbox alive as long as needed.
pub struct Connection {
    pub client: Client,
    /// A profile's `edition` setting, which wins over what the org reports.
    pub edition: Option<Edition>,
    /// "sandbox http://127.0.0.1:7878", "profile prod", …: for messages.
    pub label: String,
    /// Names this org's change journal and form drafts (see `journal_key`).
    journal_key: JournalKey,
    /// The built-in sandbox when this process opened it: it serves until dropped.
    pub embedded: Option<RunningSandbox>,
    /// A sandbox rather than Zoho (the TUI's SANDBOX badge).
    pub sandbox: bool,
    /// Why writes are refused (`--readonly`, or the profile's `readonly = true`); `None`: allowed.
    pub readonly: Option<String>,
    /// The profile's `accent` colour for the TUI.
    pub accent: Option<ratatui::style::Color>,
    /// The TUI asks before `c`, `x` and `X`: a profile's `confirm` (default on), on for
    /// `--sandbox-url`, off for the built-in demo sandbox.
    pub confirm: bool,
    /// What a command says about the org it got when none was named (the built-in sandbox).
    pub notice: Option<String>,
    /// config.toml as connecting read it, for what else it says (the TUI's keys and profile
    /// names), so it is read once; `None` with `--sandbox-url`, which does not read it.
    pub config: Option<Config>,
}

/// What names a connection's journal: known at connect, or, for `--sandbox-url`, the identity
/// that sandbox reports, asked only when a journal is first needed, so a command that writes
/// nothing (audit, export, lint…) never waits a round trip for it.
enum JournalKey {
    Known(String),
    SandboxAt {
        url: String,
        asked: tokio::sync::OnceCell<String>,
    },
}

impl Connection {
    /// Names this org's change journal and form drafts: one per profile, one per sandbox org
    /// (the identity a sandbox reports, so a sandbox started afresh, whose rule ids repeat the
    /// last one's, never shares a journal with it).
    pub async fn journal_key(&self) -> String {
        match &self.journal_key {
            JournalKey::Known(key) => key.clone(),
            JournalKey::SandboxAt { url, asked } => asked
                .get_or_init(|| async {
                    match sandbox_identity(url).await {
                        Some(identity) => format!("sandbox-{identity}"),
                        None => {
                            let address = url
                                .trim_start_matches("http://")
                                .trim_start_matches("https://");
                            format!("sandbox-{address}")
                        }
                    }
                })
                .await
                .clone(),
        }
    }

    /// The change journal of this connection, in the data directory.
    pub async fn journal(&self) -> Result<crate::journal::Journal, String> {
        let paths = Paths::discover().map_err(|e| e.to_string())?;
        crate::journal::Journal::open(&paths.data_dir.join("journal"), &self.journal_key().await)
            .map_err(|e| e.to_string())
    }

    /// Refuses a write command on a read-only connection, saying why and what to do instead.
    pub fn check_writable(&self, command: &str) -> Result<(), String> {
        match &self.readonly {
            None => Ok(()),
            Some(why) => Err(format!(
                "refusing to {command}: read-only ({why}); nothing was sent"
            )),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("cannot start the built-in sandbox: {0}")]
    Sandbox(#[from] SandboxError),
    #[error("cannot open the built-in sandbox: {0}")]
    Builtin(String),
    #[error("{0}")]
    Config(String),
}

/// A command's time budget unless `--timeout` says otherwise: long enough to wait out Zoho's
/// per-minute rate limit several times over, short enough that a dead server is noticed.
pub const DEFAULT_TIMEOUT_SECS: u64 = 600;

#[derive(Clone, Debug)]
pub struct Target {
    pub profile: Option<String>,
    pub sandbox_url: Option<String>,
    /// Requests in flight at once (default: the edition's concurrency limit once known).
    pub max_in_flight: Option<usize>,
    /// `--readonly`: refuse every write, whatever the profile says.
    pub readonly: bool,
    /// Say nothing on stderr (the TUI owns the terminal and shows the source itself, and
    /// retries in its status bar): read by `cli::connect`.
    pub quiet: bool,
    /// How long the work may take: the whole command on the CLI, each request in the TUI.
    pub budget: Budget,
    /// Largest answer read (default 16 MiB).
    pub max_response_bytes: Option<u64>,
    /// What this process is (`zscore import`), as the built-in sandbox tells other processes.
    pub command: String,
    /// Serves the built-in sandbox to other processes until it stops (the TUI), if it opens it.
    pub serves_others: bool,
    /// Counts the API calls of every client made for this target (`zscore -v` prints it).
    pub meter: crate::api::CallMeter,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            profile: None,
            sandbox_url: None,
            max_in_flight: None,
            readonly: false,
            quiet: false,
            budget: Budget::Command(std::time::Duration::from_secs(DEFAULT_TIMEOUT_SECS)),
            max_response_bytes: None,
            command: String::new(),
            serves_others: false,
            meter: crate::api::CallMeter::default(),
        }
    }
}

impl Target {
    /// Why writes are refused: the flag first, then the profile's setting.
    fn readonly_reason(&self, profile: Option<&crate::config::Profile>) -> Option<String> {
        if self.readonly {
            return Some("started with --readonly".into());
        }
        profile
            .filter(|p| p.readonly)
            .map(|p| format!("profile {} has readonly = true", p.name))
    }

    fn config(&self, mut cfg: ClientConfig) -> ClientConfig {
        if let Some(n) = self.max_in_flight {
            cfg.max_in_flight = n;
            cfg.follow_edition = false;
        }
        if let Some(n) = self.max_response_bytes {
            cfg.max_body_bytes = n;
        }
        cfg.budget = self.budget;
        cfg.meter = self.meter.clone();
        cfg
    }

    /// The client for `cfg` with this target's settings (whoever watches installs its retry
    /// hook).
    pub fn client(&self, cfg: ClientConfig) -> Result<Client, ApiError> {
        Client::new(self.config(cfg))
    }
}

/// Connects, telling `on_wait` when the built-in sandbox is held by another command.
pub async fn connect_telling(
    target: &Target,
    on_wait: &mut dyn FnMut(&str),
) -> Result<Connection, ConnectError> {
    if let Some(url) = &target.sandbox_url {
        let client = target.client(ClientConfig::sandbox(url))?;
        return Ok(Connection {
            client,
            edition: None,
            label: format!("sandbox {url}"),
            journal_key: JournalKey::SandboxAt {
                url: url.clone(),
                asked: tokio::sync::OnceCell::new(),
            },
            embedded: None,
            sandbox: true,
            readonly: target.readonly_reason(None),
            accent: None,
            confirm: true,
            notice: None,
            config: None,
        });
    }
    let cfg = |e: crate::config::ConfigError| ConnectError::Config(e.to_string());
    let config = Config::load(&Paths::discover().map_err(cfg)?).map_err(cfg)?;
    if let Some(mut conn) = profile_connection(target, &config)? {
        conn.config = Some(config);
        return Ok(conn);
    }
    let role = Role {
        command: if target.command.is_empty() {
            "zscore".into()
        } else {
            target.command.clone()
        },
        serves_others: target.serves_others,
    };
    let builtin = builtin::open(role, on_wait)
        .await
        .map_err(ConnectError::Builtin)?;
    let client = target.client(ClientConfig::sandbox(builtin.url()))?;
    let journal_key = JournalKey::Known(format!("sandbox-{}", builtin.identity()));
    let (label, embedded, notice) = match builtin {
        Builtin::Own(sandbox) => (
            "built-in sandbox".to_string(),
            Some(sandbox),
            "no profile configured; using the built-in sandbox (demo org)".to_string(),
        ),
        Builtin::Joined(holder) => (
            format!("built-in sandbox (served by pid {})", holder.pid),
            None,
            format!(
                "no profile configured; using the built-in sandbox (demo org) that {} serves",
                holder.describe()
            ),
        ),
    };
    Ok(Connection {
        client,
        edition: None,
        label,
        journal_key,
        embedded,
        sandbox: true,
        readonly: target.readonly_reason(None),
        accent: None,
        confirm: false,
        notice: Some(notice),
        config: Some(config),
    })
}

/// The org identity a zscore sandbox reports at `/`; `None` from anything else (or when it
/// cannot be asked), and the journal is then keyed by the address as before.
async fn sandbox_identity(url: &str) -> Option<String> {
    // A few quick plain requests: the identity only names the journal, so a sandbox that is
    // down must not hold the command (nor spend its time budget on token retries), but a
    // passing fault must not name a different journal than the last run's either.
    let http = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(2))
        .timeout(std::time::Duration::from_secs(3))
        .build()
        .ok()?;
    let root = format!("{}/", url.trim_end_matches('/'));
    for wait_ms in [100, 200, 400, 0] {
        let answer = match http.get(&root).send().await {
            Ok(resp) if resp.status().is_success() => {
                crate::api::body::read_capped(resp, 64 << 10).await.ok()
            }
            _ => None,
        };
        if let Some(bytes) = answer {
            let root: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
            let id = root.get("org")?.as_str()?.to_string();
            // It names a file: keep it to characters a file name can hold anywhere.
            return (!id.is_empty()
                && id.len() <= 64
                && id.chars().all(|c| c.is_ascii_alphanumeric()))
            .then_some(id);
        }
        tokio::time::sleep(std::time::Duration::from_millis(wait_ms)).await;
    }
    None
}

/// The profile's client, or `None` when no profile is configured at all.
fn profile_connection(
    target: &Target,
    config: &Config,
) -> Result<Option<Connection>, ConnectError> {
    let name = target.profile.as_deref();
    let cfg = |e: crate::config::ConfigError| ConnectError::Config(e.to_string());
    let paths = Paths::discover().map_err(cfg)?;
    let Some(profile) = config.profile(name).map_err(cfg)? else {
        return match name {
            Some(n) => Err(ConnectError::Config(format!(
                "no profile named {n:?}: none is configured yet (zscore login --profile {n} --dc … --client-id … --client-secret … --grant-token …)"
            ))),
            None => Ok(None),
        };
    };
    let secrets = load_secrets(&paths, &profile.name).map_err(cfg)?;
    let (Some(client_secret), Some(refresh_token)) =
        (secrets.client_secret.clone(), secrets.refresh_token.clone())
    else {
        return Err(ConnectError::Config(format!(
            "profile {:?} has no stored client secret and refresh token; sign in again with `zscore login --profile {}`",
            profile.name, profile.name
        )));
    };
    let credentials = Credentials {
        token_url: format!(
            "{}/oauth/v2/token",
            profile.accounts_url().trim_end_matches('/')
        ),
        client_id: client_id_override().unwrap_or_else(|| profile.client_id.clone()),
        client_secret,
        refresh_token,
    };
    let client = target.client(ClientConfig::new(&profile.api_domain(), credentials))?;
    // Already checked when config.toml was read; an unreadable value here means no cue.
    let accent = profile
        .accent
        .as_deref()
        .and_then(|a| crate::config::parse_accent(a).ok());
    Ok(Some(Connection {
        client,
        edition: profile.edition,
        label: format!("profile {}", profile.name),
        // One journal per Zoho org (the id `zscore login` recorded); a profile signed in before
        // zscore recorded it keeps the journal named after it.
        journal_key: JournalKey::Known(match &profile.org_id {
            Some(org) => format!("org-{org}"),
            None => format!("profile-{}", profile.name),
        }),
        embedded: None,
        sandbox: false,
        readonly: target.readonly_reason(Some(profile)),
        accent,
        confirm: profile.confirm,
        notice: None,
        config: None,
    }))
}
