//! Where zscore keeps its files, and what is in them: sign-in profiles (`config.toml`), their
//! secrets (`secrets.toml`, owner-only) and Zoho's data centers.
//!
//! Nothing here talks to the network. The HTTP client reads a [`Profile`] and its [`Secrets`];
//! `zscore login` writes them back with [`Config::upsert`], [`Config::save`] and
//! [`store_secrets`].

mod dc;
mod error;
mod fs;
pub mod keys;
pub mod private;
mod profiles;
mod secrets;
mod url;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub use dc::{DataCenter, UnknownDataCenter};
pub use error::ConfigError;
pub use profiles::{Config, Profile, parse_accent, valid_org_id};
pub use secrets::{
    Secrets, StoredSecrets, client_id_override, load_secrets, store_secrets, stored_secrets,
};
pub use url::check_url;

pub const ENV_CONFIG_DIR: &str = "ZSCORE_CONFIG_DIR";
pub const ENV_DATA_DIR: &str = "ZSCORE_DATA_DIR";
pub const ENV_CLIENT_ID: &str = "ZSCORE_CLIENT_ID";
pub const ENV_CLIENT_SECRET: &str = "ZSCORE_CLIENT_SECRET";
pub const ENV_REFRESH_TOKEN: &str = "ZSCORE_REFRESH_TOKEN";

/// The directories zscore reads and writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config_dir: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// The platform's directories for zscore (`directories::ProjectDirs`), each overridden by
    /// `ZSCORE_CONFIG_DIR` / `ZSCORE_DATA_DIR`; tests and CI rely on the overrides.
    pub fn discover() -> Result<Paths, ConfigError> {
        Self::discover_with(|name| std::env::var_os(name))
    }

    /// [`Paths::discover`] with the environment passed in, so tests need not mutate the
    /// process-wide environment (which is `unsafe` in Rust 2024 and racy across test threads).
    fn discover_with(env: impl Fn(&str) -> Option<OsString>) -> Result<Paths, ConfigError> {
        let config_override = non_empty_os(env(ENV_CONFIG_DIR));
        let data_override = non_empty_os(env(ENV_DATA_DIR));
        // Only consult the platform when an override is missing: a CI box without a home
        // directory still works as long as both variables are set.
        let project = if config_override.is_none() || data_override.is_none() {
            directories::ProjectDirs::from("", "", "zscore")
        } else {
            None
        };
        let pick =
            |over: Option<OsString>, platform: Option<&Path>| -> Result<PathBuf, ConfigError> {
                match (over, platform) {
                    // Absolute, so that every message naming a file names it unambiguously.
                    (Some(dir), _) => {
                        let dir = PathBuf::from(dir);
                        Ok(std::path::absolute(&dir).unwrap_or(dir))
                    }
                    (None, Some(dir)) => Ok(dir.to_path_buf()),
                    (None, None) => Err(ConfigError::NoHome),
                }
            };
        Ok(Paths {
            config_dir: pick(config_override, project.as_ref().map(|p| p.config_dir()))?,
            data_dir: pick(data_override, project.as_ref().map(|p| p.data_dir()))?,
        })
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn secrets_file(&self) -> PathBuf {
        self.config_dir.join("secrets.toml")
    }

    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("zscore.log")
    }
}

/// An empty variable counts as unset: `ZSCORE_CONFIG_DIR= zscore` is how people "unset" in a
/// one-off command, and an empty path would silently mean the current directory.
fn non_empty_os(v: Option<OsString>) -> Option<OsString> {
    v.filter(|s| !s.is_empty())
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

/// Config and data directories inside a fresh temporary directory (kept alive by the guard).
#[cfg(test)]
pub(crate) fn temp_paths() -> (tempfile::TempDir, Paths) {
    let dir = tempfile::tempdir().unwrap();
    let paths = Paths {
        config_dir: dir.path().join("conf"),
        data_dir: dir.path().join("data"),
    };
    (dir, paths)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn env_overrides_both_directories() {
        let p = Paths::discover_with(env(&[
            (ENV_CONFIG_DIR, "/tmp/zs-conf"),
            (ENV_DATA_DIR, "/tmp/zs-data"),
        ]))
        .unwrap();
        assert_eq!(p.config_file(), PathBuf::from("/tmp/zs-conf/config.toml"));
        assert_eq!(p.secrets_file(), PathBuf::from("/tmp/zs-conf/secrets.toml"));
        assert_eq!(p.log_file(), PathBuf::from("/tmp/zs-data/zscore.log"));
    }

    #[test]
    fn relative_override_is_made_absolute() {
        let p = Paths::discover_with(env(&[(ENV_CONFIG_DIR, "rel"), (ENV_DATA_DIR, "d")])).unwrap();
        assert!(p.config_dir.is_absolute());
        assert!(p.config_dir.ends_with("rel"));
    }

    #[test]
    fn empty_override_falls_back_to_the_platform() {
        let with_empty = Paths::discover_with(env(&[(ENV_CONFIG_DIR, "")]));
        let without = Paths::discover_with(env(&[]));
        assert_eq!(with_empty.is_ok(), without.is_ok());
        if let (Ok(a), Ok(b)) = (with_empty, without) {
            assert_eq!(a, b);
            assert!(a.config_dir.ends_with("zscore"));
        }
    }
}
