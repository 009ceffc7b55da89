//! Reading an original: which of the four raster formats it is, whether it
//! moves, and its pixels turned upright by the EXIF orientation. Everything
//! here runs on untrusted bytes, so every failure is a reason for a message
//! (never a panic), and the size is checked against [`MAX_PIXELS`] from the
//! header, before a single pixel buffer is allocated: a 60 kB PNG can claim
//! to be 100 000 × 100 000 pixels.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The largest original processed: 100 megapixels (a 12 000 × 8 000 photo
/// fits; a decompression bomb does not).
pub(super) const MAX_PIXELS: u64 = 100_000_000;

/// An original, read.
pub(super) enum Decoded {
    /// A still image, upright.
    Still(DynamicImage),
    /// An animated GIF, PNG (APNG) or WebP: left as it is, so only its size
    /// is read (from the header; no frame is decoded).
    Animated { width: u32, height: u32 },
}

/// Reads `bytes` as a PNG, JPEG, WebP or GIF. Err: why not, as the end of a
/// sentence that starts with the file's name ("cannot be decoded as PNG: …").
pub(super) fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    let format = format_of(bytes)?;
    let name = format_name(format);
    let reader = || {
        // No limits while the header is read, so that an image too big is
        // told by its size below, not by an allocation that failed.
        let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
        reader.no_limits();
        reader
    };
    let failed = |e: image::ImageError| format!("cannot be decoded as {name}: {e}");
    if is_animated(format, bytes) {
        let (width, height) = reader().into_dimensions().map_err(failed)?;
        check_size(width, height)?;
        return Ok(Decoded::Animated { width, height });
    }
    let mut decoder = reader().into_decoder().map_err(failed)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    decoder.set_limits(limits()).map_err(failed)?;
    // A broken Exif block is no reason to refuse a photo: it is shown as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(failed)?;
    image.apply_orientation(orientation);
    Ok(Decoded::Still(image))
}

/// The format, by the file's first bytes (never by its extension: a `.png`
/// that is really a JPEG is still read right).
fn format_of(bytes: &[u8]) -> Result<ImageFormat, String> {
    if bytes.is_empty() {
        return Err("is empty (0 bytes), not an image".into());
    }
    match image::guess_format(bytes) {
        Ok(
            format @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif),
        ) => Ok(format),
        Ok(other) => Err(format!(
            "is a {other:?} image; only PNG, JPEG, WebP and GIF are processed"
        )),
        Err(_) => {
            Err("is not a PNG, JPEG, WebP or GIF image (its first bytes are none of theirs)".into())
        }
    }
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::WebP => "WebP",
        _ => "GIF",
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    // Allocation bound for the decoders that honour it (the pixel count is
    // checked by hand too): 100 MP of 8-bit RGBA plus working room.
    limits.max_alloc = Some(1 << 30);
    limits
}

fn check_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!(
            "is {width} × {height} pixels: an image with no pixels"
        ));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "is {width} × {height} pixels, more than the {} megapixels processed",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// Whether the file has more than one frame, told from its structure alone
/// (no pixel is decoded). A file too broken to tell is "still": decoding it
/// then says what is wrong.
fn is_animated(format: ImageFormat, bytes: &[u8]) -> bool {
    match format {
        ImageFormat::Gif => gif_frames(bytes) > 1,
        ImageFormat::Png => png_has_animation_control(bytes),
        ImageFormat::WebP => webp_has_animation_flag(bytes),
        _ => false,
    }
}

/// How many image descriptors a GIF has, counting up to two: the blocks are
/// walked by their lengths, skipping the compressed data.
fn gif_frames(bytes: &[u8]) -> usize {
    // Header (6), logical screen descriptor (7), global colour table.
    let Some(&packed) = bytes.get(10) else {
        return 0;
    };
    let mut at = 13 + colour_table_len(packed);
    let mut frames = 0;
    while let Some(&block) = bytes.get(at) {
        match block {
            0x21 => at = skip_sub_blocks(bytes, at + 2),
            0x2C => {
                frames += 1;
                if frames > 1 {
                    break;
                }
                let Some(&packed) = bytes.get(at + 9) else {
                    break;
                };
                // Descriptor (10), local colour table, LZW code size (1), data.
                at = skip_sub_blocks(bytes, at + 10 + colour_table_len(packed) + 1);
            }
            _ => break, // 0x3B (trailer) or garbage
        }
    }
    frames
}

fn colour_table_len(packed: u8) -> usize {
    if packed & 0x80 == 0 {
        0
    } else {
        3 << ((packed & 0x07) + 1)
    }
}

/// The offset after a run of GIF data sub-blocks starting at `at` (each a
/// length byte and that many bytes; a zero length ends the run).
fn skip_sub_blocks(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&len) = bytes.get(at) {
        at += 1 + usize::from(len);
        if len == 0 {
            return at;
        }
    }
    usize::MAX
}

/// An APNG has an `acTL` chunk before its first `IDAT`.
fn png_has_animation_control(bytes: &[u8]) -> bool {
    let mut at = 8; // signature
    while let Some(header) = bytes.get(at..at + 8) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        match &header[4..8] {
            b"acTL" => return true,
            b"IDAT" | b"IEND" => return false,
            _ => at = at.saturating_add(12).saturating_add(len),
        }
    }
    false
}

/// An animated WebP is an extended one (`VP8X`) with the animation flag set.
fn webp_has_animation_flag(bytes: &[u8]) -> bool {
    bytes.get(12..16) == Some(b"VP8X") && bytes.get(20).is_some_and(|flags| flags & 0x02 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_no_image_with_a_reason() {
        let empty = decode(b"").err().unwrap();
        assert!(empty.contains("empty"), "{empty}");
        let text = decode(b"# not a picture\n").err().unwrap();
        assert!(text.contains("not a PNG, JPEG, WebP or GIF"), "{text}");
        let bmp = decode(b"BM\0\0\0\0\0\0\0\0").err().unwrap();
        assert!(bmp.contains("Bmp image; only PNG"), "{bmp}");
    }

    #[test]
    fn a_header_that_claims_a_huge_image_is_refused_before_decoding() {
        // A valid PNG for 100 000 × 100 000 pixels, up to its first (tiny)
        // IDAT: what a decompression bomb looks like from the outside.
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            let len = u32::try_from(data.len()).unwrap().to_be_bytes();
            [&len[..], kind, data, &crc.sum().to_be_bytes()].concat()
        };
        let side = 100_000u32.to_be_bytes();
        let ihdr = [&side[..], &side, &[8, 6, 0, 0, 0]].concat();
        let png = [
            &b"\x89PNG\r\n\x1a\n"[..],
            &chunk(b"IHDR", &ihdr),
            &chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00]),
            &chunk(b"IEND", &[]),
        ]
        .concat();
        let reason = decode(&png).err().unwrap();
        assert!(
            reason.contains("100000 × 100000 pixels, more than the 100 megapixels"),
            "{reason}"
        );
    }

    #[test]
    fn gif_frames_are_counted_without_decoding() {
        // GIF89a, 1×1, no colour tables, one (or two) 1-pixel frames.
        let frame: &[u8] = &[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0];
        let mut one = b"GIF89a\x01\0\x01\0\0\0\0".to_vec();
        one.extend_from_slice(frame);
        let mut two = one.clone();
        two.extend_from_slice(&[0x21, 0xF9, 4, 0, 10, 0, 0, 0]);
        two.extend_from_slice(frame);
        one.push(0x3B);
        two.push(0x3B);
        assert_eq!(gif_frames(&one), 1);
        assert_eq!(gif_frames(&two), 2);
        assert_eq!(gif_frames(&two[..20]), 1); // truncated: still
        assert_eq!(gif_frames(b"GIF"), 0);
    }

    #[test]
    fn png_and_webp_animation_markers() {
        let chunk = |kind: &[u8]| [&[0, 0, 0, 0][..], kind, &[0; 4]].concat();
        let png = |chunks: &[&[u8]]| {
            let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
            for kind in chunks {
                bytes.extend(chunk(kind));
            }
            bytes
        };
        assert!(png_has_animation_control(&png(&[
            b"IHDR", b"acTL", b"IDAT"
        ])));
        assert!(!png_has_animation_control(&png(&[
            b"IHDR", b"IDAT", b"acTL"
        ])));
        assert!(!png_has_animation_control(b"\x89PNG\r\n\x1a\n\xff\xff"));
        let webp = |flags: u8| [&b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0"[..], &[flags]].concat();
        assert!(webp_has_animation_flag(&webp(0x02)));
        assert!(!webp_has_animation_flag(&webp(0x10)));
    }
}
