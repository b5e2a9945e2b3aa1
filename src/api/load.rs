//! Loading a whole org along its dependency chain, as concurrently as the org allows: the token;
//! then the org, its signals and its module list at once; then every module's layouts, fields
//! and rules at once (rule pages per module, so no module waits for another's pages), the first
//! shown module's asked for with the module list. Wall time is the token call, one round trip,
//! and ⌈per-module calls ÷ in-flight limit⌉ round trips; the in-flight limit becomes the
//! edition's concurrency limit as soon as the org names its edition.
//!
//! The load reports each part as it arrives (`load_snapshot_with`), so a screen can show the
//! module list after two round trips and a module's rules as soon as they are in; the CLI just
//! waits for the whole (`load_snapshot`). Both run this one workflow.

use super::client::Client;
use super::error::ApiError;
use super::rules::RuleFilter;
use crate::domain::metadata::{Field, Layout};
use crate::domain::{Edition, Module, ModuleSchema, OrgSnapshot, ScoringRule, Signal};

/// The modules scoring rules apply to: Zoho flags them `scoring_supported`; an org whose
/// metadata lacks the flag falls back to the documented ones (Leads, Contacts, Accounts, Deals
/// and custom modules).
fn scorable(m: &Module) -> bool {
    match m.scoring_supported {
        Some(flag) => flag,
        None => {
            matches!(
                m.api_name.as_str(),
                "Leads" | "Contacts" | "Accounts" | "Deals"
            ) || m.generated_type.as_deref() == Some("custom")
        }
    }
}

/// The module a screen shows first is the first listed, and Zoho lists Leads first: its
/// layouts, fields and rules are asked for together with the module list rather than after
/// it, so the first screen's rules are in a round trip sooner. Where the org lists no such
/// module, those three calls are the cost.
const FIRST_SHOWN: &str = "Leads";

type ModuleParts = (Vec<Layout>, Vec<Field>, Vec<ScoringRule>);

/// What a load task brings back: a listed module, or the first shown one asked for early.
enum Loaded {
    Whole(Result<Part, ApiError>),
    Early(Result<ModuleParts, ApiError>),
}

/// One part of the org, as it arrives.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// The modules scoring rules apply to, without their layouts and fields yet, in the order
    /// the API lists them.
    Modules(Vec<Module>),
    /// The org's name and edition (a profile's edition wins over the org's), and its signals.
    Org {
        org_name: String,
        edition: Edition,
        signals: Vec<Signal>,
    },
    /// One module's layouts and fields, and its rules.
    Module {
        schema: ModuleSchema,
        rules: Vec<ScoringRule>,
    },
}

impl Client {
    /// The whole org. `edition` (a profile setting) wins over what the org reports; without
    /// either, Enterprise is assumed and said so in the log. `only` keeps the named modules.
    pub async fn load_snapshot(
        &self,
        edition: Option<Edition>,
        only: &[String],
    ) -> Result<OrgSnapshot, ApiError> {
        self.load_snapshot_with(edition, only, |_| {}).await
    }

    /// `load_snapshot`, telling `on_part` about each part as it arrives: the module list, the
    /// org, then each module in whatever order it completes (the listed order is the order
    /// they are asked for, so the first module listed tends to come first).
    pub async fn load_snapshot_with(
        &self,
        edition: Option<Edition>,
        only: &[String],
        on_part: impl Fn(&Part),
    ) -> Result<OrgSnapshot, ApiError> {
        if let Some(e) = edition {
            self.adopt_edition(e);
        }
        let on_part = &on_part;
        let head = async {
            let (org, signals) = tokio::try_join!(self.org(), self.signals())?;
            let edition = edition.or(org.edition).unwrap_or_else(|| {
                tracing::warn!("the org does not say its edition; assuming Enterprise limits");
                Edition::Enterprise
            });
            self.adopt_edition(edition);
            // Small (a name and the org's signals): copied for the report.
            on_part(&Part::Org {
                org_name: org.company_name.clone(),
                edition,
                signals: signals.clone(),
            });
            Ok::<_, ApiError>((org.company_name, edition, signals))
        };
        let body = async {
            // Each module on a task of its own: answers that arrive together are parsed on
            // every worker thread, not one after another on this task. Dropping the set (an
            // error, or the load abandoned) aborts what is left.
            let mut loads = tokio::task::JoinSet::new();
            let prefetch =
                only.is_empty() || only.iter().any(|o| o.eq_ignore_ascii_case(FIRST_SHOWN));
            if prefetch {
                let client = self.clone();
                loads.spawn(async move { Loaded::Early(client.module_parts(FIRST_SHOWN).await) });
            }
            let modules: Vec<Module> = self
                .modules()
                .await?
                .into_iter()
                .filter(scorable)
                .filter(|m| {
                    only.is_empty() || only.iter().any(|o| o.eq_ignore_ascii_case(&m.api_name))
                })
                .collect();
            on_part(&Part::Modules(modules.clone()));
            let listed: Vec<String> = modules.iter().map(|m| m.api_name.clone()).collect();
            let mut prefetched: Option<Module> = None;
            for m in modules {
                if prefetch && m.api_name == FIRST_SHOWN {
                    prefetched = Some(m);
                    continue;
                }
                let client = self.clone();
                loads.spawn(async move { Loaded::Whole(client.load_module(m).await) });
            }
            let mut out = Vec::with_capacity(listed.len());
            while let Some(joined) = loads.join_next().await {
                let loaded = match joined {
                    Ok(loaded) => loaded,
                    // A panic stays a panic, as it was on this task; a cancelled task only
                    // happens while the runtime shuts down.
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    Err(e) => return Err(ApiError::Network(format!("the load stopped: {e}"))),
                };
                let part = match loaded {
                    Loaded::Whole(part) => part?,
                    Loaded::Early(parts) => match (prefetched.take(), parts) {
                        (Some(module), Ok((layouts, fields, rules))) => Part::Module {
                            schema: ModuleSchema {
                                module,
                                layouts,
                                fields,
                            },
                            rules,
                        },
                        // Asked again the ordinary way, which reports what fails.
                        (Some(module), Err(_)) => {
                            let client = self.clone();
                            loads.spawn(
                                async move { Loaded::Whole(client.load_module(module).await) },
                            );
                            continue;
                        }
                        // Not a module of this org (or not a scorable one): nothing to use.
                        (None, _) => continue,
                    },
                };
                on_part(&part);
                if let Part::Module { schema, rules } = part {
                    out.push((schema, rules));
                }
            }
            // The order the API listed the modules in, whatever order they arrived in.
            out.sort_by_key(|(m, _)| listed.iter().position(|n| *n == m.module.api_name));
            Ok::<_, ApiError>(out)
        };
        let ((org_name, edition, signals), modules) = tokio::try_join!(head, body)?;
        let mut schemas = Vec::with_capacity(modules.len());
        let mut rules = Vec::new();
        for (schema, module_rules) in modules {
            schemas.push(schema);
            rules.extend(module_rules);
        }
        Ok(OrgSnapshot {
            org_name,
            edition,
            modules: schemas,
            signals,
            rules,
        })
    }

    /// One module's layouts, fields and rules, asked for at once.
    async fn module_parts(&self, name: &str) -> Result<ModuleParts, ApiError> {
        let filter = RuleFilter::module(name);
        tokio::try_join!(
            self.layouts(name),
            self.fields(name),
            self.list_rules(&filter)
        )
    }

    async fn load_module(&self, module: Module) -> Result<Part, ApiError> {
        let (layouts, fields, rules) = self.module_parts(&module.api_name).await?;
        Ok(Part::Module {
            schema: ModuleSchema {
                module,
                layouts,
                fields,
            },
            rules,
        })
    }
}
