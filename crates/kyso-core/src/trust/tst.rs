//! RFC 3161 timestamp tokens: the TSTInfo's message imprint and time, the token's own CMS
//! signature, and (in [`tsa_trust`]) the TSA certificate: a chain to a trusted root, the
//! timeStamping purpose, and validity at the time it vouches for.

use der::asn1::{ObjectIdentifier, OctetString};
use der::{AnyRef, Decode, Reader, Sequence, SliceReader};
use spki::AlgorithmIdentifierOwned;

use crate::cms::parse;
use crate::crypto::{self, HashAlg};
use crate::oids;

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
    /// The TSA certificate.
    pub cert: x509_cert::Certificate,
    /// Certificates the token carries (for path building).
    pub certs: Vec<x509_cert::Certificate>,
    /// CRLs the token carries (revocation evidence for the TSA).
    pub crls: Vec<Vec<u8>>,
}

/// id-kp-timeStamping (RFC 5280 §4.2.1.12).
const KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

/// Whether the TSA certificate may be trusted for the time it gives: it chains to one of
/// `anchors` (with `pool` for intermediates), is meant for timestamping (RFC 3161 §2.3: the
/// extended key usage must be present and critical with only timeStamping), and was valid
/// at genTime. Returns the path (TSA certificate first, anchor last), or the reason when
/// not (Vietnamese, English).
pub fn tsa_trust(
    info: &TimestampInfo,
    pool: &[x509_cert::Certificate],
    anchors: &[x509_cert::Certificate],
) -> Result<Vec<x509_cert::Certificate>, (&'static str, &'static str)> {
    let eku: Option<x509_cert::ext::pkix::ExtendedKeyUsage> =
        crate::cert::extension(&info.cert, ObjectIdentifier::new_unwrap("2.5.29.37"));
    if !eku.is_some_and(|e| e.0.contains(&KP_TIME_STAMPING)) {
        return Err((
            "chứng thư của đơn vị cấp dấu thời gian không dành cho việc cấp dấu thời gian",
            "the TSA certificate is not meant for timestamping (extended key usage)",
        ));
    }
    let (nb, na) = crate::cert::validity(&info.cert);
    if info.time < nb || info.time > na {
        return Err((
            "chứng thư của đơn vị cấp dấu thời gian không còn hiệu lực tại thời điểm ghi trong dấu",
            "the TSA certificate was not valid at the time it gives",
        ));
    }
    let mut all = info.certs.clone();
    all.extend_from_slice(pool);
    let path = super::path::build(&info.cert, &all, anchors);
    if !path.trusted {
        return Err((
            "chứng thư của đơn vị cấp dấu thời gian không dẫn tới chứng thư gốc tin cậy",
            "the TSA certificate does not chain to a trusted root",
        ));
    }
    Ok(path.path)
}

/// Why a timestamp token does not hold. The texts are English details inside a sentence
/// the report words in both languages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not a SignedData.
    #[error("unreadable timestamp token: {0}")]
    Unreadable(String),
    /// Its content is not a TSTInfo.
    #[error("the timestamp token does not hold a TSTInfo")]
    NotTstInfo,
    /// No content.
    #[error("the timestamp token is empty")]
    Empty,
    /// The TSTInfo cannot be read.
    #[error("unreadable TSTInfo")]
    UnreadableTstInfo,
    /// The imprint's hash is one Kyso does not know.
    #[error("unsupported imprint hash")]
    ImprintHashUnsupported,
    /// The token is over other data than the one checked (a changed document or signature).
    #[error("the timestamp is for other data (message imprint mismatch)")]
    ImprintMismatch,
    /// Not exactly one signer.
    #[error("the timestamp token must have exactly one signer")]
    SignerCount,
    /// The TSA certificate is not in the token.
    #[error("the timestamp token does not include the TSA certificate")]
    NoTsaCertificate,
    /// The token's digest algorithm is one Kyso does not know.
    #[error("unsupported digest in timestamp")]
    DigestUnsupported,
    /// No signed attributes.
    #[error("timestamp token without signed attributes")]
    NoSignedAttributes,
    /// The signed message-digest is not the TSTInfo's.
    #[error("the timestamp token's content does not match its signature")]
    ContentMismatch,
    /// The TSA's signature does not verify.
    #[error("the timestamp token's signature is invalid")]
    BadSignature,
}

/// Checks a timestamp token over `data` (for a signature timestamp: the signature value).
pub fn check(token: &[u8], data: &[u8]) -> Result<TimestampInfo, TokenError> {
    check_with(token, &mut |h| Some(h.digest(data)))
}

/// Checks a token whose data is hashed by the caller (`digest_of` gets the imprint's hash
/// algorithm; a document timestamp hashes its byte ranges).
pub fn check_with(
    token: &[u8],
    digest_of: &mut dyn FnMut(HashAlg) -> Option<Vec<u8>>,
) -> Result<TimestampInfo, TokenError> {
    let sd = parse::parse(token).map_err(|e| TokenError::Unreadable(e.to_string()))?;
    if sd.econtent_type != oids::ID_CT_TST_INFO {
        return Err(TokenError::NotTstInfo);
    }
    let tst = sd.econtent.as_deref().ok_or(TokenError::Empty)?;
    let (imprint, time) = tst_info(tst).ok_or(TokenError::UnreadableTstInfo)?;
    let hash = HashAlg::from_oid(&imprint.hash_algorithm.oid).ok_or(TokenError::ImprintHashUnsupported)?;
    if digest_of(hash).as_deref() != Some(imprint.hashed_message.as_bytes()) {
        return Err(TokenError::ImprintMismatch);
    }
    let [si] = sd.signer_infos.as_slice() else {
        return Err(TokenError::SignerCount);
    };
    let cert = sd
        .certificates
        .iter()
        .find(|c| parse::sid_matches(&si.sid, c))
        .ok_or(TokenError::NoTsaCertificate)?;
    let dh = HashAlg::from_oid(&si.digest_alg.oid).ok_or(TokenError::DigestUnsupported)?;
    let attrs = si
        .signed_attrs_der
        .as_deref()
        .ok_or(TokenError::NoSignedAttributes)?;
    if si.message_digest().as_deref() != Some(dh.digest(tst).as_slice()) {
        return Err(TokenError::ContentMismatch);
    }
    crypto::verify(
        &cert.tbs_certificate.subject_public_key_info,
        &si.signature_alg,
        Some(dh),
        attrs,
        &si.signature,
    )
    .map_err(|_| TokenError::BadSignature)?;
    Ok(TimestampInfo {
        time,
        tsa: crate::cert::identity(cert).common_name,
        cert: cert.clone(),
        certs: sd.certificates.clone(),
        crls: sd.crls.clone(),
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
