//! Progressive loading for the TUI: `Client::load_snapshot_with` (the workflow the CLI runs
//! too) reports each part of the org as it arrives, and the screen shows it: the module list
//! as soon as it answers, the org and its signals, then each module's layouts, fields and rules
//! in whatever order they come. The complete snapshot still ends the load as one
//! `SnapshotLoaded`, so a load's outcome is reported in one place.
//!
//! A reload keeps showing the previous complete snapshot and ignores the parts: the screen
//! never goes blank or half-filled under the user.

use tokio::sync::mpsc::UnboundedSender;

use super::app::{App, Pane};
use super::event::Msg;
pub use crate::api::Part;
use crate::api::{ApiError, Client};
use crate::domain::{Edition, ModuleSchema, OrgSnapshot};

/// What is still missing from a snapshot built from parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    /// The module list has not arrived (the org answered first).
    pub module_list: bool,
    /// The org's name, edition and signals have not arrived.
    pub org: bool,
    /// Modules whose layouts, fields and rules have not arrived.
    pub modules: Vec<String>,
}

impl App {
    pub(crate) fn snapshot_part(&mut self, request: u64, part: Part) {
        if self.snapshot_request() != Some(request) {
            return;
        }
        // A reload: keep the complete snapshot on screen until the new one is complete.
        if self.snapshot.is_some() && self.pending.is_none() {
            return;
        }
        // The module list and the org race each other; whichever comes first starts the
        // partial snapshot.
        let (snap, p) = match (&mut self.snapshot, &mut self.pending) {
            (Some(snap), Some(p)) => (snap, p),
            _ => {
                self.pending = Some(Pending {
                    module_list: true,
                    org: true,
                    modules: Vec::new(),
                });
                self.snapshot = Some(OrgSnapshot {
                    org_name: String::new(),
                    edition: Edition::Enterprise,
                    modules: Vec::new(),
                    signals: Vec::new(),
                    rules: Vec::new(),
                });
                return self.snapshot_part(request, part);
            }
        };
        match part {
            Part::Modules(modules) => {
                p.module_list = false;
                p.modules = modules.iter().map(|m| m.api_name.clone()).collect();
                snap.modules = modules
                    .into_iter()
                    .map(|module| ModuleSchema {
                        module,
                        layouts: Vec::new(),
                        fields: Vec::new(),
                    })
                    .collect();
                if self.sel_module.is_none() {
                    self.select_index(Pane::Modules, 0);
                }
            }
            Part::Org {
                org_name,
                edition,
                signals,
            } => {
                snap.org_name = org_name;
                snap.edition = edition;
                snap.signals = signals;
                p.org = false;
            }
            Part::Module { schema, rules } => {
                if let Some(m) = snap
                    .modules
                    .iter_mut()
                    .find(|m| m.module.api_name == schema.module.api_name)
                {
                    let name = &schema.module.api_name;
                    p.modules.retain(|n| n != name);
                    // A module's rules replace what it had, so a repeated part adds nothing.
                    snap.rules.retain(|r| &r.module.api_name != name);
                    snap.rules.extend(rules);
                    *m = schema;
                }
            }
        }
    }

    /// The snapshot on screen is still being filled in.
    pub fn partial(&self) -> bool {
        self.pending.is_some()
    }

    /// A pane whose part has not arrived yet shows "Loading…" rather than an empty list.
    pub fn part_missing(&self, pane: Pane) -> bool {
        let Some(p) = &self.pending else {
            return false;
        };
        let module_pending = p.module_list
            || self
                .sel_module
                .as_ref()
                .is_some_and(|m| p.modules.contains(m));
        match pane {
            Pane::Modules => p.module_list,
            Pane::Layouts => module_pending,
            Pane::Rules | Pane::Detail => p.org || module_pending,
        }
    }
}

/// Loads the org, sending each part to the app as it arrives, and returns the whole.
pub async fn load(
    client: &Client,
    edition: Option<Edition>,
    request: u64,
    tx: &UnboundedSender<Msg>,
) -> Result<OrgSnapshot, ApiError> {
    client
        .load_snapshot_with(edition, &[], |part| {
            let _ = tx.send(Msg::SnapshotPart {
                request,
                part: part.clone(),
            });
        })
        .await
}
