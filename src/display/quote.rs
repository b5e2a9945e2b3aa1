//! Outside text inside one of zscore's sentences: an error, a hint, an audit issue, a plan step.
//!
//! One notation everywhere, so a name reads the same in the form, the audit, the sandbox's
//! hints and `zscore import`'s messages: in double quotes, made inert by `sanitize` (an escape
//! sequence or a bidi override shows as `\u{1b}`, `\u{202e}`), and cut after `QUOTE_CHARS`
//! characters, because a message repeats a name to point at it, not to dump it.

use super::sanitize;

/// Longest stretch of outside text a message repeats; the rest is elided with `…`.
pub const QUOTE_CHARS: usize = 40;

/// `s` quoted, inert and shortened: `"Lead Source"`, `"Le\u{1b}[2Jads"`, `"xxxx…"`.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", shorten(&sanitize(s), QUOTE_CHARS))
}

/// `s` cut after `max_chars` characters, the cut marked with `…`.
pub fn shorten(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_and_bidi_controls() {
        assert_eq!(quote("a\u{1b}[31mb"), "\"a\\u{1b}[31mb\"");
        assert_eq!(quote("x\u{202E}y"), "\"x\\u{202e}y\"");
        assert_eq!(quote("two\nlines"), "\"two lines\"");
        assert_eq!(quote("Déjà"), "\"Déjà\"");
    }

    #[test]
    fn long_text_is_cut_after_forty_characters() {
        let q = quote(&"é".repeat(50));
        assert_eq!(q.chars().count(), QUOTE_CHARS + 3);
        assert!(q.ends_with("…\""));
        assert_eq!(
            quote(&"a".repeat(QUOTE_CHARS)),
            format!("\"{}\"", "a".repeat(40))
        );
    }
}
