//! BER → DER for CMS envelopes. Some signers (streaming BouncyCastle, older Java tools) write
//! SignedData with indefinite lengths and constructed OCTET STRINGs; the `der` crate rightly
//! refuses those. RFC 5652 §5.4 defines the signature over the DER form of the signed
//! attributes, so re-encoding lengths and flattening constructed strings changes nothing a
//! signature covers. Element order is kept as written (no SET re-sorting).

/// Deepest nesting accepted.
const MAX_DEPTH: usize = 64;

/// Whether every element of the DER `input` (nested constructed ones too) is no longer than
/// what encloses it. The `der` crate allocates a primitive's declared length before reading
/// it, so a few kilobytes claiming a 244 MB BIT STRING inside a certificate cost a 244 MB
/// allocation (found by the `cms_parse` and `ocsp_tsp` fuzz targets); call this first.
pub fn lengths_fit(input: &[u8]) -> bool {
    fn walk(mut d: &[u8], depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        while let Some((&tag, mut rest)) = d.split_first() {
            if tag & 0x1f == 0x1f {
                // High tag number: base-128 continuation bytes.
                loop {
                    let Some((&b, r)) = rest.split_first() else {
                        return false;
                    };
                    rest = r;
                    if b & 0x80 == 0 {
                        break;
                    }
                }
            }
            let Some((&l0, r)) = rest.split_first() else {
                return false;
            };
            rest = r;
            let len = match l0 {
                0..=0x7f => usize::from(l0),
                0x80 => return false, // indefinite: BER, never DER
                _ => {
                    let n = usize::from(l0 & 0x7f);
                    if n > 4 || rest.len() < n {
                        return false;
                    }
                    let v = rest[..n].iter().fold(0usize, |a, b| a << 8 | usize::from(*b));
                    rest = &rest[n..];
                    v
                }
            };
            if len > rest.len() {
                return false;
            }
            let (body, after) = rest.split_at(len);
            if tag & 0x20 != 0 && !walk(body, depth + 1) {
                return false;
            }
            d = after;
        }
        true
    }
    walk(input, 0)
}

/// Re-encodes the first BER element of `input` as DER. `None` if it is not valid BER.
pub fn to_der(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len());
    convert(input, &mut out, 0)?;
    Some(out)
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Converts one element; returns the number of input bytes it used.
fn convert(input: &[u8], out: &mut Vec<u8>, depth: usize) -> Option<usize> {
    if depth > MAX_DEPTH {
        return None;
    }
    let mut pos = 0;
    let first = *input.first()?;
    pos += 1;
    let mut tag = vec![first];
    if first & 0x1f == 0x1f {
        loop {
            let b = *input.get(pos)?;
            tag.push(b);
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
            if tag.len() > 6 {
                return None;
            }
        }
    }
    let l = *input.get(pos)?;
    pos += 1;
    let definite = if l == 0x80 {
        None
    } else if l < 0x80 {
        Some(usize::from(l))
    } else {
        let n = usize::from(l & 0x7f);
        if n > 8 {
            return None;
        }
        let mut len = 0usize;
        for _ in 0..n {
            len = len.checked_mul(256)?.checked_add(usize::from(*input.get(pos)?))?;
            pos += 1;
        }
        Some(len)
    };
    let constructed = first & 0x20 != 0;
    if !constructed {
        let len = definite?; // primitive elements cannot be indefinite
        let value = input.get(pos..pos.checked_add(len)?)?;
        out.extend_from_slice(&tag);
        push_len(out, len);
        out.extend_from_slice(value);
        return Some(pos + len);
    }
    let mut children = Vec::new();
    let body_end = match definite {
        Some(len) => Some(pos.checked_add(len)?),
        None => None,
    };
    loop {
        match body_end {
            Some(end) if pos >= end => break,
            None if input.get(pos..pos + 2)? == [0, 0] => {
                pos += 2;
                break;
            }
            _ => {}
        }
        let limit = body_end.unwrap_or(input.len());
        let used = convert(input.get(pos..limit)?, &mut children, depth + 1)?;
        pos += used;
    }
    // Constructed universal strings (OCTET STRING, BIT STRING, text) become primitive.
    let universal_string =
        tag.len() == 1 && first & 0xc0 == 0 && matches!(first & 0x1f, 3 | 4 | 12 | 19 | 20 | 22 | 26 | 30);
    if universal_string {
        let mut value = Vec::new();
        let mut p = 0;
        while p < children.len() {
            let (vstart, vlen) = header(children.get(p..)?)?;
            value.extend_from_slice(children.get(p + vstart..p + vstart + vlen)?);
            p += vstart + vlen;
        }
        out.push(first & !0x20);
        push_len(out, value.len());
        out.extend_from_slice(&value);
    } else {
        out.extend_from_slice(&tag);
        push_len(out, children.len());
        out.extend_from_slice(&children);
    }
    Some(pos)
}

/// (header length, value length) of a DER element.
fn header(d: &[u8]) -> Option<(usize, usize)> {
    let mut pos = 1;
    if d.first()? & 0x1f == 0x1f {
        while d.get(pos)? & 0x80 != 0 {
            pos += 1;
        }
        pos += 1;
    }
    let l = *d.get(pos)?;
    pos += 1;
    if l < 0x80 {
        return Some((pos, usize::from(l)));
    }
    let n = usize::from(l & 0x7f);
    let mut len = 0usize;
    for _ in 0..n {
        len = len.checked_mul(256)?.checked_add(usize::from(*d.get(pos)?))?;
        pos += 1;
    }
    Some((pos, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_that_overrun_their_parent_are_caught() {
        // SEQUENCE { [1] IMPLICIT BIT STRING claiming 0x0E96_DA40 bytes }
        let bad = [0x30, 0x08, 0xa1, 0x06, 0x81, 0x84, 0x0e, 0x96, 0xda, 0x40];
        assert!(!lengths_fit(&bad));
        assert!(lengths_fit(&[0x30, 0x05, 0x02, 0x01, 0x01, 0x05, 0x00]));
        assert!(!lengths_fit(&[0x30, 0x80, 0x00, 0x00]));
    }

    #[test]
    fn indefinite_lengths_and_constructed_strings_become_der() {
        // SEQUENCE (indefinite) { OCTET STRING constructed (indefinite) { "ab", "c" }, INTEGER 5 }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x02, 0x01, 0x05,
            0x00, 0x00,
        ];
        let der = to_der(&ber).unwrap_or_default();
        assert_eq!(
            der,
            vec![0x30, 0x08, 0x04, 0x03, b'a', b'b', b'c', 0x02, 0x01, 0x05]
        );
    }

    #[test]
    fn garbage_and_deep_nesting_are_refused() {
        assert!(to_der(&[0x30, 0x80]).is_none());
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 200).flatten().collect();
        assert!(to_der(&deep).is_none());
    }
}
