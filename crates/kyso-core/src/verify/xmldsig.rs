//! XML files: every `Signature` element gets the same report as a PDF signature — the same
//! indications and bilingual sentences, the same certificate judgement (chain, validity at
//! the claimed time, revocation) — with what is XML-specific in `xml` (the form, the slot,
//! the references). The findings themselves come from `crate::xml::verify`.

use std::path::Path;

use der::Decode;
use x509_cert::Certificate;

use super::{
    certificate, signed_data, Coverage, Eval, FileReport, Indication, Message, SignatureReport,
    SubIndication, VerifyOptions, XmlReferenceReport, XmlReport,
};
use crate::cert;
use crate::timefmt;
use crate::xml::dom::Limits;
use crate::xml::verify::{self as xv, Checked, Problem, ValueCheck, XmlSignatureFinding};
use crate::xml::XmlError;

/// Verifies every signature in an XML file.
pub fn verify_xml(path: &Path, opts: &VerifyOptions) -> FileReport {
    let shown = path.display().to_string();
    let limit = Limits::default().max_bytes;
    let data = match std::fs::metadata(path) {
        Ok(m) if m.len() > limit as u64 => {
            return file_error(
                shown,
                &XmlError::TooLarge {
                    size: usize::try_from(m.len()).unwrap_or(usize::MAX),
                    limit,
                },
            )
        }
        Ok(_) => match std::fs::read(path) {
            Ok(d) => d,
            Err(e) => return super::io_failure(shown, &e),
        },
        Err(e) => return super::io_failure(shown, &e),
    };
    verify_xml_bytes(&data, shown, opts)
}

/// Verifies every signature in XML held in memory (the bridge's `VerifyXML`).
pub fn verify_xml_bytes(xml: &[u8], shown: String, opts: &VerifyOptions) -> FileReport {
    match xv::signatures(xml, &xv::VerifyOptions::default()) {
        Ok(checked) => {
            let reports = checked
                .signatures
                .iter()
                .map(|f| signature_report(f, &checked, opts))
                .collect();
            FileReport::conclude(shown, 1, reports)
        }
        Err(e) => file_error(shown, &e),
    }
}

/// The file-level failure for an XML file that cannot be read safely.
fn file_error(shown: String, e: &XmlError) -> FileReport {
    let m = match e {
        XmlError::Dtd => Message::new(
            "Tệp XML có khai báo DTD (<!DOCTYPE …>): bị từ chối, vì DTD có thể dùng để tấn công phần mềm đọc tệp (entity); tệp ký số không có DTD.",
            "The XML file declares a DTD (<!DOCTYPE …>): refused, since DTD entities can be used to attack the reader; signed forms have none.",
        ),
        XmlError::TooDeep => Message::new(
            "Tệp XML lồng nhau quá sâu: bị từ chối.",
            "The XML file is nested too deeply: refused.",
        ),
        XmlError::TooLarge { size, limit } => Message::new(
            format!("Tệp XML quá lớn ({size} byte; giới hạn {limit})."),
            format!("The XML file is too large ({size} bytes; the limit is {limit})."),
        ),
        XmlError::NotUtf8 => Message::new(
            "Tệp XML không phải văn bản UTF-8.",
            "The XML file is not UTF-8 text.",
        ),
        other => Message::new(
            format!("Tệp XML không đúng cú pháp: {other}"),
            format!("The XML file is not well-formed: {other}"),
        ),
    };
    FileReport::failed(shown, e.code(), m)
}

fn flag_problem(ev: &mut Eval, p: &Problem, form: Option<&str>) {
    use Indication::{Indeterminate, TotalFailed};
    use SubIndication as S;
    let wrapping_vi = "dấu hiệu giả mạo kiểu “bọc chữ ký” (signature wrapping)";
    let wrapping_en = "a sign of signature wrapping";
    match p {
        Problem::Malformed(m) => ev.flag(
            TotalFailed,
            S::FormatFailure,
            format!("Chữ ký XML sai cấu trúc: {m}."),
            format!("The XML signature is malformed: {m}."),
        ),
        Problem::UnsupportedAlgorithm(a) => ev.flag(
            Indeterminate,
            S::SignatureAlgorithmUnsupported,
            format!("Thuật toán {a} chưa được hỗ trợ."),
            format!("Algorithm {a} is not supported."),
        ),
        Problem::UnsupportedTransform(t) => ev.flag(
            Indeterminate,
            S::SignatureAlgorithmUnsupported,
            format!("Chữ ký dùng phép biến đổi {t}, Kyso không thực hiện (XSLT, XPath có thể bị lợi dụng): không kiểm tra được phần đã ký."),
            format!("The signature uses the transform {t}, which Kyso does not run (XSLT and XPath can be abused): what was signed cannot be checked."),
        ),
        Problem::ExternalReference(u) => ev.flag(
            TotalFailed,
            S::FormatFailure,
            format!("Chữ ký tham chiếu tới dữ liệu ngoài tệp ({u}); Kyso không tải dữ liệu ngoài: chữ ký này không ký nội dung của tệp."),
            format!("The signature references data outside the file ({u}); Kyso never fetches it: this signature does not sign the file's content."),
        ),
        Problem::TargetMissing(u) => ev.flag(
            TotalFailed,
            S::FormatFailure,
            format!("Phần được ký ({u}) không có trong tệp."),
            format!("The signed part ({u}) is not in the file."),
        ),
        Problem::DuplicateId(id, n) => ev.flag(
            TotalFailed,
            S::FormatFailure,
            format!("Id \"{id}\" xuất hiện {n} lần trong tệp: không xác định được phần nào đã được ký — {wrapping_vi}."),
            format!("The Id \"{id}\" occurs {n} times in the file: which part was signed is ambiguous — {wrapping_en}."),
        ),
        Problem::DigestMismatch(u) => ev.flag(
            TotalFailed,
            S::HashFailure,
            format!("Nội dung phần được ký ({u}) đã bị thay đổi sau khi ký (mã băm không khớp)."),
            format!("The signed part ({u}) was changed after signing (digest mismatch)."),
        ),
        Problem::SignatureValueInvalid => ev.flag(
            TotalFailed,
            S::SigCryptoFailure,
            "Giá trị chữ ký không khớp với chứng thư số của người ký.",
            "The signature value does not match the signer's certificate.",
        ),
        Problem::NoCertificate => ev.flag(
            Indeterminate,
            S::NoSigningCertificateFound,
            "Chữ ký không kèm chứng thư số của người ký (X509Certificate).",
            "The signature does not include the signer's certificate (X509Certificate).",
        ),
        Problem::BadCertificate(m) => ev.flag(
            Indeterminate,
            S::NoSigningCertificateFound,
            format!("Không đọc được chứng thư số trong chữ ký: {m}."),
            format!("A certificate in the signature cannot be read: {m}."),
        ),
        Problem::SubjectNameMismatch => ev.note(
            "Tên ghi trong X509SubjectName khác với chủ thể của chứng thư số.",
            "The name in X509SubjectName differs from the certificate's subject.",
        ),
        Problem::UnexpectedTarget { expected, found } => ev.flag(
            TotalFailed,
            S::FormatFailure,
            format!(
                "Chữ ký không ký phần mà mẫu {} yêu cầu ({expected}); nó ký: {found} — {wrapping_vi}.",
                form.unwrap_or("")
            ),
            format!(
                "The signature does not sign the part the {} form requires ({expected}); it signs: {found} — {wrapping_en}.",
                form.unwrap_or("")
            ),
        ),
        Problem::TargetInsideSignature(p) => ev.flag(
            TotalFailed,
            S::FormatFailure,
            format!("Phần được ký nằm bên trong một chữ ký ({p}) — {wrapping_vi}."),
            format!("The signed part lies inside a signature ({p}) — {wrapping_en}."),
        ),
        Problem::UnexpectedLocation(m) => ev.flag(
            TotalFailed,
            S::FormatFailure,
            format!("Chữ ký không nằm ở vị trí ký của mẫu ({m}): chữ ký đã bị di chuyển."),
            format!("The signature is not in one of the form's signature places ({m}): it was moved."),
        ),
        Problem::Weak(w) => ev.flag(
            Indeterminate,
            S::CryptoConstraintsFailureNoPoe,
            format!("Chữ ký dùng SHA-1 ({w}), thuật toán không còn an toàn."),
            format!("The signature uses SHA-1 ({w}), which is no longer secure."),
        ),
        Problem::SigningTimeUnsigned => ev.note(
            "Thời gian ký (SigningTime) không nằm trong phần được ký: có thể đã bị sửa, nên không được dùng.",
            "The signing time (SigningTime) is not covered by the signature: it may have been changed, so it is not used.",
        ),
    }
}

fn signature_report(f: &XmlSignatureFinding, checked: &Checked, opts: &VerifyOptions) -> SignatureReport {
    let field = f.id.clone().unwrap_or_else(|| f.path.clone());
    let mut ev = Eval::new(&field, "signature", Some("XMLDSig".into()));
    ev.report.coverage = Coverage::Elements;
    let form = checked.form.map(|x| x.as_str());
    ev.report.xml = Some(XmlReport {
        profile: form.map(str::to_string),
        slot: f.slot.map(str::to_string),
        path: f.path.clone(),
        reference: f
            .references
            .iter()
            .find(|r| !r.is_signature_property)
            .and_then(|r| r.target_path.clone()),
        references: f
            .references
            .iter()
            .map(|r| XmlReferenceReport {
                uri: r.uri.clone(),
                target: r.target_path.clone(),
                digest_ok: r.digest_ok,
            })
            .collect(),
        canonicalization: f.c14n.clone(),
    });
    ev.report.integrity.signature_algorithm = f.signature_method.clone();
    ev.report.integrity.digest_algorithm = f
        .references
        .first()
        .and_then(|r| r.digest)
        .or(f.algorithm.map(|(_, h)| h))
        .map(|h| h.name().into());
    ev.report.integrity.digest_matches =
        (!f.references.is_empty()).then(|| f.references.iter().all(|r| r.digest_ok));
    ev.report.integrity.signature_valid = match &f.value {
        ValueCheck::Valid => Some(true),
        ValueCheck::Invalid => Some(false),
        ValueCheck::NotChecked(_) => None,
    };
    let signer = f
        .signer_cert_der
        .as_deref()
        .and_then(|d| Certificate::from_der(d).ok());
    if let Some(c) = &signer {
        ev.report.signer = Some(cert::identity(c));
        ev.report.certificate_sha256 = Some(cert::fingerprint(c));
        ev.report.certificate_serial = Some(hex::encode(c.tbs_certificate.serial_number.as_bytes()));
        let (nb, na) = cert::validity(c);
        ev.report.certificate_not_before = Some(timefmt::rfc3339(nb));
        ev.report.certificate_not_after = Some(timefmt::rfc3339(na));
    }
    for p in &f.problems {
        flag_problem(&mut ev, p, form);
    }
    // An Id twice elsewhere in the file does not touch this signature's references (those
    // are failures above), but a clerk should know.
    for (id, n) in &checked.duplicate_ids {
        if !f.problems.contains(&Problem::DuplicateId(id.clone(), *n)) {
            ev.note(
                format!("Id \"{id}\" xuất hiện {n} lần trong tệp (chữ ký này không tham chiếu tới nó)."),
                format!(
                    "The Id \"{id}\" occurs {n} times in the file (this signature does not reference it)."
                ),
            );
        }
    }

    // The signing time the signature claims (the forms' SigningTime), when it is signed.
    let claimed = claimed_time(&mut ev, f, opts);

    if f.value == ValueCheck::Valid {
        if let Some(signer) = &signer {
            signed_data::key_size(&mut ev, signer);
            let embedded: Vec<Certificate> = f
                .other_certs_der
                .iter()
                .filter_map(|d| Certificate::from_der(d).ok())
                .collect();
            let evidence = certificate::Evidence {
                embedded: &embedded,
                crls: &[],
                ocsps: &[],
                claimed,
                poe: None,
            };
            certificate::judge(&mut ev, signer, &evidence, opts);
        }
    }
    ev.finish()
}

/// Records the claimed signing time and its notes; returns it when it can be used (signed).
fn claimed_time(ev: &mut Eval, f: &XmlSignatureFinding, opts: &VerifyOptions) -> Option<i64> {
    let st = f.signing_time.as_ref()?;
    let Some(instant) = st.instant else {
        ev.note(
            format!("Không đọc được thời gian ký \"{}\".", st.raw.trim()),
            format!("The signing time \"{}\" cannot be read.", st.raw.trim()),
        );
        return None;
    };
    let t = instant.unix_timestamp();
    let unsigned = f.problems.contains(&Problem::SigningTimeUnsigned);
    ev.report.claimed_time = Some(timefmt::rfc3339(t));
    ev.report.claimed_time_vietnam = Some(timefmt::vietnam(t));
    ev.report.claimed_time_source = Some(
        if unsigned {
            "SigningTime (unsigned)"
        } else {
            "SigningTime"
        }
        .into(),
    );
    if st.zone_assumed {
        ev.note(
            format!(
                "Thời gian ký \"{}\" không ghi múi giờ; được hiểu là giờ Việt Nam (UTC+7).",
                st.raw.trim()
            ),
            format!(
                "The signing time \"{}\" has no time zone; it is read as Vietnam time (UTC+7).",
                st.raw.trim()
            ),
        );
    }
    // XMLDSig has no timestamp to compare with; a time in the future is the tell-tale of
    // tools that write Vietnam time as UTC (7 hours ahead).
    let now = opts.now.unwrap_or_else(timefmt::now);
    let ahead = t - now;
    if ahead > 600 {
        if ahead <= 7 * 3600 + 600 {
            ev.note(
                "Thời gian ký khai báo ở tương lai, lệch tới +7 giờ: phần mềm ký có thể đã ghi giờ Việt Nam như giờ UTC.",
                "The claimed signing time is in the future, by up to +7 h: the signing software may have written Vietnam time as UTC.",
            );
        } else {
            ev.note(
                "Thời gian ký khai báo ở tương lai: đồng hồ máy ký có thể sai.",
                "The claimed signing time is in the future: the signer's clock may be wrong.",
            );
        }
    }
    (!unsigned).then_some(t)
}
