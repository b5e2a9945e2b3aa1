//! Where a rule matches a piece of text: its name, its description, one of its conditions as
//! the detail reads it ("Industry in (Software, Healthcare)"), or one of its signals. One pure
//! function answers for both the rules pane's `/` filter and `:find`, so the two never
//! disagree. The text of every rule is worked out once per snapshot (`RuleText::of`, kept by
//! `Index`), not per key: typing a filter only compares lowercase strings.

use crate::domain::evaluate::condition_text;
use crate::domain::{ModuleSchema, OrgSnapshot, ScoringRule};

/// Which part of a rule matched, with that part's text (as the detail shows it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Name,
    Description(String),
    Condition(String),
    Signal(String),
}

impl Part {
    /// "name", "description: …", "condition: Industry in (…)", "signal: Email opened".
    pub fn describe(&self) -> String {
        match self {
            Part::Name => "name".into(),
            Part::Description(t) => format!("description: {t}"),
            Part::Condition(t) => format!("condition: {t}"),
            Part::Signal(t) => format!("signal: {t}"),
        }
    }
}

/// The searchable text of one rule, each part kept as shown and lowercased for matching.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleText {
    parts: Vec<(Kind, String, String)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Name,
    Description,
    Condition,
    Signal,
}

impl RuleText {
    /// The rule's parts in the order a match is reported: name, description, each condition
    /// (with field labels and values from `schema`; without it, api names), each signal (by
    /// its label in `snapshot`, else its namespace).
    pub fn of(rule: &ScoringRule, schema: Option<&ModuleSchema>, snapshot: &OrgSnapshot) -> Self {
        let mut parts = Vec::new();
        let mut add = |kind, text: String| {
            let lower = text.to_lowercase();
            parts.push((kind, text, lower));
        };
        add(Kind::Name, rule.name.clone());
        if let Some(d) = rule.description.as_deref().filter(|d| !d.trim().is_empty()) {
            add(Kind::Description, d.to_string());
        }
        for f in &rule.field_rules {
            for c in f.criteria.conditions() {
                let text = match schema {
                    Some(schema) => condition_text(c, schema),
                    None => c.field.api_name.clone(),
                };
                add(Kind::Condition, text);
            }
        }
        for s in &rule.signal_rules {
            let label = snapshot.signal(&s.signal.id).map_or_else(
                || s.signal.namespace.clone(),
                |sig| sig.display_label.clone(),
            );
            add(Kind::Signal, label);
        }
        RuleText { parts }
    }

    /// The first part containing `query` (case-insensitive); `None` when no part does. An
    /// empty query matches the name.
    pub fn find(&self, query: &str) -> Option<Part> {
        let query = query.to_lowercase();
        self.find_lower(&query)
    }

    /// `find` with the query lowercased already (a filter is matched against many rules).
    pub fn find_lower(&self, query: &str) -> Option<Part> {
        let (kind, text, _) = self.parts.iter().find(|(_, _, l)| l.contains(query))?;
        Some(match kind {
            Kind::Name => Part::Name,
            Kind::Description => Part::Description(text.clone()),
            Kind::Condition => Part::Condition(text.clone()),
            Kind::Signal => Part::Signal(text.clone()),
        })
    }

    /// Whether any part contains `query`, already lowercased: the filter's question, which
    /// needs no part named.
    pub fn contains_lower(&self, query: &str) -> bool {
        self.parts.iter().any(|(_, _, l)| l.contains(query))
    }
}

/// Where `rule` matches `query`: the one search function behind `/` and `:find`.
pub fn find(
    rule: &ScoringRule,
    schema: Option<&ModuleSchema>,
    snapshot: &OrgSnapshot,
    query: &str,
) -> Option<Part> {
    RuleText::of(rule, schema, snapshot).find(query)
}

/// Every rule's text, in the snapshot's order, and the snapshot generation it was built from.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub(crate) generation: Option<u64>,
    pub(crate) rules: Vec<RuleText>,
}

impl Index {
    pub fn build(snapshot: &OrgSnapshot, generation: u64) -> Index {
        let rules = snapshot
            .rules
            .iter()
            .map(|r| RuleText::of(r, snapshot.module(&r.module.api_name), snapshot))
            .collect();
        Index {
            generation: Some(generation),
            rules,
        }
    }
}
