//! From a laid-out card to PNG bytes: the lead image cropped to cover the
//! card, the SVG of `layout.rs` drawn over it by resvg, and the pixels
//! encoded as an opaque RGB PNG with fast compression (a card is mostly
//! flat colour, so fast deflate loses little, and encoding stays a few
//! milliseconds). Every step is plain integer or IEEE arithmetic with no
//! run-time choice of code path, so the bytes are the same on every
//! machine.

use image::imageops::FilterType;
use image::{DynamicImage, RgbaImage};
use resvg::{tiny_skia, usvg};

use super::fonts::fonts;
use super::layout::{HEIGHT, WIDTH};

/// The card's PNG: `svg` over `background` (a lead image, already read).
/// Err: why it cannot be drawn (only a broken SVG of ours, which is a bug).
pub(super) fn png(svg: &str, background: Option<&DynamicImage>) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: fonts().database.clone(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap = match background {
        Some(image) => cover(image)?,
        None => tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no pixmap")?,
    };
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode(&pixmap)
}

/// `image` scaled and centred to cover the whole card, cropping what
/// overflows, as a pixmap (transparent parts are drawn over black).
fn cover(image: &DynamicImage) -> Result<tiny_skia::Pixmap, String> {
    let (w, h) = (image.width().max(1), image.height().max(1));
    // The largest part of the image with the card's proportions, centred.
    let (crop_w, crop_h) = if u64::from(w) * u64::from(HEIGHT) > u64::from(h) * u64::from(WIDTH) {
        (
            (u64::from(h) * u64::from(WIDTH) / u64::from(HEIGHT)) as u32,
            h,
        )
    } else {
        (
            w,
            (u64::from(w) * u64::from(HEIGHT) / u64::from(WIDTH)) as u32,
        )
    };
    let cropped = image.crop_imm(
        (w - crop_w) / 2,
        (h - crop_h) / 2,
        crop_w.max(1),
        crop_h.max(1),
    );
    let rgba: RgbaImage = if crop_w >= WIDTH {
        // Downscaling: an area average, fast and exact in integers.
        image::imageops::thumbnail(&cropped.to_rgba8(), WIDTH, HEIGHT)
    } else {
        image::imageops::resize(&cropped.to_rgba8(), WIDTH, HEIGHT, FilterType::Triangle)
    };
    let mut data = rgba.into_raw();
    // tiny-skia holds premultiplied colour.
    for pixel in data.chunks_exact_mut(4) {
        let a = u16::from(pixel[3]);
        if a < 255 {
            for channel in &mut pixel[..3] {
                *channel = ((u16::from(*channel) * a + 127) / 255) as u8;
            }
            pixel[3] = 255;
        }
    }
    let size = tiny_skia::IntSize::from_wh(WIDTH, HEIGHT).ok_or("no size")?;
    tiny_skia::Pixmap::from_vec(data, size).ok_or_else(|| "a lead image of the wrong size".into())
}

/// The pixels as an RGB PNG (the card is opaque: the first rectangle of
/// every card covers it).
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::with_capacity(128 * 1024);
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    image::ImageEncoder::write_image(encoder, &rgb, WIDTH, HEIGHT, image::ExtendedColorType::Rgb8)
        .map_err(|e| e.to_string())?;
    Ok(out)
}
