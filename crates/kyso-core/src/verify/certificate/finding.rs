//! What the certificate judgement finds: a typed finding (a stable code and its data) and
//! what it does to the verdict. The sentences are made from it in one place,
//! [`super::wording`].

use crate::message::Message;
use crate::trust::cache::Saved;
use crate::verify::finding::TypedFinding;
use crate::verify::report::{Indication, SubIndication};

/// Where a revocation answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Carried by the signature or the document (CMS, Adobe's archival attribute, DSS).
    Embedded,
    /// Asked of the network while checking.
    Online,
}

impl Origin {
    /// The word the report (and the sentences) use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Embedded => "embedded",
            Self::Online => "online",
        }
    }
}

/// The kind of revocation evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    /// A certificate revocation list.
    Crl,
    /// An OCSP response.
    Ocsp,
}

impl Service {
    /// The word the report (and the sentences) use.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Crl => "CRL",
            Self::Ocsp => "OCSP",
        }
    }
}

/// A fresh answer (not the saved one): where it came from and what it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answered {
    /// Embedded or online.
    pub origin: Origin,
    /// CRL or OCSP.
    pub service: Service,
}

/// One finding about a signature's certificates: the chain, their validity at the time
/// judged, and the revocation of the signer, its CAs and its timestamp authorities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// A missing issuer was downloaded from the certificate's AIA address.
    IssuerDownloaded,
    /// No trust anchors are configured, so no chain can be trusted.
    NoTrustAnchors,
    /// No chain to a trusted anchor could be built.
    NoTrustedChain,
    /// The signer's certificate was not yet valid at the time judged.
    NotYetValid,
    /// The signer's certificate expired, and no timestamp proves the signature older.
    ExpiredNoPoe {
        /// notAfter, Unix seconds.
        not_after: i64,
    },
    /// A CA certificate of the chain was not valid at the time judged.
    ChainCertificateNotValid,
    /// The signer's certificate was revoked before the time judged.
    SignerRevoked {
        /// The revocation time.
        at: i64,
    },
    /// The signer's certificate was revoked after the time a timestamp proves.
    SignerRevokedAfterSigning {
        /// The revocation time.
        at: i64,
    },
    /// The signer's certificate was revoked, and no timestamp proves the signature older.
    SignerRevokedNoPoe {
        /// The revocation time.
        at: i64,
    },
    /// A fresh answer says the signer's certificate is not revoked.
    SignerNotRevoked {
        /// Where the answer came from.
        answered: Answered,
        /// Its thisUpdate.
        this_update: i64,
    },
    /// Saved evidence, still current, says the signer's certificate is not revoked.
    SignerNotRevokedSaved {
        /// The evidence.
        saved: Saved,
        /// Why the network did not answer (`URL: reason`), if it was asked.
        network_failures: Vec<String>,
    },
    /// Only saved evidence past its nextUpdate: the signer's revocation is not decided.
    SignerRevocationStale {
        /// The evidence.
        saved: Saved,
    },
    /// The signer's certificate names no revocation service.
    SignerNoRevocationService,
    /// Offline, nothing at hand: the signer's revocation was not checked.
    SignerRevocationNotChecked,
    /// Online, no service answered about the signer's certificate.
    SignerRevocationUnavailable {
        /// What went wrong (`URL: reason`).
        failures: Vec<String>,
    },
    /// A CA of the chain was revoked before the time judged.
    CaRevoked {
        /// The CA's common name.
        name: String,
        /// The revocation time.
        at: i64,
    },
    /// A CA of the chain was revoked after the time judged.
    CaRevokedAfterSigning {
        /// The CA's common name.
        name: String,
        /// The revocation time.
        at: i64,
    },
    /// A fresh answer says a CA of the chain is not revoked.
    CaNotRevoked {
        /// The CA's common name.
        name: String,
        /// Where the answer came from.
        answered: Answered,
    },
    /// Saved evidence, still current, says a CA of the chain is not revoked.
    CaNotRevokedSaved {
        /// The CA's common name.
        name: String,
        /// The evidence.
        saved: Saved,
    },
    /// Only stale saved evidence about a CA of the chain.
    CaRevocationStale {
        /// The CA's common name.
        name: String,
        /// The evidence.
        saved: Saved,
    },
    /// Online, no service answered about a CA of the chain.
    CaRevocationUnavailable {
        /// The CA's common name.
        name: String,
        /// What went wrong (`URL: reason`).
        failures: Vec<String>,
    },
    /// A timestamp authority was revoked at or before the time its token gives: the token
    /// proves nothing (what that does to the verdict is the caller's to say).
    TsaRevoked {
        /// The TSA's common name.
        name: String,
        /// The revocation time.
        at: i64,
    },
    /// A timestamp authority was revoked after the time its token gives.
    TsaRevokedAfterTimestamp {
        /// The TSA's common name.
        name: String,
        /// The revocation time.
        at: i64,
    },
    /// A fresh answer says a timestamp authority is not revoked.
    TsaNotRevoked {
        /// The TSA's common name.
        name: String,
        /// Where the answer came from.
        answered: Answered,
    },
    /// Saved evidence, still current, says a timestamp authority is not revoked.
    TsaNotRevokedSaved {
        /// The TSA's common name.
        name: String,
        /// The evidence.
        saved: Saved,
    },
    /// Only stale saved evidence about a timestamp authority.
    TsaRevocationStale {
        /// The TSA's common name.
        name: String,
        /// The evidence.
        saved: Saved,
    },
    /// Online, no service answered about a timestamp authority.
    TsaRevocationUnavailable {
        /// The TSA's common name.
        name: String,
        /// What went wrong (`URL: reason`).
        failures: Vec<String>,
    },
}

impl TypedFinding for Finding {
    fn code(&self) -> &'static str {
        match self {
            Self::IssuerDownloaded => "ISSUER_DOWNLOADED",
            Self::NoTrustAnchors => "NO_TRUST_ANCHORS",
            Self::NoTrustedChain => "NO_TRUSTED_CHAIN",
            Self::NotYetValid => "CERTIFICATE_NOT_YET_VALID",
            Self::ExpiredNoPoe { .. } => "CERTIFICATE_EXPIRED_NO_POE",
            Self::ChainCertificateNotValid => "CHAIN_CERTIFICATE_NOT_VALID",
            Self::SignerRevoked { .. } => "SIGNER_REVOKED",
            Self::SignerRevokedAfterSigning { .. } => "SIGNER_REVOKED_AFTER_SIGNING",
            Self::SignerRevokedNoPoe { .. } => "SIGNER_REVOKED_NO_POE",
            Self::SignerNotRevoked { .. } => "SIGNER_NOT_REVOKED",
            Self::SignerNotRevokedSaved { .. } => "SIGNER_NOT_REVOKED_SAVED",
            Self::SignerRevocationStale { .. } => "SIGNER_REVOCATION_STALE",
            Self::SignerNoRevocationService => "SIGNER_NO_REVOCATION_SERVICE",
            Self::SignerRevocationNotChecked => "SIGNER_REVOCATION_NOT_CHECKED",
            Self::SignerRevocationUnavailable { .. } => "SIGNER_REVOCATION_UNAVAILABLE",
            Self::CaRevoked { .. } => "CA_REVOKED",
            Self::CaRevokedAfterSigning { .. } => "CA_REVOKED_AFTER_SIGNING",
            Self::CaNotRevoked { .. } => "CA_NOT_REVOKED",
            Self::CaNotRevokedSaved { .. } => "CA_NOT_REVOKED_SAVED",
            Self::CaRevocationStale { .. } => "CA_REVOCATION_STALE",
            Self::CaRevocationUnavailable { .. } => "CA_REVOCATION_UNAVAILABLE",
            Self::TsaRevoked { .. } => "TSA_REVOKED",
            Self::TsaRevokedAfterTimestamp { .. } => "TSA_REVOKED_AFTER_TIMESTAMP",
            Self::TsaNotRevoked { .. } => "TSA_NOT_REVOKED",
            Self::TsaNotRevokedSaved { .. } => "TSA_NOT_REVOKED_SAVED",
            Self::TsaRevocationStale { .. } => "TSA_REVOCATION_STALE",
            Self::TsaRevocationUnavailable { .. } => "TSA_REVOCATION_UNAVAILABLE",
        }
    }

    /// ETSI EN 319 102-1 indications. What is known about the CAs and TSAs is a note
    /// except a CA revoked before signing: CAs publish revocation for their intermediates
    /// less reliably than for end entities, and a revoked TSA only takes away its token's
    /// proof (the caller judges what is left).
    fn verdict(&self) -> Option<(Indication, SubIndication)> {
        use Indication::{Indeterminate, TotalFailed};
        use SubIndication as S;
        Some(match self {
            Self::NoTrustAnchors | Self::NoTrustedChain => (Indeterminate, S::NoCertificateChainFound),
            Self::NotYetValid => (Indeterminate, S::NotYetValid),
            Self::ExpiredNoPoe { .. } | Self::ChainCertificateNotValid => {
                (Indeterminate, S::OutOfBoundsNoPoe)
            }
            Self::SignerRevoked { .. } | Self::CaRevoked { .. } => (TotalFailed, S::Revoked),
            Self::SignerRevokedNoPoe { .. } => (Indeterminate, S::RevokedNoPoe),
            Self::SignerRevocationStale { .. }
            | Self::SignerRevocationNotChecked
            | Self::SignerRevocationUnavailable { .. } => (Indeterminate, S::TryLater),
            Self::IssuerDownloaded
            | Self::SignerRevokedAfterSigning { .. }
            | Self::SignerNotRevoked { .. }
            | Self::SignerNotRevokedSaved { .. }
            | Self::SignerNoRevocationService
            | Self::CaRevokedAfterSigning { .. }
            | Self::CaNotRevoked { .. }
            | Self::CaNotRevokedSaved { .. }
            | Self::CaRevocationStale { .. }
            | Self::CaRevocationUnavailable { .. }
            | Self::TsaRevoked { .. }
            | Self::TsaRevokedAfterTimestamp { .. }
            | Self::TsaNotRevoked { .. }
            | Self::TsaNotRevokedSaved { .. }
            | Self::TsaRevocationStale { .. }
            | Self::TsaRevocationUnavailable { .. } => return None,
        })
    }

    fn words(&self) -> Message {
        super::wording::words(self)
    }
}
