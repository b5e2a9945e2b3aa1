//! Loading a whole org concurrently along its dependency chain: org, modules, signals and every
//! rule at once; then every module's layouts and fields at once. Wall time is the token call
//! plus two round trips (when the in-flight limit admits a whole level), not one per request.

use futures::future::try_join_all;

use super::client::Client;
use super::error::ApiError;
use super::rules::RuleFilter;
use crate::domain::{Edition, Module, ModuleSchema, OrgSnapshot};

/// The modules scoring rules apply to: Zoho flags them `scoring_supported`; an org whose
/// metadata lacks the flag falls back to the documented ones (Leads, Contacts, Accounts, Deals
/// and custom modules).
pub(crate) fn scorable(m: &Module) -> bool {
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

impl Client {
    /// `edition` (a profile setting) wins over what the org reports; without either,
    /// Enterprise is assumed and said so in the log.
    pub async fn load_snapshot(
        &self,
        edition: Option<Edition>,
        only: &[String],
    ) -> Result<OrgSnapshot, ApiError> {
        let all_rules = RuleFilter::default();
        let (org, modules, signals, rules) = tokio::try_join!(
            self.org(),
            self.modules(),
            self.signals(),
            self.list_rules(&all_rules)
        )?;
        let modules: Vec<Module> = modules
            .into_iter()
            .filter(scorable)
            .filter(|m| only.is_empty() || only.iter().any(|o| o.eq_ignore_ascii_case(&m.api_name)))
            .collect();
        let per_module = modules.into_iter().map(|module| async move {
            let name = module.api_name.clone();
            let (layouts, fields) = tokio::try_join!(self.layouts(&name), self.fields(&name))?;
            Ok::<_, ApiError>(ModuleSchema {
                module,
                layouts,
                fields,
            })
        });
        let loaded = try_join_all(per_module).await?;
        let edition = edition.or(org.edition).unwrap_or_else(|| {
            tracing::warn!("the org does not say its edition; assuming Enterprise limits");
            Edition::Enterprise
        });
        let rules = rules
            .into_iter()
            .filter(|r| {
                loaded
                    .iter()
                    .any(|m| m.module.api_name == r.module.api_name)
            })
            .collect();
        Ok(OrgSnapshot {
            org_name: org.company_name,
            edition,
            modules: loaded,
            signals,
            rules,
        })
    }
}
