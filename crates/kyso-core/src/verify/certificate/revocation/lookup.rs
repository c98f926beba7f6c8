//! Looking for a revocation answer about one certificate: embedded data first (the
//! signature's and the document's), then — online — the OCSP responder and the CRL
//! distribution points, then — network off or silent — the user's saved evidence. Every
//! answer met is kept in the cache, so the next check works offline.

use x509_cert::Certificate;

use super::Evidence;
use crate::net::NetPolicy;
use crate::trust::cache::{Cache, Saved};
use crate::trust::crl::{self, CrlStatus};
use crate::trust::ocsp::{self, OcspStatus};
use crate::trust::online;
use crate::verify::certificate::finding::{Answered, Origin, Service};

/// What was found about a certificate.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// A fresh answer: not revoked.
    Good {
        /// Its thisUpdate.
        this_update: i64,
        /// Where it came from.
        answered: Answered,
    },
    /// Revoked at this time (fresh or saved: a revocation is never undone).
    Revoked {
        /// The revocation time.
        at: i64,
    },
    /// Not revoked per saved evidence still within its nextUpdate.
    Saved(Saved),
    /// Saved evidence past its nextUpdate: nothing decided.
    Stale(Saved),
}

/// What the cache says about `cert` at `now`.
fn from_cache(cache: Option<&Cache>, cert: &Certificate, issuer: &Certificate, now: i64) -> Option<Found> {
    let saved = cache?.lookup(cert, issuer)?;
    Some(match saved.revoked_at {
        Some(at) => Found::Revoked { at },
        None if saved.current(now) => Found::Saved(saved),
        None => Found::Stale(saved),
    })
}

fn from_crl(s: CrlStatus, origin: Origin) -> Found {
    match s {
        CrlStatus::Good { this_update } => Found::Good {
            this_update,
            answered: Answered {
                origin,
                service: Service::Crl,
            },
        },
        CrlStatus::Revoked { at } => Found::Revoked { at },
    }
}

fn from_ocsp(s: OcspStatus, origin: Origin) -> Option<Found> {
    match s {
        OcspStatus::Good { this_update } => Some(Found::Good {
            this_update,
            answered: Answered {
                origin,
                service: Service::Ocsp,
            },
        }),
        OcspStatus::Revoked { at } => Some(Found::Revoked { at }),
        OcspStatus::Unknown => None,
    }
}

/// Looks for a verdict: embedded data first, then (online) OCSP, then CRL download, then
/// (network off or silent) the saved evidence. What went wrong online is added to
/// `failures`.
pub(super) fn find(
    cert: &Certificate,
    issuer: &Certificate,
    ev_in: &Evidence<'_>,
    online: Option<&NetPolicy>,
    failures: &mut Vec<String>,
) -> Option<Found> {
    if let Some(c) = ev_in.cache {
        c.note_sources(cert, issuer);
    }
    for d in ev_in.ocsps {
        if let Some(f) = ocsp::check(d, cert, issuer, None)
            .ok()
            .and_then(|s| from_ocsp(s, Origin::Embedded))
        {
            if let Some(c) = ev_in.cache {
                c.put_ocsp(d, cert, issuer);
            }
            return Some(f);
        }
    }
    if let Some((s, d)) = ev_in
        .crls
        .iter()
        .find_map(|d| crl::check(d, cert, issuer).map(|s| (s, d)))
    {
        if let Some(c) = ev_in.cache {
            c.put_crl(d, issuer);
        }
        return Some(from_crl(s, Origin::Embedded));
    }
    if let Some(net) = online {
        match online::check(cert, issuer, net, failures) {
            Some(online::Answer::Ocsp(s, d)) => {
                if let Some(c) = ev_in.cache {
                    c.put_ocsp(&d, cert, issuer);
                }
                if let Some(f) = from_ocsp(s, Origin::Online) {
                    return Some(f);
                }
            }
            Some(online::Answer::Crl(s, d)) => {
                if let Some(c) = ev_in.cache {
                    c.put_crl(&d, issuer);
                }
                return Some(from_crl(s, Origin::Online));
            }
            None => {}
        }
    }
    from_cache(ev_in.cache, cert, issuer, ev_in.now)
}
