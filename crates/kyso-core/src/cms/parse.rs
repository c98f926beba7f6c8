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
