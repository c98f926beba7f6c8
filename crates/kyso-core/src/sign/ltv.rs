//! Long-term signatures (PAdES B-LT and B-LTA, ETSI EN 319 142-1 §5.4–5.5): everything a
//! verifier needs years later goes into the document itself, by incremental update, so every
//! earlier signature stays valid.
//!
//! - B-LT: a document security store (`/DSS`) with the certificates of every chain (signers
//!   and timestamp authorities), an OCSP response or CRL for each certificate below the root,
//!   and a `/VRI` entry per signature (keyed by the SHA-1 of its `/Contents`, as PAdES says).
//! - B-LTA: then a document timestamp (`/DocTimeStamp`, `ETSI.RFC3161`) over it all.
//!
//! Works on signatures Kyso did not make. Nothing is written unless every piece was found.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use der::Encode;
use x509_cert::Certificate;

use super::persist;
use crate::appearance::font::{compress, stream};
use crate::cms::parse;
use crate::crypto::HashAlg;
use crate::files::temp_beside;
use crate::level::Level;
use crate::net::fetch;
use crate::oids;
use crate::pdf::writer::{Base, Update};
use crate::pdf::FileSource;
use crate::pdf::{self, Dict, Object, Pdf};
use crate::trust::{aia, online, tsa};
use crate::trust::{path as chain, tst as timestamp};
use crate::Error;

/// What augmenting needs.
#[derive(Clone, Debug, Default)]
pub struct AugmentOptions {
    /// Trust anchors (the chains must end at one).
    pub anchors: Vec<Certificate>,
    /// Extra intermediates (the trust store).
    pub intermediates: Vec<Certificate>,
    /// TSAs for the document timestamp (B-LTA).
    pub tsa_urls: Vec<String>,
    /// Replace an existing output.
    pub force: bool,
    /// The local-network servers addresses inside certificates may lead to.
    pub network: crate::net::NetPolicy,
}

/// What was added.
#[derive(Clone, Debug, serde::Serialize)]
pub struct AugmentOutcome {
    /// Output file.
    pub output: PathBuf,
    /// Level reached.
    pub level: Level,
    /// Signatures and timestamps covered.
    pub signatures: usize,
    /// Certificates in the DSS after the update.
    pub certificates: usize,
    /// OCSP responses added.
    pub ocsp_responses: usize,
    /// CRLs added.
    pub crls: usize,
    /// Time of the document timestamp (B-LTA), Unix seconds.
    pub document_timestamp: Option<i64>,
}

/// Indexes into the certificate, OCSP and CRL lists for one signature's VRI entry.
type VriEntry = (Vec<usize>, Vec<usize>, Vec<usize>);

/// Validation material gathered for the document.
#[derive(Default)]
struct Material {
    certs: Vec<Vec<u8>>,
    ocsps: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
    /// SHA-1 (hex, upper) of a signature's /Contents → indexes into the three lists.
    vri: BTreeMap<String, VriEntry>,
}

fn index_of(list: &mut Vec<Vec<u8>>, item: Vec<u8>) -> usize {
    if let Some(i) = list.iter().position(|x| *x == item) {
        return i;
    }
    list.push(item);
    list.len() - 1
}

/// A CMS blob from a signature dictionary's `/Contents`, without the zero padding.
fn contents_of(sig: &Dict) -> Option<Vec<u8>> {
    let raw = sig.get(b"Contents")?.as_str_bytes()?.to_vec();
    let len = parse::parse(&raw).map_or(raw.len(), |sd| sd.der_len.min(raw.len()));
    Some(raw.get(..len).unwrap_or_default().to_vec())
}

/// The certificates (end entities first) whose chains and revocation data a signature needs:
/// its signer and the TSAs of its timestamps, with the certificates the CMS carries.
fn subjects(contents: &[u8], doc_ts: bool) -> Result<(Vec<Certificate>, Vec<Certificate>), Error> {
    let sd = parse::parse(contents)?;
    let mut ends = Vec::new();
    let mut pool = sd.certificates.clone();
    // A document timestamp is signed by its TSA; a signature by its signer.
    let signer = signer_cert(&sd).ok_or(Error::Cms(crate::cms::CmsError::Malformed(
        "a signature without its signer's certificate",
    )))?;
    ends.push(signer.clone());
    if doc_ts {
        return Ok((ends, pool));
    }
    let si = sd
        .signer_infos
        .first()
        .ok_or(Error::Cms(crate::cms::CmsError::Malformed(
            "a signature without a signer",
        )))?;
    for attr in si
        .unsigned_attrs
        .iter()
        .filter(|a| a.oid == oids::ATTR_TIMESTAMP_TOKEN)
    {
        for token in &attr.values {
            if let Ok(info) = timestamp::check(token, &si.signature) {
                pool.extend(info.certs.iter().cloned());
                ends.push(info.cert);
            }
        }
    }
    Ok((ends, pool))
}

/// The certificate of the (first) signer of `sd`.
fn signer_cert(sd: &parse::SignedData) -> Option<&Certificate> {
    let si = sd.signer_infos.first()?;
    sd.certificates.iter().find(|c| parse::sid_matches(&si.sid, c))
}

/// Revocation data for `cert` (issued by `issuer`): a fresh OCSP response (`true`), else a
/// CRL. `Ok(None)` when the certificate names no revocation service at all.
fn revocation_for(
    cert: &Certificate,
    issuer: &Certificate,
    net: &crate::net::NetPolicy,
) -> Result<Option<(bool, Vec<u8>)>, String> {
    let mut failures = Vec::new();
    match online::check(cert, issuer, net, &mut failures) {
        Some(online::Answer::Ocsp(_, der)) => Ok(Some((true, der))),
        Some(online::Answer::Crl(_, der)) => Ok(Some((false, der))),
        None if failures.is_empty() => Ok(None),
        None => Err(failures.join("; ")),
    }
}

/// Chains and revocation data for one signature (or document timestamp).
fn gather(
    material: &mut Material,
    contents: &[u8],
    doc_ts: bool,
    extra: &[Certificate],
    opts: &AugmentOptions,
) -> Result<(), Error> {
    let (ends, mut pool) = subjects(contents, doc_ts)?;
    pool.extend_from_slice(extra);
    pool.extend_from_slice(&opts.intermediates);
    let (mut c_idx, mut o_idx, mut r_idx) = (Vec::new(), Vec::new(), Vec::new());
    for end in &ends {
        let mut path = chain::build(end, &pool, &opts.anchors);
        for _ in 0..4 {
            if path.trusted {
                break;
            }
            let Some(top) = path.path.last() else { break };
            let fresh: Vec<Certificate> = aia::issuer_certificates(top, &opts.network)
                .into_iter()
                .filter(|c| !pool.contains(c))
                .collect();
            if fresh.is_empty() {
                break;
            }
            pool.extend(fresh);
            path = chain::build(end, &pool, &opts.anchors);
        }
        let name = crate::cert::identity(end).common_name.unwrap_or_default();
        if !path.trusted {
            return Err(Error::NoTrustedChain(name));
        }
        for c in &path.path {
            c_idx.push(index_of(&mut material.certs, c.to_der()?));
        }
        for pair in path.path.windows(2) {
            let [cert, issuer] = pair else { continue };
            match revocation_for(cert, issuer, &opts.network) {
                Ok(Some((true, resp))) => o_idx.push(index_of(&mut material.ocsps, resp)),
                Ok(Some((false, crl))) => r_idx.push(index_of(&mut material.crls, crl)),
                Ok(None) => {}
                Err(e) => {
                    let who = crate::cert::identity(cert).common_name.unwrap_or_default();
                    return Err(Error::ValidationData(format!(
                        "revocation data for \"{who}\": {e}"
                    )));
                }
            }
        }
    }
    let key = hex::encode_upper(HashAlg::Sha1.digest(contents));
    let entry = material.vri.entry(key).or_default();
    entry.0.extend(c_idx);
    entry.1.extend(o_idx);
    entry.2.extend(r_idx);
    Ok(())
}

/// Streams already in the DSS under `key`, as (decoded bytes, reference).
fn existing<S: pdf::Source>(pdf: &Pdf<S>, dss: &Dict, key: &[u8]) -> Vec<(Vec<u8>, Object)> {
    let list = pdf
        .resolve(dss.get(key).unwrap_or(&Object::Null))
        .unwrap_or(Object::Null);
    list.as_array()
        .unwrap_or_default()
        .iter()
        .take(10_000)
        .filter_map(|o| match pdf.resolve(o).ok()? {
            Object::Stream(s) => Some((pdf.decode_stream(&s, fetch::MAX_CRL as usize).ok()?, o.clone())),
            _ => None,
        })
        .collect()
}

/// Adds the DSS (B-LT) to `input`, writing `output`.
fn add_dss(
    input: &Path,
    output: &Path,
    force: bool,
    opts: &AugmentOptions,
) -> Result<(usize, Material), Error> {
    let pdf = Pdf::open(FileSource::new(File::open(input)?)?)?;
    if pdf.reconstructed {
        return Err(Error::Damaged);
    }
    if pdf.trailer().get(b"Encrypt").is_some() {
        return Err(Error::Encrypted);
    }
    let (cat_ref, catalog) = pdf::catalog(&pdf)?;
    let cat_ref = cat_ref.ok_or(Error::Internal("catalog is not an indirect object"))?;
    let old_dss = pdf.resolve_dict(&catalog, b"DSS")?.unwrap_or_default();
    let dss_certs: Vec<Certificate> = existing(&pdf, &old_dss, b"Certs")
        .iter()
        .flat_map(|(d, _)| crate::cms::bundle::certificates(d))
        .collect();

    let mut material = Material::default();
    let mut count = 0;
    for f in pdf::fields(&pdf, &catalog)? {
        if f.field_type.as_deref() != Some(b"Sig") {
            continue;
        }
        let Some(sig) = f
            .value
            .as_ref()
            .and_then(|v| pdf.resolve(v).ok())
            .and_then(|o| o.as_dict().cloned())
        else {
            continue;
        };
        let Some(contents) = contents_of(&sig) else {
            continue;
        };
        let doc_ts = sig.name_is(b"Type", b"DocTimeStamp") || sig.name_is(b"SubFilter", b"ETSI.RFC3161");
        gather(&mut material, &contents, doc_ts, &dss_certs, opts)?;
        count += 1;
    }
    if count == 0 {
        return Err(Error::NoSignature);
    }

    // One stream per item; what the DSS already holds is reused, not duplicated. Returns
    // the references for our items (in order) and the whole new list.
    let mut update = Update::new(pdf.size());
    let mut write_list = |key: &[u8], items: &[Vec<u8>]| -> (Vec<Object>, Vec<Object>) {
        let old = existing(&pdf, &old_dss, key);
        let mut all: Vec<Object> = old.iter().map(|(_, r)| r.clone()).collect();
        let mut mine = Vec::new();
        for item in items {
            let r = match old.iter().find(|(d, _)| d == item) {
                Some((_, r)) => r.clone(),
                None => {
                    let r = Object::Ref(update.add(stream(&[], compress(item), true)));
                    all.push(r.clone());
                    r
                }
            };
            mine.push(r);
        }
        (mine, all)
    };
    let (cert_refs, all_certs) = write_list(b"Certs", &material.certs);
    let (ocsp_refs, all_ocsps) = write_list(b"OCSPs", &material.ocsps);
    let (crl_refs, all_crls) = write_list(b"CRLs", &material.crls);

    let mut vri = pdf.resolve_dict(&old_dss, b"VRI")?.unwrap_or_default();
    for (key, (c, o, r)) in &material.vri {
        let mut entry = Dict::new();
        let pick = |idx: &[usize], refs: &[Object]| -> Object {
            Object::Array(idx.iter().filter_map(|i| refs.get(*i).cloned()).collect())
        };
        entry.set(b"Cert", pick(c, &cert_refs));
        if !o.is_empty() {
            entry.set(b"OCSP", pick(o, &ocsp_refs));
        }
        if !r.is_empty() {
            entry.set(b"CRL", pick(r, &crl_refs));
        }
        vri.set(key.as_bytes(), Object::Dict(entry));
    }
    let mut dss = Dict::new();
    dss.set(b"Type", Object::name(b"DSS"));
    dss.set(b"Certs", Object::Array(all_certs));
    if !all_ocsps.is_empty() {
        dss.set(b"OCSPs", Object::Array(all_ocsps));
    }
    if !all_crls.is_empty() {
        dss.set(b"CRLs", Object::Array(all_crls));
    }
    dss.set(b"VRI", Object::Dict(vri));
    let dss_ref = match catalog.get(b"DSS").and_then(Object::as_ref) {
        Some(r) => {
            update.put(r, Object::Dict(dss));
            r
        }
        None => update.add(Object::Dict(dss)),
    };
    let mut new_cat = catalog.clone();
    new_cat.set(b"DSS", Object::Ref(dss_ref));
    update.put(cat_ref, Object::Dict(new_cat));
    write_update(input, output, force, &pdf, &update)?;
    Ok((count, material))
}

/// Copies `input` and appends `update` into `output` (temporary file, atomic rename).
fn write_update<S: pdf::Source>(
    input: &Path,
    output: &Path,
    force: bool,
    pdf: &Pdf<S>,
    update: &Update,
) -> Result<(), Error> {
    let before = std::fs::metadata(input)?;
    let base = Base::of(pdf);
    let written = update.write(&base)?;
    let mut tmp = temp_beside(output, input)?;
    let copied = std::io::copy(&mut File::open(input)?, tmp.as_file_mut())?;
    if copied != base.file_len || std::fs::metadata(input)?.modified().ok() != before.modified().ok() {
        return Err(Error::InputChanged);
    }
    tmp.as_file_mut().write_all(&written.bytes)?;
    tmp.as_file().sync_all()?;
    persist(tmp, output, force)
}

/// Adds a document timestamp (B-LTA) to `input`, writing `output`.
fn add_document_timestamp(
    input: &Path,
    output: &Path,
    force: bool,
    tsa_urls: &[String],
) -> Result<i64, Error> {
    let hash = HashAlg::Sha256;
    let (urls, room) = super::probe_tsa(tsa_urls, hash)?;
    if urls.is_empty() {
        return Err(crate::error::Refusal::TsaRequired(Level::BLta).into());
    }
    let file = File::open(input)?;
    let before = file.metadata()?;
    let pdf = Pdf::open(FileSource::new(file)?)?;
    let (cat_ref, catalog) = pdf::catalog(&pdf)?;
    let cat_ref = cat_ref.ok_or(Error::Internal("catalog is not an indirect object"))?;
    let mut sig = Dict::new();
    sig.set(b"Type", Object::name(b"DocTimeStamp"));
    sig.set(b"Filter", Object::name(b"Adobe.PPKLite"));
    sig.set(b"SubFilter", Object::name(b"ETSI.RFC3161"));
    let field = format!("DocTimeStamp{}", pdf.size());
    let reserved = super::reserve(
        input,
        output,
        force,
        hash,
        &pdf,
        &catalog,
        cat_ref,
        Update::new(pdf.size()),
        sig,
        room + 256,
        Some(&field),
        None,
        None,
        &before,
    )?;
    let token =
        tsa::timestamp(&urls, hash, &reserved.digest).map_err(|e| Error::Timestamp(e.0.join("; ")))?;
    reserved.embed(&token.der)?;
    Ok(token.time)
}

/// Brings every signature of `input` to `level`, writing `output`.
pub fn augment(
    input: &Path,
    output: &Path,
    level: Level,
    opts: &AugmentOptions,
) -> Result<AugmentOutcome, Error> {
    super::check_output(input, output, opts.force)?;
    if level == Level::BLta && opts.tsa_urls.is_empty() {
        return Err(crate::error::Refusal::TsaRequired(Level::BLta).into());
    }
    let outcome = |signatures, m: &Material, document_timestamp| AugmentOutcome {
        output: output.to_path_buf(),
        level,
        signatures,
        certificates: m.certs.len(),
        ocsp_responses: m.ocsps.len(),
        crls: m.crls.len(),
        document_timestamp,
    };
    if level != Level::BLta {
        let (n, m) = add_dss(input, output, opts.force, opts)?;
        return Ok(outcome(n, &m, None));
    }
    // B-LTA: the DSS goes to a temporary file beside the output, the timestamp on top.
    let stage = temp_beside(output, input)?.into_temp_path();
    let stage_path = stage.to_path_buf();
    let (n, m) = add_dss(input, &stage_path, true, opts)?;
    let t = add_document_timestamp(&stage_path, output, opts.force, &opts.tsa_urls)?;
    drop(stage);
    Ok(outcome(n, &m, Some(t)))
}

/// Completes a signature signed while the network was down (queued by the signer): a
/// document timestamp gives it proof of time (B-T, as PAdES allows a document timestamp
/// instead of a signature timestamp), then validation data (B-LT), then another document
/// timestamp over it (B-LTA). `file` is Kyso's own output; its completed version replaces it
/// atomically, and each step is an incremental update, so the signature stays valid.
///
/// `sha256` is the digest of the file as Kyso queued it: a file that is not that one any
/// more (edited, replaced by another document) is refused before any work and checked again
/// just before it is replaced.
pub fn complete_pending(
    file: &Path,
    sha256: &str,
    level: Level,
    opts: &AugmentOptions,
) -> Result<AugmentOutcome, Error> {
    let same = || {
        std::fs::read(file)
            .map(|now| hex::encode(crate::crypto::HashAlg::Sha256.digest(&now)).eq_ignore_ascii_case(sha256))
            .unwrap_or(false)
    };
    if !same() {
        return Err(Error::PendingChanged(file.display().to_string()));
    }
    let stage1 = temp_beside(file, file)?.into_temp_path();
    let t = add_document_timestamp(file, &stage1, true, &opts.tsa_urls)?;
    let empty = Material::default();
    let (reached, n, m, last) = match level {
        Level::BB | Level::BT => (Level::BT, 1, empty, stage1.to_path_buf()),
        _ => {
            let stage2 = temp_beside(file, file)?.into_temp_path();
            let (n, m) = add_dss(&stage1, &stage2, true, opts)?;
            if level == Level::BLta {
                let stage3 = temp_beside(file, file)?.into_temp_path();
                add_document_timestamp(&stage2, &stage3, true, &opts.tsa_urls)?;
                let p = stage3.keep().map_err(|e| Error::Io(e.error))?;
                (Level::BLta, n, m, p)
            } else {
                let p = stage2.keep().map_err(|e| Error::Io(e.error))?;
                (Level::BLt, n, m, p)
            }
        }
    };
    if !same() {
        let _ = std::fs::remove_file(&last);
        return Err(Error::PendingChanged(file.display().to_string()));
    }
    std::fs::rename(&last, file)?;
    Ok(AugmentOutcome {
        output: file.to_path_buf(),
        level: reached,
        signatures: n,
        certificates: m.certs.len(),
        ocsp_responses: m.ocsps.len(),
        crls: m.crls.len(),
        document_timestamp: Some(t),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::testkit::cms as kit;

    #[test]
    fn index_of_adds_an_item_once() {
        let mut list = Vec::new();
        assert_eq!(index_of(&mut list, b"a".to_vec()), 0);
        assert_eq!(index_of(&mut list, b"b".to_vec()), 1);
        assert_eq!(index_of(&mut list, b"a".to_vec()), 0);
        assert_eq!(list, vec![b"a".to_vec(), b"b".to_vec()]);
    }

    fn sig_with(contents: Vec<u8>) -> Dict {
        let mut d = Dict::new();
        d.set(b"Contents", Object::string(contents));
        d
    }

    #[test]
    fn contents_of_drops_the_zero_padding_after_the_cms() {
        let der = kit::signed_data_der(b"x");
        let mut padded = der.clone();
        padded.resize(der.len() + 4000, 0);
        assert_eq!(contents_of(&sig_with(padded)), Some(der));
        // What is not CMS is kept whole (the VRI key is then over what the file holds).
        assert_eq!(contents_of(&sig_with(b"junk".to_vec())), Some(b"junk".to_vec()));
        assert_eq!(contents_of(&Dict::new()), None);
    }

    #[test]
    fn subjects_are_the_signer_and_the_certificates_the_cms_carries() {
        let der = kit::signed_data_der(b"x");
        for doc_ts in [false, true] {
            let (ends, pool) = subjects(&der, doc_ts).unwrap();
            assert_eq!(ends, vec![kit::signer()]);
            assert_eq!(pool, vec![kit::signer()]);
        }
    }

    #[test]
    fn subjects_refuse_what_is_not_a_signature_or_lacks_its_signer() {
        assert_eq!(subjects(b"junk", false).unwrap_err().code(), "CMS");
        // The same signature with its certificate taken out.
        let ci =
            <::cms::content_info::ContentInfo as der::Decode>::from_der(&kit::signed_data_der(b"x")).unwrap();
        let mut sd: ::cms::signed_data::SignedData = ci.content.decode_as().unwrap();
        sd.certificates = None;
        let without = ::cms::content_info::ContentInfo {
            content_type: ci.content_type,
            content: der::Any::encode_from(&sd).unwrap(),
        };
        let r = subjects(&without.to_der().unwrap(), false);
        assert!(
            matches!(r, Err(Error::Cms(crate::cms::CmsError::Malformed(m))) if m.contains("signer's certificate")),
            "{r:?}"
        );
    }
}
