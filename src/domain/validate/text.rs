//! Character rules for the names people type (rule names, descriptions, field labels).
//!
//! Names end up in terminal cells (the TUI, CLI tables), so anything that could steer a terminal
//! or reorder what it shows (C0/C1 controls, ESC, bidi overrides) is refused outright; hints
//! that echo user text quote it with `display::quote`.

/// The character class Zoho reports in `details.regex` for a name with a forbidden character
/// (official example `putScoringRules` InvalidDataResponse2), verbatim.
pub const NAME_REGEX: &str = r#"[^`~#%^&*()+=";<>\[\]{}|\\]+$"#;

/// The special characters Zoho forbids in names and field labels.
pub const FORBIDDEN: [char; 21] = [
    '`', '~', '#', '%', '^', '&', '*', '(', ')', '+', '=', '"', ';', '<', '>', '[', ']', '{', '}',
    '|', '\\',
];

/// Bidirectional formatting characters reorder what a terminal shows (the "Trojan Source"
/// trick), so a name must not carry them.
pub use crate::display::is_bidi_control;

/// C0 and C1 controls (ESC included) and bidi controls.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Unicode characters, which is what Zoho's length limits count (not bytes).
pub fn char_count(s: &str) -> usize {
    s.chars().count()
}

/// The first character a name or field label may not contain.
pub fn first_forbidden(s: &str) -> Option<char> {
    s.chars().find(|c| FORBIDDEN.contains(c) || is_unsafe(*c))
}

/// The first character a description may not contain: descriptions may span lines and carry
/// tabs, but nothing else that drives a terminal.
pub fn first_unsafe_in_description(s: &str) -> Option<char> {
    s.chars().find(|&c| c != '\n' && c != '\t' && is_unsafe(c))
}

/// How a hint names one offending character: `"#"` or `control character U+001B`.
pub fn describe_char(c: char) -> String {
    if is_bidi_control(c) {
        format!("bidi control character U+{:04X}", c as u32)
    } else if c.is_control() {
        format!("control character U+{:04X}", c as u32)
    } else {
        format!("\"{c}\"")
    }
}

/// A short description of a JSON value's kind, for "expected …, got …" hints.
pub fn kind_of(v: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(n) if n.is_f64() => "a decimal number",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_keep_newlines_and_tabs() {
        assert_eq!(first_unsafe_in_description("a\nb\tc"), None);
        assert_eq!(first_unsafe_in_description("a\rb"), Some('\r'));
        assert_eq!(first_unsafe_in_description("a\u{2066}b"), Some('\u{2066}'));
    }

    #[test]
    fn the_regex_detail_lists_exactly_the_forbidden_characters() {
        let inner = &NAME_REGEX[2..NAME_REGEX.len() - 3];
        let mut listed: Vec<char> = Vec::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            listed.push(if c == '\\' {
                chars.next().unwrap_or('\\')
            } else {
                c
            });
        }
        let mut expected = FORBIDDEN.to_vec();
        expected.sort_unstable();
        listed.sort_unstable();
        assert_eq!(listed, expected);
    }
}
