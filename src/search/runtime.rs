//! The files that run search in the reader's browser: Pagefind's script,
//! its WebAssembly (with the stemmer of the site's language), its worker and
//! its user interface. They come from the Pagefind crate itself, which embeds
//! them, so they always match the index format we write. Pagefind hands them
//! out with an index: we ask it for the index of a one-word page, once per
//! process and language, and keep only the runtime.

use std::sync::{Arc, Mutex};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// Files of Pagefind's output that our search page loads.
const USED: [&str; 4] = [
    "pagefind.js",
    "pagefind-worker.js",
    "pagefind-ui.js",
    "pagefind-ui.css",
];

#[derive(Debug)]
pub struct Runtime {
    /// Pagefind's version, which its script checks the index against.
    pub version: String,
    /// Whether the browser stems words of the language, and so must the index.
    pub stems: bool,
    /// Bundle-relative names and contents.
    pub files: Vec<(String, Vec<u8>)>,
}

/// The runtime for a page language, made on first use.
pub fn for_language(language: &str) -> Result<Arc<Runtime>, String> {
    static MADE: Mutex<Vec<(String, Arc<Runtime>)>> = Mutex::new(Vec::new());
    let mut made = MADE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, runtime)) = made.iter().find(|(l, _)| l == language) {
        return Ok(Arc::clone(runtime));
    }
    let runtime = Arc::new(make(language)?);
    made.push((language.to_string(), Arc::clone(&runtime)));
    Ok(runtime)
}

fn make(language: &str) -> Result<Runtime, String> {
    let tokio = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start Pagefind: {e}"))?;
    let files = tokio.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        // Without a page there is no language, and no WebAssembly for it.
        let page = "<html><body><p>search</p></body></html>";
        index
            .add_html_file(None, Some("/".into()), page.into())
            .await
            .map_err(|e| e.to_string())?;
        index.get_files().await.map_err(|e| e.to_string())
    })?;
    let files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .collect();
    let entry = files
        .iter()
        .find(|(name, _)| name == "pagefind-entry.json")
        .ok_or("Pagefind gave no entry file")?;
    let entry: serde_json::Value =
        serde_json::from_slice(&entry.1).map_err(|e| format!("Pagefind's entry file: {e}"))?;
    let version = entry["version"]
        .as_str()
        .ok_or("Pagefind's entry file has no version")?
        .to_string();
    let wasm = format!("wasm.{language}.pagefind");
    let stems = files.iter().any(|(name, _)| *name == wasm);
    let files = files
        .into_iter()
        .filter(|(name, _)| {
            USED.contains(&name.as_str())
                || name.starts_with("wasm.") && name.ends_with(".pagefind")
        })
        .collect();
    Ok(Runtime {
        version,
        stems,
        files,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_has_a_stemming_runtime() {
        let runtime = for_language("en").unwrap();
        assert!(runtime.stems);
        assert!(runtime.version.starts_with("1."), "{}", runtime.version);
        let names: Vec<&str> = runtime.files.iter().map(|(n, _)| n.as_str()).collect();
        for name in [
            "pagefind.js",
            "pagefind-ui.js",
            "wasm.en.pagefind",
            "wasm.unknown.pagefind",
        ] {
            assert!(names.contains(&name), "{names:?}");
        }
        assert!(Arc::ptr_eq(&runtime, &for_language("en").unwrap()));
    }

    #[test]
    fn a_language_without_a_stemmer_searches_unstemmed() {
        assert!(!for_language("xx").unwrap().stems);
    }
}
