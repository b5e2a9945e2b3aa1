//! Character rules for the names people type (rule names, descriptions, field labels), and safe
//! quoting of such text inside hints.
//!
//! Names end up in terminal cells (the TUI, CLI tables), so anything that could steer a terminal
//! or reorder what it shows (C0/C1 controls, ESC, bidi overrides) is refused outright, and hints
//! that echo user text escape it.

/// The character class Zoho reports in `details.regex` for a name with a forbidden character
/// (official example `putScoringRules` InvalidDataResponse2), verbatim.
pub const NAME_REGEX: &str = r#"[^`~#%^&*()+=";<>\[\]{}|\\]+$"#;

/// The special characters Zoho forbids in names and field labels.
pub const FORBIDDEN: [char; 21] = [
    '`', '~', '#', '%', '^', '&', '*', '(', ')', '+', '=', '"', ';', '<', '>', '[', ']', '{', '}',
    '|', '\\',
];

/// Longest stretch of user text a hint repeats; the rest is elided.
const QUOTE_CHARS: usize = 40;

/// Bidirectional formatting characters: invisible, but they reorder what a terminal shows
/// (the "Trojan Source" trick), so a name must not carry them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

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

/// User text inside a hint: quoted, unsafe characters escaped, long text shortened.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(QUOTE_CHARS * 4) + 2);
    out.push('"');
    for (n, c) in s.chars().enumerate() {
        if n == QUOTE_CHARS {
            out.push('…');
            break;
        }
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:04X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
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
    fn quote_escapes_terminal_controls_and_shortens() {
        assert_eq!(quote("a\u{1b}[31mb"), "\"a\\u{001B}[31mb\"");
        assert_eq!(quote("x\u{202E}y"), "\"x\\u{202E}y\"");
        let long = "é".repeat(50);
        let q = quote(&long);
        assert_eq!(q.chars().count(), QUOTE_CHARS + 3);
        assert!(q.ends_with("…\""));
    }

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
