//! The inputs of the form, in Tab order, and where a finding about the request lands: a
//! violation's rule path (or a server error's `json_path`) names a position in the request
//! body, which `BodyMap` turns back into the form row it came from.

use super::model::{CriteriaForm, FormData};
use crate::domain::pattern;
use crate::domain::violation::{RulePath, Seg};

/// One place in the form an input or an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Name,
    Description,
    Active,
    Score(usize),
    /// The pattern joining a field rule's condition rows (`1 OR (2 AND 3)`).
    Pattern(usize),
    /// A field rule's criteria as a whole (duplicates, group size).
    Criteria(usize),
    Field(usize, usize),
    Comparator(usize, usize),
    Value(usize, usize),
    Signal(usize),
    SignalScore(usize),
    CustomLabel(usize),
    CustomRef(usize),
    /// Findings about the rule as a whole (nothing scores, limits of the edition).
    Rule,
}

/// How an input is edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    Line,
    Multiline,
    Picker,
    /// Shown, not editable (criteria kept whole, the reference of a stored custom field).
    Fixed,
}

impl Target {
    /// The word an error message starts with: `name: at most 25 characters (26)`.
    pub fn label(self) -> &'static str {
        match self {
            Target::Name => "name",
            Target::Description => "description",
            Target::Active => "active",
            Target::Score(_) | Target::SignalScore(_) => "score",
            Target::Pattern(_) => "pattern",
            Target::Criteria(_) => "criteria",
            Target::Field(..) => "field",
            Target::Comparator(..) => "comparator",
            Target::Value(..) => "value",
            Target::Signal(_) => "signal",
            Target::CustomLabel(_) => "label",
            Target::CustomRef(_) => "score field",
            Target::Rule => "rule",
        }
    }

    pub fn kind(self, data: &FormData) -> InputKind {
        match self {
            Target::Name
            | Target::Score(_)
            | Target::SignalScore(_)
            | Target::Value(..)
            | Target::Pattern(_) => InputKind::Line,
            Target::CustomLabel(_) => InputKind::Line,
            Target::Description => InputKind::Multiline,
            Target::Active | Target::Field(..) | Target::Comparator(..) | Target::Signal(_) => {
                InputKind::Picker
            }
            Target::CustomRef(i) => match data.custom_fields.get(i) {
                Some(c) if c.id.is_none() => InputKind::Picker,
                _ => InputKind::Fixed,
            },
            Target::Criteria(_) | Target::Rule => InputKind::Fixed,
        }
    }

    /// The field rule, signal rule or custom field this input belongs to, as a row to remove.
    pub fn field_rule(self) -> Option<usize> {
        match self {
            Target::Score(i)
            | Target::Pattern(i)
            | Target::Criteria(i)
            | Target::Field(i, _)
            | Target::Comparator(i, _)
            | Target::Value(i, _) => Some(i),
            _ => None,
        }
    }
}

/// Every input in Tab order. `create` adds the active switch.
pub fn inputs(data: &FormData, create: bool) -> Vec<Target> {
    let mut out = vec![Target::Name, Target::Description];
    if create {
        out.push(Target::Active);
    }
    for (i, fr) in data.field_rules.iter().enumerate() {
        out.push(Target::Score(i));
        let c = &fr.criteria;
        for j in 0..c.rows.len() {
            out.extend([
                Target::Field(i, j),
                Target::Comparator(i, j),
                Target::Value(i, j),
            ]);
        }
        if shows_pattern(c) {
            out.push(Target::Pattern(i));
        }
    }
    for i in 0..data.signal_rules.len() {
        out.extend([Target::Signal(i), Target::SignalScore(i)]);
    }
    for i in 0..data.custom_fields.len() {
        out.extend([Target::CustomLabel(i), Target::CustomRef(i)]);
    }
    out
}

/// Whether the pattern input is shown: with several conditions, or while what is typed does
/// not read over the rows (so its error has a place).
pub fn shows_pattern(c: &CriteriaForm) -> bool {
    c.rows.len() > 1 || c.structure().is_err()
}

/// Which form row each entry of a request body's sub-item lists came from (`None`: an entry
/// the form did not show, a removal).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BodyMap {
    pub field_rules: Vec<Option<usize>>,
    pub signal_rules: Vec<Option<usize>>,
    pub custom_fields: Vec<Option<usize>>,
}

impl BodyMap {
    /// Entry k of each list is form row k.
    pub fn identity(data: &FormData) -> BodyMap {
        BodyMap {
            field_rules: (0..data.field_rules.len()).map(Some).collect(),
            signal_rules: (0..data.signal_rules.len()).map(Some).collect(),
            custom_fields: (0..data.custom_fields.len()).map(Some).collect(),
        }
    }

    /// The input a finding at `path` (relative to the rule object) concerns.
    pub fn target(&self, path: &RulePath, data: &FormData) -> Target {
        let segs = &path.0;
        let key = |i: usize| match segs.get(i) {
            Some(Seg::Key(k)) => Some(k.as_str()),
            _ => None,
        };
        let index = |i: usize| match segs.get(i) {
            Some(Seg::Index(n)) => Some(*n),
            _ => None,
        };
        let row = |list: &[Option<usize>]| index(1).and_then(|k| list.get(k).copied().flatten());
        match key(0) {
            Some("name") => Target::Name,
            Some("description") => Target::Description,
            Some("active") => Target::Active,
            Some("field_rules") => match row(&self.field_rules) {
                Some(i) => field_rule_target(i, &segs[2..], data),
                None => Target::Rule,
            },
            Some("signal_rules") => match (row(&self.signal_rules), key(2)) {
                (Some(i), Some("score")) => Target::SignalScore(i),
                (Some(i), _) => Target::Signal(i),
                (None, _) => Target::Rule,
            },
            Some("custom_fields") => match (row(&self.custom_fields), key(2)) {
                (Some(i), Some("reference_field")) => Target::CustomRef(i),
                (Some(i), _) => Target::CustomLabel(i),
                (None, _) => Target::Rule,
            },
            _ => Target::Rule,
        }
    }
}

/// `score`, `criteria`, or a condition's part: `criteria.group[1].group[0].value` walks the
/// pattern's groups to the condition row it came from.
fn field_rule_target(i: usize, rest: &[Seg], data: &FormData) -> Target {
    let Some(fr) = data.field_rules.get(i) else {
        return Target::Criteria(i);
    };
    match rest {
        [Seg::Key(k), ..] if k == "score" => return Target::Score(i),
        [Seg::Key(c), tail @ ..] if c == "criteria" => {
            let mut path = Vec::new();
            let mut tail = tail;
            while let [Seg::Key(g), Seg::Index(k), more @ ..] = tail
                && g == "group"
            {
                path.push(*k);
                tail = more;
            }
            let row = pattern::condition_at(&fr.criteria.structure_or_flat(), &path);
            return match (row, tail.first()) {
                (Some(n), Some(Seg::Key(k))) if k == "field" => {
                    Target::Field(i, n.saturating_sub(1))
                }
                (Some(n), Some(Seg::Key(k))) if k == "comparator" => {
                    Target::Comparator(i, n.saturating_sub(1))
                }
                (Some(n), Some(Seg::Key(k))) if k == "value" => {
                    Target::Value(i, n.saturating_sub(1))
                }
                _ => Target::Criteria(i),
            };
        }
        _ => {}
    }
    Target::Criteria(i)
}

/// A server error's `json_path` (`$.scoring_rules[0].field_rules[1].score`) as a rule path.
pub fn parse_json_path(json_path: &str) -> Option<RulePath> {
    let rest = json_path.strip_prefix("$.scoring_rules[")?;
    let (_, rest) = rest.split_once(']')?;
    let rest = rest.strip_prefix('.').unwrap_or(rest);
    let mut segs = Vec::new();
    for part in rest.split('.').filter(|p| !p.is_empty()) {
        let (name, mut tail) = match part.find('[') {
            Some(at) => part.split_at(at),
            None => (part, ""),
        };
        if !name.is_empty() {
            segs.push(Seg::Key(name.to_string()));
        }
        while let Some(open) = tail.strip_prefix('[') {
            let (n, after) = open.split_once(']')?;
            segs.push(Seg::Index(n.parse().ok()?));
            tail = after;
        }
    }
    Some(RulePath(segs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_read_back_into_rule_paths() {
        let p = parse_json_path("$.scoring_rules[0].field_rules[1].criteria.group[2].value");
        assert_eq!(
            p.map(|p| p.to_string()).as_deref(),
            Some("field_rules[1].criteria.group[2].value")
        );
        assert_eq!(
            parse_json_path("$.scoring_rules[0]").map(|p| p.0.len()),
            Some(0)
        );
        assert_eq!(parse_json_path("$.other"), None);
    }
}
