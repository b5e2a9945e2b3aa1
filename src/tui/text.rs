//! Styled text that wraps, prepared in state without knowing the theme: each piece carries a
//! `Tone` that the view turns into a style. `rows` is the one place such text is broken into
//! screen rows, used by the view to draw it and by the app to count the rows it scrolls over,
//! so the two never disagree about where the end is.

use unicode_width::UnicodeWidthChar;

use crate::display::display_width;

/// What a piece of text is, for the view to style (and to leave unstyled under NO_COLOR).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Heading,
    Dim,
    Active,
    Inactive,
    Error,
}

/// One screen row: pieces of text and their tones.
pub type Row = Vec<(Tone, String)>;

/// A paragraph: a lead on its first row (`"  ⚠ "`, `"● "`), a hanging indent on the rows
/// after it, and a body wrapped at spaces (a word longer than a row is split).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Para {
    pub lead: Row,
    /// Blank columns before every row after the first.
    pub indent: usize,
    pub body: Row,
    /// Text after the body, `tail_gap` spaces from it, never broken across rows (`→ +25`).
    pub tail: Option<(Tone, String)>,
    pub tail_gap: usize,
    /// At most this many rows of the body; a longer body's last row ends in `…` (the tail
    /// still follows).
    pub max_rows: usize,
}

impl Para {
    pub fn new(tone: Tone, text: impl Into<String>) -> Para {
        Para {
            lead: Vec::new(),
            indent: 0,
            body: vec![(tone, text.into())],
            tail: None,
            tail_gap: 1,
            max_rows: usize::MAX,
        }
    }

    pub fn blank() -> Para {
        Para::new(Tone::Plain, "")
    }

    pub fn lead(mut self, tone: Tone, lead: impl Into<String>, indent: usize) -> Para {
        self.lead = vec![(tone, lead.into())];
        self.indent = indent;
        self
    }

    pub fn then(mut self, tone: Tone, text: impl Into<String>) -> Para {
        self.body.push((tone, text.into()));
        self
    }

    /// Ends the paragraph with `text` kept whole on one row, `gap` spaces after the body.
    pub fn tail(mut self, tone: Tone, text: impl Into<String>, gap: usize) -> Para {
        self.tail = Some((tone, text.into()));
        self.tail_gap = gap;
        self
    }

    pub fn max_rows(mut self, n: usize) -> Para {
        self.max_rows = n.max(1);
        self
    }

    /// The paragraph's rows at `width` columns.
    pub fn rows(&self, width: usize) -> Vec<Row> {
        let width = width.max(1);
        let lead_width: usize = self.lead.iter().map(|(_, t)| display_width(t)).sum();
        let mut out = Rows {
            rows: Vec::new(),
            row: self.lead.clone(),
            used: 0,
            room: width.saturating_sub(lead_width).max(1),
            next_room: width.saturating_sub(self.indent).max(1),
            indent: self.indent,
            limit: self.max_rows,
            width,
        };
        for word in words(&self.body) {
            if out.full() {
                break;
            }
            out.place(word);
        }
        let cut = out.full();
        if cut {
            // The body did not fit: its last row says so.
            let width = out.width;
            if let Some(last) = out.rows.last_mut() {
                end_with_ellipsis(last, width);
            }
        }
        // The tail is never cut with the body: it may take a row past the limit.
        if let Some((tone, text)) = &self.tail {
            out.limit = usize::MAX;
            out.place(Word {
                gap: self.tail_gap,
                parts: vec![(*tone, text.clone())],
            });
        }
        if !cut || self.tail.is_some() {
            out.rows.push(out.row);
        }
        out.rows
    }
}

/// Every paragraph's rows at `width`, in order.
pub fn rows(paras: &[Para], width: usize) -> Vec<Row> {
    paras.iter().flat_map(|p| p.rows(width)).collect()
}

/// A run of non-space text (possibly in several tones) and the spaces that preceded it.
struct Word {
    gap: usize,
    parts: Row,
}

impl Word {
    fn width(&self) -> usize {
        self.parts.iter().map(|(_, t)| display_width(t)).sum()
    }
}

fn words(body: &Row) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut gap = 0;
    // Whether the next non-space text continues the last word (no space between pieces).
    let mut joined = false;
    for (tone, text) in body {
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            if spaces > 0 {
                gap += spaces;
                joined = false;
                rest = &rest[spaces..];
                continue;
            }
            let end = rest.find(' ').unwrap_or(rest.len());
            let piece = (*tone, rest[..end].to_string());
            match out.last_mut() {
                Some(w) if joined => w.parts.push(piece),
                _ => out.push(Word {
                    gap,
                    parts: vec![piece],
                }),
            }
            gap = 0;
            joined = true;
            rest = &rest[end..];
        }
    }
    out
}

struct Rows {
    rows: Vec<Row>,
    row: Row,
    /// Columns of the body on the current row.
    used: usize,
    /// Columns the body may take on the current row.
    room: usize,
    next_room: usize,
    indent: usize,
    limit: usize,
    width: usize,
}

impl Rows {
    fn full(&self) -> bool {
        self.rows.len() >= self.limit
    }

    fn break_row(&mut self) {
        let next = if self.indent > 0 {
            vec![(Tone::Plain, " ".repeat(self.indent))]
        } else {
            Vec::new()
        };
        self.rows.push(std::mem::replace(&mut self.row, next));
        self.used = 0;
        self.room = self.next_room;
    }

    fn push(&mut self, tone: Tone, text: &str) {
        match self.row.last_mut() {
            Some((t, s)) if *t == tone => s.push_str(text),
            _ => self.row.push((tone, text.to_string())),
        }
    }

    fn place(&mut self, word: Word) {
        let w = word.width();
        let gap = if self.used == 0 { 0 } else { word.gap };
        if self.used > 0 && self.used + gap + w > self.room {
            self.break_row();
            if self.full() {
                return;
            }
        }
        if self.used > 0 {
            self.push(Tone::Plain, &" ".repeat(word.gap));
            self.used += word.gap;
        }
        if self.used + w <= self.room {
            for (tone, text) in &word.parts {
                self.push(*tone, text);
            }
            self.used += w;
            return;
        }
        // Longer than a row: split it wherever the row ends.
        for (tone, text) in &word.parts {
            for c in text.chars() {
                let cw = c.width().unwrap_or(0);
                if self.used > 0 && self.used + cw > self.room {
                    self.break_row();
                    if self.full() {
                        return;
                    }
                }
                let mut buf = [0u8; 4];
                self.push(*tone, c.encode_utf8(&mut buf));
                self.used += cw;
            }
        }
    }
}

/// `row` shortened so that `…` fits within `width` columns, then `…` appended.
fn end_with_ellipsis(row: &mut Row, width: usize) {
    let mut total: usize = row.iter().map(|(_, t)| display_width(t)).sum();
    while total + 1 > width {
        let Some((_, text)) = row.last_mut() else {
            break;
        };
        match text.pop() {
            Some(c) => total -= c.width().unwrap_or(0),
            None => {
                row.pop();
            }
        }
    }
    let tone = row.last().map_or(Tone::Plain, |(t, _)| *t);
    row.push((tone, "…".into()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| r.iter().map(|(_, t)| t.as_str()).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_with_a_lead_and_a_hanging_indent() {
        let p = Para::new(Tone::Plain, "Lead Source is Web Form  → +25").lead(Tone::Plain, "  ", 4);
        assert_eq!(
            plain(&p.rows(16)),
            vec!["  Lead Source is", "    Web Form  →", "    +25"]
        );
    }

    #[test]
    fn a_tail_stays_whole_on_one_row() {
        let p = Para::new(Tone::Plain, "Lead Status in (A, B)")
            .lead(Tone::Plain, "  ", 4)
            .tail(Tone::Plain, "→ -20", 1);
        assert_eq!(
            plain(&p.rows(24)),
            vec!["  Lead Status in (A, B)", "    → -20"]
        );
        assert_eq!(plain(&p.rows(40)), vec!["  Lead Status in (A, B) → -20"]);
    }

    #[test]
    fn a_word_longer_than_a_row_is_split_and_tones_are_kept() {
        let p = Para::new(Tone::Heading, "abcdefgh").then(Tone::Active, " on");
        let rows = p.rows(5);
        assert_eq!(plain(&rows), vec!["abcde", "fgh", "on"]);
        assert_eq!(rows[2], vec![(Tone::Active, "on".to_string())]);
    }

    #[test]
    fn pieces_without_a_space_between_stay_one_word() {
        let p = Para::new(Tone::Dim, "x ")
            .then(Tone::Heading, "“ab")
            .then(Tone::Plain, "”");
        assert_eq!(plain(&p.rows(4)), vec!["x", "“ab”"]);
    }

    #[test]
    fn a_cut_paragraph_ends_in_an_ellipsis_within_the_width() {
        let p = Para::new(Tone::Plain, "one two three four five").max_rows(2);
        let rows = p.rows(9);
        assert_eq!(plain(&rows), vec!["one two", "three…"]);
        let wide = Para::new(Tone::Plain, "見込み客スコア 見込み客スコア").max_rows(1);
        let rows = wide.rows(6);
        assert!(display_width(&plain(&rows)[0]) <= 6, "{rows:?}");
    }

    #[test]
    fn the_tail_follows_a_cut_body() {
        let p = Para::new(Tone::Heading, "aaaa bbbb cccc dddd eeee")
            .tail(Tone::Active, "on", 1)
            .max_rows(2);
        let rows = p.rows(9);
        assert_eq!(plain(&rows), vec!["aaaa bbbb", "cccc ddd…", "on"]);
        assert_eq!(rows[2], vec![(Tone::Active, "on".to_string())]);
        assert_eq!(
            plain(&p.clone().max_rows(9).rows(24)),
            vec!["aaaa bbbb cccc dddd eeee", "on"]
        );
        assert_eq!(plain(&p.rows(30)), vec!["aaaa bbbb cccc dddd eeee on"]);
    }

    #[test]
    fn an_empty_paragraph_is_one_blank_row() {
        assert_eq!(plain(&Para::blank().rows(10)), vec![""]);
        assert_eq!(rows(&[Para::blank(), Para::blank()], 10).len(), 2);
    }
}
