//! `Images` on real files made here: JPEG, PNG and GIF encoded with the
//! `image` crate, read back with its decoders.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Instant;

use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, Frame, ImageEncoder, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use rayon::prelude::*;

use super::*;

/// A smooth, colourful picture (no flat areas), cheap enough for debug
/// builds.
fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (x as f32 / width as f32, y as f32 / height as f32);
        let wave = ((x as f32 / 23.0).sin() * (y as f32 / 17.0).cos() * 40.0) as i32;
        let channel = |v: f32| (v * 200.0) as i32 + wave;
        Rgb([
            channel(fx).clamp(0, 255) as u8,
            channel(fy).clamp(0, 255) as u8,
            channel(1.0 - fx * fy).clamp(0, 255) as u8,
        ])
    })
}

fn jpeg(image: &RgbImage, quality: u8, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut bytes, quality);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder.encode_image(image).unwrap();
    bytes
}

fn png(image: &DynamicImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .unwrap();
    bytes
}

fn gif(frames: &[RgbaImage]) -> Vec<u8> {
    let mut bytes = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut bytes);
        let frames = frames.iter().map(|f| Frame::new(f.clone()));
        encoder.encode_frames(frames).unwrap();
    }
    bytes
}

/// A TIFF-structured Exif block holding only an orientation tag.
fn exif_orientation(orientation: u16) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec(); // big-endian, IFD at 8
    tiff.extend_from_slice(&1u16.to_be_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes()); // one value
    tiff.extend_from_slice(&orientation.to_be_bytes());
    tiff.extend_from_slice(&[0, 0]); // padding of the value field
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    tiff
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    path
}

fn read_webp(variant: &Variant) -> DynamicImage {
    let bytes = variant.bytes().unwrap();
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WEBP");
    image::load_from_memory_with_format(&bytes, ImageFormat::WebP).unwrap()
}

fn sizes(picture: &Picture) -> Vec<(u32, u32)> {
    picture
        .variants
        .iter()
        .map(|v| (v.width, v.height))
        .collect()
}

#[test]
fn a_wide_jpeg_gets_webp_versions_at_every_narrower_width() {
    let dir = tempfile::tempdir().unwrap();
    let photo = write(
        dir.path(),
        "photo.jpg",
        &jpeg(&gradient(2000, 500), 90, None),
    );
    let images = Images::new(None);
    let picture = images.get(&photo).unwrap();
    assert_eq!((picture.width, picture.height), (2000, 500));
    assert!(picture.responsive);
    assert_eq!(sizes(&picture), [(480, 120), (960, 240), (1600, 400)]);
    for variant in &picture.variants {
        let decoded = read_webp(variant);
        assert_eq!(
            (decoded.width(), decoded.height()),
            (variant.width, variant.height)
        );
        assert!(
            !decoded.color().has_alpha(),
            "an opaque photo needs no alpha plane"
        );
        let bytes = variant.bytes().unwrap();
        assert_eq!(variant.hash, sha256_hex(&bytes)[..10]);
        let name = variant.file_name("photo");
        assert_eq!(
            name,
            format!("photo-{}.{}.webp", variant.width, variant.hash)
        );
    }
    assert_eq!(
        images.stats(),
        Stats {
            decoded: 1,
            encoded: 3,
            cached: 0
        }
    );
}

#[test]
fn the_exif_orientation_turns_the_picture_upright() {
    // Stored 1200 × 600, left half red and right half blue; orientation 6
    // means "rotate 90° clockwise to show", so upright it is 600 × 1200 with
    // red on top.
    let stored = RgbImage::from_fn(1200, 600, |x, _| {
        if x < 600 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let photo = write(
        dir.path(),
        "turned.jpg",
        &jpeg(&stored, 90, Some(exif_orientation(6))),
    );
    let picture = Images::new(None).get(&photo).unwrap();
    assert_eq!((picture.width, picture.height), (600, 1200));
    assert_eq!(sizes(&picture), [(480, 960)]);
    let upright = read_webp(&picture.variants[0]).to_rgb8();
    let top = upright.get_pixel(240, 100);
    let bottom = upright.get_pixel(240, 860);
    assert!(top[0] > 150 && top[2] < 80, "top is red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 80,
        "bottom is blue: {bottom:?}"
    );
}

#[test]
fn transparency_stays_transparent() {
    let logo = RgbaImage::from_fn(1000, 500, |x, y| {
        if x < 500 {
            Rgba([0, 0, 0, 0])
        } else {
            Rgba([(y % 256) as u8, 90, 160, 255])
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "logo.png",
        &png(&DynamicImage::ImageRgba8(logo)),
    );
    let picture = Images::new(None).get(&path).unwrap();
    assert_eq!(sizes(&picture), [(480, 240), (960, 480)]);
    let small = read_webp(&picture.variants[0]).to_rgba8();
    assert!(read_webp(&picture.variants[0]).color().has_alpha());
    assert_eq!(
        small.get_pixel(50, 120)[3],
        0,
        "the clear half is still clear"
    );
    assert_eq!(
        small.get_pixel(430, 120)[3],
        255,
        "the opaque half is still opaque"
    );
}

#[test]
fn a_narrow_image_gets_its_size_and_no_versions() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "icon.png",
        &png(&DynamicImage::ImageRgb8(gradient(480, 200))),
    );
    let picture = Images::new(None).get(&path).unwrap();
    assert_eq!(
        (picture.width, picture.height, picture.responsive),
        (480, 200, true)
    );
    assert!(picture.variants.is_empty());
    assert_eq!(srcset("/a/", "icon", &picture), "");
}

#[test]
fn an_animated_gif_is_left_alone_and_a_still_one_is_not() {
    let frame = |shade: u8| RgbaImage::from_pixel(600, 400, Rgba([shade, 40, 90, 255]));
    let dir = tempfile::tempdir().unwrap();
    let animated = write(dir.path(), "spin.gif", &gif(&[frame(10), frame(200)]));
    let still = write(dir.path(), "still.gif", &gif(&[frame(10)]));
    let images = Images::new(None);
    let picture = images.get(&animated).unwrap();
    assert_eq!(
        (picture.width, picture.height, picture.responsive),
        (600, 400, false)
    );
    assert!(picture.variants.is_empty());
    assert_eq!(
        images.stats().decoded,
        0,
        "no frame of an animation is decoded"
    );
    let picture = images.get(&still).unwrap();
    assert!(picture.responsive);
    assert_eq!(sizes(&picture), [(480, 320)]);
}

#[test]
fn malformed_files_are_errors_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let whole = png(&DynamicImage::ImageRgb8(gradient(800, 600)));
    let cases = [
        (
            "truncated.png",
            &whole[..whole.len() / 2],
            "cannot be decoded as PNG",
        ),
        ("header-only.png", &whole[..40], "cannot be decoded as PNG"),
        (
            "notes.png",
            b"these are my notes\n".as_slice(),
            "not a PNG, JPEG, WebP or GIF",
        ),
        ("empty.jpg", b"".as_slice(), "is empty"),
        (
            "broken.jpg",
            b"\xFF\xD8\xFF\xE0garbage".as_slice(),
            "cannot be decoded as JPEG",
        ),
        (
            "broken.gif",
            b"GIF89a\x10\0\x10\0".as_slice(),
            "cannot be decoded as GIF",
        ),
    ];
    let images = Images::new(Some(dir.path().join("cache")));
    for (name, bytes, reason) in cases {
        let error = images.get(&write(dir.path(), name, bytes)).unwrap_err();
        assert!(error.contains(reason), "{name}: {error}");
    }
    let missing = images.get(&dir.path().join("gone.png")).unwrap_err();
    assert!(missing.starts_with("cannot be read: "), "{missing}");
}

#[test]
fn a_warm_cache_decodes_and_encodes_nothing_and_gives_the_same_bytes() {
    let site = tempfile::tempdir().unwrap();
    let cache = site.path().join(".briefing/cache");
    let photo = write(
        site.path(),
        "photo.jpg",
        &jpeg(&gradient(1700, 400), 85, None),
    );
    let logo = write(
        site.path(),
        "logo.png",
        &png(&DynamicImage::ImageRgb8(gradient(700, 300))),
    );
    let cold = Images::new(Some(cache.clone()));
    cold.prepare(&[photo.clone(), logo.clone()]);
    assert_eq!(
        cold.stats(),
        Stats {
            decoded: 2,
            encoded: 4,
            cached: 0
        }
    );
    let made: Vec<Vec<u8>> = [&photo, &logo]
        .iter()
        .flat_map(|p| {
            cold.get(p)
                .unwrap()
                .variants
                .iter()
                .map(|v| v.bytes().unwrap().to_vec())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(cold.stats().cached, 0, "gets after prepare are lookups");
    assert_eq!(fs::read_to_string(cache.join(".gitignore")).unwrap(), "*\n");

    let warm = Images::new(Some(cache.clone()));
    let again: Vec<Vec<u8>> = [&photo, &logo]
        .iter()
        .flat_map(|p| {
            warm.get(p)
                .unwrap()
                .variants
                .iter()
                .map(|v| v.bytes().unwrap().to_vec())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        warm.stats(),
        Stats {
            decoded: 0,
            encoded: 0,
            cached: 2
        }
    );
    assert_eq!(made, again);
    assert!(cold.warnings().is_empty() && warm.warnings().is_empty());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let photo = write(
        dir.path(),
        "photo.jpg",
        &jpeg(&gradient(1000, 700), 90, None),
    );
    let bytes = |images: Images| -> Vec<Vec<u8>> {
        let picture = images.get(&photo).unwrap();
        picture
            .variants
            .iter()
            .map(|v| v.bytes().unwrap().to_vec())
            .collect()
    };
    assert_eq!(bytes(Images::new(None)), bytes(Images::new(None)));
}

#[test]
fn many_threads_asking_for_one_content_encode_it_once() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = jpeg(&gradient(1000, 700), 90, None);
    // Two paths, one content: still one piece of work.
    let paths = [
        write(dir.path(), "a.jpg", &bytes),
        write(dir.path(), "b.jpg", &bytes),
    ];
    let images = Images::new(None);
    (0..16).into_par_iter().for_each(|i| {
        let picture = images.get(&paths[i % 2]).unwrap();
        assert_eq!(picture.variants.len(), 2);
    });
    assert_eq!(
        images.stats(),
        Stats {
            decoded: 1,
            encoded: 2,
            cached: 0
        }
    );
}

#[test]
fn a_file_that_changes_is_processed_again() {
    let dir = tempfile::tempdir().unwrap();
    let images = Images::new(Some(dir.path().join("cache")));
    let path = write(
        dir.path(),
        "chart.png",
        &png(&DynamicImage::ImageRgb8(gradient(900, 300))),
    );
    assert_eq!(images.get(&path).unwrap().width, 900);
    write(
        dir.path(),
        "chart.png",
        &png(&DynamicImage::ImageRgb8(gradient(1200, 300))),
    );
    let picture = images.get(&path).unwrap();
    assert_eq!((picture.width, picture.variants.len()), (1200, 2));
    assert_eq!(images.stats().decoded, 2);
}

#[test]
fn a_corrupt_or_deleted_cache_is_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let path = write(
        dir.path(),
        "photo.jpg",
        &jpeg(&gradient(1000, 600), 90, None),
    );
    Images::new(Some(cache.clone())).get(&path).unwrap();
    for entry in fs::read_dir(cache.join("images")).unwrap() {
        fs::write(
            entry.unwrap().path().join("meta"),
            b"briefing image 1\nsize x\n",
        )
        .unwrap();
    }
    let images = Images::new(Some(cache.clone()));
    assert_eq!(images.get(&path).unwrap().variants.len(), 2);
    assert_eq!(
        images.stats(),
        Stats {
            decoded: 1,
            encoded: 2,
            cached: 0
        }
    );
    assert_eq!(
        Images::new(Some(cache.clone())).get(&path).map(|_| ()),
        Ok(())
    );

    // Deleted while an `Images` holds on to it (serve): made again.
    fs::remove_dir_all(&cache).unwrap();
    let picture = images.get(&path).unwrap();
    assert!(picture.variants.iter().all(|v| v.bytes().is_ok()));
    assert_eq!(images.stats().decoded, 2);
}

#[test]
fn a_cache_that_cannot_be_written_is_one_warning_and_no_failure() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".briefing"), b"a file, not a folder").unwrap();
    let images = Images::new(Some(dir.path().join(".briefing/cache")));
    let one = write(dir.path(), "one.jpg", &jpeg(&gradient(900, 600), 90, None));
    let two = write(dir.path(), "two.jpg", &jpeg(&gradient(800, 600), 90, None));
    for path in [&one, &two] {
        let picture = images.get(path).unwrap();
        assert_eq!(read_webp(&picture.variants[0]).width(), 480);
    }
    let warnings = images.warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("cannot create the image cache"),
        "{warnings:?}"
    );
}

#[test]
fn srcset_lists_each_variant_with_its_width() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "p.jpg", &jpeg(&gradient(1000, 500), 90, None));
    let picture = Images::new(None).get(&path).unwrap();
    let [small, large] = [&picture.variants[0], &picture.variants[1]];
    assert_eq!(
        srcset("/b/articles/x/", "my photo", &picture),
        format!(
            "/b/articles/x/my%20photo-480.{}.webp 480w, /b/articles/x/my%20photo-960.{}.webp 960w",
            small.hash, large.hash
        )
    );
    assert!(SIZES.ends_with("720px"));
}

/// Value noise: smooth random blobs at one scale.
fn noise(x: f32, y: f32, seed: u32) -> f32 {
    let lattice = |ix: i32, iy: i32| {
        let mut h =
            (ix as u32).wrapping_mul(0x9E37_79B1) ^ (iy as u32).wrapping_mul(0x85EB_CA77) ^ seed;
        h ^= h >> 15;
        h = h.wrapping_mul(0x2C1B_3C6D);
        h ^= h >> 12;
        (h & 0xFFFF) as f32 / 65535.0
    };
    let (ix, iy) = (x.floor() as i32, y.floor() as i32);
    let (fx, fy) = (x - x.floor(), y - y.floor());
    let (sx, sy) = (fx * fx * (3.0 - 2.0 * fx), fy * fy * (3.0 - 2.0 * fy));
    let top = lattice(ix, iy) * (1.0 - sx) + lattice(ix + 1, iy) * sx;
    let bottom = lattice(ix, iy + 1) * (1.0 - sx) + lattice(ix + 1, iy + 1) * sx;
    top * (1.0 - sy) + bottom * sy
}

/// A photo-like picture: a sky gradient over hills of fractal noise, with
/// fine grain, so that it compresses like a photograph and not like a chart.
fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let (u, v) = (x as f32 / 200.0, y as f32 / 200.0);
        let mut fractal = 0.0;
        let mut scale = 1.0;
        for octave in 0..6 {
            fractal += noise(u * scale, v * scale, octave) / scale;
            scale *= 2.0;
        }
        let fractal = fractal / 2.0;
        let horizon = height as f32 * (0.45 + 0.15 * noise(u * 0.5, 0.0, 99));
        let grain = (noise(x as f32 / 1.3, y as f32 / 1.3, 7) - 0.5) * 18.0;
        let (r, g, b) = if (y as f32) < horizon {
            let t = y as f32 / horizon;
            (
                90.0 + 100.0 * t,
                140.0 + 70.0 * t,
                230.0 - 20.0 * t + 25.0 * fractal,
            )
        } else {
            (
                60.0 + 90.0 * fractal,
                90.0 + 110.0 * fractal,
                40.0 + 50.0 * fractal,
            )
        };
        let c = |c: f32| (c + grain).clamp(0.0, 255.0) as u8;
        Rgb([c(r), c(g), c(b)])
    })
}

/// The figures for the report: `cargo test --release --lib
/// images::tests::measure -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement; run it in release"]
fn measure() {
    let dir = tempfile::tempdir().unwrap();
    let original = jpeg(&photo(2400, 1600), 90, None);
    let path = write(dir.path(), "photo.jpg", &original);
    let cache = dir.path().join("cache");
    println!("original: 2400 × 1600 JPEG q90, {} bytes", original.len());
    let cpu = || {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage only writes the struct it is given.
        unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
        // SAFETY: zeroed and then filled by getrusage.
        let usage = unsafe { usage.assume_init() };
        let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
        secs(usage.ru_utime) + secs(usage.ru_stime)
    };
    for round in ["cold", "warm"] {
        let images = Images::new(Some(cache.clone()));
        let (wall, cpu_before) = (Instant::now(), cpu());
        let picture = images.get(&path).unwrap();
        let (wall, cpu_used) = (wall.elapsed(), cpu() - cpu_before);
        println!(
            "{round}: {:.1} ms wall, {:.1} ms CPU, {:?}",
            wall.as_secs_f64() * 1e3,
            cpu_used * 1e3,
            images.stats()
        );
        for v in &picture.variants {
            let len = v.bytes().unwrap().len();
            println!(
                "  {} × {}: {} bytes ({:.1}% of the original)",
                v.width,
                v.height,
                len,
                100.0 * len as f64 / original.len() as f64
            );
        }
    }
}
