//! RFC 3161 timestamp client: asks a timestamp authority (TSA) to timestamp a hash, with a
//! fresh nonce and certReq, and accepts the answer only when it is granted, signed, for our
//! hash and our nonce. Several TSA URLs are tried in order (a province usually has a primary
//! and a fall-back); every failure is kept for the message.

use der::asn1::{Int, OctetString};
use der::{AnyRef, Decode, Encode, Reader, SliceReader};
use x509_tsp::{MessageImprint, TimeStampReq, TspVersion, TstInfo};

use super::tst as timestamp;
use crate::cms::parse;
use crate::crypto::HashAlg;
use crate::net::fetch;
use crate::oids;

/// Largest timestamp response accepted (tokens with a chain are a few KB).
pub const MAX_RESPONSE: u64 = 256 << 10;

/// A granted, checked timestamp token.
#[derive(Clone, Debug)]
pub struct Token {
    /// The TimeStampToken (a CMS ContentInfo), exactly as the TSA sent it.
    pub der: Vec<u8>,
    /// genTime, Unix seconds.
    pub time: i64,
    /// Which URL answered.
    pub url: String,
}

/// Why no timestamp could be had.
#[derive(Debug, thiserror::Error)]
#[error("no timestamp authority answered: {}", .0.join("; "))]
pub struct TsaError(pub Vec<String>);

/// DER TimeStampReq for `digest` (made with `hash`) with `nonce` and certReq.
pub fn request(hash: HashAlg, digest: &[u8], nonce: &[u8; 16]) -> Result<Vec<u8>, der::Error> {
    let alg = hash.algorithm_identifier();
    let req = TimeStampReq {
        version: TspVersion::V1,
        message_imprint: MessageImprint {
            hash_algorithm: spki::AlgorithmIdentifier {
                oid: alg.oid,
                parameters: alg.parameters,
            },
            hashed_message: OctetString::new(digest)?,
        },
        req_policy: None,
        nonce: Some(nonce_int(nonce)?),
        cert_req: true,
        extensions: None,
    };
    req.to_der()
}

/// A positive INTEGER from the nonce bytes, in minimal DER: leading zero bytes dropped (a
/// random nonce starts with one in 1/256 of requests, and OpenSSL-based TSAs reject the
/// padded form as "bad request format"), one zero put back if the high bit is set.
fn nonce_int(nonce: &[u8; 16]) -> Result<Int, der::Error> {
    let start = nonce.iter().position(|&b| b != 0).unwrap_or(nonce.len() - 1);
    let digits = &nonce[start..];
    let mut v = Vec::with_capacity(17);
    if digits[0] & 0x80 != 0 {
        v.push(0);
    }
    v.extend_from_slice(digits);
    Int::new(&v)
}

/// Checks a TimeStampResp against the request; returns the token bytes and genTime.
pub fn check_response(
    resp: &[u8],
    hash: HashAlg,
    digest: &[u8],
    nonce: &[u8; 16],
) -> Result<(Vec<u8>, i64), String> {
    let mut outer = SliceReader::new(resp).map_err(|e| e.to_string())?;
    let seq = AnyRef::decode(&mut outer).map_err(|_| "not a timestamp response")?;
    let mut r = SliceReader::new(seq.value()).map_err(|e| e.to_string())?;
    let status = cmpv2::status::PkiStatusInfo::decode(&mut r).map_err(|_| "unreadable timestamp status")?;
    use cmpv2::status::PkiStatus;
    if !matches!(status.status, PkiStatus::Accepted | PkiStatus::GrantedWithMods) {
        let why = status
            .status_string
            .as_ref()
            .and_then(|s| s.first().map(|t| t.to_string()))
            .unwrap_or_default();
        return Err(format!("the TSA refused ({:?}) {why}", status.status));
    }
    let start = usize::try_from(r.position()).map_err(|_| "offset")?;
    let token = seq.value().get(start..).unwrap_or_default().to_vec();
    if token.is_empty() {
        return Err("the TSA granted but sent no token".into());
    }
    // Imprint, signature and certificate of the token: the same checks a verifier makes.
    let info = timestamp::check_with(&token, &mut |h| (h == hash).then(|| digest.to_vec()))
        .map_err(|e| e.to_string())?;
    // Our nonce must come back (RFC 3161 §2.4.2), else the answer may be a replay.
    let sd = parse::parse(&token).map_err(|e| e.to_string())?;
    if sd.econtent_type != oids::ID_CT_TST_INFO {
        return Err("the token holds no TSTInfo".into());
    }
    let econtent = sd.econtent.as_deref().unwrap_or_default();
    if !crate::cms::ber::lengths_fit(econtent) {
        return Err("unreadable TSTInfo".into());
    }
    let tst = TstInfo::from_der(econtent).map_err(|_| "unreadable TSTInfo")?;
    let want = nonce_int(nonce).map_err(|e| e.to_string())?;
    if tst.nonce.as_ref() != Some(&want) {
        return Err("the TSA's answer does not carry our nonce".into());
    }
    Ok((token, info.time))
}

/// Timestamps `digest` with the first TSA that gives a valid answer.
pub fn timestamp(urls: &[String], hash: HashAlg, digest: &[u8]) -> Result<Token, TsaError> {
    let mut failures = Vec::new();
    for url in urls {
        let mut nonce = [0u8; 16];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut nonce);
        let answer = request(hash, digest, &nonce)
            .map_err(|e| e.to_string())
            .and_then(|req| {
                fetch::post(url, "application/timestamp-query", &req, MAX_RESPONSE).map_err(|e| e.to_string())
            })
            .and_then(|resp| check_response(&resp, hash, digest, &nonce));
        match answer {
            Ok((der, time)) => {
                return Ok(Token {
                    der,
                    time,
                    url: url.clone(),
                })
            }
            Err(e) => failures.push(format!("{url}: {e}")),
        }
    }
    if failures.is_empty() {
        failures.push("no TSA URL configured".into());
    }
    Err(TsaError(failures))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn request_is_der_with_nonce_and_cert_req() {
        let nonce = [0x80u8; 16];
        let der = request(HashAlg::Sha256, &[7u8; 32], &nonce).unwrap();
        let back = TimeStampReq::from_der(&der).unwrap();
        assert!(back.cert_req);
        assert_eq!(back.message_imprint.hashed_message.as_bytes(), &[7u8; 32]);
        // High bit set: a leading zero keeps the INTEGER positive.
        assert_eq!(back.nonce.unwrap().as_bytes()[0], 0);
    }

    #[test]
    fn nonces_are_minimal_integers_whatever_their_first_bytes() {
        // The encoded INTEGER must never start with 00 followed by a byte below 0x80
        // (non-minimal DER), whatever leading zeros the random bytes have.
        for first in [[0u8, 0x12], [0, 0x92], [0, 0], [0x7f, 0], [0x80, 0]] {
            let mut nonce = [0x55u8; 16];
            nonce[..2].copy_from_slice(&first);
            let int = nonce_int(&nonce).unwrap();
            let b = int.as_bytes();
            assert!(!(b.len() > 1 && b[0] == 0 && b[1] < 0x80), "{first:?} → {b:02x?}");
            assert!(b[0] < 0x80, "positive: {first:?} → {b:02x?}");
        }
        assert_eq!(nonce_int(&[0u8; 16]).unwrap().as_bytes(), &[0]);
    }

    #[test]
    fn garbage_and_refusals_are_errors() {
        let n = [1u8; 16];
        assert!(check_response(b"", HashAlg::Sha256, &[0; 32], &n).is_err());
        assert!(check_response(&[0x30, 0x80, 0, 0], HashAlg::Sha256, &[0; 32], &n).is_err());
        // status rejection (2), no token
        let refused = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02];
        let e = check_response(&refused, HashAlg::Sha256, &[0; 32], &n).unwrap_err();
        assert!(e.contains("refused"), "{e}");
        // granted but no token
        let empty = [0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x00];
        assert!(check_response(&empty, HashAlg::Sha256, &[0; 32], &n).is_err());
    }
}
