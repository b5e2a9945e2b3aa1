//! Which rules a bulk change is about: ids, or a filter (module, layout, name pattern), or both
//! (the ids that match the filter). Resolved against a loaded org, with errors that say what
//! there is instead.

use crate::domain::{Id, OrgSnapshot, ScoringRule, find_layout};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// These rules, in this order ("the first 2" of a plan are the first 2 given).
    pub ids: Vec<Id>,
    /// A module's API name (any case).
    pub module: Option<String>,
    /// A layout of `module`: id, API name or label (`domain::find_layout`).
    pub layout: Option<String>,
    /// A name pattern: `*` any text, `?` one character, ignoring case.
    pub name: Option<String>,
}

impl Selection {
    /// The selected rules, in the order given (ids) or listed by the API (a filter alone).
    pub fn pick<'a>(&self, snap: &'a OrgSnapshot) -> Result<Vec<&'a ScoringRule>, String> {
        if self.ids.is_empty() && self.module.is_none() && self.name.is_none() {
            return Err(
                "say which rules: --rules ID,…, or a filter (--module, --layout, --name)".into(),
            );
        }
        let module = match &self.module {
            None => None,
            Some(m) => Some(
                snap.modules
                    .iter()
                    .find(|s| s.module.api_name.eq_ignore_ascii_case(m))
                    .ok_or_else(|| {
                        let known: Vec<&str> = snap
                            .modules
                            .iter()
                            .map(|s| s.module.api_name.as_str())
                            .collect();
                        format!(
                            "no module {m:?} with scoring rules (there are: {})",
                            known.join(", ")
                        )
                    })?,
            ),
        };
        let layout = match (&self.layout, module) {
            (None, _) => None,
            (Some(_), None) => return Err("--layout needs --module".into()),
            (Some(l), Some(m)) => Some(find_layout(&m.layouts, &m.module.api_name, l)?.id.clone()),
        };
        let fits = |r: &ScoringRule| {
            module.is_none_or(|m| r.module.api_name == m.module.api_name)
                && layout.as_ref().is_none_or(|l| r.layout_id() == Some(l))
                && self.name.as_deref().is_none_or(|p| glob_match(p, &r.name))
        };
        let picked: Vec<&ScoringRule> = if self.ids.is_empty() {
            snap.rules.iter().filter(|r| fits(r)).collect()
        } else {
            let mut out: Vec<&ScoringRule> = Vec::new();
            for id in &self.ids {
                let rule = snap.rule(id).ok_or_else(|| {
                    format!("no rule {id} in the org (zscore audit --all lists them)")
                })?;
                if !fits(rule) {
                    return Err(format!(
                        "rule {id} ({:?}, {}) does not match the filter given with it",
                        crate::display::sanitize(&rule.name),
                        rule.module.api_name
                    ));
                }
                if !out.iter().any(|r| r.id == rule.id) {
                    out.push(rule);
                }
            }
            out
        };
        if picked.is_empty() {
            return Err("no rule matches: nothing to do".into());
        }
        Ok(picked)
    }
}

/// Whether `text` matches `pattern` ignoring case: `*` is any run of characters, `?` one.
/// (Names are at most 25 characters, so the simple backtracking walk is cheap.)
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was, and the text position it currently swallows up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_names_ignoring_case() {
        for (p, t, want) in [
            ("*", "anything", true),
            ("Inbound*", "inbound demand", true),
            ("*demand", "Inbound Demand", true),
            ("*fit*", "Enterprise Fit", true),
            ("?ot", "Hot", true),
            ("?ot", "Shot", false),
            ("Hot", "Hotter", false),
            ("a*b*c", "a-x-b-y-c", true),
            ("a*b*c", "a-x-c-y-b", false),
            ("", "", true),
            ("", "x", false),
            ("**", "", true),
        ] {
            assert_eq!(glob_match(p, t), want, "{p:?} vs {t:?}");
        }
    }
}
