//! Sign-in profiles in `config.toml`:
//!
//! ```toml
//! default = "prod"
//!
//! [profiles.prod]
//! dc = "eu"                       # us, eu, in, au, jp, ca, cn, sa
//! client_id = "1000.ABCD…"
//! edition = "enterprise"          # optional: overrides what the org API reports
//! readonly = true                 # optional: refuse every change
//! accent = "red"                  # optional: the TUI's colour cue for this org
//! confirm = false                 # optional: the TUI's c, x and X send without asking
//! api_domain = "https://…"        # optional: overrides the data center's
//! accounts_url = "https://…"      # optional: overrides the data center's
//! org_id = "10234695"             # written by `zscore login`: names the org's change journal
//! ```
//!
//! Secrets never live here (see `secrets.rs`): this file is meant to be shareable.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

use super::error::line_col;
use super::{ConfigError, DataCenter, Paths, check_url, fs};
use crate::domain::Edition;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub dc: DataCenter,
    pub client_id: String,
    pub api_domain: Option<String>,
    pub accounts_url: Option<String>,
    pub edition: Option<Edition>,
    pub readonly: bool,
    pub accent: Option<String>,
    /// The TUI asks before cloning and executing (`c`, `x`, `X`); `confirm = false` turns
    /// that off.
    pub confirm: bool,
    /// Zoho's id for the org the profile signed in to, recorded by `zscore login`: the change
    /// journal is kept per org, so two profiles on one org share a history and a profile
    /// pointed at another org does not inherit the first one's.
    pub org_id: Option<String>,
}

impl Profile {
    /// A profile with only the required settings.
    pub fn new(name: impl Into<String>, dc: DataCenter, client_id: impl Into<String>) -> Profile {
        Profile {
            name: name.into(),
            dc,
            client_id: client_id.into(),
            api_domain: None,
            accounts_url: None,
            edition: None,
            readonly: false,
            accent: None,
            confirm: true,
            org_id: None,
        }
    }

    /// The accounts server: the override, else the data center's. No trailing slash, so callers
    /// can append `/oauth/v2/token`.
    pub fn accounts_url(&self) -> String {
        let url = self
            .accounts_url
            .as_deref()
            .unwrap_or(self.dc.accounts_url());
        url.trim_end_matches('/').to_string()
    }

    /// The API domain: the override, else the data center's. No trailing slash, so callers can
    /// append `/crm/v8/…`.
    pub fn api_domain(&self) -> String {
        let url = self.api_domain.as_deref().unwrap_or(self.dc.api_domain());
        url.trim_end_matches('/').to_string()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub default_profile: Option<String>,
    /// Sorted by name, so listings and the saved file are stable.
    pub profiles: Vec<Profile>,
    /// The `[keys]` section as written: the TUI reads it (`tui::keys::config`), and a save
    /// (`zscore login`) writes it back unchanged.
    pub keys: super::keys::KeysConfig,
}

impl Config {
    /// Reads config.toml; a missing file is an empty config (a fresh install runs on the
    /// sandbox). Anything else wrong with the file is an error naming its line.
    pub fn load(paths: &Paths) -> Result<Config, ConfigError> {
        fs::check_config_dir(&paths.config_dir)?;
        let path = paths.config_file();
        let Some(text) = fs::read_optional(&path)? else {
            return Ok(Config::default());
        };
        let at = |pos: Option<usize>, message: String, hint: Option<String>| {
            let (line, column) = pos.and_then(|p| line_col(&text, p)).unzip();
            ConfigError::Syntax {
                path: path.clone(),
                line,
                column,
                message,
                hint,
            }
        };
        let raw: RawConfig = toml::from_str(&text).map_err(|e| {
            let hint = Some(hint_for(e.message(), paths));
            at(e.span().map(|s| s.start), e.message().to_string(), hint)
        })?;

        let mut profiles = Vec::with_capacity(raw.profiles.len());
        for (name, p) in raw.profiles {
            if let Err(reason) = validate_name(name.get_ref()) {
                return Err(at(
                    Some(name.span().start),
                    format!("invalid profile name {:?}: {reason}", name.get_ref()),
                    Some("rename the [profiles.NAME] table".to_string()),
                ));
            }
            profiles.push(p.into_profile(name.into_inner()));
        }
        profiles.sort_by(|a, b| a.name.cmp(&b.name));

        let default_profile = match raw.default {
            None => None,
            Some(d) if profiles.iter().any(|p| &p.name == d.get_ref()) => Some(d.into_inner()),
            Some(d) => {
                let known: Vec<&str> = profiles.iter().map(|p| p.name.as_str()).collect();
                let hint = if known.is_empty() {
                    "remove the line, or add that profile with `zscore login`".to_string()
                } else {
                    format!("set it to one of: {}", known.join(", "))
                };
                return Err(at(
                    Some(d.span().start),
                    format!(
                        "default names a profile that does not exist: {:?}",
                        d.get_ref()
                    ),
                    Some(hint),
                ));
            }
        };
        Ok(Config {
            default_profile,
            profiles,
            keys: raw.keys,
        })
    }

    /// Writes config.toml atomically, creating the directory. Refuses (and leaves the file as it
    /// was) a config that [`Config::load`] would reject, so a save can never lock the user out.
    pub fn save(&self, paths: &Paths) -> Result<(), ConfigError> {
        self.validate()?;
        let out = OutConfig {
            default: self.default_profile.as_deref(),
            profiles: self
                .profiles
                .iter()
                .map(|p| (p.name.as_str(), RawProfile::from(p)))
                .collect(),
            keys: &self.keys,
        };
        let body = toml::to_string(&out).map_err(|e| ConfigError::Write {
            path: paths.config_file(),
            source: std::io::Error::other(e),
        })?;
        let text = format!("{HEADER}{body}");
        fs::write_atomic(&paths.config_file(), text.as_bytes(), 0o600)
    }

    /// The profile to use: `Some(name)` must exist; `None` means the default, or the only
    /// profile when there is just one. `Ok(None)` when `name` is `None` and there are no
    /// profiles at all: zscore then runs on the built-in sandbox. A name given explicitly that
    /// does not exist is an error even then, because silently using the sandbox instead of the
    /// org the user asked for would be worse than stopping.
    pub fn profile(&self, name: Option<&str>) -> Result<Option<&Profile>, ConfigError> {
        let find = |n: &str| self.profiles.iter().find(|p| p.name == n);
        match (name, &self.default_profile) {
            (Some(n), _) => find(n)
                .map(Some)
                .ok_or_else(|| ConfigError::UnknownProfile {
                    name: n.to_string(),
                    known: self.names(),
                }),
            (None, Some(d)) => find(d)
                .map(Some)
                .ok_or_else(|| ConfigError::MissingDefault {
                    name: d.clone(),
                    known: self.names(),
                }),
            (None, None) => match self.profiles.as_slice() {
                [] => Ok(None),
                [only] => Ok(Some(only)),
                _ => Err(ConfigError::NoDefault {
                    known: self.names(),
                }),
            },
        }
    }

    /// Adds `p`, or replaces the profile of the same name in place. When no default is set, the
    /// profile that was being used implicitly (the only one) becomes the explicit default, and
    /// on an empty config `p` becomes it, so adding a second profile never changes which org a
    /// bare `zscore` opens.
    pub fn upsert(&mut self, p: Profile) {
        if self.default_profile.is_none() {
            self.default_profile = match self.profiles.as_slice() {
                [] => Some(p.name.clone()),
                [only] => Some(only.name.clone()),
                _ => None,
            };
        }
        match self.profiles.iter().position(|q| q.name == p.name) {
            Some(i) => self.profiles[i] = p,
            None => {
                let at = self.profiles.partition_point(|q| q.name < p.name);
                self.profiles.insert(at, p);
            }
        }
    }

    fn names(&self) -> Vec<String> {
        self.profiles.iter().map(|p| p.name.clone()).collect()
    }

    fn validate(&self) -> Result<(), ConfigError> {
        for (i, p) in self.profiles.iter().enumerate() {
            let bad = |reason| ConfigError::InvalidProfileName {
                name: p.name.clone(),
                reason,
            };
            validate_name(&p.name).map_err(bad)?;
            if self.profiles[..i].iter().any(|q| q.name == p.name) {
                return Err(bad("two profiles have this name"));
            }
            validate_client_id(&p.client_id).map_err(bad)?;
            for url in [&p.api_domain, &p.accounts_url].into_iter().flatten() {
                check_url(url)?;
            }
        }
        if let Some(d) = &self.default_profile
            && !self.profiles.iter().any(|p| &p.name == d)
        {
            return Err(ConfigError::MissingDefault {
                name: d.clone(),
                known: self.names(),
            });
        }
        Ok(())
    }
}

const HEADER: &str = "\
# zscore sign-in profiles. Secrets are kept in secrets.toml beside this file, never here.
# `zscore login` rewrites this file; comments added by hand are not kept.

";

fn hint_for(message: &str, paths: &Paths) -> String {
    if message.contains("`client_secret`") || message.contains("`refresh_token`") {
        format!(
            "secrets do not belong in config.toml: delete that line and run `zscore login` again, or move it under [NAME] in {} (mode 600)",
            paths.secrets_file().display()
        )
    } else {
        "fix that line; `zscore profiles --help` describes the file".to_string()
    }
}

pub(super) fn validate_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        Err("it is empty")
    } else if name.trim() != name {
        Err("it starts or ends with a space")
    } else if name.chars().any(char::is_control) {
        Err("it contains a control character")
    } else {
        Ok(())
    }
}

fn validate_client_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        Err("client_id is empty; copy it from Zoho's API console")
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Err(
            "client_id contains spaces or control characters; copy it again from Zoho's API console",
        )
    } else {
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default: Option<Spanned<String>>,
    #[serde(default)]
    profiles: BTreeMap<Spanned<String>, RawProfile>,
    #[serde(default)]
    keys: super::keys::KeysConfig,
}

#[derive(Serialize)]
struct OutConfig<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    profiles: BTreeMap<&'a str, RawProfile>,
    #[serde(skip_serializing_if = "super::keys::KeysConfig::is_empty")]
    keys: &'a super::keys::KeysConfig,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    dc: DataCenter,
    #[serde(deserialize_with = "de_client_id")]
    client_id: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_url"
    )]
    api_domain: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_url"
    )]
    accounts_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edition: Option<Edition>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    readonly: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_accent"
    )]
    accent: Option<String>,
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    confirm: bool,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_org_id"
    )]
    org_id: Option<String>,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

impl RawProfile {
    fn into_profile(self, name: String) -> Profile {
        Profile {
            name,
            dc: self.dc,
            client_id: self.client_id,
            api_domain: self.api_domain,
            accounts_url: self.accounts_url,
            edition: self.edition,
            readonly: self.readonly,
            accent: self.accent,
            confirm: self.confirm,
            org_id: self.org_id,
        }
    }
}

impl From<&Profile> for RawProfile {
    fn from(p: &Profile) -> Self {
        RawProfile {
            dc: p.dc,
            client_id: p.client_id.clone(),
            api_domain: p.api_domain.clone(),
            accounts_url: p.accounts_url.clone(),
            edition: p.edition,
            readonly: p.readonly,
            accent: p.accent.clone(),
            confirm: p.confirm,
            org_id: p.org_id.clone(),
        }
    }
}

/// An org id names the journal's file, so it is held to what Zoho's ids are: digits.
pub fn valid_org_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_digit())
}

fn de_org_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let id = String::deserialize(d)?;
    if valid_org_id(&id) {
        Ok(Some(id))
    } else {
        Err(serde::de::Error::custom(
            "org_id is Zoho's numeric org id (zscore login records it)",
        ))
    }
}

// Checked while deserializing so toml attaches the value's position to the error.
fn de_client_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let id = String::deserialize(d)?;
    validate_client_id(&id).map_err(serde::de::Error::custom)?;
    Ok(id)
}

fn de_accent<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let name = String::deserialize(d)?;
    parse_accent(&name).map_err(serde::de::Error::custom)?;
    Ok(Some(name))
}

/// A profile's `accent`: any colour name ratatui knows ("red", "lightblue", "darkgray"…) or
/// "#rrggbb". The error names the value, since it comes from a hand-edited file.
pub fn parse_accent(name: &str) -> Result<ratatui::style::Color, String> {
    let trimmed = name.trim();
    let hex_ok = trimmed
        .strip_prefix('#')
        .is_none_or(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
    // Plain numbers parse as palette indexes in ratatui; a colour cue should be a name.
    let numeric = trimmed.chars().all(|c| c.is_ascii_digit());
    match trimmed.parse::<ratatui::style::Color>() {
        Ok(c) if hex_ok && !numeric && !trimmed.is_empty() => Ok(c),
        _ => Err(format!(
            "accent {name:?} is not a colour: use a name (red, green, yellow, blue, magenta, cyan, gray, white, light…/dark… variants) or #rrggbb"
        )),
    }
}

fn de_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let url = String::deserialize(d)?;
    check_url(&url).map_err(serde::de::Error::custom)?;
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    use crate::config::temp_paths as paths;

    fn write(paths: &Paths, text: &str) {
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        std::fs::write(paths.config_file(), text).unwrap();
    }

    fn load_err(text: &str) -> (ConfigError, String) {
        let (_dir, paths) = paths();
        write(&paths, text);
        let err = Config::load(&paths).unwrap_err();
        let msg = err.to_string();
        (err, msg)
    }

    fn full() -> Profile {
        Profile {
            name: "prod".into(),
            dc: DataCenter::Eu,
            client_id: "1000.ABCDEFGHIJKLMNOPQRSTUVWXYZ".into(),
            api_domain: Some("https://crm.example.eu".into()),
            accounts_url: Some("http://127.0.0.1:7878/".into()),
            edition: Some(Edition::CrmPlus),
            readonly: true,
            accent: Some("red".into()),
            confirm: false,
            org_id: Some("10234695".into()),
        }
    }

    #[test]
    fn missing_file_is_an_empty_config() {
        let (_dir, paths) = paths();
        let c = Config::load(&paths).unwrap();
        assert_eq!(c, Config::default());
        assert!(c.profile(None).unwrap().is_none());
    }

    #[test]
    fn save_then_load_round_trips() {
        let (_dir, paths) = paths();
        let mut c = Config::default();
        c.upsert(Profile::new("stage", DataCenter::Us, "1000.STAGE"));
        c.upsert(full());
        c.upsert(Profile::new("has space", DataCenter::Ca, "1000.X"));
        c.save(&paths).unwrap();
        let loaded = Config::load(&paths).unwrap();
        assert_eq!(loaded, c);
        assert_eq!(loaded.default_profile.as_deref(), Some("stage"));
        let names: Vec<_> = loaded.profiles.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["has space", "prod", "stage"]);
    }

    #[test]
    fn saved_file_is_the_documented_format() {
        let (_dir, paths) = paths();
        let mut c = Config::default();
        c.upsert(Profile::new("prod", DataCenter::Eu, "1000.A"));
        c.save(&paths).unwrap();
        let text = std::fs::read_to_string(paths.config_file()).unwrap();
        assert!(text.starts_with('#'));
        assert!(text.contains("default = \"prod\""), "{text}");
        assert!(
            text.contains("[profiles.prod]\ndc = \"eu\"\nclient_id = \"1000.A\"\n"),
            "{text}"
        );
        assert!(!text.contains("readonly"), "false is left out: {text}");
        assert!(!text.contains("confirm"), "the default is left out: {text}");
    }

    #[test]
    fn loads_a_hand_written_file() {
        let (_dir, paths) = paths();
        write(
            &paths,
            r#"
default = "prod"
[profiles.prod]
dc = "EU"
client_id = "1000.abc"
edition = "Zoho One Enterprise"
readonly = true
[profiles.local]
confirm = false
dc = "us"
client_id = "x"
accounts_url = "http://127.0.0.1:7878"
api_domain = "http://localhost:7878/"
"#,
        );
        let c = Config::load(&paths).unwrap();
        let prod = c.profile(None).unwrap().unwrap();
        assert_eq!(prod.name, "prod");
        assert_eq!(prod.dc, DataCenter::Eu);
        assert_eq!(prod.edition, Some(Edition::ZohoOneEnterprise));
        assert!(prod.readonly);
        assert!(
            prod.confirm,
            "the TUI asks before c, x, X unless told not to"
        );
        assert_eq!(prod.accounts_url(), "https://accounts.zoho.eu");
        assert_eq!(prod.api_domain(), "https://www.zohoapis.eu");
        let local = c.profile(Some("local")).unwrap().unwrap();
        assert_eq!(local.accounts_url(), "http://127.0.0.1:7878");
        assert_eq!(local.api_domain(), "http://localhost:7878");
        assert!(!local.readonly);
        assert!(!local.confirm);
    }

    #[test]
    fn unknown_key_names_its_line() {
        let (_, msg) =
            load_err("[profiles.prod]\ndc = \"eu\"\nclient_id = \"x\"\ncolour = \"red\"\n");
        assert!(msg.contains("config.toml, line 4"), "{msg}");
        assert!(msg.contains("unknown field `colour`"), "{msg}");
        assert!(
            msg.contains("`zscore profiles --help` describes the file"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_top_level_key_names_its_line() {
        let (_, msg) = load_err("\ndefualt = \"prod\"\n");
        assert!(msg.contains("line 2"), "{msg}");
        assert!(msg.contains("defualt"), "{msg}");
    }

    #[test]
    fn a_secret_in_config_toml_is_pointed_at_secrets_toml_and_not_echoed() {
        let (_, msg) = load_err(
            "[profiles.prod]\ndc = \"eu\"\nclient_id = \"x\"\nclient_secret = \"s3cr3t-value\"\n",
        );
        assert!(msg.contains("line 4"), "{msg}");
        assert!(msg.contains("secrets.toml"), "{msg}");
        assert!(!msg.contains("s3cr3t-value"), "{msg}");
    }

    #[rstest]
    #[case(
        "[profiles.p]\ndc = \"uk\"\nclient_id = \"x\"\n",
        2,
        "unknown data center \"uk\""
    )]
    #[case(
        "[profiles.p]\ndc = \"eu\"\nclient_id = \"\"\n",
        3,
        "client_id is empty"
    )]
    #[case(
        "[profiles.p]\ndc = \"eu\"\nclient_id = \"x\"\nedition = \"gold\"\n",
        4,
        "unknown edition"
    )]
    #[case(
        "[profiles.p]\ndc = \"eu\"\nclient_id = \"x\"\napi_domain = \"http://crm.example\"\n",
        4,
        "refusing plain http://"
    )]
    #[case(
        "[profiles.p]\ndc = \"eu\"\nclient_id = \"x\"\nreadonly = \"yes\"\n",
        4,
        "invalid type"
    )]
    #[case(
        "[profiles.p]\ndc = \"eu\"\nclient_id = \"x\"\naccent = \"crimsonish\"\n",
        4,
        "accent \"crimsonish\" is not a colour"
    )]
    #[case(
        "[profiles.p]\ndc = \"eu\"\nclient_id = \"x\"\naccent = \"#12345\"\n",
        4,
        "accent \"#12345\" is not a colour"
    )]
    #[case("[profiles.p]\nclient_id = \"x\"\n", 1, "missing field `dc`")]
    #[case(
        "default = \"prod\"\n[profiles.p]\ndc = \"eu\"\nclient_id = \"x\"\n",
        1,
        "set it to one of: p"
    )]
    #[case("default = \"prod\"\n", 1, "remove the line")]
    #[case(
        "[profiles.\" p\"]\ndc = \"eu\"\nclient_id = \"x\"\n",
        1,
        "starts or ends with a space"
    )]
    #[case("[profiles.p]\ndc = \"eu\"\ndc = \"us\"\n", 3, "duplicate key")]
    #[case("[profiles.p\n", 1, "")]
    fn bad_files_are_placed(#[case] text: &str, #[case] line: usize, #[case] needle: &str) {
        let (err, msg) = load_err(text);
        match err {
            ConfigError::Syntax { line: got, .. } => assert_eq!(got, Some(line), "{msg}"),
            other => panic!("not a syntax error: {other}"),
        }
        assert!(msg.contains(needle), "{msg}");
    }

    #[test]
    fn default_selection_rules() {
        let mut c = Config::default();
        assert!(c.profile(None).unwrap().is_none());
        let err = c.profile(Some("prod")).unwrap_err().to_string();
        assert!(
            err.contains("no profiles yet") && err.contains("zscore login"),
            "{err}"
        );

        c.profiles.push(Profile::new("solo", DataCenter::Us, "1"));
        assert_eq!(
            c.profile(None).unwrap().unwrap().name,
            "solo",
            "the only one"
        );

        c.profiles.push(Profile::new("two", DataCenter::Us, "2"));
        let err = c.profile(None).unwrap_err();
        assert!(matches!(err, ConfigError::NoDefault { .. }), "{err}");
        assert!(err.to_string().contains("solo, two"), "{err}");

        c.default_profile = Some("two".into());
        assert_eq!(c.profile(None).unwrap().unwrap().name, "two");
        assert_eq!(c.profile(Some("solo")).unwrap().unwrap().name, "solo");
        let err = c.profile(Some("nope")).unwrap_err().to_string();
        assert!(
            err.contains("\"nope\"") && err.contains("known profiles: solo, two"),
            "{err}"
        );

        c.default_profile = Some("gone".into());
        let err = c.profile(None).unwrap_err().to_string();
        assert!(err.contains("\"gone\""), "{err}");
    }

    #[test]
    fn upsert_makes_the_first_profile_the_default_and_replaces_in_place() {
        let mut c = Config::default();
        c.upsert(Profile::new("zeta", DataCenter::Us, "1"));
        assert_eq!(c.default_profile.as_deref(), Some("zeta"));
        c.upsert(Profile::new("alpha", DataCenter::Eu, "2"));
        assert_eq!(c.default_profile.as_deref(), Some("zeta"), "unchanged");
        c.upsert(Profile::new("alpha", DataCenter::Jp, "3"));
        assert_eq!(c.profiles.len(), 2);
        assert_eq!(c.profiles[0].dc, DataCenter::Jp);
    }

    #[test]
    fn upsert_keeps_an_implicit_default_chosen() {
        // A hand-written file with one profile and no `default` line.
        let mut c = Config {
            default_profile: None,
            profiles: vec![Profile::new("zeta", DataCenter::Us, "1")],
            ..Config::default()
        };
        c.upsert(Profile::new("alpha", DataCenter::Eu, "2"));
        assert_eq!(c.profile(None).unwrap().unwrap().name, "zeta");
    }

    #[rstest]
    #[case::empty_name(Profile::new("", DataCenter::Us, "1"))]
    #[case::empty_client_id(Profile::new("p", DataCenter::Us, ""))]
    #[case::http_override(Profile { api_domain: Some("http://crm.example".into()), ..Profile::new("p", DataCenter::Us, "1") })]
    fn save_refuses_what_load_would_refuse(#[case] p: Profile) {
        let (_dir, paths) = paths();
        let c = Config {
            default_profile: None,
            profiles: vec![p],
            ..Config::default()
        };
        c.save(&paths).unwrap_err();
        assert!(!paths.config_file().exists());
    }

    #[test]
    fn save_refuses_a_dangling_default() {
        let (_dir, paths) = paths();
        let c = Config {
            default_profile: Some("nope".into()),
            profiles: vec![],
            ..Config::default()
        };
        assert!(matches!(
            c.save(&paths),
            Err(ConfigError::MissingDefault { .. })
        ));
    }

    #[test]
    fn a_save_keeps_the_keys_section_as_written() {
        let (_dir, paths) = paths();
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        std::fs::write(
            paths.config_file(),
            "[keys]\ndelete_rule = \"D\"\nexecute_layout = [\"ctrl-x\", \"f5\"]\n\n[keys.form]\nform_save = \"f2\"\n",
        )
        .unwrap();
        let mut c = Config::load(&paths).unwrap();
        let keys = c.keys.clone();
        assert_eq!(keys.0.len(), 3, "{keys:?}");
        c.upsert(Profile::new("work", DataCenter::Eu, "1000.ABC"));
        c.save(&paths).unwrap();
        let again = Config::load(&paths).unwrap();
        assert_eq!(again.keys, keys);
        assert_eq!(again.profiles.len(), 1);
    }
}
