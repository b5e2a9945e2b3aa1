//! `zscore login`: exchange a Zoho self-client grant code for a refresh token, check it against
//! the org, and store the profile (config.toml) and its secrets (secrets.toml, mode 0600).

use clap::Args;

use super::connect::Target;
use super::output::outln;
use crate::api::auth::exchange_grant_code;
use crate::api::url::check_url;
use crate::api::{ClientConfig, Credentials};
use crate::config::{Config, DataCenter, Paths, Profile, Secrets, store_secrets};
use crate::display::sanitize;
use crate::domain::Edition;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Data center of the org: us, eu, in, au, jp, ca, cn, sa.
    #[arg(long, default_value = "us")]
    pub dc: DataCenter,
    /// Client id of a Zoho API self-client (api-console.zoho.com).
    #[arg(long, env = "ZSCORE_CLIENT_ID")]
    pub client_id: String,
    /// Its client secret (or set ZSCORE_CLIENT_SECRET, which keeps it out of the process list).
    #[arg(long, env = "ZSCORE_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: String,
    /// A grant code generated for the scopes ZohoCRM.settings.ALL,ZohoCRM.modules.ALL,ZohoCRM.org.ALL,ZohoCRM.users.READ.
    #[arg(long, env = "ZSCORE_GRANT_TOKEN", hide_env_values = true)]
    pub grant_token: String,
    /// Override the API domain (else the data center's, or what the token endpoint says).
    #[arg(long, value_name = "URL")]
    pub api_domain: Option<String>,
    /// Override the accounts server (else the data center's).
    #[arg(long, value_name = "URL")]
    pub accounts_url: Option<String>,
    /// The org's edition, when Zoho does not report it (standard, professional, enterprise, …).
    #[arg(long)]
    pub edition: Option<Edition>,
    /// Never change anything through this profile.
    #[arg(long)]
    pub readonly: bool,
}

pub async fn login(target: &Target, args: LoginArgs) -> Result<bool, String> {
    let name = target
        .profile
        .clone()
        .unwrap_or_else(|| "default".to_string());
    // Against a sandbox the one URL serves both the token endpoint and the API.
    let accounts = target
        .sandbox_url
        .clone()
        .or(args.accounts_url.clone())
        .unwrap_or_else(|| args.dc.accounts_url().to_string());
    let accounts = accounts.trim_end_matches('/').to_string();
    check_url(&accounts).map_err(|e| e.to_string())?;
    let token_url = format!("{accounts}/oauth/v2/token");
    let http =
        crate::api::http_client(crate::api::Timeouts::default()).map_err(|e| e.to_string())?;
    let grant = exchange_grant_code(
        &http,
        &token_url,
        &args.client_id,
        &args.client_secret,
        &args.grant_token,
    )
    .await
    .map_err(|e| e.to_string())?;
    let refresh_token = grant
        .refresh_token
        .ok_or("sign-in failed: the token endpoint gave no refresh token (was the grant code already used?)")?;
    let api_domain = target
        .sandbox_url
        .clone()
        .or(args.api_domain.clone())
        .or(grant.api_domain.clone())
        .unwrap_or_else(|| args.dc.api_domain().to_string());
    let credentials = Credentials {
        token_url,
        client_id: args.client_id.clone(),
        client_secret: args.client_secret.clone(),
        refresh_token: refresh_token.clone(),
    };
    let client = target
        .client(ClientConfig::new(&api_domain, credentials))
        .map_err(|e| e.to_string())?;
    if !target.quiet {
        super::connect::announce_retries(&client);
    }
    let org = client
        .org()
        .await
        .map_err(|e| format!("signed in, but reading the org failed: {e}"))?;
    let edition = args.edition.or(org.edition);

    let paths = Paths::discover().map_err(|e| e.to_string())?;
    let mut config = Config::load(&paths).map_err(|e| e.to_string())?;
    let previous = config.profiles.iter().find(|p| p.name == name);
    // Signing in again keeps the TUI's confirmation setting.
    let confirm = previous.is_none_or(|p| p.confirm);
    // The journal is kept per org: the id Zoho reports names it (an id that could not name a
    // file is left out, and the journal is then the profile's own, as before).
    let org_id = org
        .id
        .as_ref()
        .map(|id| id.to_string())
        .filter(|id| crate::config::valid_org_id(id));
    let moved_org = previous
        .and_then(|p| p.org_id.as_ref())
        .is_some_and(|before| Some(before) != org_id.as_ref());
    config.upsert(Profile {
        name: name.clone(),
        dc: args.dc,
        client_id: args.client_id.clone(),
        api_domain: (target.sandbox_url.is_some() || args.api_domain.is_some())
            .then(|| api_domain.clone()),
        accounts_url: (target.sandbox_url.is_some() || args.accounts_url.is_some())
            .then(|| accounts.clone()),
        edition: args.edition,
        readonly: args.readonly,
        accent: None,
        confirm,
        org_id,
    });
    store_secrets(
        &paths,
        &name,
        &Secrets {
            client_secret: Some(args.client_secret.clone()),
            refresh_token: Some(refresh_token),
        },
    )
    .map_err(|e| e.to_string())?;
    config.save(&paths).map_err(|e| e.to_string())?;
    outln!(
        "signed in to {} ({}) as profile {name}",
        sanitize(&org.company_name),
        edition
            .map(|e| e.label())
            .unwrap_or("edition unknown: set it with --edition")
    );
    if moved_org {
        outln!(
            "profile {name} now points at a different org than before: its change history is that org's (zscore history)"
        );
    }
    Ok(true)
}
