//! `zscore profiles`: lists the sign-in profiles and whether each has its secrets stored, never
//! the secrets themselves. stdout is the listing; notes and problems go to stderr.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::config::{
    Config, ConfigError, ENV_CLIENT_ID, ENV_CLIENT_SECRET, ENV_REFRESH_TOKEN, Paths, Profile,
    stored_secrets,
};

/// `zscore profiles --help`: also the reference for both files' format.
pub const LONG_ABOUT: &str = "\
List the sign-in profiles: name, default marker (*), data center, client id (shortened), edition \
override, read-only flag, and whether its secrets are stored. Secrets are never shown.

Profiles live in config.toml in zscore's config directory (ZSCORE_CONFIG_DIR, else the \
platform's, e.g. ~/.config/zscore on Linux):

  default = \"prod\"               # used when --profile is not given

  [profiles.prod]
  dc = \"eu\"                      # us, eu, in, au, jp, ca, cn, sa
  client_id = \"1000.…\"
  edition = \"enterprise\"         # optional; otherwise read from the org
  readonly = true                # optional; refuse every change
  accent = \"red\"                 # optional; colour cue in the terminal UI
  accounts_url = \"https://…\"     # optional; overrides the data center's
  api_domain = \"https://…\"       # optional; overrides the data center's

Secrets live in secrets.toml beside it, which must be owner-only (chmod 600):

  [prod]
  client_secret = \"…\"
  refresh_token = \"…\"

ZSCORE_CLIENT_ID, ZSCORE_CLIENT_SECRET and ZSCORE_REFRESH_TOKEN override the stored values.";

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Runs the subcommand; the exit code is 0 when the listing was printed.
pub fn run(args: &ProfilesArgs) -> ExitCode {
    let env_set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let overrides = Overrides {
        client_id: env_set(ENV_CLIENT_ID),
        client_secret: env_set(ENV_CLIENT_SECRET),
        refresh_token: env_set(ENV_REFRESH_TOKEN),
    };
    // Written whole, then through the one output path: profile names and paths come from
    // files anyone with access to the config directory may have edited.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let result = Paths::discover()
        .map_err(ListError::Config)
        .and_then(|paths| list(args.format, &paths, overrides, &mut out, &mut err));
    super::output::out(&String::from_utf8_lossy(&out));
    super::output::err(&String::from_utf8_lossy(&err));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `zscore profiles | head -1`: the reader has what it wanted.
        Err(ListError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            super::output::err_line(&format!("zscore profiles: {e}"));
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum ListError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot write the listing: {0}")]
    Output(#[from] io::Error),
}

/// Which of the environment's overrides are set (values are never looked at).
#[derive(Debug, Clone, Copy, Default)]
struct Overrides {
    client_id: bool,
    client_secret: bool,
    refresh_token: bool,
}

#[derive(Serialize)]
struct Row<'a> {
    name: &'a str,
    default: bool,
    dc: String,
    /// Deliberately not called `client_id`: a script must not mistake it for the real one.
    client_id_partial: String,
    edition: Option<String>,
    readonly: bool,
    accent: Option<&'a str>,
    accounts_url: String,
    api_domain: String,
    /// `None` when secrets.toml could not be read (the reason is on stderr).
    secrets_stored: Option<bool>,
}

fn list(
    format: Format,
    paths: &Paths,
    overrides: Overrides,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), ListError> {
    let config = Config::load(paths)?;
    if config.profiles.is_empty() {
        if format == Format::Json {
            writeln!(out, "[]")?;
        }
        writeln!(
            err,
            "No profiles yet ({} does not list any). Add one with:\n\n  \
             zscore login --profile NAME --dc eu --client-id … --client-secret … --grant-token …\n\n\
             Meanwhile `zscore` runs on the built-in sandbox, a local demo org.",
            paths.config_file().display()
        )?;
        return Ok(());
    }

    let default = match config.profile(None) {
        Ok(p) => p.map(|p| p.name.as_str()),
        Err(e) => {
            writeln!(err, "note: {e}")?;
            None
        }
    };
    let stored = match stored_secrets(paths) {
        Ok(s) => Some(s),
        Err(e) => {
            writeln!(err, "warning: {e}")?;
            None
        }
    };
    let rows: Vec<Row> = config
        .profiles
        .iter()
        .map(|p| row(p, default, stored.as_ref()))
        .collect();

    match format {
        Format::Json => {
            let text = super::output::json_text(&rows).map_err(io::Error::other)?;
            out.write_all(text.as_bytes())?;
        }
        Format::Table => write_table(out, &rows)?,
    }

    let mut replaced = Vec::new();
    if overrides.client_id {
        replaced.push(ENV_CLIENT_ID);
    }
    if overrides.client_secret {
        replaced.push(ENV_CLIENT_SECRET);
    }
    if overrides.refresh_token {
        replaced.push(ENV_REFRESH_TOKEN);
    }
    if !replaced.is_empty() {
        writeln!(
            err,
            "note: {} set in the environment; it replaces the stored value for whichever profile is used",
            replaced.join(" and ")
        )?;
    }
    Ok(())
}

fn row<'a>(
    p: &'a Profile,
    default: Option<&str>,
    stored: Option<&std::collections::BTreeMap<String, crate::config::StoredSecrets>>,
) -> Row<'a> {
    Row {
        name: &p.name,
        default: default == Some(p.name.as_str()),
        dc: p.dc.to_string(),
        client_id_partial: partial_client_id(&p.client_id),
        edition: p.edition.map(|e| e.to_string()),
        readonly: p.readonly,
        accent: p.accent.as_deref(),
        accounts_url: p.accounts_url(),
        api_domain: p.api_domain(),
        secrets_stored: stored.map(|s| s.get(&p.name).is_some_and(|s| s.complete())),
    }
}

fn write_table(out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let header = [
        "NAME",
        "DEFAULT",
        "DC",
        "CLIENT ID",
        "EDITION",
        "READONLY",
        "SECRETS",
    ];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            [
                r.name.to_string(),
                if r.default { "*" } else { "" }.to_string(),
                r.dc.clone(),
                r.client_id_partial.clone(),
                r.edition.clone().unwrap_or_else(|| "-".to_string()),
                yes_no(r.readonly).to_string(),
                r.secrets_stored.map_or("?", yes_no).to_string(),
            ]
        })
        .collect();
    let mut widths = header.map(UnicodeWidthStr::width);
    for line in &cells {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.width());
        }
    }
    let header = header.map(str::to_string);
    for line in std::iter::once(&header).chain(&cells) {
        let mut text = String::new();
        for (i, (cell, w)) in line.iter().zip(widths).enumerate() {
            text.push_str(cell);
            if i + 1 < line.len() {
                text.push_str(&" ".repeat(w - cell.width() + 2));
            }
        }
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(())
}

/// `1000.ABCD…WXYZ`: enough to tell clients apart and match them to Zoho's API console. The
/// `1000.` prefix is shared by all of Zoho's client ids, so it is kept whole.
fn partial_client_id(id: &str) -> String {
    let (prefix, rest) = match id.find('.') {
        Some(i) => id.split_at(i + 1),
        None => ("", id),
    };
    let chars: Vec<char> = rest.chars().collect();
    if chars.len() <= 8 {
        // Too short to show both ends without showing all of it.
        return format!("{prefix}…");
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{prefix}{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DataCenter, Secrets, store_secrets};
    use crate::domain::Edition;

    use crate::config::temp_paths as paths;

    fn run_list(format: Format, paths: &Paths, overrides: Overrides) -> (String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        list(format, paths, overrides, &mut out, &mut err).unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    fn two_profiles(paths: &Paths) {
        let mut c = Config::default();
        c.upsert(Profile {
            edition: Some(Edition::Enterprise),
            readonly: true,
            ..Profile::new("prod", DataCenter::Eu, "1000.ABCDEFGHIJKLMNOPWXYZ")
        });
        c.upsert(Profile::new(
            "stage",
            DataCenter::Us,
            "1000.STAGESTAGESTAGE",
        ));
        c.save(paths).unwrap();
        let s = Secrets {
            client_secret: Some("hunter2".into()),
            refresh_token: Some("1000.refresh".into()),
        };
        store_secrets(paths, "prod", &s).unwrap();
    }

    #[test]
    fn partial_client_ids() {
        assert_eq!(partial_client_id("1000.ABCDEFGHIJKLWXYZ"), "1000.ABCD…WXYZ");
        assert_eq!(partial_client_id("1000.SHORT"), "1000.…");
        assert_eq!(partial_client_id("abcdefghijkl"), "abcd…ijkl");
        assert_eq!(partial_client_id("ééééééééééé"), "éééé…éééé");
        assert_eq!(partial_client_id(""), "…");
    }

    #[test]
    fn table_lists_without_secrets() {
        let (_dir, paths) = paths();
        two_profiles(&paths);
        let (out, err) = run_list(Format::Table, &paths, Overrides::default());
        assert_eq!(
            out,
            "NAME   DEFAULT  DC  CLIENT ID       EDITION     READONLY  SECRETS\n\
             prod   *        eu  1000.ABCD…WXYZ  enterprise  yes       yes\n\
             stage           us  1000.STAG…TAGE  -           no        no\n"
        );
        assert_eq!(err, "");
    }

    #[test]
    fn json_lists_without_secrets() {
        let (_dir, paths) = paths();
        two_profiles(&paths);
        let (out, _) = run_list(Format::Json, &paths, Overrides::default());
        assert!(
            !out.contains("hunter2") && !out.contains("refresh"),
            "{out}"
        );
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v[0]["name"], "prod");
        assert_eq!(v[0]["default"], true);
        assert_eq!(v[0]["secrets_stored"], true);
        assert_eq!(v[0]["accounts_url"], "https://accounts.zoho.eu");
        assert_eq!(v[1]["secrets_stored"], false);
        assert_eq!(v[1]["edition"], serde_json::Value::Null);
    }

    #[test]
    fn no_profiles_says_how_to_add_one() {
        let (_dir, paths) = paths();
        let (out, err) = run_list(Format::Table, &paths, Overrides::default());
        assert_eq!(out, "");
        assert!(err.contains("zscore login --profile NAME --dc eu"), "{err}");
        assert!(err.contains("sandbox"), "{err}");
        let (out, _) = run_list(Format::Json, &paths, Overrides::default());
        assert_eq!(out, "[]\n");
    }

    #[test]
    fn environment_overrides_are_noted() {
        let (_dir, paths) = paths();
        two_profiles(&paths);
        let overrides = Overrides {
            refresh_token: true,
            ..Overrides::default()
        };
        let (_, err) = run_list(Format::Table, &paths, overrides);
        assert!(err.contains("ZSCORE_REFRESH_TOKEN set"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn an_exposed_secrets_file_still_lists_and_warns() {
        use std::os::unix::fs::PermissionsExt;
        let (_dir, paths) = paths();
        two_profiles(&paths);
        std::fs::set_permissions(paths.secrets_file(), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let (out, err) = run_list(Format::Table, &paths, Overrides::default());
        assert!(out.lines().nth(1).unwrap().ends_with('?'), "{out}");
        assert!(err.contains("run: chmod 600"), "{err}");
    }

    #[test]
    fn several_profiles_without_a_default_are_listed_with_a_note() {
        let (_dir, paths) = paths();
        std::fs::create_dir_all(&paths.config_dir).unwrap();
        std::fs::write(
            paths.config_file(),
            "[profiles.a]\ndc = \"us\"\nclient_id = \"1\"\n[profiles.b]\ndc = \"us\"\nclient_id = \"2\"\n",
        )
        .unwrap();
        let (out, err) = run_list(Format::Table, &paths, Overrides::default());
        assert!(!out.contains('*'), "{out}");
        assert!(err.contains("none is the default"), "{err}");
    }
}
