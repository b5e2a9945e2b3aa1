//! Which org a command talks to: `--sandbox-url`, a profile, or, with neither configured, a
//! sandbox started in this process so every command works out of the box.

use crate::api::{ApiError, Client, ClientConfig, Credentials};
use crate::config::{Config, Paths, client_id_override, load_secrets};
use crate::domain::Edition;
use crate::sandbox::{RunningSandbox, SandboxError, SandboxOptions};

/// A client and what it is connected to. Keeps an embedded sandbox alive as long as needed.
pub struct Connection {
    pub client: Client,
    /// A profile's `edition` setting, which wins over what the org reports.
    pub edition: Option<Edition>,
    /// "sandbox http://127.0.0.1:7878", "profile prod", …: for messages.
    pub label: String,
    /// Names this org's change journal (one per profile, one per sandbox address).
    pub journal_key: String,
    pub embedded: Option<RunningSandbox>,
    /// Why writes are refused (`--readonly`, or the profile's `readonly = true`); `None`: allowed.
    pub readonly: Option<String>,
    /// The profile's `accent` colour for the TUI.
    pub accent: Option<ratatui::style::Color>,
}

impl Connection {
    /// The change journal of this connection, in the data directory.
    pub fn journal(&self) -> Result<crate::journal::Journal, String> {
        let paths = Paths::discover().map_err(|e| e.to_string())?;
        crate::journal::Journal::open(&paths.data_dir.join("journal"), &self.journal_key)
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
    #[error("{0}")]
    Config(String),
}

#[derive(Clone, Debug, Default)]
pub struct Target {
    pub profile: Option<String>,
    pub sandbox_url: Option<String>,
    /// Requests in flight at once (default: the edition's concurrency limit once known).
    pub max_in_flight: Option<usize>,
    /// `--readonly`: refuse every write, whatever the profile says.
    pub readonly: bool,
    /// Say nothing on stderr (the TUI owns the terminal and shows the source itself).
    pub quiet: bool,
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
        cfg
    }
}

pub async fn connect(target: &Target) -> Result<Connection, ConnectError> {
    if let Some(url) = &target.sandbox_url {
        let client = Client::new(target.config(ClientConfig::sandbox(url)))?;
        return Ok(Connection {
            client,
            edition: None,
            label: format!("sandbox {url}"),
            journal_key: format!(
                "sandbox-{}",
                url.trim_start_matches("http://")
                    .trim_start_matches("https://")
            ),
            embedded: None,
            readonly: target.readonly_reason(None),
            accent: None,
        });
    }
    if let Some(conn) = profile_connection(target)? {
        return Ok(conn);
    }
    let sandbox = RunningSandbox::start("127.0.0.1:0", SandboxOptions::default()).await?;
    if !target.quiet {
        eprintln!("zscore: no profile configured; using the built-in sandbox (demo org)");
    }
    let client = Client::new(target.config(ClientConfig::sandbox(&sandbox.url)))?;
    Ok(Connection {
        client,
        edition: None,
        label: "built-in sandbox".into(),
        journal_key: "built-in-sandbox".into(),
        embedded: Some(sandbox),
        readonly: target.readonly_reason(None),
        accent: None,
    })
}

/// The profile's client, or `None` when no profile is configured at all.
fn profile_connection(target: &Target) -> Result<Option<Connection>, ConnectError> {
    let name = target.profile.as_deref();
    let cfg = |e: crate::config::ConfigError| ConnectError::Config(e.to_string());
    let paths = Paths::discover().map_err(cfg)?;
    let config = Config::load(&paths).map_err(cfg)?;
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
    let client = Client::new(target.config(ClientConfig::new(&profile.api_domain(), credentials)))?;
    // Already checked when config.toml was read; an unreadable value here means no cue.
    let accent = profile
        .accent
        .as_deref()
        .and_then(|a| crate::config::parse_accent(a).ok());
    Ok(Some(Connection {
        client,
        edition: profile.edition,
        label: format!("profile {}", profile.name),
        journal_key: format!("profile-{}", profile.name),
        embedded: None,
        readonly: target.readonly_reason(Some(profile)),
        accent,
    }))
}
