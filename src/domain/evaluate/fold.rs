//! Case-insensitive text matching without allocating.
//!
//! Zoho compares text case-insensitively. Needles are lowercased once at compile time; values
//! are folded on the fly, by the cheapest path that is still exact:
//! - An ASCII needle is matched byte-wise with ASCII folding against the value's UTF-8 bytes,
//!   even when the value has non-ASCII characters: those lowercase to non-ASCII characters,
//!   whose bytes (all ≥ 0x80) can never match a needle byte. The only exceptions are U+0130 'İ'
//!   and U+212A 'K' (Kelvin), whose lowercase contains ASCII (`fold_safe` checks for them; a
//!   test walks every `char` to keep that list honest).
//! - Otherwise (a non-ASCII needle, or one of those two characters in the value) the value is
//!   lowercased once into a stack buffer and matched byte-wise; since UTF-8 is self-
//!   synchronising, byte matches of valid UTF-8 fall on character boundaries.
//! - A value too long for the buffer is compared through cloned `char::to_lowercase` iterators:
//!   slower, still allocation-free.
//!
//! Lowercasing char by char on both sides (rather than `str::to_lowercase`, which special-cases
//! a word-final Σ) keeps needle and value consistent: "ÉCOLE" = "école", but "STRASSE" ≠ "straße"
//! (lowercase, not full case folding).

/// How a needle is matched against a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TextOp {
    Equal,
    StartsWith,
    EndsWith,
    Contains,
    /// Whole-value match where `%` and `*` stand for any run of characters.
    Like,
}

/// A compile-time lowercased operand.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Needle {
    lower: Box<str>,
    /// The same text as chars, for the Unicode path (random access for `like`).
    chars: Box<[char]>,
    ascii: bool,
}

impl Needle {
    pub fn new(text: &str) -> Needle {
        let chars: Box<[char]> = text.chars().flat_map(char::to_lowercase).collect();
        let lower: String = chars.iter().collect();
        Needle {
            ascii: lower.is_ascii(),
            lower: lower.into_boxed_str(),
            chars,
        }
    }

    /// The iterator path: any length, no buffer.
    fn unicode_match(&self, op: TextOp, value: &str) -> bool {
        let needle = &self.chars;
        match op {
            TextOp::Equal => lowered(value).eq(needle.iter().copied()),
            TextOp::StartsWith => is_prefix(needle, lowered(value)),
            TextOp::EndsWith => {
                let mut rev = value.chars().rev().flat_map(|c| c.to_lowercase().rev());
                needle.iter().rev().all(|c| rev.next() == Some(*c))
            }
            TextOp::Contains => {
                let mut at = lowered(value);
                loop {
                    if is_prefix(needle, at.clone()) {
                        return true;
                    }
                    if at.next().is_none() {
                        return false;
                    }
                }
            }
            TextOp::Like => glob(lowered(value), needle, |c| c == '%' || c == '*'),
        }
    }
}

/// Does any needle match `value`? The value is classified once for all needles.
#[inline]
pub(super) fn any_match(op: TextOp, needles: &[Needle], value: &str) -> bool {
    let ascii = value.is_ascii();
    let bytes_ok = ascii || fold_safe(value);
    let mut rest = false;
    for n in needles {
        if n.ascii && bytes_ok {
            if byte_match(op, value.as_bytes(), n.lower.as_bytes()) {
                return true;
            }
        } else if !ascii {
            rest = true;
        }
        // A needle with a non-ASCII char never matches an ASCII value, which lowercases to ASCII.
    }
    rest && unicode_any(op, needles, value, bytes_ok)
}

/// Whether byte-wise ASCII folding of `value` is exact for ASCII needles: it holds neither
/// U+0130 (UTF-8 `C4 B0`) nor U+212A (`E2 84 AA`). A byte scan, not a char decode.
fn fold_safe(value: &str) -> bool {
    let b = value.as_bytes();
    b.iter().enumerate().all(|(i, &x)| match x {
        0xC4 => b.get(i + 1) != Some(&0xB0),
        0xE2 => b.get(i + 1..i + 3) != Some(&[0x84, 0xAA][..]),
        _ => true,
    })
}

/// Longest lowercased value folded on the stack; longer ones take the iterator path.
const FOLD_BUFFER: usize = 256;

/// The needles `any_match` left over, against the value lowercased once.
#[inline(never)]
fn unicode_any(op: TextOp, needles: &[Needle], value: &str, bytes_ok: bool) -> bool {
    let mut buf = [0u8; FOLD_BUFFER];
    let folded = fold_into(value, &mut buf);
    needles
        .iter()
        .filter(|n| !(n.ascii && bytes_ok))
        .any(|n| match folded {
            // Both sides are lowercase already, so ASCII folding is plain equality here.
            Some(v) => byte_match(op, v, n.lower.as_bytes()),
            None => n.unicode_match(op, value),
        })
}

/// `value` lowercased char by char into `buf`, or `None` if it does not fit.
fn fold_into<'b>(value: &str, buf: &'b mut [u8; FOLD_BUFFER]) -> Option<&'b [u8]> {
    let mut len = 0;
    for c in value.chars() {
        if c.is_ascii() {
            *buf.get_mut(len)? = (c as u8).to_ascii_lowercase();
            len += 1;
            continue;
        }
        for l in c.to_lowercase() {
            let end = len + l.len_utf8();
            l.encode_utf8(buf.get_mut(len..end)?);
            len = end;
        }
    }
    buf.get(..len)
}

fn lowered(s: &str) -> impl Iterator<Item = char> + Clone + '_ {
    s.chars().flat_map(char::to_lowercase)
}

fn is_prefix(needle: &[char], mut value: impl Iterator<Item = char>) -> bool {
    needle.iter().all(|c| value.next() == Some(*c))
}

/// `needle` is lowercase already, so only the value side is folded (ASCII-wise; other bytes
/// compare exactly, which is right for raw UTF-8 against an ASCII needle and for a value
/// `fold_into` lowercased).
#[inline]
fn byte_match(op: TextOp, value: &[u8], needle: &[u8]) -> bool {
    match op {
        TextOp::Equal => value.eq_ignore_ascii_case(needle),
        TextOp::StartsWith => value
            .get(..needle.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(needle)),
        TextOp::EndsWith => value
            .len()
            .checked_sub(needle.len())
            .is_some_and(|at| value[at..].eq_ignore_ascii_case(needle)),
        TextOp::Contains => ascii_contains(value, needle),
        TextOp::Like => glob(value.iter().map(u8::to_ascii_lowercase), needle, |b| {
            b == b'%' || b == b'*'
        }),
    }
}

/// Naive search with a first-byte filter: values are short (names, cities, e-mail addresses),
/// where it beats a searcher that has to be built per call.
#[inline]
fn ascii_contains(value: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = value.len().checked_sub(needle.len()) else {
        return false;
    };
    let upper = first.to_ascii_uppercase();
    value[..=last_start].iter().enumerate().any(|(i, &b)| {
        (b == first || b == upper) && value[i + 1..i + needle.len()].eq_ignore_ascii_case(rest)
    })
}

/// Whole-value wildcard match: the classic greedy algorithm that backtracks only to the last
/// star, O(value × pattern) at worst, over any cloneable sequence so the Unicode path can feed
/// it a folding iterator instead of a lowercased copy.
fn glob<T, I>(value: I, pattern: &[T], is_star: impl Fn(T) -> bool) -> bool
where
    T: Copy + PartialEq,
    I: Iterator<Item = T> + Clone,
{
    let mut cur = value;
    let mut p = 0;
    // Where to resume after the last star: pattern index after it, value position it took.
    let mut star: Option<(usize, I)> = None;
    loop {
        let mut next = cur.clone();
        let Some(c) = next.next() else { break };
        match pattern.get(p) {
            Some(&t) if is_star(t) => {
                p += 1;
                star = Some((p, cur.clone()));
            }
            Some(&t) if t == c => {
                p += 1;
                cur = next;
            }
            _ => match &mut star {
                Some((after, taken)) => {
                    taken.next();
                    cur = taken.clone();
                    p = *after;
                }
                None => return false,
            },
        }
    }
    pattern[p.min(pattern.len())..].iter().all(|&t| is_star(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(TextOp::Equal, "école", "ÉCOLE", true)]
    #[case(TextOp::Equal, "ecole", "ÉCOLE", false)]
    #[case(TextOp::StartsWith, "Éc", "école normale", true)]
    #[case(TextOp::EndsWith, "MALE", "école normale", true)]
    #[case(TextOp::EndsWith, "ÉCOLE", "grande école", true)]
    #[case(TextOp::Contains, "COLE N", "école normale", true)]
    #[case(TextOp::Contains, "straße", "Die STRASSE", false)]
    #[case(TextOp::Contains, "München", "MÜNCHEN-Ost", true)]
    #[case(TextOp::Contains, "ost", "MÜNCHEN-Ost", true)]
    #[case(TextOp::Equal, "munchen", "MÜNCHEN", false)]
    #[case(TextOp::Like, "é*e", "ÉCOLE", true)]
    #[case(TextOp::Like, "%ß%", "Fußball", true)]
    #[case(TextOp::Like, "f*ll", "Fußball", true)]
    #[case(TextOp::Like, "*a*b", "xaxxbxb", true)]
    #[case(TextOp::Like, "*a*b", "xaxxbxc", false)]
    #[case(TextOp::Like, "a%%", "A", true)]
    #[case(TextOp::Like, "abc", "ABC", true)]
    #[case(TextOp::Like, "abc", "ABCD", false)]
    #[case(TextOp::Like, "", "", true)]
    #[case(TextOp::Contains, "é", "plain ascii", false)]
    #[case(TextOp::EndsWith, "abc", "bc", false)]
    #[case(TextOp::StartsWith, "abc", "ab", false)]
    #[case(TextOp::Contains, "", "anything", true)]
    // the two characters whose lowercase holds ASCII: Kelvin sign and dotted capital I
    #[case(TextOp::Equal, "k", "\u{212A}", true)]
    #[case(TextOp::Contains, "ok", "O\u{212A}!", true)]
    #[case(TextOp::StartsWith, "i", "\u{130}stanbul", true)]
    #[case(TextOp::Equal, "istanbul", "\u{130}stanbul", false)]
    fn matches_case_insensitively(
        #[case] op: TextOp,
        #[case] needle: &str,
        #[case] value: &str,
        #[case] expected: bool,
    ) {
        let n = Needle::new(needle);
        assert_eq!(any_match(op, std::slice::from_ref(&n), value), expected);
        // The buffer and iterator paths must agree with the byte path wherever it applies.
        assert_eq!(
            unicode_any(op, std::slice::from_ref(&n), value, false),
            expected
        );
        assert_eq!(n.unicode_match(op, value), expected);
    }

    #[test]
    fn values_longer_than_the_buffer_take_the_iterator_path() {
        let long = format!("{}ÉCOLE", "é".repeat(FOLD_BUFFER));
        let n = [Needle::new("école")];
        assert!(any_match(TextOp::EndsWith, &n, &long));
        assert!(!any_match(TextOp::StartsWith, &n, &long));
    }

    #[test]
    fn ascii_contains_checks_every_start() {
        for (v, n, expected) in [
            ("aab", "ab", true),
            ("Rolls Royce", "ROYCE", true),
            ("royc", "royce", false),
            ("xyz", "Z", true),
        ] {
            let needle = [Needle::new(n)];
            assert_eq!(
                any_match(TextOp::Contains, &needle, v),
                expected,
                "{v} ⊇ {n}"
            );
        }
    }

    /// The byte path relies on this: apart from U+0130 and U+212A, no non-ASCII character
    /// lowercases to anything containing ASCII, and no lowercase contains ASCII upper case.
    #[test]
    fn only_two_non_ascii_chars_lowercase_to_ascii() {
        let to_ascii: Vec<char> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(to_ascii, ['\u{130}', '\u{212A}']);
        assert!(
            (0..=0x10FFFF_u32)
                .filter_map(char::from_u32)
                .all(|c| c.to_lowercase().all(|l| !l.is_ascii_uppercase()))
        );
    }
}
