//! Per-profile secrets in `secrets.toml`, beside config.toml but owner-only:
//!
//! ```toml
//! [prod]
//! client_secret = "…"
//! refresh_token = "1000.…"
//! ```
//!
//! A refresh token is a long-lived key to the whole CRM org, so the file is refused when other
//! users could read or change it, and is only ever written as a fresh 0600 file. CI passes
//! secrets through the environment instead (`ZSCORE_CLIENT_SECRET`, `ZSCORE_REFRESH_TOKEN`).
//!
//! Errors about this file are built from positions and key names only, never from its text:
//! the offending line may well be a secret.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::error::line_col;
use super::profiles::validate_name;
use super::{
    ConfigError, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_REFRESH_TOKEN, Paths, fs, non_empty,
};

#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secrets {
    pub client_secret: Option<String>,
    pub refresh_token: Option<String>,
}

/// Shows which secrets are present, never their values: `Secrets` ends up in `{:?}` of larger
/// structs and in tracing spans.
impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("Secrets")
            .field("client_secret", &shown(&self.client_secret))
            .field("refresh_token", &shown(&self.refresh_token))
            .finish()
    }
}

/// Which secrets the file holds for a profile; what `zscore profiles` may show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoredSecrets {
    pub client_secret: bool,
    pub refresh_token: bool,
}

impl StoredSecrets {
    /// Both are needed to get an access token.
    pub fn complete(self) -> bool {
        self.client_secret && self.refresh_token
    }
}

/// The secrets of `profile`: secrets.toml's `[profile]` table (both `None` when the file or the
/// table is missing), each value replaced by `ZSCORE_CLIENT_SECRET` / `ZSCORE_REFRESH_TOKEN`
/// when set. Refuses a file that group or others can read or write.
///
/// The environment applies to whichever profile is loaded; callers that store what they loaded
/// would copy it into the file.
pub fn load_secrets(paths: &Paths, profile: &str) -> Result<Secrets, ConfigError> {
    load_secrets_with(paths, profile, |k| std::env::var(k).ok())
}

/// [`load_secrets`] with the environment passed in (tests must not mutate the real one).
fn load_secrets_with(
    paths: &Paths,
    profile: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Secrets, ConfigError> {
    let env_secret = non_empty(env(ENV_CLIENT_SECRET));
    let env_token = non_empty(env(ENV_REFRESH_TOKEN));
    // With both from the environment the file is not needed, so it is not even opened: CI
    // without a secrets file, or with an unrelated one, just works.
    if let (Some(client_secret), Some(refresh_token)) = (&env_secret, &env_token) {
        return Ok(Secrets {
            client_secret: Some(client_secret.clone()),
            refresh_token: Some(refresh_token.clone()),
        });
    }
    let mut secrets = read_file(paths, Access::Strict)?
        .remove(profile)
        .unwrap_or_default();
    if env_secret.is_some() {
        secrets.client_secret = env_secret;
    }
    if env_token.is_some() {
        secrets.refresh_token = env_token;
    }
    Ok(secrets)
}

/// Sets `profile`'s secrets to exactly `s` (a `None` removes that key; both `None` removes the
/// profile's table), keeping the other profiles'. The file is replaced atomically by a new one
/// created with mode 0600, so it is never readable by others, not even briefly.
pub fn store_secrets(paths: &Paths, profile: &str, s: &Secrets) -> Result<(), ConfigError> {
    validate_name(profile).map_err(|reason| ConfigError::InvalidProfileName {
        name: profile.to_string(),
        reason,
    })?;
    // An over-permissive existing file is read rather than refused: the write below is the fix,
    // and refusing here would throw away a just-exchanged grant token (they are single use).
    let mut all = read_file(paths, Access::Tolerant)?;
    let keep = Secrets {
        client_secret: non_empty(s.client_secret.clone()),
        refresh_token: non_empty(s.refresh_token.clone()),
    };
    if keep == Secrets::default() {
        all.remove(profile);
    } else {
        all.insert(profile.to_string(), keep);
    }

    let mut doc = toml::Table::new();
    for (name, s) in all {
        let mut t = toml::Table::new();
        if let Some(v) = s.client_secret {
            t.insert("client_secret".into(), toml::Value::String(v));
        }
        if let Some(v) = s.refresh_token {
            t.insert("refresh_token".into(), toml::Value::String(v));
        }
        doc.insert(name, toml::Value::Table(t));
    }
    let path = paths.secrets_file();
    let body = toml::to_string(&doc).map_err(|e| ConfigError::Write {
        path: path.clone(),
        source: io::Error::other(e.to_string()),
    })?;
    fs::write_atomic(&path, format!("{HEADER}{body}").as_bytes(), 0o600)
}

/// Which profiles have which secrets in the file (the environment is not consulted). Refuses an
/// over-permissive file like [`load_secrets`].
pub fn stored_secrets(paths: &Paths) -> Result<BTreeMap<String, StoredSecrets>, ConfigError> {
    Ok(read_file(paths, Access::Strict)?
        .into_iter()
        .map(|(name, s)| {
            let stored = StoredSecrets {
                client_secret: s.client_secret.is_some(),
                refresh_token: s.refresh_token.is_some(),
            };
            (name, stored)
        })
        .collect())
}

/// `ZSCORE_CLIENT_ID`, which replaces the profile's client id (CI with a per-pipeline client).
pub fn client_id_override() -> Option<String> {
    non_empty(std::env::var(ENV_CLIENT_ID).ok())
}

const HEADER: &str = "\
# zscore secrets: keep this file owner-only (chmod 600); never share or commit it.
# `zscore login` rewrites this file.

";

const FORMAT_HINT: &str =
    "each profile is a table [NAME] holding client_secret = \"…\" and refresh_token = \"…\"";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Refuse a file that group or others can read or write.
    Strict,
    /// Read it anyway (the caller is about to replace it with an owner-only file).
    Tolerant,
}

fn read_file(paths: &Paths, access: Access) -> Result<BTreeMap<String, Secrets>, ConfigError> {
    fs::check_config_dir(&paths.config_dir)?;
    let path = paths.secrets_file();
    let read_err = |source| ConfigError::Read {
        path: path.clone(),
        source,
    };
    let mut file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(read_err(e)),
    };
    // The mode of the file actually opened, not of whatever the path names a moment later.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata().map_err(read_err)?.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            let what = if mode & 0o044 != 0 {
                "readable"
            } else {
                "writable"
            };
            match access {
                Access::Strict => {
                    return Err(ConfigError::InsecureSecrets {
                        path: path.clone(),
                        mode,
                        what,
                    });
                }
                Access::Tolerant => tracing::warn!(
                    "{} was {what} by other users (mode {mode:04o}); replacing it with an owner-only file",
                    path.display()
                ),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = access;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(read_err)?;
    let Ok(text) = String::from_utf8(bytes) else {
        // No position: the text around a bad byte may be a secret, and the line is not needed
        // to fix an encoding problem.
        return Err(ConfigError::Syntax {
            path: path.clone(),
            line: None,
            column: None,
            message: "the file is not UTF-8 text".to_string(),
            hint: Some("re-save it as UTF-8".to_string()),
        });
    };
    parse(&path, &text)
}

fn parse(path: &Path, text: &str) -> Result<BTreeMap<String, Secrets>, ConfigError> {
    let at = |pos: usize, message: String| {
        let (line, column) = line_col(text, pos).unzip();
        ConfigError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message,
            hint: Some(FORMAT_HINT.to_string()),
        }
    };
    // Parsed into toml's spanned tree and walked by hand rather than through serde: serde's
    // messages quote offending values ("invalid type: string \"…\""), and here the value is the
    // secret. toml's own syntax messages name only token kinds.
    let doc = DeTable::parse(text).map_err(|e| {
        let pos = e.span().map_or(usize::MAX, |s| s.start);
        at(pos, e.message().to_string())
    })?;
    let mut out = BTreeMap::new();
    for (key, value) in doc.get_ref() {
        let Some(table) = value.get_ref().as_table() else {
            // The key is not echoed: a line that is not a table header may be a pasted secret.
            return Err(at(
                key.span().start,
                "expected a [profile] table here".to_string(),
            ));
        };
        let name = key.get_ref();
        let mut secrets = Secrets::default();
        for (k, v) in table {
            let slot = match k.get_ref().as_ref() {
                "client_secret" => &mut secrets.client_secret,
                "refresh_token" => &mut secrets.refresh_token,
                _ => {
                    return Err(at(
                        k.span().start,
                        format!(
                            "unexpected key in [{name}]: only client_secret and refresh_token belong here"
                        ),
                    ));
                }
            };
            match v.get_ref() {
                DeValue::String(s) => *slot = non_empty(Some(s.to_string())),
                _ => {
                    return Err(at(
                        v.span().start,
                        format!("{} in [{name}] must be a quoted string", k.get_ref()),
                    ));
                }
            }
        }
        out.insert(name.to_string(), secrets);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    use crate::config::temp_paths as paths;

    fn both(secret: &str, token: &str) -> Secrets {
        Secrets {
            client_secret: Some(secret.into()),
            refresh_token: Some(token.into()),
        }
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    fn write_raw(paths: &Paths, text: &str) {
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        std::fs::write(paths.secrets_file(), text).unwrap();
        #[cfg(unix)]
        set_mode(&paths.secrets_file(), 0o600);
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn missing_file_means_no_secrets() {
        let (_dir, paths) = paths();
        assert_eq!(
            load_secrets_with(&paths, "prod", no_env).unwrap(),
            Secrets::default()
        );
        assert!(stored_secrets(&paths).unwrap().is_empty());
    }

    #[test]
    fn store_then_load_keeps_other_profiles() {
        let (_dir, paths) = paths();
        store_secrets(&paths, "prod", &both("s1", "t1")).unwrap();
        store_secrets(&paths, "stage env", &both("s2", "t2")).unwrap();
        store_secrets(&paths, "prod", &both("s1", "t1-rotated")).unwrap();
        assert_eq!(
            load_secrets_with(&paths, "prod", no_env).unwrap(),
            both("s1", "t1-rotated")
        );
        assert_eq!(
            load_secrets_with(&paths, "stage env", no_env).unwrap(),
            both("s2", "t2")
        );
        assert_eq!(
            load_secrets_with(&paths, "other", no_env).unwrap(),
            Secrets::default()
        );

        store_secrets(&paths, "prod", &Secrets::default()).unwrap();
        let stored = stored_secrets(&paths).unwrap();
        assert_eq!(stored.keys().collect::<Vec<_>>(), ["stage env"]);
        assert!(stored["stage env"].complete());
    }

    #[test]
    fn stored_secrets_reports_presence_only() {
        let (_dir, paths) = paths();
        let half = Secrets {
            client_secret: Some("s".into()),
            refresh_token: None,
        };
        store_secrets(&paths, "half", &half).unwrap();
        let stored = stored_secrets(&paths).unwrap();
        assert_eq!(
            stored["half"],
            StoredSecrets {
                client_secret: true,
                refresh_token: false
            }
        );
        assert!(!stored["half"].complete());
    }

    #[cfg(unix)]
    #[test]
    fn file_is_created_owner_only_and_stays_so() {
        let (_dir, paths) = paths();
        store_secrets(&paths, "prod", &both("s", "t")).unwrap();
        assert_eq!(mode(&paths.secrets_file()), 0o600);
        assert_eq!(mode(&paths.config_dir), 0o700);
        store_secrets(&paths, "prod", &both("s", "t2")).unwrap();
        assert_eq!(mode(&paths.secrets_file()), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_world_readable_file_is_refused_with_the_chmod_hint() {
        let (_dir, paths) = paths();
        write_raw(&paths, "[prod]\nclient_secret = \"s3cr3t\"\n");
        set_mode(&paths.secrets_file(), 0o644);
        let file = paths.secrets_file().display().to_string();
        for err in [
            load_secrets_with(&paths, "prod", no_env).unwrap_err(),
            stored_secrets(&paths).unwrap_err(),
        ] {
            let msg = err.to_string();
            assert_eq!(
                msg,
                format!("{file} is readable by other users (mode 0644); run: chmod 600 {file}")
            );
        }
    }

    #[cfg(unix)]
    #[rstest::rstest]
    #[case(0o640, "readable")]
    #[case(0o604, "readable")]
    #[case(0o620, "writable")]
    #[case(0o602, "writable")]
    fn group_or_other_access_is_refused(#[case] m: u32, #[case] what: &str) {
        let (_dir, paths) = paths();
        write_raw(&paths, "");
        set_mode(&paths.secrets_file(), m);
        let msg = load_secrets_with(&paths, "prod", no_env)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains(&format!("is {what} by other users (mode {m:04o})")),
            "{msg}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn storing_over_a_world_readable_file_tightens_it() {
        let (_dir, paths) = paths();
        write_raw(&paths, "[other]\nrefresh_token = \"keep\"\n");
        set_mode(&paths.secrets_file(), 0o644);
        store_secrets(&paths, "prod", &both("s", "t")).unwrap();
        assert_eq!(mode(&paths.secrets_file()), 0o600);
        let other = load_secrets_with(&paths, "other", no_env).unwrap();
        assert_eq!(other.refresh_token.as_deref(), Some("keep"));
    }

    #[test]
    fn environment_overrides_the_file() {
        let (_dir, paths) = paths();
        store_secrets(&paths, "prod", &both("file-secret", "file-token")).unwrap();
        let s =
            load_secrets_with(&paths, "prod", env(&[(ENV_REFRESH_TOKEN, "env-token")])).unwrap();
        assert_eq!(s, both("file-secret", "env-token"));
        let s =
            load_secrets_with(&paths, "prod", env(&[(ENV_CLIENT_SECRET, "env-secret")])).unwrap();
        assert_eq!(s, both("env-secret", "file-token"));
        let s = load_secrets_with(&paths, "prod", env(&[(ENV_CLIENT_SECRET, "")])).unwrap();
        assert_eq!(
            s,
            both("file-secret", "file-token"),
            "empty counts as unset"
        );
    }

    #[cfg(unix)]
    #[test]
    fn with_both_from_the_environment_the_file_is_not_read() {
        let (_dir, paths) = paths();
        write_raw(&paths, "not toml at all [");
        set_mode(&paths.secrets_file(), 0o644);
        let s = load_secrets_with(
            &paths,
            "ci",
            env(&[(ENV_CLIENT_SECRET, "a"), (ENV_REFRESH_TOKEN, "b")]),
        )
        .unwrap();
        assert_eq!(s, both("a", "b"));
    }

    #[test]
    fn debug_redacts() {
        let s = both("hunter2", "1000.tokentoken");
        let dbg = format!("{s:?}");
        assert!(
            !dbg.contains("hunter2") && !dbg.contains("tokentoken"),
            "{dbg}"
        );
        assert!(dbg.contains("<redacted>"), "{dbg}");
        assert_eq!(
            format!("{:?}", Secrets::default()),
            "Secrets { client_secret: None, refresh_token: None }"
        );
    }

    #[rstest::rstest]
    #[case("[prod]\nclient_secret = \"SECRET-abc\n", 2, "")]
    #[case("[prod]\nrefresh_token = 1234567890\n", 2, "must be a quoted string")]
    #[case(
        "[prod]\nrefresh_tokn = \"SECRET-abc\"\n",
        2,
        "only client_secret and refresh_token"
    )]
    #[case("\n\nSECRET-abc = \"x\"\n", 3, "expected a [profile] table")]
    #[case(
        "[prod]\nclient_secret = \"SECRET-abc\"\nclient_secret = \"SECRET-abc\"\n",
        3,
        "duplicate key"
    )]
    #[case("[prod]\nSECRET-abc\n", 2, "")]
    fn bad_files_are_placed_without_echoing_secrets(
        #[case] text: &str,
        #[case] line: usize,
        #[case] needle: &str,
    ) {
        let (_dir, paths) = paths();
        write_raw(&paths, text);
        let err = load_secrets_with(&paths, "prod", no_env).unwrap_err();
        let msg = err.to_string();
        assert!(
            !msg.contains("SECRET") && !msg.contains("1234567890"),
            "{msg}"
        );
        assert!(msg.contains("secrets.toml"), "{msg}");
        assert!(msg.contains(needle), "{msg}");
        match err {
            ConfigError::Syntax { line: got, .. } => assert_eq!(got, Some(line), "{msg}"),
            other => panic!("not a syntax error: {other}"),
        }
        // A broken file is not silently replaced: the other profiles' secrets are in it.
        store_secrets(&paths, "new", &both("a", "b")).unwrap_err();
        assert_eq!(std::fs::read_to_string(paths.secrets_file()).unwrap(), text);
    }

    #[test]
    fn not_utf8_is_reported_without_position() {
        let (_dir, paths) = paths();
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        std::fs::write(paths.secrets_file(), b"[p]\nclient_secret = \"\xff\"\n").unwrap();
        #[cfg(unix)]
        set_mode(&paths.secrets_file(), 0o600);
        let msg = load_secrets_with(&paths, "p", no_env)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("not UTF-8"), "{msg}");
    }

    #[test]
    fn store_refuses_an_empty_profile_name() {
        let (_dir, paths) = paths();
        store_secrets(&paths, "", &both("a", "b")).unwrap_err();
        assert!(!paths.secrets_file().exists());
    }
}
