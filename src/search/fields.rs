//! Meta field numbers. Postings name a meta field by its number in the
//! index's list of fields, and Pagefind numbers the fields in name order
//! (`image`, `image_alt`, `title`). The index numbers them as pages bring
//! them, since it cannot know the whole list before the last page; if that
//! order is not the name order, the postings are renumbered once at the end.

use minicbor::{Decoder, Encoder};

use super::page::pack_meta;

/// The new number of each field (by its number as met), when meeting order
/// is not name order; sorts `fields` by name.
pub(super) fn renumbering(fields: &mut [String]) -> Option<Vec<u16>> {
    let mut sorted: Vec<(usize, String)> = fields.iter().cloned().enumerate().collect();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    if sorted.iter().enumerate().all(|(new, (old, _))| new == *old) {
        return None;
    }
    let mut map = vec![0u16; fields.len()];
    for (new, (old, name)) in sorted.into_iter().enumerate() {
        map[old] = u16::try_from(new).unwrap_or(u16::MAX);
        fields[new] = name;
    }
    Some(map)
}

/// Re-encodes `count` postings (`[page gap, locations, meta locations]`,
/// as CBOR one after the other) with their meta fields renumbered.
pub(super) fn renumber(
    cbor: &[u8],
    count: u64,
    map: &[u16],
) -> Result<Vec<u8>, minicbor::decode::Error> {
    let mut out = Vec::with_capacity(cbor.len());
    let mut d = Decoder::new(cbor);
    let mut e = Encoder::new(&mut out);
    for _ in 0..count {
        d.array()?;
        let gap = d.u32()?;
        let locations: Vec<i32> = d.array_iter::<i32>()?.collect::<Result<_, _>>()?;
        let packed: Vec<i32> = d.array_iter::<i32>()?.collect::<Result<_, _>>()?;
        let meta = pack_meta(unpack_meta(&packed, map));
        let written: Result<(), minicbor::encode::Error<std::convert::Infallible>> = (|| {
            e.array(3)?.u32(gap)?;
            e.array(locations.len() as u64)?;
            for at in &locations {
                e.i32(*at)?;
            }
            e.array(meta.len() as u64)?;
            for at in &meta {
                e.i32(*at)?;
            }
            Ok(())
        })();
        // Writing to a Vec cannot fail.
        let _ = written;
    }
    Ok(out)
}

/// The (field, position) pairs of packed meta locations, fields renumbered.
fn unpack_meta(packed: &[i32], map: &[u16]) -> Vec<(u16, u32)> {
    let mut pairs = Vec::with_capacity(packed.len());
    let mut field = 0u16;
    let mut last = 0u32;
    for &value in packed {
        if value < 0 {
            let old = usize::try_from(-value - 1).unwrap_or_default();
            field = map.get(old).copied().unwrap_or(field);
            last = 0;
        } else {
            last += value as u32;
            pairs.push((field, last));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_met_out_of_name_order_are_renumbered() {
        let mut fields = vec!["title".to_string(), "image_alt".into(), "image".into()];
        let map = renumbering(&mut fields).expect("out of order");
        assert_eq!(fields, ["image", "image_alt", "title"]);
        assert_eq!(map, [2, 1, 0]);
        let mut sorted = fields.clone();
        assert_eq!(renumbering(&mut sorted), None);

        // title 3 and 5, image_alt 0: as met, then as Pagefind numbers them.
        let packed_as_met = pack_meta(vec![(0, 3), (0, 5), (1, 0)]);
        let mut cbor = Vec::new();
        let mut e = Encoder::new(&mut cbor);
        e.array(3).unwrap().u32(0).unwrap();
        e.array(1).unwrap().i32(-25).unwrap();
        e.array(packed_as_met.len() as u64).unwrap();
        for at in &packed_as_met {
            e.i32(*at).unwrap();
        }
        let renumbered = renumber(&cbor, 1, &map).unwrap();
        let mut d = Decoder::new(&renumbered);
        d.array().unwrap();
        assert_eq!(d.u32().unwrap(), 0);
        let locations: Vec<i32> = d.array_iter::<i32>().unwrap().map(Result::unwrap).collect();
        assert_eq!(locations, [-25]);
        let meta: Vec<i32> = d.array_iter::<i32>().unwrap().map(Result::unwrap).collect();
        assert_eq!(meta, pack_meta(vec![(1, 0), (2, 3), (2, 5)]));
    }
}
