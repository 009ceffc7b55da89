//! What pages keep of the images they show: which original, under which
//! name its versions go out, and the picture made of it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{srcset, Picture, SIZES};

/// A processed original shown on a page.
#[derive(Debug, Clone)]
pub(crate) struct Shown {
    /// The original on disk.
    pub source: PathBuf,
    /// Its name without the extension, which its versions' names start with.
    pub stem: String,
    pub picture: Arc<Picture>,
}

/// The attributes an `<img>` of a processed original gets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Attributes {
    pub width: u32,
    pub height: u32,
    /// With [`SIZES`]; `None` when the original is too narrow for versions.
    pub srcset: Option<String>,
}

impl Shown {
    pub fn new(source: &Path, picture: Arc<Picture>) -> Shown {
        let stem = source
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "image".into());
        Shown {
            source: source.to_path_buf(),
            stem,
            picture,
        }
    }

    /// The attributes for a page whose versions sit at `base` (its URL).
    pub fn attributes(&self, base: &str) -> Attributes {
        let srcset = srcset(base, &self.stem, &self.picture);
        Attributes {
            width: self.picture.width,
            height: self.picture.height,
            srcset: (!srcset.is_empty()).then_some(srcset),
        }
    }

    /// The site-relative paths of its versions beside the page at `page`
    /// (`articles/x/`), each with its index in `picture.variants`.
    pub fn files<'s>(&'s self, page: &'s str) -> impl Iterator<Item = (String, usize)> + 's {
        self.picture
            .variants
            .iter()
            .enumerate()
            .map(move |(i, v)| (format!("{page}{}", v.file_name(&self.stem)), i))
    }
}

impl Attributes {
    /// As HTML attributes, each with a leading space.
    pub fn html(&self) -> String {
        let mut html = format!(" width=\"{}\" height=\"{}\"", self.width, self.height);
        if let Some(srcset) = &self.srcset {
            html.push_str(&format!(" srcset=\"{srcset}\" sizes=\"{SIZES}\""));
        }
        html
    }
}

/// Whether a file is a raster image that pages get versions of (by its
/// extension): PNG, JPEG, WebP or GIF.
pub(crate) fn is_raster(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "png" | "jpg" | "jpeg" | "webp" | "gif"
        )
    })
}

impl std::fmt::Debug for super::Images {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Images")
            .field("stats", &self.stats())
            .finish()
    }
}
