//! RFC 3161 timestamp tokens: the TSTInfo's message imprint and time, and the token's own
//! CMS signature. (Path building for the TSA certificate and its revocation come with the
//! trust module.)

use der::asn1::{ObjectIdentifier, OctetString};
use der::{AnyRef, Decode, Reader, Sequence, SliceReader};
use spki::AlgorithmIdentifierOwned;

use crate::cms::{oids, parse};
use crate::crypto::{self, HashAlg};

/// MessageImprint ::= SEQUENCE { hashAlgorithm, hashedMessage }
#[derive(Clone, Debug, Eq, PartialEq, Sequence)]
pub struct MessageImprint {
    /// Hash algorithm.
    pub hash_algorithm: AlgorithmIdentifierOwned,
    /// The hash.
    pub hashed_message: OctetString,
}

/// What a valid token proves.
#[derive(Clone, Debug)]
pub struct TimestampInfo {
    /// genTime, Unix seconds.
    pub time: i64,
    /// TSA certificate subject.
    pub tsa: Option<String>,
}

/// Checks a timestamp token over `data` (for a signature timestamp: the signature value).
pub fn check(token: &[u8], data: &[u8]) -> Result<TimestampInfo, String> {
    check_with(token, &mut |h| Some(h.digest(data)))
}

/// Checks a token whose data is hashed by the caller (`digest_of` gets the imprint's hash
/// algorithm; a document timestamp hashes its byte ranges).
pub fn check_with(
    token: &[u8],
    digest_of: &mut dyn FnMut(HashAlg) -> Option<Vec<u8>>,
) -> Result<TimestampInfo, String> {
    let sd = parse::parse(token).map_err(|e| format!("unreadable timestamp token: {e}"))?;
    if sd.econtent_type != oids::ID_CT_TST_INFO {
        return Err("the timestamp token does not hold a TSTInfo".into());
    }
    let tst = sd.econtent.as_deref().ok_or("the timestamp token is empty")?;
    let (imprint, time) = tst_info(tst).ok_or("unreadable TSTInfo")?;
    let hash = HashAlg::from_oid(&imprint.hash_algorithm.oid).ok_or("unsupported imprint hash")?;
    if digest_of(hash).as_deref() != Some(imprint.hashed_message.as_bytes()) {
        return Err("the timestamp is for other data (message imprint mismatch)".into());
    }
    let [si] = sd.signer_infos.as_slice() else {
        return Err("the timestamp token must have exactly one signer".into());
    };
    let cert = sd
        .certificates
        .iter()
        .find(|c| parse::sid_matches(&si.sid, c))
        .ok_or("the timestamp token does not include the TSA certificate")?;
    let dh = HashAlg::from_oid(&si.digest_alg.oid).ok_or("unsupported digest in timestamp")?;
    let attrs = si
        .signed_attrs_der
        .as_deref()
        .ok_or("timestamp token without signed attributes")?;
    if si.message_digest().as_deref() != Some(dh.digest(tst).as_slice()) {
        return Err("the timestamp token's content does not match its signature".into());
    }
    crypto::verify(
        &cert.tbs_certificate.subject_public_key_info,
        &si.signature_alg,
        Some(dh),
        attrs,
        &si.signature,
    )
    .map_err(|_| "the timestamp token's signature is invalid".to_string())?;
    Ok(TimestampInfo {
        time,
        tsa: crate::cert::identity(cert).common_name,
    })
}

/// Reads messageImprint and genTime from TSTInfo (RFC 3161 §2.4.2).
fn tst_info(der: &[u8]) -> Option<(MessageImprint, i64)> {
    let mut outer = SliceReader::new(der).ok()?;
    let seq = AnyRef::decode(&mut outer).ok()?;
    let body = seq.value();
    let mut r = SliceReader::new(body).ok()?;
    let _version = AnyRef::decode(&mut r).ok()?;
    let _policy = ObjectIdentifier::decode(&mut r).ok()?;
    let start = usize::try_from(r.position()).ok()?;
    let _ = AnyRef::decode(&mut r).ok()?;
    let end = usize::try_from(r.position()).ok()?;
    let imprint = MessageImprint::from_der(body.get(start..end)?).ok()?;
    let _serial = AnyRef::decode(&mut r).ok()?;
    let gen_time = AnyRef::decode(&mut r).ok()?;
    Some((imprint, generalized_time(gen_time.value())?))
}

/// GeneralizedTime text (`YYYYMMDDHHMMSS[.f*]Z`); fractions are common in TSAs and allowed.
pub fn generalized_time(v: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(v).ok()?;
    let digits = s.get(0..14)?;
    crate::timefmt::parse_pdf_date(&format!("D:{digits}Z"))
}
