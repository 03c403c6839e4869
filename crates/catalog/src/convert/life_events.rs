//! Life events (一件事): every id a slug and listed once, every item in the catalog.

use std::collections::HashSet;

use yichuang_domain::catalog::LifeEvent;

use super::{Builder, Parsed, provenance};

impl Builder<'_> {
    pub(super) fn life_events(&mut self, parsed: &Parsed, items: &HashSet<&str>) -> Vec<LifeEvent> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (file, events) in &parsed.life_events {
            for raw in &events.life_event {
                let at = raw.id.span().start;
                let id = raw.id.get_ref();
                let field = format!("life_event {id}");
                self.unique_slug(*file, at, &field, id, &mut seen);
                if raw.items.is_empty() {
                    self.push(*file, at, &field, "names no items");
                }
                for item in &raw.items {
                    if !items.contains(item.get_ref().as_str()) {
                        self.push(
                            *file,
                            item.span().start,
                            format!("{field}: items"),
                            format!("{:?} is not an item of the catalog", item.get_ref()),
                        );
                    }
                }
                match provenance(&raw.provenance) {
                    Ok(provenance) => out.push(LifeEvent {
                        id: id.clone(),
                        name: raw.name.clone(),
                        name_en: raw.name_en.clone(),
                        items: raw.items.iter().map(|i| i.get_ref().clone()).collect(),
                        provenance,
                    }),
                    Err(e) => self.push(*file, at, format!("{field}: provenance"), e),
                }
            }
        }
        out
    }
}
