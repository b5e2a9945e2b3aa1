//! One shared copy of each repeated text and lookup, so thousands of records holding "Germany"
//! or the same owner hold one allocation between them. The generator uses it for what it draws
//! from small sets (names, cities, job titles, companies; texts unique to a record, like emails,
//! skip it); restoring a state file for every value, since it cannot tell which repeat.

use std::collections::HashSet;
use std::sync::Arc;

use crate::domain::record::LookupValue;

#[derive(Default)]
pub(crate) struct Interner {
    texts: HashSet<Arc<str>>,
    lookups: HashSet<Arc<LookupValue>>,
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

    pub fn lookup(&mut self, l: LookupValue) -> Arc<LookupValue> {
        if let Some(shared) = self.lookups.get(&l) {
            return Arc::clone(shared);
        }
        let shared = Arc::new(l);
        self.lookups.insert(Arc::clone(&shared));
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

        let owner = |name: &str| LookupValue {
            id: crate::domain::Id::new("7"),
            name: name.into(),
        };
        let x = i.lookup(owner("Ann"));
        assert!(Arc::ptr_eq(&x, &i.lookup(owner("Ann"))));
        assert!(!Arc::ptr_eq(&x, &i.lookup(owner("Bob"))));
    }
}
