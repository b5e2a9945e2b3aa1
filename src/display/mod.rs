//! Text that leaves zscore for a terminal or a spreadsheet.
//!
//! Rule names, layout labels and field names come from the org, so they may carry anything an
//! API accepts or a compromised org returns: escape sequences that repaint or retitle the
//! terminal, bidi controls that reorder what a reader sees, 10,000-character names, wide CJK
//! text. Everything the audit table, the TUI or a CSV export shows goes through these helpers
//! first, so that text stays inert (`sanitize`, `csv_cell`) and columns stay aligned
//! (`truncate_to_width`, `pad_to_width`).

mod quote;
mod width;

pub use quote::{quote, shorten};
pub use width::{display_width, pad_to_width, truncate_to_width, wrap};

/// Bidirectional formatting characters: invisible, yet they reorder the text around them (the
/// "Trojan Source" trick), so a name could show one thing and be another.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible characters with no job in a rule name (zero-width space, word joiner, byte-order
/// mark): they make two names that look the same differ, so they are shown. The zero-width
/// joiner is shown too: it fuses what surrounds it into one glyph on some terminals and not on
/// others, so the width the screen buffer reckons and the width the terminal draws part, and
/// stale characters stay on screen ("○○", a stray "H"); an emoji sequence shows as its parts
/// joined by `\u{200d}`. The non-joiner stays: it never fuses anything, and Persian and Indic
/// text need it.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Characters that end a line somewhere: a table cell must stay on its row, so they become a
/// plain space rather than an escape (they are common in pasted text and harmless otherwise).
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `s` made inert for a terminal: line breaks and tabs become a space; every other C0 or C1
/// control (NUL, ESC, DEL, CSI U+009B, …) and every bidi control becomes a visible escape such
/// as `\u{1b}`. Escaping the ESC itself is what defuses a whole sequence (`ESC[2J`, an OSC
/// title change, a hyperlink): what is left is printable text. Everything else, CJK and emoji
/// included, is kept as is, so the function is idempotent on its own output.
pub fn sanitize(s: &str) -> String {
    if !s.chars().any(needs_work) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_line_break(c) {
            out.push(' ');
        } else if c.is_control() || is_bidi_control(c) || is_invisible(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A block of lines made inert, as `sanitize` makes one line: line feeds and tabs stay (a
/// report's lines, a tab-separated listing), and so does a carriage return right before a line
/// feed (CSV's row end), which cannot overwrite anything; every other control, bidi or
/// invisible character is escaped, a lone carriage return included. The one filter every line
/// the command line prints passes through.
pub fn sanitize_block(s: &str) -> String {
    let mut chars = s.chars().peekable();
    let mut out = String::with_capacity(s.len());
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => out.push(c),
            c if is_line_break(c) => out.push(' '),
            c if needs_work(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn needs_work(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_line_break(c) || is_invisible(c)
}

/// JSON text (already valid) with every control, bidi and invisible character inside its
/// strings written as a `\uXXXX` escape. serde_json escapes only C0 controls, so DEL, C1
/// controls (U+009B is a one-byte CSI to many terminals) and bidi overrides would otherwise
/// reach a terminal that shows the JSON raw. The data a JSON reader gets is unchanged: these
/// characters only occur inside strings, and all of them are in the BMP.
pub fn inert_json(json: &str) -> String {
    if !json.chars().any(needs_json_escape) {
        return json.to_string();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if needs_json_escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Raw line breaks and tabs outside strings are JSON whitespace and stay.
fn needs_json_escape(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || is_bidi_control(c)
        || is_invisible(c)
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
/// doubled. Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return, the OWASP "CSV injection" list) gets a leading `'`, which Excel,
/// LibreOffice and Google Sheets read as "this is text" and hide. Only for text: numbers the
/// program itself writes (a score of -10) must stay numbers, so they bypass this.
///
/// Line feeds, tabs and `\r\n` line breaks are data and stay (quoted); every other control,
/// bidi or invisible character is escaped as `sanitize` does, a lone carriage return included
/// (it would send the cursor back over the line already shown), so `cat report.csv` cannot
/// drive the terminal.
pub fn csv_cell(s: &str) -> String {
    let kept = |c: char, next: Option<&char>| {
        matches!(c, '\n' | '\t') || (c == '\r' && next == Some(&'\n'))
    };
    let mut chars = s.chars().peekable();
    let mut inert = String::with_capacity(s.len());
    while let Some(c) = chars.next() {
        if needs_work(c) && !kept(c, chars.peek()) {
            inert.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            inert.push(c);
        }
    }
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{inert}")
    } else {
        inert
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::clear_screen("\u{1b}[2J\u{1b}[H", "\\u{1b}[2J\\u{1b}[H")]
    #[case::osc_title_bel("\u{1b}]0;pwned\u{7}x", "\\u{1b}]0;pwned\\u{7}x")]
    #[case::osc_hyperlink_st(
        "\u{1b}]8;;https://evil\u{1b}\\click\u{1b}]8;;\u{1b}\\",
        "\\u{1b}]8;;https://evil\\u{1b}\\click\\u{1b}]8;;\\u{1b}\\"
    )]
    #[case::c1_csi("a\u{9b}31mb", "a\\u{9b}31mb")]
    #[case::nul_and_del("a\0b\u{7f}", "a\\u{0}b\\u{7f}")]
    #[case::bidi_override("abc\u{202e}fed", "abc\\u{202e}fed")]
    #[case::bidi_isolates("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}")]
    #[case::bidi_marks("\u{200e}\u{200f}\u{61c}", "\\u{200e}\\u{200f}\\u{61c}")]
    #[case::newlines_and_tabs("a\nb\r\nc\td", "a b  c d")]
    #[case::unicode_line_separators("a\u{2028}b\u{85}c", "a b c")]
    #[case::cjk_untouched("見込み客スコア", "見込み客スコア")]
    #[case::emoji_untouched("🔥 Hot 🚀", "🔥 Hot 🚀")]
    #[case::zero_width_joiner_shown("👨\u{200d}👩 ○\u{200d}○", "👨\\u{200d}👩 ○\\u{200d}○")]
    #[case::zero_width_shown("a\u{200b}b\u{feff}\u{2060}", "a\\u{200b}b\\u{feff}\\u{2060}")]
    #[case::accents_untouched("Café Überweisung", "Café Überweisung")]
    #[case::empty("", "")]
    fn makes_text_inert(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(sanitize(input), expected);
    }

    #[rstest]
    #[case::lines_and_tabs_stay("a\tb\nc\r\n", "a\tb\nc\r\n")]
    #[case::lone_cr_is_a_space("safe\rEVIL", "safe EVIL")]
    #[case::controls_escaped(
        "x\u{1b}]52;c;aGk=\u{7}\n\u{9b}2J",
        "x\\u{1b}]52;c;aGk=\\u{7}\n\\u{9b}2J"
    )]
    #[case::bidi_and_zero_width("\u{202e}a\u{200b}", "\\u{202e}a\\u{200b}")]
    #[case::unicode_breaks_are_spaces("a\u{2028}b\u{b}c", "a b c")]
    fn blocks_keep_their_lines_and_lose_their_controls(
        #[case] input: &str,
        #[case] expected: &str,
    ) {
        assert_eq!(sanitize_block(input), expected);
        assert_eq!(sanitize_block(expected), expected);
    }

    #[rstest]
    #[case("\u{1b}[31mred\u{1b}[0m\u{202e}")]
    #[case("plain")]
    #[case("a\u{0}\u{9b}\n")]
    fn output_has_no_controls_and_is_stable(#[case] input: &str) {
        let once = sanitize(input);
        assert!(!once.chars().any(needs_work), "{once:?}");
        assert_eq!(sanitize(&once), once);
    }

    #[test]
    fn json_keeps_its_data_and_loses_its_controls() {
        let v = serde_json::json!({"name": "a\u{1b}[2J\u{9b}1m\u{7f}\u{202e}\u{200b}\u{2028}b\n"});
        let raw = serde_json::to_string_pretty(&v).unwrap();
        let out = inert_json(&raw);
        assert!(!out.chars().any(needs_json_escape), "{out:?}");
        assert!(out.contains("\\u009b") && out.contains("\\u202e"), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn every_control_and_bidi_char_is_escaped() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let out = sanitize(&c.to_string());
            if c.is_control() || is_bidi_control(c) {
                assert!(
                    out == " " || out.starts_with("\\u{"),
                    "U+{:04X} gave {out:?}",
                    c as u32
                );
            }
        }
    }

    #[rstest]
    #[case::plain("Inbound Demand", "Inbound Demand")]
    #[case::empty("", "")]
    #[case::formula("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    #[case::formula_with_comma(
        "=HYPERLINK(\"http://x\",\"y\")",
        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
    )]
    #[case::plus("+1", "'+1")]
    #[case::minus("-1", "'-1")]
    #[case::at("@x", "'@x")]
    #[case::tab("\tx", "'\tx")]
    #[case::carriage_return("\rx", "'\\u{d}x")]
    #[case::inner_equals_is_fine("a=b", "a=b")]
    #[case::comma("a, b", "\"a, b\"")]
    #[case::quotes("say \"hi\"", "\"say \"\"hi\"\"\"")]
    #[case::newline("line1\nline2", "\"line1\nline2\"")]
    #[case::crlf("a\r\nb", "\"a\r\nb\"")]
    #[case::cjk("見込み客", "見込み客")]
    #[case::escape_sequence("a\u{1b}[2Jb", "a\\u{1b}[2Jb")]
    #[case::c1_csi_and_bidi("\u{9b}1m\u{202e}x", "\\u{9b}1m\\u{202e}x")]
    #[case::zero_width("a\u{200b}b", "a\\u{200b}b")]
    fn quotes_and_guards(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(csv_cell(input), expected);
    }
}
