//! The legal verdict of a received document (Decree 30/2020 + Decree 68/2024), a second
//! verdict beside the signature verdict: from the verification report (who signed, with
//! which class and system of certificate, in which order, what changed after) and the
//! document's printed text (the issuing body, the number, the date line, the signature
//! block), read through the fonts as the page shows it. Each check passes, warns, fails or
//! could not be made (a scanned page is never a failure); the wording of every rule is in
//! [`crate::decree::rules`].
//!
//! [`check_many`] is what the CLI, the app and the bridge call: the signature check of every
//! file (on all cores) and then this one.

// Parts under this module's API: public only with the `internals` feature (see lib.rs).
internal! {
    printed;
    text;
}

use std::path::Path;

use crate::decree::rules::say;
use crate::decree::{self, Class, Code, LegalReport, System, Text};
use crate::verify::{self, FileReport, Indication, SignatureReport, VerifyOptions};
use text::Document;

/// Checks every file: signatures ([`verify::verify_many`]), then, for PDFs, the legal
/// verdict in `files[].legal`.
pub fn check_many(
    paths: &[std::path::PathBuf],
    content: Option<&Path>,
    opts: &VerifyOptions,
    progress: &(dyn Fn(usize, &Path) + Sync),
) -> Vec<FileReport> {
    let mut reports = verify::verify_many(paths, content, opts, progress);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(reports.len().max(1));
    let chunk = reports.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        for (rs, ps) in reports.chunks_mut(chunk).zip(paths.chunks(chunk)) {
            s.spawn(move || {
                for (r, p) in rs.iter_mut().zip(ps) {
                    r.legal = Some(check_file(p, r));
                }
            });
        }
    });
    reports
}

/// The legal verdict of the file at `path`, whose signature report is `report`.
pub fn check_file(path: &Path, report: &FileReport) -> LegalReport {
    let is_pdf = !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("p7s") || e.eq_ignore_ascii_case("p7m"));
    if !is_pdf {
        return LegalReport::not_applicable(Text::new(
            "Kiểm tra theo Nghị định 30 chỉ áp dụng cho văn bản PDF.",
            "The Decree 30 check applies to PDF documents.",
        ));
    }
    if report.error.is_some() {
        return unreadable();
    }
    assess_opened(report, text::open_pdf(path))
}

/// [`assess`] with the pages of an opened PDF (none when it did not open: the text checks
/// are then not made).
fn assess_opened<S: crate::pdf::Source>(
    report: &FileReport,
    opened: Option<(crate::pdf::Pdf<S>, crate::pdf::Dict, usize)>,
) -> LegalReport {
    match opened {
        Some((pdf, catalog, count)) => {
            let mut doc = Document::new(count, |i| text::page_lines(&pdf, &catalog, i));
            assess(report, &mut doc)
        }
        None => assess(report, &mut Document::from_pages(Vec::new())),
    }
}

/// The signature report and the legal verdict of a PDF held in memory (what the bridge
/// fetched for a page); `shown` is the name the report gives it.
pub fn check_bytes(bytes: &[u8], shown: String, opts: &VerifyOptions) -> FileReport {
    let mut report = verify::verify_source(bytes, shown, opts);
    let legal = if report.error.is_some() {
        unreadable()
    } else {
        assess_opened(&report, text::open(bytes))
    };
    report.legal = Some(legal);
    report
}

fn unreadable() -> LegalReport {
    LegalReport::not_applicable(Text::new(
        "Không đọc được tệp nên không kiểm tra được theo Nghị định 30.",
        "The file could not be read, so the Decree 30 check was not made.",
    ))
}

/// A signature as the checks see it.
struct Sig<'a> {
    r: &'a SignatureReport,
    class: Option<Class>,
    /// Where it ends in the file: later signatures cover more.
    order: u64,
}

impl Sig<'_> {
    fn name(&self) -> String {
        self.r
            .signer
            .as_ref()
            .and_then(|i| i.common_name.clone())
            .unwrap_or_else(|| self.r.field.clone())
    }

    /// "VĂN PHÒNG (BỘ Y TẾ)": the name and, when different, its organisation.
    fn long_name(&self) -> String {
        let cn = self.name();
        match self.r.signer.as_ref().and_then(|i| i.organization.clone()) {
            Some(o) if decree::norm(&o) != decree::norm(&cn) => format!("{cn} ({o})"),
            _ => cn,
        }
    }

    /// When the signature was made: the proven time, else the claimed one.
    fn time(&self) -> Option<i64> {
        self.r
            .timestamp
            .as_ref()
            .filter(|t| t.trusted)
            .map(|t| t.time.as_str())
            .or(self.r.claimed_time.as_deref())
            .and_then(crate::timefmt::parse_rfc3339)
    }
}

fn signatures(report: &FileReport) -> Vec<Sig<'_>> {
    let mut out: Vec<Sig<'_>> = report
        .signatures
        .iter()
        .filter(|s| s.kind == crate::verify::SignatureKind::Signature)
        .map(|r| Sig {
            r,
            class: r.certificate.as_ref().map(|c| c.class),
            order: r
                .byte_range
                .as_ref()
                .and_then(|b| Some(b.get(2)? + b.get(3)?))
                .unwrap_or(u64::MAX),
        })
        .collect();
    out.sort_by_key(|s| s.order);
    out
}

/// The first page (of the first three) whose text reads as an official document.
fn header_page(doc: &mut Document<'_>) -> Option<usize> {
    (0..doc.count().min(3)).find(|&i| printed::readable(doc.page(i)))
}

/// Where `name` is printed under a position: (page, position), or the page where it is
/// printed without one.
fn find_signer(doc: &mut Document<'_>, name: &str) -> Option<(usize, Option<String>)> {
    let mut bare = None;
    for p in 0..doc.count() {
        match printed::find_name(doc.page(p), name) {
            Some((_, Some(pos))) => return Some((p, Some(pos))),
            Some((_, None)) => bare = bare.or(Some((p, None))),
            None => {}
        }
    }
    bare
}

/// The legal verdict from the signature report and the document's text.
pub fn assess(report: &FileReport, doc: &mut Document<'_>) -> LegalReport {
    let sigs = signatures(report);
    let head_at = header_page(doc);
    let header = head_at.map(|i| printed::header(doc.page(i)));
    let text_ok = header.is_some();
    let persons: Vec<&Sig<'_>> = sigs
        .iter()
        .filter(|s| s.class == Some(Class::Individual))
        .collect();
    let orgs: Vec<&Sig<'_>> = sigs
        .iter()
        .filter(|s| s.class == Some(Class::Organization))
        .collect();
    let services: Vec<&Sig<'_>> = sigs.iter().filter(|s| s.class == Some(Class::Service)).collect();
    // The competent person: the individual printed in a signature block, else the first.
    let mut leader = persons.first().copied();
    if persons.len() > 1 && text_ok {
        if let Some(p) = persons
            .iter()
            .find(|p| find_signer(doc, &p.name()).is_some_and(|(_, pos)| pos.is_some()))
        {
            leader = Some(p);
        }
    }
    // The organisation: its first signature after the leader's, else its first.
    let org = leader
        .and_then(|l| orgs.iter().find(|o| o.order > l.order).copied())
        .or(orgs.first().copied());

    let mut checks = Vec::new();

    // 1. Signatures valid.
    let all = &report.signatures;
    // "VĂN PHÒNG: chưa kiểm tra được thu hồi … (×22)": each signer and reason once, with a
    // count, in the app's words.
    let names = |ind: Indication, vi: bool| {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for s in all.iter().filter(|s| s.indication == ind) {
            let who = s
                .signer
                .as_ref()
                .and_then(|i| i.common_name.clone())
                .unwrap_or_else(|| s.field.clone());
            let sub = s.sub_indication.map(|x| x.words(vi));
            let item = match sub {
                Some(sub) => format!("{who}: {sub}"),
                None => who,
            };
            match seen.iter_mut().find(|(i, _)| *i == item) {
                Some((_, n)) => *n += 1,
                None => seen.push((item, 1)),
            }
        }
        seen.iter()
            .map(|(i, n)| if *n > 1 { format!("{i} (×{n})") } else { i.clone() })
            .collect::<Vec<_>>()
            .join("; ")
    };
    checks.push(if all.is_empty() {
        say(Code::SignaturesValid, "none", &[])
    } else if all.iter().any(|s| s.indication == Indication::TotalFailed) {
        say(
            Code::SignaturesValid,
            "invalid",
            &[
                ("list_vi", &names(Indication::TotalFailed, true)),
                ("list_en", &names(Indication::TotalFailed, false)),
            ],
        )
    } else if all.iter().any(|s| s.indication == Indication::Indeterminate) {
        say(
            Code::SignaturesValid,
            "undecided",
            &[
                ("list_vi", &names(Indication::Indeterminate, true)),
                ("list_en", &names(Indication::Indeterminate, false)),
            ],
        )
    } else {
        say(Code::SignaturesValid, "valid", &[])
    });

    // 2. Both signatures.
    let person_name = leader.map(Sig::name).unwrap_or_default();
    let org_name = org.map(Sig::long_name).unwrap_or_default();
    checks.push(match (leader, org) {
        (Some(_), Some(_)) => say(
            Code::TwoSignatures,
            "both",
            &[("person", &person_name), ("org", &org_name)],
        ),
        (Some(_), None) => say(Code::TwoSignatures, "org_missing", &[("person", &person_name)]),
        (None, Some(_)) => say(Code::TwoSignatures, "person_missing", &[("org", &org_name)]),
        (None, None) if !services.is_empty() => {
            let list: Vec<String> = services.iter().map(|s| s.long_name()).collect();
            say(
                Code::TwoSignatures,
                "service_only",
                &[("service", &list.join("; "))],
            )
        }
        (None, None) => say(Code::TwoSignatures, "neither", &[]),
    });

    // 3. Order, and nothing but allowed changes after.
    checks.push(match (leader, org) {
        (Some(l), Some(o)) if o.order < l.order => say(
            Code::SigningOrder,
            "org_first",
            &[("person", &person_name), ("org", &org_name)],
        ),
        (Some(l), Some(_)) => {
            let changed: Vec<String> = sigs
                .iter()
                .filter(|s| s.order >= l.order)
                .flat_map(|s| s.r.changes.iter())
                .filter(|c| c.severity == crate::verify::diff::Severity::Forbidden)
                .map(|c| match c.page {
                    Some(p) => format!("{} (trang {p})", c.what_vi),
                    None => c.what_vi.clone(),
                })
                .collect();
            if changed.is_empty() {
                say(
                    Code::SigningOrder,
                    "ordered",
                    &[("person", &person_name), ("org", &org_name)],
                )
            } else {
                let mut list = changed;
                list.dedup();
                list.truncate(5);
                say(Code::SigningOrder, "changed_after", &[("list", &list.join("; "))])
            }
        }
        _ => say(Code::SigningOrder, "pair_missing", &[]),
    });

    // 4. Issuing body.
    checks.push(match (org, &header) {
        (None, _) => say(Code::IssuingBody, "no_org", &[]),
        (Some(_), None) => say(Code::IssuingBody, "no_text", &[]),
        (Some(_), Some(h)) if h.body.is_empty() => {
            say(Code::IssuingBody, "body_not_found", &[("org", &org_name)])
        }
        (Some(o), Some(h)) => {
            let body = h.body.join(" ");
            let id = o.r.signer.as_ref();
            let candidates: Vec<String> = [
                id.and_then(|i| i.organization.clone()),
                id.and_then(|i| i.common_name.clone()),
                id.and_then(|i| i.organizational_unit.clone()),
            ]
            .into_iter()
            .flatten()
            .collect();
            if candidates.iter().any(|c| names_body(c, &h.body)) {
                say(
                    Code::IssuingBody,
                    "matches",
                    &[("org", &org_name), ("body", &body)],
                )
            } else {
                say(
                    Code::IssuingBody,
                    "differs",
                    &[("org", &org_name), ("body", &body)],
                )
            }
        }
    });

    // 5. The signer's printed name and position.
    checks.push(match leader {
        None => say(Code::SignerName, "no_person", &[]),
        Some(_) if !text_ok => say(Code::SignerName, "no_text", &[]),
        Some(l) => {
            let name = l.name();
            match find_signer(doc, &name) {
                Some((p, Some(pos))) => say(
                    Code::SignerName,
                    "matches",
                    &[
                        ("name", &name),
                        ("page", &(p + 1).to_string()),
                        ("position", &pos),
                    ],
                ),
                Some((p, None)) => say(
                    Code::SignerName,
                    "no_position",
                    &[("name", &name), ("page", &(p + 1).to_string())],
                ),
                None => {
                    let block =
                        (0..doc.count()).find_map(|p| printed::blocks(doc.page(p)).into_iter().next());
                    match block {
                        Some(b) => say(
                            Code::SignerName,
                            "differs",
                            &[("name", &name), ("printed", &b.name), ("position", &b.position)],
                        ),
                        None => say(Code::SignerName, "not_found", &[("name", &name)]),
                    }
                }
            }
        }
    });

    // 6. Number and symbol.
    let number = header.as_ref().and_then(|h| h.number.clone());
    checks.push(match (&header, &number) {
        (None, _) => say(Code::NumberSymbol, "no_text", &[]),
        (Some(_), None) => say(Code::NumberSymbol, "missing", &[]),
        (Some(_), Some(Err(t))) => say(Code::NumberSymbol, "malformed", &[("text", t)]),
        (Some(_), Some(Ok(n))) => match decree::type_code(&n.code) {
            Some((code, vi, en)) => say(
                Code::NumberSymbol,
                "known",
                &[("number", &n.text), ("code", code), ("type", vi), ("type_en", en)],
            ),
            None => say(
                Code::NumberSymbol,
                "unknown_code",
                &[("number", &n.text), ("code", &n.code)],
            ),
        },
    });

    // 7. Date line.
    checks.push(match header.as_ref().map(|h| &h.date) {
        None => say(Code::DateLine, "no_text", &[]),
        Some(None | Some(Err(_))) => say(Code::DateLine, "missing", &[]),
        Some(Some(Ok(d))) => {
            let signed = org.and_then(Sig::time);
            let signed_ymd = signed.and_then(crate::timefmt::vietnam_ymd);
            let signed_text = signed.map(crate::timefmt::vietnam).unwrap_or_default();
            let year = d.year.to_string();
            let num_year = number.as_ref().and_then(|n| n.as_ref().ok()).and_then(|n| n.year);
            let printed = (d.year, d.month, d.day);
            if signed_ymd.is_some_and(|(y, m, day)| printed > (y, u32::from(m), u32::from(day))) {
                say(
                    Code::DateLine,
                    "after_signing",
                    &[("date", &d.text), ("signed", &signed_text)],
                )
            } else if num_year.is_some_and(|y| y != d.year) {
                let n = number
                    .as_ref()
                    .and_then(|n| n.as_ref().ok())
                    .map(|n| n.text.clone())
                    .unwrap_or_default();
                say(Code::DateLine, "year_differs", &[("year", &year), ("number", &n)])
            } else if !d.zeros_ok {
                say(Code::DateLine, "leading_zero", &[("date", &d.text)])
            } else if num_year.is_none() && signed_ymd.is_some_and(|(y, _, _)| y != d.year) {
                say(
                    Code::DateLine,
                    "year_vs_signing",
                    &[("year", &year), ("signed", &signed_text)],
                )
            } else if signed.is_some() {
                say(
                    Code::DateLine,
                    "ok",
                    &[("date", &d.text), ("signed", &signed_text)],
                )
            } else {
                say(Code::DateLine, "ok_unsigned", &[("date", &d.text)])
            }
        }
    });

    // 8. Official-duty certificates.
    let judged: Vec<&Sig<'_>> = [leader, org].into_iter().flatten().collect();
    checks.push(official_duty(&judged));

    LegalReport::conclude(checks)
}

/// Whether the certificate of every signature in `judged` is an official-duty one.
fn official_duty(judged: &[&Sig<'_>]) -> decree::Check {
    if judged.is_empty() {
        return say(Code::OfficialDuty, "none", &[]);
    }
    let facts = |s: &Sig<'_>| s.r.certificate.clone();
    let with = |sys: System, trusted: bool| -> Vec<(String, String)> {
        judged
            .iter()
            .filter(|s| {
                facts(s).is_some_and(|f| f.system == sys && f.anchor.is_some() == trusted)
                    && s.r.chain.trusted == trusted
            })
            .map(|s| (s.name(), facts(s).and_then(|f| f.issuer).unwrap_or_default()))
            .collect()
    };
    let join = |v: &[(String, String)]| {
        (
            v.iter().map(|x| x.0.clone()).collect::<Vec<_>>().join(", "),
            v.iter().map(|x| x.1.clone()).collect::<Vec<_>>().join(", "),
        )
    };
    let public = with(System::Public, true);
    if !public.is_empty() {
        let (who, ca) = join(&public);
        return say(Code::OfficialDuty, "public", &[("who", &who), ("ca", &ca)]);
    }
    let other = with(System::Other, true);
    if !other.is_empty() {
        let (who, ca) = join(&other);
        return say(Code::OfficialDuty, "other", &[("who", &who), ("ca", &ca)]);
    }
    let untrusted: Vec<(String, String)> = judged
        .iter()
        .filter(|s| !s.r.chain.trusted)
        .map(|s| (s.name(), String::new()))
        .collect();
    if !untrusted.is_empty() {
        let (who, _) = join(&untrusted);
        return say(Code::OfficialDuty, "untrusted", &[("who", &who)]);
    }
    let all: Vec<(String, String)> = judged.iter().map(|s| (s.name(), String::new())).collect();
    let (who, _) = join(&all);
    say(Code::OfficialDuty, "official", &[("who", &who)])
}

/// Whether the organisation name `candidate` (from the certificate) is the issuing body
/// printed in `body` (its lines, a governing body perhaps first): every word of it appears
/// in the printed name, and it is (or contains) the lowest line — the issuing body itself.
pub fn names_body(candidate: &str, body: &[String]) -> bool {
    let cand = decree::fold_body(candidate);
    let Some(last) = body.last().map(|l| decree::fold_body(l)) else {
        return false;
    };
    let printed = decree::fold_body(&body.join(" "));
    let words: Vec<&str> = printed.split(' ').collect();
    !cand.is_empty()
        && cand.split(' ').all(|w| words.contains(&w))
        && (cand.contains(&last) || last.contains(&cand))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_names_match_the_printed_issuing_body() {
        let b = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(names_body("Bộ Y tế", &b(&["BỘ Y TẾ"])));
        assert!(names_body(
            "UBND TỈNH BẮC GIANG",
            &b(&["ỦY BAN NHÂN DÂN", "TỈNH BẮC GIANG"])
        ));
        assert!(names_body(
            "SỞ TƯ PHÁP TỈNH BẮC GIANG",
            &b(&["UBND TỈNH BẮC GIANG", "SỞ TƯ PHÁP"])
        ));
        assert!(!names_body(
            "SỞ TƯ PHÁP TỈNH HÀ NAM",
            &b(&["UBND TỈNH BẮC GIANG", "SỞ TƯ PHÁP"])
        ));
        assert!(!names_body(
            "BỘ Y TẾ",
            &b(&["BỘ Y TẾ", "CỤC QUẢN LÝ KHÁM, CHỮA BỆNH"])
        ));
        assert!(!names_body("VĂN PHÒNG", &b(&["BỘ Y TẾ"])));
    }
}
