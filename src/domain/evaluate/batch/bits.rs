//! A fixed-length bitset, one bit per record of a batch. Bits past the length stay zero, so
//! popcounts and complements never count records that do not exist.

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    pub fn empty(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    pub fn full(len: usize) -> Bits {
        let mut b = Bits {
            words: vec![u64::MAX; len.div_ceil(64)],
            len,
        };
        b.clear_tail();
        b
    }

    /// Bit `i` is `f(values[i])`.
    #[inline]
    pub fn from_fn<T: Copy>(values: &[T], f: impl Fn(T) -> bool) -> Bits {
        let mut words = Vec::with_capacity(values.len().div_ceil(64));
        for chunk in values.chunks(64) {
            let mut w = 0u64;
            for (j, &v) in chunk.iter().enumerate() {
                w |= u64::from(f(v)) << j;
            }
            words.push(w);
        }
        Bits {
            words,
            len: values.len(),
        }
    }

    pub fn words(&self) -> &[u64] {
        &self.words
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn set(&mut self, i: usize) {
        if i < self.len
            && let Some(w) = self.words.get_mut(i / 64)
        {
            *w |= 1 << (i % 64);
        }
    }

    pub fn get(&self, i: usize) -> bool {
        i < self.len
            && self
                .words
                .get(i / 64)
                .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn none(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn or_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn and_with(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// `self ∧ other`, or `self ∧ ¬other` when `negate`.
    pub fn and(&self, other: &Bits, negate: bool) -> Bits {
        let flip = if negate { u64::MAX } else { 0 };
        Bits {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & (b ^ flip))
                .collect(),
            len: self.len,
        }
    }

    /// `self ∧ ¬other`, for `other ⊆ self` the same as `self ⊕ other`.
    pub fn and_not(&self, other: &Bits) -> Bits {
        self.and(other, true)
    }

    pub fn not(&self) -> Bits {
        let mut b = Bits {
            words: self.words.iter().map(|w| !w).collect(),
            len: self.len,
        };
        b.clear_tail();
        b
    }

    /// Indices of set bits, ascending.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let mut rest = w;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let j = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    i * 64 + j
                })
            })
        })
    }

    fn clear_tail(&mut self) {
        let used = self.len % 64;
        if used != 0
            && let Some(last) = self.words.last_mut()
        {
            *last &= (1u64 << used) - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complement_and_full_stop_at_the_length() {
        for len in [0, 1, 63, 64, 65, 130] {
            assert_eq!(Bits::full(len).count(), len);
            assert_eq!(Bits::empty(len).not().count(), len);
            assert_eq!(Bits::full(len).not().count(), 0);
        }
    }

    #[test]
    fn ones_lists_set_bits_in_order() {
        let values: Vec<u32> = (0..200).collect();
        let b = Bits::from_fn(&values, |v| v % 7 == 3);
        let ones: Vec<usize> = b.ones().collect();
        let expected: Vec<usize> = (0..200).filter(|v| v % 7 == 3).collect();
        assert_eq!(ones, expected);
        assert_eq!(b.count(), expected.len());
        assert!(b.get(3) && !b.get(4) && !b.get(500));
        let mut c = Bits::empty(200);
        c.set(199);
        c.set(500);
        assert_eq!(c.ones().collect::<Vec<_>>(), vec![199]);
        assert_eq!(b.and_not(&b).count(), 0);
        assert_eq!(b.and(&Bits::full(200), false), b);
    }
}
