//! The fonts a card is drawn with, embedded in the binary so that a card is
//! the same bytes on every machine, whatever fonts it has: DejaVu Sans
//! (regular and bold) for Latin, Greek and Cyrillic, and Droid Sans
//! Fallback for CJK (licences beside them in `src/render/fonts/`). They are
//! parsed once per process: into the font database usvg draws with, and
//! into faces that [`super::layout`] measures with, so that what is
//! measured is what is drawn.

use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb;

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
const CJK: &[u8] = include_bytes!("../fonts/DroidSansFallbackFull.ttf");

/// The family every text element names; CJK falls back to Droid.
pub(super) const FAMILY: &str = "DejaVu Sans";

/// The embedded fonts, parsed.
pub(super) struct Fonts {
    pub database: Arc<fontdb::Database>,
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
    cjk: ttf_parser::Face<'static>,
}

/// The fonts, loaded on first use.
pub(super) fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let mut database = fontdb::Database::new();
        for bytes in [REGULAR, BOLD, CJK] {
            database.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
        }
        // The files are ours and known good: a parse failure is a broken build.
        let face = |bytes| ttf_parser::Face::parse(bytes, 0).expect("an embedded font parses");
        Fonts {
            database: Arc::new(database),
            regular: face(REGULAR),
            bold: face(BOLD),
            cjk: face(CJK),
        }
    })
}

impl Fonts {
    /// The advance of `c` in em (at a size of 1), in the face that will
    /// draw it: DejaVu when it has the glyph, else Droid; `None` when
    /// neither has it.
    pub fn advance(&self, c: char, bold: bool) -> Option<f32> {
        let latin = if bold { &self.bold } else { &self.regular };
        [latin, &self.cjk].into_iter().find_map(|face| {
            let glyph = face.glyph_index(c)?;
            let advance = face.glyph_hor_advance(glyph)?;
            Some(f32::from(advance) / f32::from(face.units_per_em()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_greek_cyrillic_and_cjk_all_have_glyphs() {
        let fonts = fonts();
        let text = "Meta Ωμέγα Искусственный 人工智能 ひらがな カタカナ «»—…";
        for c in text.chars() {
            for bold in [false, true] {
                assert!(fonts.advance(c, bold).is_some(), "no glyph for {c:?}");
            }
        }
        assert_eq!(fonts.database.len(), 3);
    }
}
