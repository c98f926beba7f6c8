//! The certificate judgement every signature format shares (CMS in PDFs and `.p7s`,
//! XMLDSig): the chain to a trusted anchor, validity at the best time known, and revocation
//! of the signer, its CAs and its timestamp authorities.

pub mod revocation;

use x509_cert::Certificate;

use super::{ChainReport, DocRevocation, Eval, Indication, SubIndication, VerifyOptions};
use crate::cert;
use crate::timefmt;
use crate::trust::{path as chain, tst as timestamp};

/// Whether a trusted TSA's certificate (`path[0]`, issued by `path[1]`) was not revoked
/// at its token's time, judged from the token's CRLs, the `(crls, ocsps)` at hand (the
/// signature's and the document's DSS) and — online — the TSA's OCSP responder or CRL.
pub(in crate::verify) fn tsa_usable(
    ev: &mut Eval,
    info: &timestamp::TimestampInfo,
    path: &[Certificate],
    (crls, ocsps): DocRevocation<'_>,
    opts: &VerifyOptions,
) -> bool {
    let [tsa, issuer, ..] = path else {
        return true; // the TSA certificate is itself an anchor: trusted by configuration
    };
    let mut all_crls = info.crls.clone();
    all_crls.extend_from_slice(crls);
    let evidence = revocation::Evidence {
        crls: &all_crls,
        ocsps,
        cache: opts.cache.as_ref(),
        now: opts.now.unwrap_or_else(timefmt::now),
    };
    revocation::tsa_usable(ev, tsa, issuer, &evidence, info.time, opts.online())
}

/// What a signature's certificate is judged with: the certificates the signature carries,
/// the revocation data at hand (the signature's and the document's), the signing time it
/// claims and the time a timestamp proves.
pub(in crate::verify) struct Evidence<'a> {
    pub embedded: &'a [Certificate],
    pub crls: &'a [Vec<u8>],
    pub ocsps: &'a [Vec<u8>],
    pub claimed: Option<i64>,
    pub poe: Option<i64>,
}

/// The certificate judgement every signature format shares (CMS in PDFs and `.p7s`,
/// XMLDSig): the chain to a trusted anchor (missing issuers fetched by AIA when online),
/// validity at the best time known, and revocation of the signer and its CAs.
pub(in crate::verify) fn judge(
    ev: &mut Eval,
    signer: &Certificate,
    evidence: &Evidence<'_>,
    opts: &VerifyOptions,
) {
    let Evidence {
        embedded,
        crls,
        ocsps,
        claimed,
        poe,
    } = *evidence;
    // Chain to a trusted anchor.
    let mut pool: Vec<Certificate> = embedded
        .iter()
        .chain(opts.intermediates.iter())
        .cloned()
        .collect();
    let mut outcome = chain::build(signer, &pool, &opts.anchors);
    // Online, a missing issuer is fetched from where the certificate says it is published.
    for _ in 0..4 {
        let Some(net) = opts.online().filter(|_| !outcome.trusted) else {
            break;
        };
        let Some(top) = outcome.path.last() else { break };
        let fresh: Vec<Certificate> = crate::trust::aia::issuer_certificates(top, net)
            .into_iter()
            .filter(|c| !pool.contains(c))
            .collect();
        if fresh.is_empty() {
            break;
        }
        ev.note(
            "Đã tải chứng thư của đơn vị cấp từ địa chỉ ghi trong chứng thư (AIA).",
            "The issuer's certificate was downloaded from the address in the certificate (AIA).",
        );
        pool.extend(fresh);
        outcome = chain::build(signer, &pool, &opts.anchors);
    }
    ev.report.chain = ChainReport {
        trusted: outcome.trusted,
        path: outcome
            .path
            .iter()
            .map(|c| cert::name_to_string(&c.tbs_certificate.subject))
            .collect(),
        anchor: outcome
            .trusted
            .then(|| {
                outcome
                    .path
                    .last()
                    .map(|c| cert::name_to_string(&c.tbs_certificate.subject))
            })
            .flatten(),
    };
    ev.report.certificate = Some(crate::decree::class::facts(signer, &outcome, &opts.systems));
    if outcome.trusted {
        if let (Some(cache), [_, cas @ .., _]) = (&opts.cache, outcome.path.as_slice()) {
            // The CAs of a trusted path (from the document or its AIA address) serve the
            // next check, offline too.
            let fresh: Vec<Certificate> = cas
                .iter()
                .filter(|c| !opts.intermediates.contains(c))
                .cloned()
                .collect();
            cache.keep_intermediates(&fresh);
        }
    }
    if !outcome.trusted {
        let (vi, en) = if opts.anchors.is_empty() {
            (
                "Chưa có chứng thư gốc tin cậy nào được cấu hình.",
                "No trust anchors are configured.",
            )
        } else {
            (
                "Không xây dựng được chuỗi chứng thư tới một chứng thư gốc tin cậy.",
                "No certificate chain to a trusted root could be built.",
            )
        };
        ev.flag(
            Indication::Indeterminate,
            SubIndication::NoCertificateChainFound,
            vi,
            en,
        );
    }

    // Certificate validity at the best time we have.
    let now = opts.now.unwrap_or_else(timefmt::now);
    let (nb, na) = cert::validity(signer);
    let at = poe.or(claimed).unwrap_or(now);
    let valid_at = nb <= at && at <= na;
    ev.report.certificate_valid_at_time = Some(valid_at);
    if at < nb {
        ev.flag(
            Indication::Indeterminate,
            SubIndication::NotYetValid,
            "Chứng thư số chưa có hiệu lực tại thời điểm ký.",
            "The certificate was not yet valid at the signing time.",
        );
    } else if at > na || (poe.is_none() && now > na) {
        ev.flag(
            Indication::Indeterminate,
            SubIndication::OutOfBoundsNoPoe,
            format!(
                "Chứng thư số hết hạn ngày {}; không có dấu thời gian chứng minh chữ ký được tạo trước đó.",
                timefmt::vietnam(na)
            ),
            format!(
                "The certificate expired on {}; no timestamp proves the signature was made before that.",
                timefmt::rfc3339(na)
            ),
        );
    }
    // Revocation of the signer's certificate, judged at the best time we have.
    if let Some(issuer) = outcome.path.get(1) {
        let evidence = revocation::Evidence {
            crls,
            ocsps,
            cache: opts.cache.as_ref(),
            now,
        };
        revocation::check(ev, signer, issuer, &evidence, at, poe, opts.online());
        // The CAs below the anchor (the anchor itself is trusted by configuration).
        if outcome.trusted {
            let n = outcome.path.len();
            for pair in outcome
                .path
                .get(1..n.saturating_sub(1))
                .unwrap_or_default()
                .iter()
                .zip(outcome.path.iter().skip(2))
            {
                revocation::check_ca(ev, pair.0, pair.1, &evidence, at, opts.online());
            }
        }
    }
    for c in outcome.path.iter().skip(1) {
        let (cnb, cna) = cert::validity(c);
        if at < cnb || at > cna {
            ev.flag(
                Indication::Indeterminate,
                SubIndication::OutOfBoundsNoPoe,
                "Một chứng thư trong chuỗi không còn hiệu lực tại thời điểm ký.",
                "A certificate in the chain was not valid at the signing time.",
            );
        }
    }
}
