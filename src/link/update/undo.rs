//! Changes to the link maps, recorded as they are made, so that an update
//! that is refused halfway leaves the maps as they were.

use std::collections::HashMap;

use crate::link::LinkIndex;

/// The two link maps an update changes.
#[derive(Clone, Copy)]
pub(super) enum MapName {
    Pages,
    Slugs,
}

/// Changes to the link maps, recorded so that a refused update leaves them as they were.
#[derive(Default)]
pub(super) struct Undo {
    steps: Vec<(MapName, String, Option<String>)>,
}

impl Undo {
    fn map(index: &mut LinkIndex, name: MapName) -> &mut HashMap<String, String> {
        match name {
            MapName::Pages => &mut index.pages,
            MapName::Slugs => &mut index.article_slugs,
        }
    }

    /// Sets (or with `None` removes) `key`, remembering what was there.
    pub(super) fn set(
        &mut self,
        index: &mut LinkIndex,
        name: MapName,
        key: &str,
        value: Option<String>,
    ) {
        let map = Self::map(index, name);
        let previous = match value {
            Some(value) => map.insert(key.to_string(), value),
            None => map.remove(key),
        };
        self.steps.push((name, key.to_string(), previous));
    }

    pub(super) fn apply(self, index: &mut LinkIndex) {
        for (name, key, previous) in self.steps.into_iter().rev() {
            let map = Self::map(index, name);
            match previous {
                Some(value) => map.insert(key, value),
                None => map.remove(&key),
            };
        }
    }
}
