//! Pictures as templates get them: a lead image with its URLs, alt text and,
//! for a local raster image, its size and responsive versions.

use serde::Serialize;

use crate::link::files::Lead;
use crate::link::Site;

#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    /// Root-relative (or remote) URL, for pages.
    pub url: String,
    /// Absolute URL, for feeds and social metadata.
    pub permalink: String,
    pub alt: String,
    /// The media type, for feed enclosures (`image/png`).
    pub media_type: String,
    /// The original's size, for a local raster image.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Narrower WebP versions (`srcset`, `sizes`), for a wide local raster image.
    pub srcset: Option<String>,
    pub sizes: Option<&'static str>,
}

/// The lead image of article `i`, if it has one.
pub fn lead(site: &Site, i: usize) -> Option<ImageView> {
    site.bodies[i].lead.as_ref().map(|lead| view(site, lead))
}

/// Entity `e`'s own picture (an author's portrait), if it has one; it
/// belongs to the profile (`Fact::Profile`).
pub fn portrait(site: &Site, e: usize) -> Option<ImageView> {
    site.portraits[e].as_ref().map(|lead| view(site, lead))
}

fn view(site: &Site, lead: &Lead) -> ImageView {
    let permalink = match lead.url.strip_prefix(site.config.base_path.as_str()) {
        Some(path) if lead.file.is_some() => site.urls.permalink(path),
        _ => lead.url.clone(),
    };
    let media_type =
        crate::media::content_type(lead.url.split(['?', '#']).next().unwrap_or_default());
    ImageView {
        url: lead.url.clone(),
        permalink,
        alt: lead.alt.clone(),
        media_type,
        width: lead.processed.as_ref().map(|p| p.width),
        height: lead.processed.as_ref().map(|p| p.height),
        srcset: lead.processed.as_ref().and_then(|p| p.srcset.clone()),
        sizes: lead
            .processed
            .as_ref()
            .and_then(|p| p.srcset.as_ref())
            .map(|_| crate::images::SIZES),
    }
}
