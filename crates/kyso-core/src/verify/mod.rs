//! Verification: document → revisions and signatures → checks → report.
//!
//! A failed check is a finding in the report, never an `Err`; a file that cannot be read at
//! all gets a file-level error. Hostile input never panics: every structure is read through
//! the bounded PDF and CMS readers.

pub mod certificate;
pub mod diff;
pub mod finding;
pub mod headline;
pub mod report;
mod signed_data;
mod xmldsig;

use std::fs::File;
use std::path::Path;

use x509_cert::Certificate;

use crate::cert;
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
            signatures.extend(orphan_signatures(&pdf, &signatures));
            flag_conflicting_definitions(&pdf, &mut signatures);
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

/// An object that one cross-reference section defines twice, differently, means one thing in
/// one viewer and another in the next (most take the first definition, some the last): what
/// the signer saw cannot be known, so no signature in the file can pass.
fn flag_conflicting_definitions<S: Source>(pdf: &Pdf<S>, signatures: &mut [SignatureReport]) {
    let conflicts = pdf.conflicts();
    let Some((section, c)) = conflicts.first() else {
        return;
    };
    let revision = pdf.sections.len() - section;
    let more = conflicts.len() - 1;
    let (vi, en) = (
        format!(
            "Bảng tham chiếu chéo của phiên bản {revision} khai báo đối tượng {} hai lần với nội dung khác nhau{}: mỗi phần mềm đọc có thể hiển thị một nội dung khác, không biết người ký đã thấy gì (dấu hiệu can thiệp).",
            c.num,
            if more > 0 { format!(" (và {more} đối tượng khác)") } else { String::new() }
        ),
        format!(
            "The cross-reference section of revision {revision} defines object {} twice, differently{}: viewers may show different content, so what the signer saw cannot be known (a sign of tampering).",
            c.num,
            if more > 0 { format!(" (and {more} more objects)") } else { String::new() }
        ),
    );
    for s in signatures.iter_mut() {
        let mut ev = Eval { report: s.clone() };
        ev.flag(
            Indication::TotalFailed,
            SubIndication::FormatFailure,
            vi.clone(),
            en.clone(),
        );
        *s = ev.finish();
    }
}

/// Signature dictionaries still in the file that no form field reaches (a tool re-saved the
/// file after signing and dropped the fields, or rewrote it so the byte ranges no longer fit):
/// the file carries signatures that no longer cover it, which a clerk must be told.
fn orphan_signatures<S: Source>(pdf: &Pdf<S>, found: &[SignatureReport]) -> Vec<SignatureReport> {
    let known: Vec<&Vec<u64>> = found.iter().filter_map(|s| s.byte_range.as_ref()).collect();
    // A trailer's /AuthCode (ISO/TS 32004 document MAC, written by pyHanko's encryption)
    // has a /ByteRange too; it is not a signature.
    let macs: Vec<Vec<u64>> = pdf
        .sections
        .iter()
        .filter_map(|s| s.trailer.get(b"AuthCode"))
        .filter_map(|a| pdf.resolve(a).ok())
        .filter_map(|a| {
            a.as_dict()?
                .get(b"ByteRange")?
                .as_array()?
                .iter()
                .map(|o| o.as_int().and_then(|i| u64::try_from(i).ok()))
                .collect::<Option<Vec<u64>>>()
        })
        .collect();
    let mut out = Vec::new();
    for (i, br) in scan_byte_ranges(pdf.source()).into_iter().enumerate() {
        if known.contains(&&br) || macs.contains(&br) || out.len() >= 100 {
            continue;
        }
        let mut ev = Eval::new(&format!("(orphan signature {})", i + 1), "signature", None);
        ev.report.byte_range = Some(br.clone());
        ev.report.coverage = Coverage::Invalid;
        let fits = br.len() == 4 && br[2].checked_add(br[3]).is_some_and(|e| e <= pdf.len());
        let (vi, en) = if fits {
            (
                "Tệp có chữ ký nhưng chữ ký đó không còn gắn với văn bản (ô chữ ký đã bị xoá khi tệp được lưu lại sau khi ký): văn bản đã bị thay đổi sau khi ký.",
                "The file carries a signature that is no longer attached to the document (its field was removed when the file was saved again after signing): the document was changed after signing.",
            )
        } else {
            (
                "Tệp có chữ ký nhưng vùng ký không còn khớp với tệp: tệp đã được lưu lại (thay đổi) sau khi ký, chữ ký không còn giá trị cho nội dung hiện tại.",
                "The file carries a signature whose signed range no longer fits the file: it was saved again (changed) after signing, so the signature does not cover what is there now.",
            )
        };
        ev.flag(Indication::TotalFailed, SubIndication::FormatFailure, vi, en);
        let mut r = ev.finish();
        r.message = Message::new(vi, en);
        out.push(r);
    }
    out
}

/// Every `/ByteRange [a b c d]` in the raw bytes (signature dictionaries are never in object
/// streams, whose /Contents could not be patched in place).
fn scan_byte_ranges<S: Source + ?Sized>(src: &S) -> Vec<Vec<u64>> {
    const KEY: &[u8] = b"/ByteRange";
    let finder = memchr::memmem::Finder::new(KEY);
    let mut out = Vec::new();
    let chunk = 4 << 20;
    let mut pos = 0u64;
    while pos < src.len() {
        let Ok(w) = src.window(pos, chunk + 256) else {
            break;
        };
        for at in finder.find_iter(&w) {
            if at >= chunk && pos + (chunk as u64) < src.len() {
                break; // the next window sees it
            }
            let tail = &w[at + KEY.len()..w.len().min(at + KEY.len() + 200)];
            let Some(end) = tail.iter().position(|&b| b == b']') else {
                continue;
            };
            let nums: Vec<u64> = String::from_utf8_lossy(&tail[..end])
                .replace('[', " ")
                .split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect();
            if nums.len() == 4 && !out.contains(&nums) {
                out.push(nums);
            }
            if out.len() > 1000 {
                return out;
            }
        }
        if w.len() <= chunk {
            break;
        }
        pos += chunk as u64;
    }
    out
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
        out.push(check_pdf_signature(
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
    fn new(field: &str, kind: &str, sub_filter: Option<String>) -> Self {
        Self {
            report: SignatureReport {
                field: field.to_string(),
                sub_filter,
                kind: kind.to_string(),
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
                revocation: "NOT_CHECKED".into(),
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

    fn note(&mut self, vi: impl Into<String>, en: impl Into<String>) {
        self.report.findings.push(Message::new(vi, en));
    }

    /// Records a problem; the worst indication wins, and the first sub-indication at that level.
    fn flag(&mut self, ind: Indication, sub: SubIndication, vi: impl Into<String>, en: impl Into<String>) {
        self.note(vi, en);
        self.worsen(ind, sub);
    }

    /// Records a typed finding: its sentences with its code, and its effect on the verdict.
    fn find(&mut self, f: impl finding::TypedFinding) {
        self.report.findings.push(f.words().with_code(f.code()));
        if let Some((ind, sub)) = f.verdict() {
            self.worsen(ind, sub);
        }
    }

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

/// A signature report with nothing found yet (for other modules' unit tests).
#[cfg(test)]
pub(crate) fn blank_report(field: &str, kind: &str) -> SignatureReport {
    Eval::new(field, kind, None).report
}

fn text_of(d: &pdf::Dict, key: &[u8]) -> Option<String> {
    d.get(key).and_then(Object::as_str_bytes).map(decode_text)
}

fn check_pdf_signature<S: Source>(
    pdf: &Pdf<S>,
    field: &str,
    sig: &pdf::Dict,
    opts: &VerifyOptions,
    doc_revocation: DocRevocation<'_>,
) -> SignatureReport {
    let sub_filter = sig
        .get_name(b"SubFilter")
        .map(|n| String::from_utf8_lossy(n).into_owned());
    let is_doc_ts = sig.name_is(b"Type", b"DocTimeStamp") || sub_filter.as_deref() == Some("ETSI.RFC3161");
    let mut ev = Eval::new(
        field,
        if is_doc_ts {
            "document-timestamp"
        } else {
            "signature"
        },
        sub_filter.clone(),
    );
    ev.report.reason = text_of(sig, b"Reason");
    ev.report.location = text_of(sig, b"Location");

    let br: Option<Vec<u64>> = sig.get(b"ByteRange").and_then(Object::as_array).and_then(|a| {
        a.iter()
            .map(|o| o.as_int().and_then(|i| u64::try_from(i).ok()))
            .collect::<Option<Vec<u64>>>()
    });
    let contents = sig
        .get(b"Contents")
        .and_then(Object::as_str_bytes)
        .map(<[u8]>::to_vec);
    let (Some(br), Some(contents)) = (br, contents) else {
        ev.flag(
            Indication::TotalFailed,
            SubIndication::FormatFailure,
            "Từ điển chữ ký thiếu /ByteRange hoặc /Contents hợp lệ.",
            "The signature dictionary lacks a valid /ByteRange or /Contents.",
        );
        return ev.finish();
    };
    ev.report.byte_range = Some(br.clone());
    let len = pdf.len();
    let [b0, b1, b2, b3] = br.as_slice() else {
        ev.flag(
            Indication::TotalFailed,
            SubIndication::FormatFailure,
            "/ByteRange phải có đúng 4 số.",
            "/ByteRange must hold exactly four numbers.",
        );
        return ev.finish();
    };
    let (a, hole_end) = (*b1, *b2);
    let end = b2.checked_add(*b3);
    let sane = *b0 == 0 && a < hole_end && end.is_some_and(|e| e <= len);
    let hole_ok = sane && hole_is_contents(pdf.source(), a, hole_end, &contents);
    if !sane || !hole_ok {
        ev.report.coverage = Coverage::Invalid;
        ev.flag(
            Indication::TotalFailed,
            SubIndication::FormatFailure,
            "Vùng ký (/ByteRange) không loại trừ đúng và chỉ phần chữ ký: dấu hiệu giả mạo chữ ký.",
            "The signed byte range does not exclude exactly the signature value: a sign of signature forgery.",
        );
        return ev.finish();
    }
    let end = end.unwrap_or(len);
    // Which revision does it cover?
    // A signature may stop right after `%%EOF` and leave its end-of-line out.
    let revision_index = pdf.sections.iter().position(|s| {
        s.eof_end.is_some_and(|e| {
            e == end
                || (e > end
                    && e - end <= 2
                    && pdf
                        .source()
                        .window(end, (e - end) as usize)
                        .is_ok_and(|w| w.iter().all(|b| *b == b'\r' || *b == b'\n')))
        })
    });
    let tail_is_blank = || {
        usize::try_from(len - end)
            .ok()
            .filter(|n| *n <= 4096)
            .and_then(|n| pdf.source().window(end, n).ok())
            .is_some_and(|t| t.iter().all(|b| b.is_ascii_whitespace() || *b == 0))
    };
    if revision_index == Some(0) && end < len && !tail_is_blank() {
        // Bytes after the signed (and last) revision that no cross-reference section explains:
        // some readers would still show them.
        ev.report.coverage = Coverage::Invalid;
        ev.flag(
            Indication::TotalFailed,
            SubIndication::FormatFailure,
            "Có dữ liệu được nối thêm sau chữ ký mà không phải là một bản cập nhật hợp lệ.",
            "Data was appended after the signature that is not a proper document update.",
        );
        return ev.finish();
    }
    if end == len || revision_index == Some(0) {
        ev.report.coverage = Coverage::WholeFile;
        ev.report.signed_revision = Some(pdf.sections.len().max(1));
    } else if let Some(i) = revision_index {
        ev.report.coverage = Coverage::EarlierRevision;
        ev.report.signed_revision = Some(pdf.sections.len() - i);
        ev.report.later_revisions = i;
        check_later_changes(
            &mut ev,
            pdf,
            i,
            crate::pdf::permissions::FieldLock::of_signature(pdf, sig).as_ref(),
        );
    } else {
        ev.report.coverage = Coverage::Invalid;
        ev.flag(
            Indication::TotalFailed,
            SubIndication::FormatFailure,
            "Chữ ký không bao trùm trọn vẹn một phiên bản của tài liệu.",
            "The signature does not cover a complete version of the document.",
        );
        return ev.finish();
    }
    let claimed = sig
        .get(b"M")
        .and_then(Object::as_str_bytes)
        .and_then(|m| timefmt::parse_pdf_date(&decode_text(m)));
    let src = pdf.source();
    let mut digest_of = |h: HashAlg| -> std::io::Result<Vec<u8>> {
        let mut hasher = Hasher::new(h);
        stream_range(src, 0, a, &mut |b| hasher.update(b))?;
        stream_range(src, hole_end, end, &mut |b| hasher.update(b))?;
        Ok(hasher.finish())
    };
    if is_doc_ts {
        check_document_timestamp(&mut ev, &contents, &mut digest_of, opts, doc_revocation);
        return ev.finish();
    }
    let pades = sub_filter.as_deref() == Some("ETSI.CAdES.detached");
    let sha1_subfilter = sub_filter.as_deref() == Some("adbe.pkcs7.sha1");
    let signed = signed_data::Signed {
        digest_of: &mut digest_of,
        claimed: claimed.map(|t| (t, "/M")),
        pades,
        sha1_subfilter,
    };
    signed_data::check(&mut ev, &contents, signed, opts, doc_revocation);
    ev.finish()
}

/// Judges the revisions appended after the signed one (section index `i`).
fn check_later_changes<S: Source>(
    ev: &mut Eval,
    pdf: &Pdf<S>,
    i: usize,
    lock: Option<&crate::pdf::permissions::FieldLock>,
) {
    let docmdp = pdf::catalog(pdf)
        .ok()
        .and_then(|(_, c)| pdf::permissions::docmdp_level(pdf, &c).ok().flatten());
    if let Some(p) = docmdp {
        let (vi, en) = match p {
            1 => ("không cho phép thay đổi", "no changes allowed"),
            2 => ("cho phép điền biểu mẫu và ký", "form filling and signing allowed"),
            _ => (
                "cho phép điền biểu mẫu, ký và chú thích",
                "form filling, signing and annotations allowed",
            ),
        };
        ev.note(
            format!("Tài liệu được chứng thực (DocMDP P={p}: {vi})."),
            format!("The document is certified (DocMDP P={p}: {en})."),
        );
    }
    match diff::analyse(pdf, i, docmdp, lock) {
        Err(e) => ev.flag(
            Indication::Indeterminate,
            SubIndication::FormatFailure,
            format!("Không phân tích được các thay đổi sau khi ký: {e}"),
            format!("The changes made after signing could not be analysed: {e}"),
        ),
        Ok(d) if d.changes.is_empty() => ev.note(
            format!("Có {i} lần cập nhật sau khi ký, chỉ gồm chữ ký hoặc dữ liệu kiểm tra mới; phần đã ký vẫn nguyên vẹn."),
            format!("{i} update(s) after signing, adding only signatures or validation data; the signed part is intact."),
        ),
        Ok(d) => {
            for c in &d.changes {
                let data = c.finding.data();
                ev.report.changes.push(ChangeReport {
                    object: c.object,
                    page: c.page,
                    what: c.what(),
                    what_vi: c.what_vi(),
                    severity: match c.severity {
                        diff::Severity::Forbidden => "FORBIDDEN".into(),
                        diff::Severity::Suspicious => "SUSPICIOUS".into(),
                    },
                    code: c.code().into(),
                    field: data.field,
                    annotation: data.annotation,
                    rect: data.rect,
                    keys: data.keys,
                    referenced_by: data.referenced_by,
                });
            }
            let forbidden: Vec<&diff::Change> = d.changes.iter().filter(|c| c.severity == diff::Severity::Forbidden).collect();
            let list_in = |cs: &[&diff::Change], vi: bool| {
                cs.iter()
                    .take(5)
                    .map(|c| match (c.page, vi) {
                        (Some(p), false) => format!("{} (page {p}, object {})", c.what(), c.object),
                        (None, false) => format!("{} (object {})", c.what(), c.object),
                        (Some(p), true) => format!("{} (trang {p}, đối tượng {})", c.what_vi(), c.object),
                        (None, true) => format!("{} (đối tượng {})", c.what_vi(), c.object),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            let list = |cs: &[&diff::Change]| list_in(cs, false);
            let list_vi = |cs: &[&diff::Change]| list_in(cs, true);
            if forbidden.is_empty() {
                let all: Vec<&diff::Change> = d.changes.iter().collect();
                ev.flag(
                    Indication::Indeterminate,
                    SubIndication::ChangesNotAllowed,
                    format!("Sau khi ký đã có chú thích được thêm vào; hãy kiểm tra chúng không che nội dung: {}", list_vi(&all)),
                    format!("Annotations were added after signing; check they do not cover content: {}", list(&all)),
                );
            } else {
                ev.flag(
                    Indication::TotalFailed,
                    SubIndication::ChangesNotAllowed,
                    format!("Tài liệu đã bị sửa sau khi ký (nội dung hiển thị có thể khác bản đã ký): {}", list_vi(&forbidden)),
                    format!("The document was changed after signing (what is shown may differ from what was signed): {}", list(&forbidden)),
                );
            }
        }
    }
}

/// The hole `[a, b)` must be exactly `<hex>` and decode to the parsed `/Contents` (Universal
/// Signature Forgery places a different string there).
fn hole_is_contents<S: Source + ?Sized>(src: &S, a: u64, b: u64, contents: &[u8]) -> bool {
    let Ok(n) = usize::try_from(b - a) else {
        return false;
    };
    if n > 64 << 20 {
        return false;
    }
    let Ok(hole) = src.window(a, n) else { return false };
    if hole.len() != n || hole.first() != Some(&b'<') || hole.last() != Some(&b'>') {
        return false;
    }
    let inner: Vec<u8> = hole[1..n - 1]
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let padded = if inner.len() % 2 == 1 {
        let mut v = inner.clone();
        v.push(b'0');
        v
    } else {
        inner
    };
    hex::decode(&padded).is_ok_and(|d| d == contents)
}

fn check_document_timestamp(
    ev: &mut Eval,
    token: &[u8],
    digest_of: &mut dyn FnMut(HashAlg) -> std::io::Result<Vec<u8>>,
    opts: &VerifyOptions,
    doc_revocation: DocRevocation<'_>,
) {
    match timestamp::check_with(token, &mut |h| digest_of(h).ok()) {
        Ok(info) => {
            ev.report.integrity.digest_matches = Some(true);
            ev.report.integrity.signature_valid = Some(true);
            ev.report.claimed_time = Some(timefmt::rfc3339(info.time));
            ev.report.claimed_time_vietnam = Some(timefmt::vietnam(info.time));
            ev.report.claimed_time_source = Some("timestamp".into());
            ev.report.has_timestamp = true;
            ev.report.signer = Some(cert::identity(&info.cert));
            let tsa = info.tsa.clone().unwrap_or_default();
            ev.record_timestamp(&info, false);
            match timestamp::tsa_trust(&info, &opts.intermediates, &opts.anchors) {
                Ok(path) => {
                    if certificate::tsa_usable(ev, &info, &path, doc_revocation, opts) {
                        ev.record_timestamp(&info, true);
                        ev.note(
                            format!("Dấu thời gian tài liệu hợp lệ, do {tsa} cấp."),
                            format!("Valid document timestamp from {tsa}."),
                        );
                    } else {
                        ev.flag(
                            Indication::TotalFailed,
                            SubIndication::Revoked,
                            format!("Đơn vị cấp dấu thời gian {tsa} đã bị thu hồi chứng thư trước thời điểm ghi trong dấu."),
                            format!("The timestamp authority {tsa} had its certificate revoked before the time the timestamp gives."),
                        );
                    }
                }
                Err((vi, en)) => ev.flag(
                    Indication::Indeterminate,
                    SubIndication::NoCertificateChainFound,
                    format!("Không tin cậy được đơn vị cấp dấu thời gian {tsa}: {vi}."),
                    format!("The timestamp authority {tsa} cannot be trusted: {en}."),
                ),
            }
        }
        Err(msg) => {
            // Over other bytes: the document changed after it was timestamped.
            let sub = if msg == timestamp::TokenError::ImprintMismatch {
                SubIndication::HashFailure
            } else {
                SubIndication::FormatFailure
            };
            ev.flag(
                Indication::TotalFailed,
                sub,
                format!("Dấu thời gian tài liệu không hợp lệ: {msg}"),
                format!("Invalid document timestamp: {msg}"),
            )
        }
    }
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
    let mut ev = Eval::new(&name, "signature", Some("CAdES".into()));
    let signed = signed_data::Signed {
        digest_of: &mut digest_of,
        claimed: None,
        pades: false,
        sha1_subfilter: false,
    };
    signed_data::check(&mut ev, &cms, signed, opts, (&[], &[]));
    FileReport::conclude(shown, 1, vec![ev.finish()])
}
