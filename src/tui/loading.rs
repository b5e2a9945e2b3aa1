//! Progressive loading for the TUI. `Client::load_snapshot` (what the CLI uses) answers once,
//! when the whole org is in; the TUI instead shows each part as it arrives: the module list as
//! soon as the modules call answers (each module's layouts and fields are asked for right
//! then), the org, signals and rules when those answer, then each module's layouts and fields
//! in whatever order they come. The complete snapshot still ends the load as one
//! `SnapshotLoaded`, so a load's outcome is reported in one place.
//!
//! A reload keeps showing the previous complete snapshot and ignores the parts: the screen
//! never goes blank or half-filled under the user.

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use tokio::sync::mpsc::UnboundedSender;

use super::app::{App, Pane};
use super::event::Msg;
use crate::api::rules::RuleFilter;
use crate::api::{ApiError, Client};
use crate::domain::{Edition, Module, ModuleSchema, OrgSnapshot, ScoringRule, Signal};

/// One part of the org, as it arrives.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// The modules scoring rules apply to, without their layouts and fields yet.
    Modules(Vec<Module>),
    Org {
        org_name: String,
        edition: Edition,
        signals: Vec<Signal>,
        rules: Vec<ScoringRule>,
    },
    /// One module's layouts and fields.
    Module(ModuleSchema),
}

/// What is still missing from a snapshot built from parts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    /// The module list has not arrived (the org answered first).
    pub module_list: bool,
    /// The org, its signals and rules have not arrived.
    pub org: bool,
    /// Modules whose layouts and fields have not arrived.
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
                rules,
            } => {
                snap.org_name = org_name;
                snap.edition = edition;
                snap.signals = signals;
                snap.rules = rules;
                p.org = false;
            }
            Part::Module(schema) => {
                if let Some(m) = snap
                    .modules
                    .iter_mut()
                    .find(|m| m.module.api_name == schema.module.api_name)
                {
                    p.modules.retain(|n| n != &schema.module.api_name);
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

/// Loads the org part by part, sending each part as it arrives, and returns the whole.
pub async fn load(
    client: &Client,
    edition: Option<Edition>,
    request: u64,
    tx: &UnboundedSender<Msg>,
) -> Result<OrgSnapshot, ApiError> {
    let send = |part: Part| {
        let _ = tx.send(Msg::SnapshotPart { request, part });
    };
    let all_rules = RuleFilter::default();
    let head = async {
        let (org, signals, rules) = tokio::try_join!(
            client.org(),
            client.signals(),
            client.list_rules(&all_rules)
        )?;
        let edition = edition.or(org.edition).unwrap_or_else(|| {
            tracing::warn!("the org does not say its edition; assuming Enterprise limits");
            Edition::Enterprise
        });
        Ok::<_, ApiError>((org.company_name, edition, signals, rules))
    };
    let schemas = async {
        let modules: Vec<Module> = client
            .modules()
            .await?
            .into_iter()
            .filter(crate::api::scorable)
            .collect();
        send(Part::Modules(modules.clone()));
        let listed: Vec<String> = modules.iter().map(|m| m.api_name.clone()).collect();
        let mut loads: FuturesUnordered<_> = modules
            .into_iter()
            .map(|module| async move {
                let name = module.api_name.clone();
                let (layouts, fields) =
                    tokio::try_join!(client.layouts(&name), client.fields(&name))?;
                Ok::<_, ApiError>(ModuleSchema {
                    module,
                    layouts,
                    fields,
                })
            })
            .collect();
        let mut out = Vec::new();
        while let Some(schema) = loads.next().await {
            let schema = schema?;
            send(Part::Module(schema.clone()));
            out.push(schema);
        }
        // The order the API listed the modules in, whatever order they arrived in.
        out.sort_by_key(|m| listed.iter().position(|n| *n == m.module.api_name));
        Ok::<_, ApiError>(out)
    };
    let head = async {
        let h = head.await?;
        send(Part::Org {
            org_name: h.0.clone(),
            edition: h.1,
            signals: h.2.clone(),
            rules: h.3.clone(),
        });
        Ok::<_, ApiError>(h)
    };
    let ((org_name, edition, signals, rules), modules) = tokio::try_join!(head, schemas)?;
    let rules = rules
        .into_iter()
        .filter(|r| {
            modules
                .iter()
                .any(|m| m.module.api_name == r.module.api_name)
        })
        .collect();
    Ok(OrgSnapshot {
        org_name,
        edition,
        modules,
        signals,
        rules,
    })
}
