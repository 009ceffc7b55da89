//! Making the smaller versions of an upright original: Lanczos3 resizing
//! (`fast_image_resize`, which premultiplies alpha so transparent edges stay
//! clean) and lossy WebP from libwebp (the `image` crate writes WebP
//! losslessly only, which makes photos bigger than their JPEGs).
//!
//! Everything here is single-threaded on purpose: images are processed in
//! parallel one per rayon worker, and a worker that waits on nested work
//! while holding an image's memo cell could stall the pool.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;

/// The widths offered in a `srcset` (SPEC §8), ascending. Only those
/// narrower than the original are made.
pub(super) const WIDTHS: [u32; 3] = [480, 960, 1600];

/// libwebp's quality (0–100). 80 keeps photos sharp at about a tenth of
/// their pixels' size; below ~75 skies and skin start to band.
const QUALITY: f32 = 80.0;

/// libwebp's effort (0 fast … 6 small); 4 is its default balance.
const METHOD: i32 = 4;

/// Everything that decides the bytes of a variant. The disk cache keys
/// entries by it as well as by the source's bytes, so changing any setting
/// here (say so in this text) makes every cached image be made again.
pub(super) const SETTINGS: &str =
    "webp lossy q80 m4, lanczos3 premultiplied, widths 480 960 1600, upright by exif";

/// The widths of the versions made of an original `width` pixels wide.
pub(super) fn widths_for(width: u32) -> impl Iterator<Item = u32> {
    WIDTHS.into_iter().filter(move |&w| w < width)
}

/// One version: its size and its WebP bytes.
pub(super) struct Encoded {
    pub width: u32,
    pub height: u32,
    pub webp: Vec<u8>,
}

/// Every version of `image` (upright), narrowest first.
pub(super) fn variants(image: &DynamicImage) -> Result<Vec<Encoded>, String> {
    // libwebp takes 8-bit RGB or RGBA; 16-bit and grey originals are
    // brought to that once, not per width.
    let source = if image.color().has_alpha() {
        DynamicImage::ImageRgba8(image.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.to_rgb8())
    };
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    widths_for(source.width())
        .map(|width| {
            let height = scaled_height(source.width(), source.height(), width);
            let mut resized = DynamicImage::new(width, height, source.color());
            resizer
                .resize(&source, &mut resized, &options)
                .map_err(|e| format!("cannot be resized to {width} px: {e}"))?;
            let webp = webp(&resized)?;
            Ok(Encoded {
                width,
                height,
                webp,
            })
        })
        .collect()
}

/// The height that keeps the aspect ratio at `width`, rounded, at least 1.
pub(super) fn scaled_height(original_width: u32, original_height: u32, width: u32) -> u32 {
    let height = (u64::from(original_height) * u64::from(width) * 2 + u64::from(original_width))
        / (u64::from(original_width) * 2);
    u32::try_from(height).unwrap_or(u32::MAX).max(1)
}

fn webp(image: &DynamicImage) -> Result<Vec<u8>, String> {
    let (width, height) = (image.width(), image.height());
    let encoder = match image {
        DynamicImage::ImageRgba8(pixels) => {
            webp::Encoder::from_rgba(pixels.as_raw(), width, height)
        }
        DynamicImage::ImageRgb8(pixels) => webp::Encoder::from_rgb(pixels.as_raw(), width, height),
        _ => return Err("cannot be encoded as WebP: unexpected pixel layout".into()),
    };
    let mut config = webp::WebPConfig::new()
        .map_err(|()| "cannot be encoded as WebP: libwebp refused its configuration")?;
    config.lossless = 0;
    config.quality = QUALITY;
    config.method = METHOD;
    // Transparency is kept, compressed losslessly (libwebp drops the alpha
    // plane by itself when every pixel is opaque).
    config.alpha_compression = 1;
    let memory = encoder
        .encode_advanced(&config)
        .map_err(|e| format!("cannot be encoded as WebP: {e:?}"))?;
    Ok(memory.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_keep_the_aspect_ratio() {
        assert_eq!(scaled_height(2400, 1600, 480), 320);
        assert_eq!(scaled_height(1000, 333, 480), 160); // 159.84
        assert_eq!(scaled_height(10_000, 1, 480), 1);
    }

    #[test]
    fn only_narrower_widths_are_made() {
        assert_eq!(widths_for(480).count(), 0);
        assert_eq!(widths_for(481).collect::<Vec<_>>(), [480]);
        assert_eq!(widths_for(1600).collect::<Vec<_>>(), [480, 960]);
        assert_eq!(widths_for(4000).collect::<Vec<_>>(), WIDTHS);
    }
}
