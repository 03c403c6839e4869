//! The built-in catalog's files read from disk, one of them edited and others added:
//! how the tests try a catalog that differs in one place.

#![allow(clippy::unwrap_used, dead_code)]

/// Loads every `*.toml` under `catalog/`, with `path` (relative to it, e.g.
/// `policies/card-activation.toml`) passed through `edit`, and `extra` files added.
pub fn catalog_with(
    path: &str,
    edit: impl Fn(&str) -> String,
    extra: &[(&str, String)],
) -> Result<yichuang_catalog::LoadedCatalog, yichuang_catalog::CatalogErrors> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mut files = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let file = entry.path();
            if file.is_dir() {
                folders.push(file);
            } else if file.extension().is_some_and(|e| e == "toml") {
                let name = file
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&file).unwrap();
                let text = if name == path { edit(&text) } else { text };
                files.push((format!("catalog/{name}"), text));
            }
        }
    }
    for (name, text) in extra {
        files.push(((*name).to_owned(), text.clone()));
    }
    yichuang_catalog::load_files(files)
}
