//! The `[keys]` section of config.toml as written: actions of the main view rebound at its top
//! level, other modes' actions in sub-tables (`[keys.form]`). Only its shape is checked here;
//! what the names and keys mean is the TUI's key table's business (`tui::keys::config`), which
//! reports what it cannot use and keeps the defaults for it.
//!
//! ```toml
//! [keys]
//! delete_rule = "D"
//! execute_layout = ["X", "ctrl-x"]
//!
//! [keys.form]
//! form_save = ["ctrl-s", "f2"]
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeysConfig(pub BTreeMap<String, KeysEntry>);

impl KeysConfig {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One line of `[keys]`: an action's keys, or a mode's table of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeysEntry {
    Keys(KeyList),
    Mode(BTreeMap<String, KeyList>),
}

/// `"x"` or `["x", "ctrl-x"]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeyList {
    One(String),
    Many(Vec<String>),
}

impl KeyList {
    pub fn keys(&self) -> Vec<&str> {
        match self {
            KeyList::One(k) => vec![k.as_str()],
            KeyList::Many(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}
