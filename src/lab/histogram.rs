//! Score distributions as text: before and after share their bins, so the two bars of a row
//! compare at a glance.

use serde::Serialize;

/// Bins over one range of scores; `counts[0]` is before, `counts[1]` after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Histogram {
    pub bins: Vec<Bin>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bin {
    /// Inclusive bounds.
    pub low: i64,
    pub high: i64,
    pub before: usize,
    pub after: usize,
}

const MAX_BINS: i64 = 10;

impl Histogram {
    pub fn of(before: &[i64], after: &[i64]) -> Histogram {
        let all = before.iter().chain(after);
        let (Some(&lo), Some(&hi)) = (all.clone().min(), all.max()) else {
            return Histogram { bins: Vec::new() };
        };
        // i128 so hostile scores near i64's ends cannot overflow the span.
        let span = i128::from(hi) - i128::from(lo) + 1;
        let width = ((span + i128::from(MAX_BINS) - 1) / i128::from(MAX_BINS)).max(1);
        let count = ((span + width - 1) / width) as usize;
        let mut bins: Vec<Bin> = (0..count)
            .map(|i| {
                let low = i128::from(lo) + width * i as i128;
                let high = (low + width - 1).min(i128::from(hi));
                Bin {
                    low: low as i64,
                    high: high as i64,
                    before: 0,
                    after: 0,
                }
            })
            .collect();
        let index = |v: i64| ((i128::from(v) - i128::from(lo)) / width) as usize;
        for &v in before {
            if let Some(b) = bins.get_mut(index(v)) {
                b.before += 1;
            }
        }
        for &v in after {
            if let Some(b) = bins.get_mut(index(v)) {
                b.after += 1;
            }
        }
        Histogram { bins }
    }

    /// One line per bin: range, before bar and count, after bar and count. Bars scale to
    /// `bar_width` columns for the fullest bin of either side; a non-empty bin always shows.
    pub fn render(&self, bar_width: usize) -> String {
        let peak = self
            .bins
            .iter()
            .map(|b| b.before.max(b.after))
            .max()
            .unwrap_or(0);
        if peak == 0 {
            return "(no records)\n".to_string();
        }
        let labels: Vec<String> = self
            .bins
            .iter()
            .map(|b| {
                if b.low == b.high {
                    b.low.to_string()
                } else {
                    format!("{}..{}", b.low, b.high)
                }
            })
            .collect();
        let label_w = labels.iter().map(String::len).max().unwrap_or(0).max(5);
        let count_w = peak.to_string().len();
        let bar = |n: usize| {
            let len = if n == 0 {
                0
            } else {
                (n * bar_width).div_ceil(peak).max(1)
            };
            format!("{:<bar_width$}", "█".repeat(len), bar_width = bar_width)
        };
        let mut out = format!(
            "{:>label_w$}  {:<w$}  {}\n",
            "score",
            "before",
            "after",
            w = bar_width + count_w + 1
        );
        for (b, label) in self.bins.iter().zip(labels) {
            out.push_str(&format!(
                "{label:>label_w$}  {} {:>count_w$}  {} {:>count_w$}\n",
                bar(b.before),
                b.before,
                bar(b.after),
                b.after
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_both_sides() {
        let h = Histogram::of(&[0, 0, 5], &[10, 19]);
        assert_eq!(h.bins.len(), 10);
        assert_eq!((h.bins[0].low, h.bins[0].high), (0, 1));
        assert_eq!(h.bins[0].before, 2);
        assert_eq!(h.bins[2].before, 1);
        assert_eq!(h.bins[5].after, 1);
        assert_eq!(h.bins[9].after, 1);
        assert_eq!(h.bins.iter().map(|b| b.before + b.after).sum::<usize>(), 5);
    }

    #[test]
    fn empty_and_single_value() {
        assert!(Histogram::of(&[], &[]).bins.is_empty());
        assert_eq!(Histogram::of(&[], &[]).render(10), "(no records)\n");
        let h = Histogram::of(&[3, 3], &[3]);
        assert_eq!(h.bins.len(), 1);
        assert_eq!((h.bins[0].before, h.bins[0].after), (2, 1));
    }

    #[test]
    fn extreme_scores_do_not_overflow() {
        let h = Histogram::of(&[i64::MIN], &[i64::MAX]);
        assert_eq!(h.bins.iter().map(|b| b.before + b.after).sum::<usize>(), 2);
    }

    #[test]
    fn renders_aligned_bars() {
        let h = Histogram::of(&[0, 0, 0, 0, 10], &[10, 10]);
        let text = h.render(4);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + h.bins.len());
        assert_eq!(lines[1], " 0..1  ████ 4       0");
        assert_eq!(lines.last().copied(), Some("   10  █    1  ██   2"));
    }
}
