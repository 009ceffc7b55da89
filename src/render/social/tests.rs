//! Drawing whole cards: size, determinism, the veil, and the cost.

use super::*;

fn card(title: &str) -> Card {
    Card {
        title: title.into(),
        corner: "23 July 2024".into(),
        site: "AI Briefing".into(),
        summary: None,
        chips: vec!["Meta".into(), "Open source".into(), "Nvidia".into()],
        lead: None,
    }
}

fn decode(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory(bytes).unwrap().to_rgb8()
}

/// How many pixels of the title's box are far from the background.
fn ink(image: &image::RgbImage) -> usize {
    let background = image.get_pixel(600, 140);
    let mut n = 0;
    for y in 170..480 {
        for x in 80..1120 {
            let p = image.get_pixel(x, y);
            let d: i32 = (0..3)
                .map(|c| (i32::from(p[c]) - i32::from(background[c])).abs())
                .sum();
            if d > 200 {
                n += 1;
            }
        }
    }
    n
}

#[test]
fn a_card_is_a_1200_by_630_png_and_the_same_bytes_every_time() {
    let deck = Deck::new(None);
    let a = deck.bytes(&card("Meta ships Llama 3")).unwrap();
    let b = deck.bytes(&card("Meta ships Llama 3")).unwrap();
    assert_eq!(a, b);
    let image = decode(&a);
    assert_eq!((image.width(), image.height()), (WIDTH, HEIGHT));
    assert!(ink(&image) > 2000);
    assert_ne!(a, deck.bytes(&card("Meta ships Llama 4")).unwrap());
    assert_eq!(deck.stats(), (3, 0));
}

#[test]
fn cjk_and_cyrillic_titles_draw_real_glyphs() {
    let deck = Deck::new(None);
    // Two titles of the same length in one script: were their glyphs
    // missing, both would draw the same boxes.
    for (a, b) in [
        ("人工智能公司", "大型语言模型"),
        ("Искусственный", "Интеллектуалы"),
    ] {
        let one = decode(&deck.bytes(&card(a)).unwrap());
        let two = decode(&deck.bytes(&card(b)).unwrap());
        assert!(ink(&one) > 2000, "{a}");
        assert_ne!(one, two, "{a} and {b} draw alike");
    }
}

#[test]
fn the_disk_cache_gives_the_same_bytes_without_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join(".briefing/cache");
    let cold = Deck::new(Some(cache.clone()));
    let made = cold.bytes(&card("Cached")).unwrap();
    assert_eq!(cold.stats(), (1, 0));
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore")).unwrap(),
        "*\n"
    );
    let warm = Deck::new(Some(cache));
    assert!(matches!(warm.png(&card("Cached")), Png::Cached(_)));
    assert_eq!(warm.bytes(&card("Cached")).unwrap(), made);
    assert_eq!(warm.stats(), (0, 2));
}

#[test]
fn a_cache_that_cannot_be_written_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".briefing"), b"").unwrap();
    let deck = Deck::new(Some(dir.path().join(".briefing/cache")));
    assert!(!deck.bytes(&card("No cache")).unwrap().is_empty());
    let warnings = deck.warnings();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0].starts_with("cannot write the card cache"),
        "{warnings:?}"
    );
}

#[test]
fn a_lead_image_goes_under_a_dark_veil() {
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("lead.png");
    image::RgbImage::from_fn(1600, 900, |x, _| image::Rgb([255, (x % 256) as u8, 255]))
        .save(&photo)
        .unwrap();
    let mut with_lead = card("Over a picture");
    with_lead.lead = Some(photo);
    let image = decode(&Deck::new(None).bytes(&with_lead).unwrap());
    // The veil darkens the white-ish picture; the title is light on it.
    let corner = image.get_pixel(1190, 620);
    assert!(corner[0] < 110 && corner[0] > 40, "{corner:?}");
    assert!(ink(&image) > 2000);
}

/// `cargo test --release --lib social::tests::cost -- --ignored --nocapture`
#[test]
#[ignore]
fn cost() {
    let deck = Deck::new(None);
    let _ = deck.bytes(&card("Warm up the fonts"));
    let n = 200;
    let started = std::time::Instant::now();
    let mut bytes = 0;
    for k in 0..n {
        bytes += deck
            .bytes(&card(&format!(
                "Article number {k}: a title of ordinary length about models and chips"
            )))
            .unwrap()
            .len();
    }
    let each = started.elapsed() / n;
    eprintln!(
        "{each:?} per card on one thread, {} bytes per card",
        bytes / n as usize
    );
}
