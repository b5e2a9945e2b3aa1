//! One shared copy of each text the generator draws from a small set (names, cities, job
//! titles, companies), so thousands of records holding "Germany" hold one string between them.
//! Texts unique to a record (emails, phones) skip it: a table entry would cost more than it saves.

use std::collections::HashSet;
use std::sync::Arc;

#[derive(Default)]
pub(super) struct Interner {
    texts: HashSet<Arc<str>>,
}

impl Interner {
    pub fn get(&mut self, s: &str) -> Arc<str> {
        if let Some(shared) = self.texts.get(s) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(s);
        self.texts.insert(Arc::clone(&shared));
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_allocation() {
        let mut i = Interner::default();
        let a = i.get("Germany");
        let b = i.get(&String::from("Germany"));
        let c = i.get("France");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(&*c, "France");
    }
}
