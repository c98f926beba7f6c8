//! Reads CMS SignedData from signatures made by any tool.
//!
//! Walks the structure TLV by TLV with `der`'s reader and keeps the original bytes where they
//! are signed (signed attributes, certificates): re-encoding them would hide non-canonical
//! encodings that other signers emit (unsorted attribute SETs are common) and make valid
//! signatures look broken. Trailing zero padding in `/Contents` is ignored.

use der::asn1::ObjectIdentifier;
use der::{AnyRef, Decode, Reader, SliceReader, Tag, TagNumber, Tagged};
use spki::AlgorithmIdentifierOwned;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::Certificate;

use super::CmsError;
use crate::oids;

/// One attribute: its type and the raw DER of each value.
#[derive(Clone, Debug)]
pub struct Attr {
    /// Attribute type.
    pub oid: ObjectIdentifier,
    /// Each value's full TLV.
    pub values: Vec<Vec<u8>>,
}

/// How a SignerInfo names its certificate.
#[derive(Clone, Debug)]
pub enum Sid {
    /// issuerAndSerialNumber.
    IssuerSerial {
        /// Issuer.
        issuer: Name,
        /// Serial.
        serial: SerialNumber,
    },
    /// subjectKeyIdentifier.
    Ski(Vec<u8>),
}

/// A parsed SignerInfo.
#[derive(Clone, Debug)]
pub struct SignerInfo {
    /// Signer identifier.
    pub sid: Sid,
    /// digestAlgorithm.
    pub digest_alg: AlgorithmIdentifierOwned,
    /// The signed attributes re-tagged as `SET OF` (0x31): the bytes the signature covers.
    pub signed_attrs_der: Option<Vec<u8>>,
    /// Signed attributes.
    pub signed_attrs: Vec<Attr>,
    /// signatureAlgorithm.
    pub signature_alg: AlgorithmIdentifierOwned,
    /// Signature value.
    pub signature: Vec<u8>,
    /// Unsigned attributes.
    pub unsigned_attrs: Vec<Attr>,
}

impl SignerInfo {
    /// First value of signed attribute `oid`.
    pub fn signed_attr(&self, oid: ObjectIdentifier) -> Option<&[u8]> {
        self.signed_attrs
            .iter()
            .find(|a| a.oid == oid)
            .and_then(|a| a.values.first())
            .map(Vec::as_slice)
    }

    /// How many times signed attribute `oid` occurs (must be once for the core ones).
    pub fn signed_attr_count(&self, oid: ObjectIdentifier) -> usize {
        self.signed_attrs.iter().filter(|a| a.oid == oid).count()
    }

    /// The message-digest attribute's value.
    pub fn message_digest(&self) -> Option<Vec<u8>> {
        let raw = self.signed_attr(oids::ATTR_MESSAGE_DIGEST)?;
        der::asn1::OctetString::from_der(raw)
            .ok()
            .map(|o| o.as_bytes().to_vec())
    }
}

/// A parsed SignedData.
#[derive(Clone, Debug)]
pub struct SignedData {
    /// Encapsulated content type.
    pub econtent_type: ObjectIdentifier,
    /// Encapsulated content, when not detached.
    pub econtent: Option<Vec<u8>>,
    /// Embedded certificates.
    pub certificates: Vec<Certificate>,
    /// Embedded CRLs (raw DER).
    pub crls: Vec<Vec<u8>>,
    /// Signer infos.
    pub signer_infos: Vec<SignerInfo>,
    /// Length of the ContentInfo DER (the rest of `/Contents` is padding).
    pub der_len: usize,
}

struct Tlv<'a> {
    tag: Tag,
    value: &'a [u8],
    whole: &'a [u8],
}

fn read_tlv<'a>(r: &mut SliceReader<'a>, all: &'a [u8]) -> Result<Tlv<'a>, CmsError> {
    let start = usize::try_from(r.position()).map_err(|_| CmsError::Malformed("length"))?;
    let any = AnyRef::decode(r)?;
    let end = usize::try_from(r.position()).map_err(|_| CmsError::Malformed("length"))?;
    Ok(Tlv {
        tag: any.tag(),
        value: any.value(),
        whole: all.get(start..end).ok_or(CmsError::Malformed("offsets"))?,
    })
}

fn ctx(n: u8, constructed: bool) -> Tag {
    Tag::ContextSpecific {
        constructed,
        number: TagNumber::new(n),
    }
}

/// Parses a CMS ContentInfo holding SignedData. Bytes after the ContentInfo are ignored.
/// BER input (indefinite lengths, constructed strings) is converted to DER first.
pub fn parse(data: &[u8]) -> Result<SignedData, CmsError> {
    match parse_der(data) {
        Err(CmsError::Der(e)) => match super::ber::to_der(data) {
            Some(der) => parse_der(&der),
            None => Err(CmsError::Der(e)),
        },
        other => other,
    }
}

fn parse_der(data: &[u8]) -> Result<SignedData, CmsError> {
    let mut r = SliceReader::new(data)?;
    let ci = read_tlv(&mut r, data)?;
    let der_len = ci.whole.len();
    if ci.tag != Tag::Sequence {
        return Err(CmsError::Malformed("ContentInfo is not a SEQUENCE"));
    }
    let mut r = SliceReader::new(ci.value)?;
    let ct = ObjectIdentifier::decode(&mut r)?;
    if ct != oids::ID_SIGNED_DATA {
        return Err(CmsError::NotSignedData);
    }
    let explicit = read_tlv(&mut r, ci.value)?;
    let mut r = SliceReader::new(explicit.value)?;
    let sd = read_tlv(&mut r, explicit.value)?;
    let mut r = SliceReader::new(sd.value)?;
    let all = sd.value;
    let _version = read_tlv(&mut r, all)?;
    let _digest_algs = read_tlv(&mut r, all)?;
    let encap = read_tlv(&mut r, all)?;
    let (econtent_type, econtent) = parse_encap(encap.value)?;
    let mut certificates = Vec::new();
    let mut crls = Vec::new();
    let mut signer_infos = Vec::new();
    while !r.is_finished() {
        let t = read_tlv(&mut r, all)?;
        if t.tag == ctx(0, true) {
            let mut cr = SliceReader::new(t.value)?;
            while !cr.is_finished() {
                let c = read_tlv(&mut cr, t.value)?;
                // Attribute certificates and other formats are skipped, not fatal.
                if c.tag == Tag::Sequence && super::ber::lengths_fit(c.whole) {
                    if let Ok(cert) = Certificate::from_der(c.whole) {
                        certificates.push(cert);
                    }
                }
            }
        } else if t.tag == ctx(1, true) {
            let mut cr = SliceReader::new(t.value)?;
            while !cr.is_finished() {
                crls.push(read_tlv(&mut cr, t.value)?.whole.to_vec());
            }
        } else if t.tag == Tag::Set {
            let mut sr = SliceReader::new(t.value)?;
            while !sr.is_finished() {
                let si = read_tlv(&mut sr, t.value)?;
                signer_infos.push(parse_signer_info(si.value)?);
            }
        }
    }
    Ok(SignedData {
        econtent_type,
        econtent,
        certificates,
        crls,
        signer_infos,
        der_len,
    })
}

fn parse_encap(v: &[u8]) -> Result<(ObjectIdentifier, Option<Vec<u8>>), CmsError> {
    let mut r = SliceReader::new(v)?;
    let oid = ObjectIdentifier::decode(&mut r)?;
    if r.is_finished() {
        return Ok((oid, None));
    }
    let e = read_tlv(&mut r, v)?;
    let mut er = SliceReader::new(e.value)?;
    let octets = read_tlv(&mut er, e.value)?;
    let content = if octets.tag == Tag::OctetString {
        octets.value.to_vec()
    } else {
        // Constructed OCTET STRING (BER): concatenate the pieces.
        let mut out = Vec::new();
        let mut pr = SliceReader::new(octets.value)?;
        while !pr.is_finished() {
            out.extend_from_slice(read_tlv(&mut pr, octets.value)?.value);
        }
        out
    };
    Ok((oid, Some(content)))
}

fn parse_attrs(v: &[u8]) -> Result<Vec<Attr>, CmsError> {
    let mut out = Vec::new();
    let mut r = SliceReader::new(v)?;
    while !r.is_finished() {
        let a = read_tlv(&mut r, v)?;
        let mut ar = SliceReader::new(a.value)?;
        let oid = ObjectIdentifier::decode(&mut ar)?;
        let set = read_tlv(&mut ar, a.value)?;
        let mut vr = SliceReader::new(set.value)?;
        let mut values = Vec::new();
        while !vr.is_finished() {
            values.push(read_tlv(&mut vr, set.value)?.whole.to_vec());
        }
        out.push(Attr { oid, values });
    }
    Ok(out)
}

fn parse_signer_info(v: &[u8]) -> Result<SignerInfo, CmsError> {
    let mut r = SliceReader::new(v)?;
    let _version = read_tlv(&mut r, v)?;
    let sid_tlv = read_tlv(&mut r, v)?;
    let sid = if sid_tlv.tag == Tag::Sequence {
        let ias = cms::cert::IssuerAndSerialNumber::from_der(sid_tlv.whole)?;
        Sid::IssuerSerial {
            issuer: ias.issuer,
            serial: ias.serial_number,
        }
    } else {
        Sid::Ski(sid_tlv.value.to_vec())
    };
    let digest_alg = AlgorithmIdentifierOwned::from_der(read_tlv(&mut r, v)?.whole)?;
    let mut next = read_tlv(&mut r, v)?;
    let mut signed_attrs_der = None;
    let mut signed_attrs = Vec::new();
    if next.tag == ctx(0, true) {
        let mut der = next.whole.to_vec();
        if let Some(first) = der.first_mut() {
            *first = 0x31; // [0] IMPLICIT → SET OF for the signature (RFC 5652 §5.4)
        }
        signed_attrs = parse_attrs(next.value)?;
        signed_attrs_der = Some(der);
        next = read_tlv(&mut r, v)?;
    }
    let signature_alg = AlgorithmIdentifierOwned::from_der(next.whole)?;
    let sig = read_tlv(&mut r, v)?;
    if sig.tag != Tag::OctetString {
        return Err(CmsError::Malformed("signature is not an OCTET STRING"));
    }
    let mut unsigned_attrs = Vec::new();
    if !r.is_finished() {
        let u = read_tlv(&mut r, v)?;
        if u.tag == ctx(1, true) {
            unsigned_attrs = parse_attrs(u.value)?;
        }
    }
    Ok(SignerInfo {
        sid,
        digest_alg,
        signed_attrs_der,
        signed_attrs,
        signature_alg,
        signature: sig.value.to_vec(),
        unsigned_attrs,
    })
}

/// Whether `cert` is the one `sid` names.
pub fn sid_matches(sid: &Sid, cert: &Certificate) -> bool {
    match sid {
        Sid::IssuerSerial { issuer, serial } => {
            &cert.tbs_certificate.issuer == issuer && &cert.tbs_certificate.serial_number == serial
        }
        Sid::Ski(ski) => crate::cert::subject_key_id(cert).is_some_and(|k| &k == ski),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use der::Encode;

    use super::*;
    use crate::cms::build::{self, AttrParams};
    use crate::crypto::{self, HashAlg, Scheme};
    use crate::testkit::cms::{self as kit, cat, tlv};

    const CONTENT: &[u8] = b"the signed bytes";

    fn der<T: Encode>(v: &T) -> Vec<u8> {
        v.to_der().unwrap()
    }

    /// The signed attributes Kyso's builder makes for `CONTENT`, each attribute's DER in
    /// the builder's (DER-sorted) order.
    fn attributes() -> Vec<Vec<u8>> {
        let hash = HashAlg::Sha256;
        let attrs = build::signed_attributes(&AttrParams {
            hash,
            content_digest: &hash.digest(CONTENT),
            signer: &kit::signer(),
            signing_time: Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000)),
        })
        .unwrap();
        attrs.iter().map(der).collect()
    }

    fn issuer_serial(cert: &Certificate) -> Vec<u8> {
        der(&::cms::cert::IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        })
    }

    /// A SignerInfo naming `sid`, over the attributes in the order given, signed by the kit's
    /// key over exactly those bytes re-tagged as a SET (what RFC 5652 §5.4 signs).
    fn signer_info(version: u8, sid: &[u8], attrs: &[Vec<u8>]) -> Vec<u8> {
        let body = attrs.concat();
        let signature = kit::ecdsa_der(&tlv(0x31, &body));
        let alg = Scheme::Ecdsa.algorithm_identifier(HashAlg::Sha256).unwrap();
        tlv(
            0x30,
            &cat(&[
                &[0x02, 0x01, version],
                sid,
                &der(&HashAlg::Sha256.algorithm_identifier()),
                &tlv(0xa0, &body),
                &der(&alg),
                &tlv(0x04, &signature),
            ]),
        )
    }

    /// A ContentInfo around SignedData of these parts (each already a whole element).
    fn content_info(encap: &[u8], certs: &[u8], crls: &[u8], infos: &[u8]) -> Vec<u8> {
        let digest_algs = tlv(0x31, &der(&HashAlg::Sha256.algorithm_identifier()));
        let sd = tlv(
            0x30,
            &cat(&[&[0x02, 0x01, 0x01], &digest_algs, encap, certs, crls, &tlv(0x31, infos)]),
        );
        tlv(0x30, &cat(&[&der(&oids::ID_SIGNED_DATA), &tlv(0xa0, &sd)]))
    }

    fn detached() -> Vec<u8> {
        tlv(0x30, &der(&oids::ID_DATA))
    }

    fn certs() -> Vec<u8> {
        tlv(0xa0, &der(&kit::signer()))
    }

    #[test]
    fn reads_what_kysos_builder_writes() {
        let bytes = kit::signed_data_der(CONTENT);
        let sd = parse(&bytes).unwrap();
        assert_eq!(sd.econtent_type, oids::ID_DATA);
        assert_eq!(sd.econtent, None, "PAdES and .p7s signatures are detached");
        assert_eq!(sd.certificates, vec![kit::signer()]);
        assert!(sd.crls.is_empty());
        assert_eq!(sd.der_len, bytes.len());
        let [si] = sd.signer_infos.as_slice() else {
            panic!("one signer: {:?}", sd.signer_infos);
        };
        let Sid::IssuerSerial { issuer, serial } = &si.sid else {
            panic!("Kyso names its signer by issuer and serial: {:?}", si.sid);
        };
        assert_eq!(issuer, &kit::signer().tbs_certificate.issuer);
        assert_eq!(serial, &kit::signer().tbs_certificate.serial_number);
        assert_eq!(si.digest_alg.oid, HashAlg::Sha256.oid());
        assert_eq!(
            si.signature_alg,
            Scheme::Ecdsa.algorithm_identifier(HashAlg::Sha256).unwrap()
        );
        assert_eq!(si.message_digest(), Some(HashAlg::Sha256.digest(CONTENT)));
        assert_eq!(si.signed_attr(oids::ATTR_CONTENT_TYPE), Some(&der(&oids::ID_DATA)[..]));
        assert_eq!(si.signed_attr_count(oids::ATTR_SIGNING_CERT_V2), 1);
        assert_eq!(si.signed_attr(oids::ATTR_SIGNING_TIME), None, "PAdES keeps the time in /M");
        assert!(si.unsigned_attrs.is_empty());
        // The bytes the signature covers are handed out as a SET, and they verify.
        let signed = si.signed_attrs_der.as_deref().unwrap();
        assert_eq!(signed[0], 0x31);
        crypto::verify(
            &kit::signer().tbs_certificate.subject_public_key_info,
            &si.signature_alg,
            Some(HashAlg::Sha256),
            signed,
            &si.signature,
        )
        .unwrap();
    }

    #[test]
    fn the_padding_after_the_content_info_is_ignored() {
        let bytes = kit::signed_data_der(CONTENT);
        let mut padded = bytes.clone();
        padded.extend_from_slice(&[0u8; 300]);
        let sd = parse(&padded).unwrap();
        assert_eq!(sd.der_len, bytes.len());
        assert_eq!(sd.signer_infos[0].signature, parse(&bytes).unwrap().signer_infos[0].signature);
    }

    #[test]
    fn an_unsorted_attribute_set_keeps_its_original_bytes_and_verifies() {
        let sorted = attributes();
        let mut unsorted = sorted.clone();
        unsorted.reverse();
        assert_ne!(sorted, unsorted, "the test needs an order DER would change");
        let si = signer_info(1, &issuer_serial(&kit::signer()), &unsorted);
        let sd = parse(&content_info(&detached(), &certs(), &[], &si)).unwrap();
        let si = &sd.signer_infos[0];
        let kept = si.signed_attrs_der.as_deref().unwrap();
        // Re-encoding would sort the SET and break the signature: the bytes must be the
        // signer's own.
        assert_eq!(kept, tlv(0x31, &unsorted.concat()));
        assert_ne!(kept, tlv(0x31, &sorted.concat()));
        crypto::verify(
            &kit::spki(),
            &si.signature_alg,
            Some(HashAlg::Sha256),
            kept,
            &si.signature,
        )
        .unwrap();
        // The attributes are read in the signer's order, values whole.
        let oids: Vec<_> = si.signed_attrs.iter().map(|a| a.oid).collect();
        assert_eq!(oids.first(), Some(&oids::ATTR_SIGNING_CERT_V2));
        assert_eq!(oids.last(), Some(&oids::ATTR_CONTENT_TYPE));
        assert!(si.signed_attr(oids::ATTR_SIGNING_TIME).is_some());
        assert_eq!(si.message_digest(), Some(HashAlg::Sha256.digest(CONTENT)));
    }

    #[test]
    fn encapsulated_content_certificates_and_crls_are_read() {
        let encap = tlv(
            0x30,
            &cat(&[&der(&oids::ID_DATA), &tlv(0xa0, &tlv(0x04, b"inside"))]),
        );
        // A CRL is kept as raw DER (the revocation checks decode it); an attribute
        // certificate ([1]) among the certificates is skipped, not fatal.
        let crl = tlv(0x30, &tlv(0x30, b"\x02\x01\x05"));
        let certs = tlv(
            0xa0,
            &cat(&[&der(&kit::signer()), &tlv(0xa1, b"\x30\x00"), &der(&kit::rsa_certificate(2048))]),
        );
        let si = signer_info(1, &issuer_serial(&kit::signer()), &attributes());
        let sd = parse(&content_info(&encap, &certs, &tlv(0xa1, &crl), &si)).unwrap();
        assert_eq!(sd.econtent.as_deref(), Some(&b"inside"[..]));
        assert_eq!(sd.certificates, vec![kit::signer(), kit::rsa_certificate(2048)]);
        assert_eq!(sd.crls, vec![crl]);
    }

    #[test]
    fn ber_indefinite_lengths_and_constructed_content_are_read() {
        let si = signer_info(1, &issuer_serial(&kit::signer()), &attributes());
        let digest_algs = tlv(0x31, &der(&HashAlg::Sha256.algorithm_identifier()));
        // As streaming Java signers write it: indefinite lengths, the content in pieces.
        let indefinite = |tag: u8, body: &[u8]| cat(&[&[tag, 0x80], body, &[0, 0]]);
        let pieces = indefinite(0x24, &cat(&[&tlv(0x04, b"ins"), &tlv(0x04, b"ide")]));
        let encap = indefinite(0x30, &cat(&[&der(&oids::ID_DATA), &indefinite(0xa0, &pieces)]));
        let sd = indefinite(
            0x30,
            &cat(&[&[0x02, 0x01, 0x01], &digest_algs, &encap, &certs(), &tlv(0x31, &si)]),
        );
        let ber = indefinite(0x30, &cat(&[&der(&oids::ID_SIGNED_DATA), &indefinite(0xa0, &sd)]));
        let read = parse(&ber).unwrap();
        assert_eq!(read.econtent.as_deref(), Some(&b"inside"[..]));
        assert_eq!(read.certificates, vec![kit::signer()]);
        let expected = parse(&content_info(&detached(), &certs(), &[], &si)).unwrap();
        assert_eq!(
            read.signer_infos[0].signed_attrs_der,
            expected.signer_infos[0].signed_attrs_der
        );
        assert_eq!(read.signer_infos[0].signature, expected.signer_infos[0].signature);
    }

    #[test]
    fn sid_matches_the_issuer_and_serial_of_that_certificate_only() {
        let sd = kit::signed_data(CONTENT);
        let sid = &sd.signer_infos[0].sid;
        assert!(sid_matches(sid, &kit::signer()));
        // Same issuer name, other serial.
        assert!(!sid_matches(sid, &kit::rsa_certificate(2048)));
    }

    #[test]
    fn sid_matches_a_subject_key_identifier() {
        let ski = vec![0x5a; 20];
        let ext = kit::extension(
            const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER,
            false,
            &der::asn1::OctetString::new(ski.clone()).unwrap(),
        );
        let cert = kit::signer_with(vec![ext]);
        // Read from a SignerInfo naming its certificate by [0] subjectKeyIdentifier.
        let si = signer_info(3, &tlv(0x80, &ski), &attributes());
        let sd = parse(&content_info(&detached(), &tlv(0xa0, &der(&cert)), &[], &si)).unwrap();
        let sid = &sd.signer_infos[0].sid;
        assert!(matches!(sid, Sid::Ski(k) if *k == ski), "{sid:?}");
        assert!(sid_matches(sid, &cert));
        assert!(!sid_matches(&Sid::Ski(vec![0x5b; 20]), &cert));
        // A certificate without the extension is never matched by a key identifier.
        assert!(!sid_matches(sid, &kit::signer()));
    }

    #[test]
    fn signed_attr_takes_the_first_value_and_count_sees_repeats() {
        let mut si = kit::signed_data(CONTENT).signer_infos.remove(0);
        let other = der(&der::asn1::OctetString::new(vec![1u8; 32]).unwrap());
        si.signed_attrs.push(Attr {
            oid: oids::ATTR_MESSAGE_DIGEST,
            values: vec![other],
        });
        assert_eq!(si.signed_attr_count(oids::ATTR_MESSAGE_DIGEST), 2);
        assert_eq!(si.message_digest(), Some(HashAlg::Sha256.digest(CONTENT)));
        assert_eq!(si.signed_attr_count(oids::ATTR_TIMESTAMP_TOKEN), 0);
        // A message digest that is not an OCTET STRING reads as none.
        si.signed_attrs.retain(|a| a.oid != oids::ATTR_MESSAGE_DIGEST);
        si.signed_attrs.push(Attr {
            oid: oids::ATTR_MESSAGE_DIGEST,
            values: vec![vec![0x02, 0x01, 0x07]],
        });
        assert_eq!(si.message_digest(), None);
    }

    #[test]
    fn garbage_is_refused_with_the_cms_code() {
        for bad in [&b""[..], b"hello", b"\x30\x00", b"\x02\x01\x01", b"%PDF-1.7\n"] {
            let e = parse(bad).unwrap_err();
            assert_eq!(crate::Error::from(e).code(), "CMS", "{bad:?}");
        }
        let data = tlv(0x30, &cat(&[&der(&oids::ID_DATA), &tlv(0xa0, &tlv(0x04, b"x"))]));
        assert!(matches!(parse(&data), Err(CmsError::NotSignedData)));
        assert!(matches!(
            parse(&tlv(0x31, &der(&oids::ID_SIGNED_DATA))),
            Err(CmsError::Malformed("ContentInfo is not a SEQUENCE"))
        ));
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let bytes = kit::signed_data_der(CONTENT);
        for n in 0..bytes.len() {
            assert!(parse(&bytes[..n]).is_err(), "{n} of {} bytes", bytes.len());
        }
    }

    #[test]
    fn lengths_past_their_data_are_refused() {
        // The ContentInfo claims more than there is.
        let mut bytes = kit::signed_data_der(CONTENT);
        assert_eq!(bytes[1], 0x82, "a long-form length");
        bytes[2] = 0x7f;
        assert!(parse(&bytes).is_err());
        // Inside a well-framed SignerInfo: a signature claiming 65,535 bytes.
        let mut info = vec![0x02, 0x01, 0x01];
        info.extend(issuer_serial(&kit::signer()));
        info.extend(der(&HashAlg::Sha256.algorithm_identifier()));
        info.extend(der(&Scheme::Ecdsa.algorithm_identifier(HashAlg::Sha256).unwrap()));
        info.extend([0x04, 0x82, 0xff, 0xff, 1, 2, 3]);
        let e = parse(&content_info(&detached(), &certs(), &[], &tlv(0x30, &info))).unwrap_err();
        assert_eq!(crate::Error::from(e).code(), "CMS");
    }

    #[test]
    fn a_signature_value_that_is_not_an_octet_string_is_malformed() {
        let mut info = vec![0x02, 0x01, 0x01];
        info.extend(issuer_serial(&kit::signer()));
        info.extend(der(&HashAlg::Sha256.algorithm_identifier()));
        info.extend(der(&Scheme::Ecdsa.algorithm_identifier(HashAlg::Sha256).unwrap()));
        info.extend(tlv(0x03, &[0, 1, 2]));
        assert!(matches!(
            parse(&content_info(&detached(), &certs(), &[], &tlv(0x30, &info))),
            Err(CmsError::Malformed("signature is not an OCTET STRING"))
        ));
    }
}
