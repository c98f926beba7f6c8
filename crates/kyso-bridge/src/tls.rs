//! `wss://` and `https://` on the bridge's port, with a certificate made on this computer.
//!
//! Kyso makes a small certificate authority the first time, constrained by X.509 name
//! constraints to 127.0.0.1 and `localhost`, has it sign the bridge's server certificate, and
//! throws its private key away: even a stolen copy of these files cannot vouch for any other
//! site, and nothing can be issued again. The user imports `ca.pem` once into the system's
//! (or browser's) trusted roots — see the README.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The bridge's TLS setup.
pub struct LocalTls {
    /// For the listener.
    pub config: Arc<rustls::ServerConfig>,
    /// The certificate authority users import (PEM).
    pub ca_path: PathBuf,
}

fn err(e: impl std::fmt::Display) -> kyso_core::Error {
    kyso_core::Error::Tls(format!("the bridge's certificate: {e}"))
}

/// Loads the certificate kept in `dir`, or makes one there.
pub fn load_or_create(dir: &Path) -> Result<LocalTls, kyso_core::Error> {
    let (ca, cert, key) = (dir.join("ca.pem"), dir.join("cert.pem"), dir.join("key.pem"));
    if !(ca.exists() && cert.exists() && key.exists()) {
        create(dir, &ca, &cert, &key)?;
    }
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert)
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let key = PrivateKeyDer::from_pem_file(&key).map_err(err)?;
    let config =
        rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(err)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(err)?;
    Ok(LocalTls {
        config: Arc::new(config),
        ca_path: ca,
    })
}

fn create(dir: &Path, ca_path: &Path, cert_path: &Path, key_path: &Path) -> Result<(), kyso_core::Error> {
    use rcgen::{
        BasicConstraints, CertificateParams, CidrSubnet, DnType, ExtendedKeyUsagePurpose, GeneralSubtree,
        IsCa, KeyPair, KeyUsagePurpose, NameConstraints,
    };
    let now = time::OffsetDateTime::now_utc();
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
    ca.distinguished_name.push(
        DnType::CommonName,
        "Kyso local signing bridge (this computer only)",
    );
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.name_constraints = Some(NameConstraints {
        permitted_subtrees: vec![
            GeneralSubtree::DnsName("localhost".into()),
            GeneralSubtree::IpAddress(CidrSubnet::V4([127, 0, 0, 1], [255, 255, 255, 255])),
        ],
        excluded_subtrees: Vec::new(),
    });
    ca.not_before = now - time::Duration::days(1);
    ca.not_after = now + time::Duration::days(3650);
    let ca_key = KeyPair::generate().map_err(err)?;
    let ca_cert = ca.self_signed(&ca_key).map_err(err)?;

    let mut leaf =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).map_err(err)?;
    leaf.distinguished_name.push(DnType::CommonName, "127.0.0.1");
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.not_before = now - time::Duration::days(1);
    leaf.not_after = now + time::Duration::days(825);
    let leaf_key = KeyPair::generate().map_err(err)?;
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).map_err(err)?;
    // The CA's key is dropped here and never written: nothing can be issued again.
    drop(ca_key);

    std::fs::create_dir_all(dir)?;
    std::fs::write(ca_path, ca_cert.pem())?;
    std::fs::write(cert_path, format!("{}{}", leaf_cert.pem(), ca_cert.pem()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, leaf_key.serialize_pem().as_bytes())?;
    // NamedTempFile is created 0600: the key stays private to the user.
    tmp.persist(key_path).map_err(|e| kyso_core::Error::Io(e.error))?;
    Ok(())
}
