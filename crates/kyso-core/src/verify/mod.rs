//! Verification: document → revisions and signatures → checks → report.
//!
//! A failed check is a finding in the report, never an `Err`; a file that cannot be read at
//! all gets a file-level error. Hostile input never panics: every structure is read through
//! the bounded PDF and CMS readers.

// Parts under this module's API: public only with the `internals` feature (see lib.rs).
internal! {
    certificate;
    diff;
    finding;
}
pub mod headline;
mod pdf_signature;
pub mod report;
mod signed_data;
mod xmldsig;

use std::fs::File;
use std::path::Path;

use x509_cert::Certificate;

use crate::crypto::{HashAlg, Hasher};
use crate::pdf::byterange::stream_range;
use crate::pdf::object::decode_text;
use crate::pdf::source::{FileSource, Source};
use crate::pdf::{self, Object, Pdf};
use crate::timefmt;
use crate::trust::tst as timestamp;
pub use report::*;
pub use xmldsig::{verify_xml, verify_xml_bytes};

/// Revocation data stored in the document (DSS CRLs, DSS OCSP responses).
type DocRevocation<'a> = (&'a [Vec<u8>], &'a [Vec<u8>]);

/// What to trust and when.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// Trust anchors.
    pub anchors: Vec<Certificate>,
    /// Intermediate certificates offered to path building (real documents often omit them).
    pub intermediates: Vec<Certificate>,
    /// Never use the network.
    pub offline: bool,
    /// Online, the local-network servers addresses inside certificates may lead to.
    pub network: crate::net::NetPolicy,
    /// "Now" for validity checks (Unix seconds); the current time when `None`.
    pub now: Option<i64>,
    /// The hierarchy of each anchor (SHA-256 → official / public); others are `other`.
    pub systems: std::collections::HashMap<String, crate::trust::System>,
    /// Where revocation data and intermediates met while verifying are kept, and read back
    /// when the network is off (the user's data folder); `None` keeps nothing.
    pub cache: Option<crate::trust::cache::Cache>,
}

impl VerifyOptions {
    /// Checking with `trust` (anchors and intermediates), online unless `offline`.
    pub fn new(trust: crate::trust::Material, offline: bool) -> Self {
        Self {
            anchors: trust.anchors,
            intermediates: trust.intermediates,
            offline,
            network: trust.network,
            now: None,
            systems: trust.systems,
            cache: None,
        }
    }

    /// The network rules when checking online; `None` offline.
    pub fn online(&self) -> Option<&crate::net::NetPolicy> {
        (!self.offline).then_some(&self.network)
    }

    /// Keeps (and, offline, uses) revocation data and intermediates in the data folder `data`.
    pub fn with_cache(mut self, data: &Path) -> Self {
        self.cache = Some(crate::trust::cache::Cache::new(data));
        self
    }
}

/// Verifies many files on all cores (a clerk's inbox), reports in the order given;
/// `progress` hears of each finished file. One broken file never stops the others.
pub fn verify_many(
    paths: &[std::path::PathBuf],
    content: Option<&Path>,
    opts: &VerifyOptions,
    progress: &(dyn Fn(usize, &Path) + Sync),
) -> Vec<FileReport> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len().max(1));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Option<FileReport>>> =
        paths.iter().map(|_| std::sync::Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = paths.get(i) else { break };
                let r = verify_path(p, content, opts);
                if let Some(slot) = slots.get(i) {
                    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
                }
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, p);
            });
        }
    });
    slots
        .into_iter()
        .zip(paths)
        .map(|(m, p)| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| {
                    FileReport::failed(
                        p.display().to_string(),
                        "INTERNAL",
                        Message::new("Lỗi nội bộ.", "Internal error."),
                    )
                })
        })
        .collect()
}

/// Verifies one path: a PDF, an XML file, or a detached `.p7s` with its content file.
pub fn verify_path(path: &Path, content: Option<&Path>, opts: &VerifyOptions) -> FileReport {
    let shown = path.display().to_string();
    let is_p7s = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("p7s") || e.eq_ignore_ascii_case("p7m"));
    if is_p7s {
        let inferred = path.with_extension("");
        let content = content
            .map(Path::to_path_buf)
            .or_else(|| inferred.exists().then_some(inferred));
        return match content {
            Some(c) => verify_detached(path, &c, opts),
            None => FileReport::failed(
                shown,
                "CONTENT_MISSING",
                Message::new(
                    "Không tìm thấy tệp gốc đã ký; hãy chỉ ra tệp gốc (đặt cùng thư mục, cùng tên, không có đuôi .p7s).",
                    "The signed file was not found; name the original file (same folder and name, without .p7s).",
                ),
            ),
        };
    }
    if crate::xml::is_xml(path) {
        return verify_xml(path, opts);
    }
    verify_pdf(path, opts)
}

fn io_failure(path: String, e: &dyn std::fmt::Display) -> FileReport {
    FileReport::failed(
        path,
        "IO",
        Message::new(
            format!("Không đọc được tệp: {e}"),
            format!("The file cannot be read: {e}"),
        ),
    )
}

/// Verifies every signature in a PDF file.
pub fn verify_pdf(path: &Path, opts: &VerifyOptions) -> FileReport {
    let shown = path.display().to_string();
    match File::open(path).and_then(FileSource::new) {
        Ok(f) => verify_source(f, shown, opts),
        Err(e) => io_failure(shown, &e),
    }
}

/// Verifies every signature in a PDF held by any source (file or bytes in memory).
pub fn verify_source<S: Source>(src: S, shown: String, opts: &VerifyOptions) -> FileReport {
    let pdf = match Pdf::open(src) {
        Ok(p) => p,
        Err(pdf::PdfError::NotPdf) => {
            return FileReport::failed(
                shown,
                "NOT_PDF",
                Message::new("Tệp không phải là PDF.", "The file is not a PDF."),
            )
        }
        Err(e) => return damaged(shown, &e),
    };
    if let Some(report) = encrypted(&pdf, &shown) {
        return report;
    }
    let result = pdf_signatures(&pdf, opts);
    // Whatever was found, a document that ran out of its budget was not fully checked.
    if pdf.budget().exhausted().is_some() {
        return too_complex(shown);
    }
    match result {
        Ok(mut signatures) => {
            signatures.extend(pdf_signature::orphan_signatures(&pdf, &signatures));
            pdf_signature::conflicting_definitions(&pdf, &mut signatures);
            FileReport::conclude(shown, pdf.sections.len().max(1), signatures)
        }
        Err(e) => damaged(shown, &e),
    }
}

/// A document Kyso cannot decrypt: its strings and streams cannot be read, so nothing can be
/// judged (an empty user password — "protected" against copying only — is read normally).
fn encrypted<S: Source>(pdf: &Pdf<S>, shown: &str) -> Option<FileReport> {
    let (vi, en) = match pdf.encryption() {
        pdf::reader::Encryption::None | pdf::reader::Encryption::EmptyPassword { .. } => return None,
        pdf::reader::Encryption::Password => (
            "Tệp PDF được đặt mật khẩu mở tệp nên không kiểm tra được chữ ký; đề nghị nơi gửi gửi bản không đặt mật khẩu.".to_string(),
            "The PDF needs a password to open, so its signatures cannot be checked; ask the sender for a copy without a password.".to_string(),
        ),
        pdf::reader::Encryption::Unsupported(why) => (
            format!("Tệp PDF được mã hoá theo cách Kyso chưa đọc được ({why}) nên không kiểm tra được chữ ký; đề nghị nơi gửi gửi bản không mã hoá."),
            format!("The PDF is encrypted in a way Kyso cannot read ({why}), so its signatures cannot be checked; ask the sender for an unencrypted copy."),
        ),
    };
    Some(FileReport::failed(
        shown.to_string(),
        "ENCRYPTED_PDF",
        Message::new(vi, en),
    ))
}

fn too_complex(shown: String) -> FileReport {
    FileReport::failed(
        shown,
        "TOO_COMPLEX",
        Message::new(
            "Tệp quá phức tạp để kiểm tra một cách an toàn; đề nghị nơi gửi gửi một bản khác.",
            "This file is too complex to check safely; ask the sender for another copy.",
        ),
    )
}

fn damaged(shown: String, e: &pdf::PdfError) -> FileReport {
    if matches!(e, pdf::PdfError::TooComplex(_)) {
        return too_complex(shown);
    }
    FileReport::failed(
        shown,
        "DAMAGED_PDF",
        Message::new(
            format!("Tệp PDF bị hỏng: {e}"),
            format!("The PDF is damaged: {e}"),
        ),
    )
}

fn pdf_signatures<S: Source>(
    pdf: &Pdf<S>,
    opts: &VerifyOptions,
) -> Result<Vec<SignatureReport>, pdf::PdfError> {
    let (_, catalog) = pdf::catalog(pdf)?;
    let doc_crls = certificate::revocation::dss_items(pdf, &catalog, b"CRLs");
    let doc_ocsps = certificate::revocation::dss_items(pdf, &catalog, b"OCSPs");
    // Certificates in the DSS (PAdES B-LT) complete chains like imported intermediates.
    let dss_certs: Vec<Certificate> = certificate::revocation::dss_items(pdf, &catalog, b"Certs")
        .iter()
        .flat_map(|d| crate::cms::bundle::certificates(d))
        .collect();
    let with_dss;
    let opts = if dss_certs.is_empty() {
        opts
    } else {
        let mut o = opts.clone();
        o.intermediates.extend(dss_certs);
        with_dss = o;
        &with_dss
    };
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for f in pdf::fields(pdf, &catalog)? {
        if f.field_type.as_deref() != Some(b"Sig") {
            continue;
        }
        let Some(v) = &f.value else { continue };
        if let Some(r) = v.as_ref() {
            if seen.contains(&r) {
                continue; // one signature dictionary referenced by several fields: check once
            }
            seen.push(r);
        }
        let Some(sig) = pdf.resolve(v)?.as_dict().cloned() else {
            continue;
        };
        out.push(pdf_signature::check(
            pdf,
            &f.name,
            &sig,
            opts,
            (&doc_crls, &doc_ocsps),
        ));
    }
    Ok(out)
}

struct Eval {
    report: SignatureReport,
}

impl Eval {
    fn new(field: &str, kind: SignatureKind, sub_filter: Option<String>) -> Self {
        Self {
            report: SignatureReport {
                field: field.to_string(),
                sub_filter,
                kind,
                indication: Indication::TotalPassed,
                sub_indication: None,
                message: Message::new("", ""),
                findings: Vec::new(),
                signer: None,
                certificate_sha256: None,
                certificate_not_before: None,
                certificate_not_after: None,
                claimed_time: None,
                claimed_time_source: None,
                claimed_time_vietnam: None,
                has_timestamp: false,
                timestamp: None,
                reason: None,
                location: None,
                integrity: Integrity::default(),
                coverage: Coverage::WholeFile,
                byte_range: None,
                signed_revision: None,
                later_revisions: 0,
                changes: Vec::new(),
                chain: ChainReport::default(),
                certificate_valid_at_time: None,
                revocation: Revocation::NotChecked,
                revocation_source: None,
                certificate: None,
                certificate_serial: None,
                xml: None,
            },
        }
    }

    /// Records a timestamp's evidence: the first one seen, replaced by the first one that
    /// counts as proof (`trusted`).
    fn record_timestamp(&mut self, info: &timestamp::TimestampInfo, trusted: bool) {
        if self
            .report
            .timestamp
            .as_ref()
            .is_some_and(|t| t.trusted || !trusted)
        {
            return;
        }
        self.report.timestamp = Some(report::TimestampReport {
            time: timefmt::rfc3339(info.time),
            time_vietnam: timefmt::vietnam(info.time),
            tsa: info.tsa.clone(),
            trusted,
        });
    }

    /// Records a typed finding — every finding of a signature is one: its sentences with its
    /// code, and its effect on the verdict.
    fn find(&mut self, f: impl finding::TypedFinding) {
        self.report.findings.push(f.words().with_code(f.code()));
        if let Some((ind, sub)) = f.verdict() {
            self.worsen(ind, sub);
        }
    }

    /// The worst indication wins, and the first sub-indication at that level.
    fn worsen(&mut self, ind: Indication, sub: SubIndication) {
        if ind > self.report.indication {
            self.report.indication = ind;
            self.report.sub_indication = Some(sub);
        }
    }

    fn finish(mut self) -> SignatureReport {
        let r = &mut self.report;
        r.message = headline::headline(r.indication, r.sub_indication);
        self.report
    }
}

/// The codes of what `ev` found, in order (for the checks' unit tests).
#[cfg(test)]
pub(in crate::verify) fn codes(ev: &Eval) -> Vec<&'static str> {
    ev.report.findings.iter().filter_map(|m| m.code).collect()
}

/// A signature report with nothing found yet (for other modules' unit tests).
#[cfg(test)]
pub(crate) fn blank_report(field: &str, kind: SignatureKind) -> SignatureReport {
    Eval::new(field, kind, None).report
}

fn text_of(d: &pdf::Dict, key: &[u8]) -> Option<String> {
    d.get(key).and_then(Object::as_str_bytes).map(decode_text)
}

/// Verifies a detached CMS signature over `content`.
pub fn verify_detached(p7s: &Path, content: &Path, opts: &VerifyOptions) -> FileReport {
    let shown = p7s.display().to_string();
    let cms = match std::fs::metadata(p7s) {
        Ok(m) if m.len() > 64 << 20 => {
            return FileReport::failed(
                shown,
                "TOO_LARGE",
                Message::new("Tệp chữ ký quá lớn.", "The signature file is too large."),
            )
        }
        Ok(_) => match std::fs::read(p7s) {
            Ok(b) => b,
            Err(e) => return io_failure(shown, &e),
        },
        Err(e) => return io_failure(shown, &e),
    };
    // PEM-armoured .p7s files exist too.
    let cms = crate::cms::bundle::der_or_pem(&cms);
    let src = match File::open(content).and_then(FileSource::new) {
        Ok(s) => s,
        Err(e) => return io_failure(content.display().to_string(), &e),
    };
    let mut digest_of = |h: HashAlg| -> std::io::Result<Vec<u8>> {
        let mut hasher = Hasher::new(h);
        stream_range(&src, 0, src.len(), &mut |b| hasher.update(b))?;
        Ok(hasher.finish())
    };
    let name = content
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut ev = Eval::new(&name, SignatureKind::Signature, Some("CAdES".into()));
    let signed = signed_data::Signed {
        digest_of: &mut digest_of,
        claimed: None,
        pades: false,
        sha1_subfilter: false,
    };
    signed_data::check(&mut ev, &cms, signed, opts, (&[], &[]));
    FileReport::conclude(shown, 1, vec![ev.finish()])
}
