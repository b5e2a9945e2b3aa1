//! Criteria as Zoho's web UI edits them: numbered conditions plus a pattern such as
//! `1 OR (2 AND 3)`. Any criteria tree reads as conditions numbered depth first and a pattern
//! that keeps its exact shape (every nested group in parentheses), and the pattern reads back
//! into the same tree, so an unchanged rule saves exactly as it was loaded.
//!
//! The parser says what is wrong and where (a 1-based column), the way a person fixes a
//! pattern: an unknown number, a number used twice, a condition left out, unbalanced
//! parentheses, a missing operator, AND and OR mixed at one level (with the fix spelled out).

use super::rule::{Condition, Criteria, Group, GroupOperator};

/// A parsed pattern: condition numbers (1-based) joined by AND / OR.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Pattern {
    Condition(usize),
    Group(GroupOperator, Vec<Pattern>),
}

/// Why a pattern cannot be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    /// 1-based column (in characters) the problem points at.
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

/// Splits criteria into its conditions (depth first, as `Criteria::conditions` numbers them)
/// and the pattern that joins them.
pub fn split(criteria: &Criteria) -> (Vec<Condition>, Pattern) {
    fn walk(c: &Criteria, out: &mut Vec<Condition>) -> Pattern {
        match c {
            Criteria::Condition(x) => {
                out.push(x.clone());
                Pattern::Condition(out.len())
            }
            Criteria::Group(g) => Pattern::Group(
                g.group_operator,
                g.group.iter().map(|m| walk(m, out)).collect(),
            ),
        }
    }
    let mut conditions = Vec::new();
    let pattern = walk(criteria, &mut conditions);
    (conditions, pattern)
}

/// The criteria `pattern` makes of `conditions`; `None` when it names a condition that is not
/// there (a pattern from `parse` with the same count never does).
pub fn join(conditions: &[Condition], pattern: &Pattern) -> Option<Criteria> {
    Some(match pattern {
        Pattern::Condition(n) => Criteria::Condition(conditions.get(n.checked_sub(1)?)?.clone()),
        Pattern::Group(op, items) => Criteria::Group(Group {
            group_operator: *op,
            group: items
                .iter()
                .map(|p| join(conditions, p))
                .collect::<Option<_>>()?,
        }),
    })
}

/// `1 OR (2 AND 3)`: the pattern's text, every nested group in parentheses.
pub fn text(pattern: &Pattern) -> String {
    fn write(p: &Pattern, nested: bool, out: &mut String) {
        match p {
            Pattern::Condition(n) => out.push_str(&n.to_string()),
            Pattern::Group(op, items) => {
                if nested {
                    out.push('(');
                }
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                        out.push_str(op.as_str());
                        out.push(' ');
                    }
                    write(item, true, out);
                }
                if nested {
                    out.push(')');
                }
            }
        }
    }
    let mut out = String::new();
    write(pattern, false, &mut out);
    out
}

/// `1 AND 2 AND … n` (or OR): the pattern of a flat list of `n` conditions.
pub fn flat(n: usize, op: GroupOperator) -> String {
    (1..=n)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(&format!(" {} ", op.as_str()))
}

/// The operator joining the pattern's top level (AND for a single condition): what a new
/// condition is appended with.
pub fn top_operator(pattern: &Pattern) -> GroupOperator {
    match pattern {
        Pattern::Group(op, _) => *op,
        Pattern::Condition(_) => GroupOperator::And,
    }
}

/// `pattern` with condition `n` joined at its top level by that level's operator.
pub fn append(pattern: &Pattern, n: usize) -> Pattern {
    match pattern {
        Pattern::Group(op, items) => {
            let mut items = items.clone();
            items.push(Pattern::Condition(n));
            Pattern::Group(*op, items)
        }
        single => Pattern::Group(
            GroupOperator::And,
            vec![single.clone(), Pattern::Condition(n)],
        ),
    }
}

/// `pattern` without condition `n`, the numbers above it moved down by one so the pattern
/// still names conditions 1 to count-1. A group left with one member becomes that member;
/// `None` when `n` was the only condition.
pub fn remove(pattern: &Pattern, n: usize) -> Option<Pattern> {
    match pattern {
        Pattern::Condition(k) if *k == n => None,
        Pattern::Condition(k) => Some(Pattern::Condition(if *k > n { k - 1 } else { *k })),
        Pattern::Group(op, items) => {
            let mut kept: Vec<Pattern> = items.iter().filter_map(|p| remove(p, n)).collect();
            match kept.len() {
                0 => None,
                1 if items.len() > 1 => kept.pop(),
                _ => Some(Pattern::Group(*op, kept)),
            }
        }
    }
}

/// `pattern` with its top level joined by the other operator (AND ↔ OR); nested groups keep
/// theirs. A single condition has no level to switch.
pub fn switch_top(pattern: &Pattern) -> Pattern {
    match pattern {
        Pattern::Group(op, items) => {
            let other = match op {
                GroupOperator::And => GroupOperator::Or,
                GroupOperator::Or => GroupOperator::And,
            };
            Pattern::Group(other, items.clone())
        }
        single => single.clone(),
    }
}

/// The condition (1-based) at a path of group indices (`criteria.group[1].group[0]` is
/// `[1, 0]`), or `None` when the path ends at a group or leaves the pattern.
pub fn condition_at(pattern: &Pattern, path: &[usize]) -> Option<usize> {
    match (pattern, path) {
        (Pattern::Condition(n), []) => Some(*n),
        (Pattern::Group(_, items), [i, rest @ ..]) => condition_at(items.get(*i)?, rest),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Number(usize),
    Op(GroupOperator),
    Open,
    Close,
}

/// A token and the 1-based column it starts at.
type Spanned = (Token, usize);

fn tokenize(text: &str) -> Result<Vec<Spanned>, PatternError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            out.push((if c == '(' { Token::Open } else { Token::Close }, column));
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let n = digits.parse::<usize>().unwrap_or(usize::MAX);
            out.push((Token::Number(n), column));
        } else if c.is_alphabetic() {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_alphanumeric()) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match GroupOperator::parse(&word) {
                Some(op) => out.push((Token::Op(op), column)),
                None => {
                    return Err(PatternError {
                        column,
                        message: format!(
                            "“{word}” is not AND or OR (a pattern is numbers, AND, OR, parentheses)"
                        ),
                    });
                }
            }
        } else {
            return Err(PatternError {
                column,
                message: format!(
                    "“{c}” does not belong in a pattern (numbers, AND, OR, parentheses)"
                ),
            });
        }
    }
    Ok(out)
}

/// Reads `text` as a pattern over `conditions` conditions: each used exactly once.
pub fn parse(text: &str, conditions: usize) -> Result<Pattern, PatternError> {
    let tokens = tokenize(text)?;
    let end = text.chars().count() + 1;
    if tokens.is_empty() {
        return Err(PatternError {
            column: 1,
            message: format!(
                "the pattern is empty: try {}",
                flat(conditions, GroupOperator::And)
            ),
        });
    }
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        end,
        text,
    };
    let pattern = parser.sequence(0)?;
    if let Some((_, column)) = parser.peek() {
        // Only an unmatched `)` can stop a sequence at the top level.
        return Err(PatternError {
            column,
            message: "“)” closes nothing".into(),
        });
    }
    check_uses(&tokens, conditions, end)?;
    Ok(pattern)
}

struct Parser<'a> {
    tokens: &'a [Spanned],
    at: usize,
    end: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<(Token, usize)> {
        self.tokens.get(self.at).cloned()
    }

    /// Items joined by one operator, up to a `)` or the end; `depth` counts open parentheses.
    fn sequence(&mut self, depth: usize) -> Result<Pattern, PatternError> {
        let mut items = vec![self.item(depth)?];
        let mut op: Option<(GroupOperator, usize)> = None;
        loop {
            match self.peek() {
                None | Some((Token::Close, _)) => break,
                Some((Token::Op(next), column)) => {
                    if let Some((first, _)) = op
                        && first != next
                    {
                        return Err(PatternError {
                            column,
                            message: format!(
                                "AND and OR are mixed at one level; group them with parentheses: {}",
                                suggest(self.text)
                            ),
                        });
                    }
                    op = Some((next, column));
                    self.at += 1;
                    items.push(self.item(depth)?);
                }
                Some((Token::Number(n), column)) => {
                    return Err(PatternError {
                        column,
                        message: format!("an operator (AND or OR) is missing before {n}"),
                    });
                }
                Some((Token::Open, column)) => {
                    return Err(PatternError {
                        column,
                        message: "an operator (AND or OR) is missing before “(”".into(),
                    });
                }
            }
        }
        Ok(match op {
            None => items.remove(0),
            Some((op, _)) => Pattern::Group(op, items),
        })
    }

    /// A condition number or a parenthesised sequence.
    fn item(&mut self, depth: usize) -> Result<Pattern, PatternError> {
        match self.peek() {
            Some((Token::Number(n), _)) => {
                self.at += 1;
                Ok(Pattern::Condition(n))
            }
            Some((Token::Open, column)) => {
                self.at += 1;
                if let Some((Token::Close, close)) = self.peek() {
                    return Err(PatternError {
                        column: close,
                        message: "“()” holds nothing".into(),
                    });
                }
                let inner = self.sequence(depth + 1)?;
                match self.peek() {
                    Some((Token::Close, _)) => {
                        self.at += 1;
                        Ok(inner)
                    }
                    _ => Err(PatternError {
                        column,
                        message: "this “(” is never closed".into(),
                    }),
                }
            }
            Some((Token::Op(op), column)) => Err(PatternError {
                column,
                message: format!("a condition number is missing before {}", op.as_str()),
            }),
            Some((Token::Close, column)) => Err(PatternError {
                column,
                message: "a condition number is missing before “)”".into(),
            }),
            None => Err(PatternError {
                column: self.end,
                message: "the pattern ends where a condition number should follow".into(),
            }),
        }
    }
}

/// Each of `1..=conditions` used exactly once, and no other number.
fn check_uses(tokens: &[Spanned], conditions: usize, end: usize) -> Result<(), PatternError> {
    let mut seen = vec![false; conditions];
    for (token, column) in tokens {
        let Token::Number(n) = *token else { continue };
        let Some(slot) = n.checked_sub(1).and_then(|i| seen.get_mut(i)) else {
            return Err(PatternError {
                column: *column,
                message: match conditions {
                    0 => format!("there is no condition {n}: add a condition first"),
                    1 => format!("there is no condition {n}: the only condition is 1"),
                    c => format!("there is no condition {n}: the conditions are 1 to {c}"),
                },
            });
        };
        if *slot {
            return Err(PatternError {
                column: *column,
                message: format!("condition {n} is used twice"),
            });
        }
        *slot = true;
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, used)| !**used)
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !missing.is_empty() {
        let (what, verb) = if missing.len() == 1 {
            ("condition", "is")
        } else {
            ("conditions", "are")
        };
        return Err(PatternError {
            column: end,
            message: format!(
                "{what} {} {verb} not in the pattern (join or remove {})",
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            ),
        });
    }
    Ok(())
}

/// The text with every run of ANDs at a level wrapped in parentheses: `1 AND 2 OR 3` →
/// `(1 AND 2) OR 3`, the reading AND-before-OR gives. Parenthesised parts are kept as typed.
fn suggest(text: &str) -> String {
    let Ok(tokens) = tokenize(text) else {
        return text.to_string();
    };
    // One level: its items in runs split at OR; a run of several items (ANDs) gets parentheses
    // when the level also has ORs.
    fn level(tokens: &[Spanned], at: &mut usize) -> String {
        let mut runs: Vec<Vec<String>> = vec![Vec::new()];
        let mut ors = false;
        while let Some((t, _)) = tokens.get(*at).cloned() {
            match t {
                Token::Close => break,
                Token::Op(GroupOperator::Or) => {
                    ors = true;
                    runs.push(Vec::new());
                    *at += 1;
                }
                Token::Op(GroupOperator::And) => *at += 1,
                Token::Number(n) => {
                    if let Some(run) = runs.last_mut() {
                        run.push(n.to_string());
                    }
                    *at += 1;
                }
                Token::Open => {
                    *at += 1;
                    let inner = level(tokens, at);
                    if matches!(tokens.get(*at), Some((Token::Close, _))) {
                        *at += 1;
                    }
                    if let Some(run) = runs.last_mut() {
                        run.push(format!("({inner})"));
                    }
                }
            }
        }
        let runs: Vec<String> = runs
            .into_iter()
            .filter(|r| !r.is_empty())
            .map(|r| {
                let joined = r.join(" AND ");
                if ors && r.len() > 1 {
                    format!("({joined})")
                } else {
                    joined
                }
            })
            .collect();
        runs.join(" OR ")
    }
    let mut at = 0;
    level(&tokens, &mut at)
}

#[cfg(test)]
mod tests;
