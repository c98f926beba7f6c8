//! The Vietnamese authorities Kyso ships: the public root and intermediate certificates of
//! the official-duty hierarchy (VGCA G1/G2, Decree 68/2024) and of the public one (Vietnam
//! National Root CA and the public CAs under it, Decree 23/2025), embedded from
//! `crates/kyso-core/trust/`, each pinned by the SHA-256 of its DER encoding. They are public
//! data published for everyone (like a browser's root store), so a clerk's first check of a
//! real document on a new computer already builds its chain. A user can switch any of them
//! off (settings `trust_disabled`).

use x509_cert::Certificate;

use super::{Role, System};

/// A pinned, shipped certificate.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Pin {
    /// Name as published.
    pub name: &'static str,
    /// SHA-256 of the DER certificate, lowercase hex.
    pub sha256: &'static str,
    /// Root or intermediate.
    pub role: Role,
    /// Which hierarchy it belongs to.
    pub system: System,
    /// Where the authority publishes it (empty when not known).
    pub url: &'static str,
    /// Where the authority publishes the CRL of the certificates this CA issues (empty when
    /// not known; `kyso trust refresh` also follows the CRL addresses in the certificates).
    pub crl: &'static str,
    /// The file under `crates/kyso-core/trust/`.
    pub file: &'static str,
    /// The certificate (PEM).
    #[serde(skip)]
    pub pem: &'static str,
}

/// Every shipped certificate, with its pin.
pub const PINS: &[Pin] = &[
    Pin {
        name: "BkavCA",
        sha256: "ddab3aa11600215c08ca4ccbc18be5204c171a48081a6cd73a95aa868e1258af",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "bkavca-2015.pem",
        pem: include_str!("../../trust/bkavca-2015.pem"),
    },
    Pin {
        name: "FastCA SHA-256",
        sha256: "bce53bfc017dc917ccac7f314bcddf257c53ec8ffc0165f33a80558deded01f1",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "fastca-sha256.pem",
        pem: include_str!("../../trust/fastca-sha256.pem"),
    },
    Pin {
        name: "FPT Certification Authority",
        sha256: "406ba8be66ead6d01672f1e137cc35a778e2f289edd3f9e7580964190b83c761",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "fpt-ca-2015.pem",
        pem: include_str!("../../trust/fpt-ca-2015.pem"),
    },
    Pin {
        name: "FPT Certification Authority",
        sha256: "47a8679e03b9e7078539a06ed556ca0bacef07426af9834612009a76079ba263",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "fpt-ca-2019.pem",
        pem: include_str!("../../trust/fpt-ca-2019.pem"),
    },
    Pin {
        name: "FPT Certification Authority SHA256",
        sha256: "d36f1110d4bbf11bc80a312830ff4078509f55d9099a4e913d4743be5b903b06",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "fpt-ca-sha256.pem",
        pem: include_str!("../../trust/fpt-ca-sha256.pem"),
    },
    Pin {
        name: "MIC National Root CA",
        sha256: "ca918d635bb130bec97639e6aabf7edbc4eb1310f8058b9419f467ae0230ad8c",
        role: Role::Root,
        system: System::Public,
        url: "http://public.rootca.gov.vn/crt/micnrca.crt",
        crl: "http://public.rootca.gov.vn/crl/micnrca.crl",
        file: "mic-national-root-ca.pem",
        pem: include_str!("../../trust/mic-national-root-ca.pem"),
    },
    Pin {
        name: "CA2",
        sha256: "22a088dedd18b017409157ccdce931236492df259459e7fac424574dd06380e2",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "nacencomm-ca2-2015.pem",
        pem: include_str!("../../trust/nacencomm-ca2-2015.pem"),
    },
    Pin {
        name: "NEWTEL-CA",
        sha256: "27ab09408347ee182186d2a21e82feda0a4e0f84441525ba1de74a7e87401eba",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "newtel-ca-2013.pem",
        pem: include_str!("../../trust/newtel-ca-2013.pem"),
    },
    Pin {
        name: "SAFE-CA",
        sha256: "4e66e0073c9c217dbfa80697b0096fa61d71c1f32b29a12c2e2c37c0cac35881",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "safe-ca-2017.pem",
        pem: include_str!("../../trust/safe-ca-2017.pem"),
    },
    Pin {
        name: "SmartSign",
        sha256: "591e6796472780fcf98d2e6797c8249457726dee54a264307d9b51193cdbd5fd",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "smartsign-2017.pem",
        pem: include_str!("../../trust/smartsign-2017.pem"),
    },
    Pin {
        name: "CA phục vụ các cơ quan Nhà nước G2",
        sha256: "d8cab7a4aef92e6bb2509d7c61cee7b44f3731b2d21074963530277b366fae4b",
        role: Role::Intermediate,
        system: System::Official,
        url: "http://ca.gov.vn/pki/pub/crt/cpcag2.crt",
        crl: "http://ca.gov.vn/pki/pub/crl/cpcag2.crl",
        file: "vgca-cp-g2.pem",
        pem: include_str!("../../trust/vgca-cp-g2.pem"),
    },
    Pin {
        name: "Co quan chung thuc so Bo Cong an",
        sha256: "ecbf8428266c549eb1bfdc2715270d5b9dff3bbbe2d3f0c33e0fd91f70b2d943",
        role: Role::Intermediate,
        system: System::Official,
        url: "",
        crl: "",
        file: "vgca-g1-bca.pem",
        pem: include_str!("../../trust/vgca-g1-bca.pem"),
    },
    Pin {
        name: "Cơ quan chứng thực số Bộ Ngoại giao",
        sha256: "3c4281296f92d292cc952295fe41ad7d0b37438ff1d143b56c4642cc1b14bd93",
        role: Role::Intermediate,
        system: System::Official,
        url: "",
        crl: "",
        file: "vgca-g1-bng.pem",
        pem: include_str!("../../trust/vgca-g1-bng.pem"),
    },
    Pin {
        name: "Co quan chung thuc so Bo Tai chinh",
        sha256: "a262cfa489dbbe666f8b89fab832547809874d5a06fa9f7a38fc227ebdf40514",
        role: Role::Intermediate,
        system: System::Official,
        url: "",
        crl: "",
        file: "vgca-g1-btc.pem",
        pem: include_str!("../../trust/vgca-g1-btc.pem"),
    },
    Pin {
        name: "Co quan chung thuc so Chinh phu",
        sha256: "75e969c07ba35c29c72bbc1bfb880f20f3891a619b00b77eb02ca6160736a1fe",
        role: Role::Intermediate,
        system: System::Official,
        url: "http://ca.gov.vn/pki/pub/cert/cp.crt",
        crl: "http://ca.gov.vn/pki/pub/crl/cp.crl",
        file: "vgca-g1-cp.pem",
        pem: include_str!("../../trust/vgca-g1-cp.pem"),
    },
    Pin {
        name: "Co quan chung thuc so Dang Cong san",
        sha256: "6e218b3ebc2f31b0d03205c64fd7e8920fb47187d37afcdb4cb2bb4178bf4635",
        role: Role::Intermediate,
        system: System::Official,
        url: "",
        crl: "",
        file: "vgca-g1-dcs.pem",
        pem: include_str!("../../trust/vgca-g1-dcs.pem"),
    },
    Pin {
        name: "CA phục vụ các cơ quan Đảng G2",
        sha256: "e4b402e3cb4cacc0a20d21fa49bce76beb4eb47ba7ffb7a8f71c554dbe561a81",
        role: Role::Intermediate,
        system: System::Official,
        url: "",
        crl: "",
        file: "vgca-g2-dang.pem",
        pem: include_str!("../../trust/vgca-g2-dang.pem"),
    },
    Pin {
        name: "Co quan chung thuc so chuyen dung Chinh phu (RootCA)",
        sha256: "f7bc89054cec7f12730d7b8cd3eb7955b163835087e5eb873edfb584763b3f90",
        role: Role::Root,
        system: System::Official,
        url: "http://ca.gov.vn/pki/pub/cert/rootca.crt",
        crl: "http://ca.gov.vn/pki/pub/crl/rootca.crl",
        file: "vgca-root-g1.pem",
        pem: include_str!("../../trust/vgca-root-g1.pem"),
    },
    Pin {
        name: "RootCA chuyên dùng Chính phủ G2",
        sha256: "f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8",
        role: Role::Root,
        system: System::Official,
        url: "http://ca.gov.vn/pki/pub/cert/rootcag2.crt",
        crl: "http://ca.gov.vn/pki/pub/crl/rootcag2.crl",
        file: "vgca-root-g2.pem",
        pem: include_str!("../../trust/vgca-root-g2.pem"),
    },
    Pin {
        name: "Viettel-CA",
        sha256: "5b0a7dcbcb13b66f07e06837115ada1bebb155d250d68fdc3ba9d0aa8606aeb8",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "viettel-ca-2010.pem",
        pem: include_str!("../../trust/viettel-ca-2010.pem"),
    },
    Pin {
        name: "Viettel-CA",
        sha256: "684caf190176d13158808ef193b2d20575399a87fd9e8c5bedc09065a184841a",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "viettel-ca-2015.pem",
        pem: include_str!("../../trust/viettel-ca-2015.pem"),
    },
    Pin {
        name: "Viettel-CA RS",
        sha256: "860bcbe22fdc6757fe03b4597f7c61ca7f36e13ceb74a78cbefc9c5b267b8662",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "viettel-ca-rs.pem",
        pem: include_str!("../../trust/viettel-ca-rs.pem"),
    },
    Pin {
        name: "Vietnam National Root CA G3",
        sha256: "7b3269e7d79aebbfae5095f45bbb7074771e690cb7df02b441062b12f7690ece",
        role: Role::Root,
        system: System::Public,
        url: "",
        crl: "",
        file: "vn-national-root-ca-g3.pem",
        pem: include_str!("../../trust/vn-national-root-ca-g3.pem"),
    },
    Pin {
        name: "Vietnam National Root CA",
        sha256: "bac8bf609ab420a8ee1780d74f4de5c7f7184959d2a7375b0a75e4c29f0908e7",
        role: Role::Root,
        system: System::Public,
        url: "https://rootca.gov.vn/crt/vnrca256.p7b",
        crl: "https://rootca.gov.vn/crl/vnrca256.crl",
        file: "vn-national-root-ca.pem",
        pem: include_str!("../../trust/vn-national-root-ca.pem"),
    },
    Pin {
        name: "VNPT Certification Authority",
        sha256: "068927b4c1a38ae4db1e8f59a71a8c643d9dfbb53a674862387bd5aa7386247b",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "http://crl.vnpt-ca.vn/vnptca.crl",
        file: "vnpt-ca-2009.pem",
        pem: include_str!("../../trust/vnpt-ca-2009.pem"),
    },
    Pin {
        name: "VNPT-CA Operator",
        sha256: "017492614cf54a616465f1251b45bd586a110c0bb310967a2322a662720beb37",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "vnpt-ca-operator-2010.pem",
        pem: include_str!("../../trust/vnpt-ca-operator-2010.pem"),
    },
    Pin {
        name: "VNPT-CA SHA2",
        sha256: "7d6ba5245317f9ed5d8bc765a4634d26ac6340d36b9f584df3b52d9c4a81a306",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "vnpt-ca-sha2.pem",
        pem: include_str!("../../trust/vnpt-ca-sha2.pem"),
    },
    Pin {
        name: "VNPT SmartCA RS",
        sha256: "95cf8f36c986e0c0f7e03761b17d7804072cb644b235a8f1c62107f8804a4889",
        role: Role::Intermediate,
        system: System::Public,
        url: "",
        crl: "",
        file: "vnpt-smartca-rs.pem",
        pem: include_str!("../../trust/vnpt-smartca-rs.pem"),
    },
];

impl Pin {
    /// The embedded certificate (`None` only if the file were not a certificate, which the
    /// tests rule out).
    pub fn certificate(&self) -> Option<Certificate> {
        crate::cms::bundle::certificates(self.pem.as_bytes())
            .into_iter()
            .next()
    }
}

/// The pin a certificate matches, by fingerprint.
pub fn pin_of(c: &Certificate) -> Option<&'static Pin> {
    let fp = crate::cert::fingerprint(c);
    by_fingerprint(&fp)
}

/// The pin with this SHA-256 (lowercase hex).
pub fn by_fingerprint(fp: &str) -> Option<&'static Pin> {
    PINS.iter().find(|p| p.sha256 == fp)
}

/// The shipped certificates, parsed once per process.
pub fn certificates() -> &'static [(&'static Pin, Certificate)] {
    static ALL: std::sync::OnceLock<Vec<(&'static Pin, Certificate)>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        PINS.iter()
            .filter_map(|p| p.certificate().map(|c| (p, c)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_certificate_matches_its_pin_and_every_pin_has_one() {
        assert_eq!(certificates().len(), PINS.len(), "every pin has its certificate");
        for (p, c) in certificates() {
            assert_eq!(crate::cert::fingerprint(c), p.sha256, "{}", p.file);
            let self_signed = c.tbs_certificate.subject == c.tbs_certificate.issuer;
            assert_eq!(self_signed, p.role == Role::Root, "{}", p.file);
            assert!(crate::cert::is_ca(c), "{} is a CA certificate", p.file);
        }
        // Every file in the folder is pinned, and the fingerprint list agrees.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("trust");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".pem"))
            .collect();
        files.sort();
        let mut pinned: Vec<String> = PINS.iter().map(|p| p.file.to_string()).collect();
        pinned.sort();
        assert_eq!(files, pinned);
        let list = std::fs::read_to_string(dir.join("FINGERPRINTS.txt")).unwrap_or_default();
        for p in PINS {
            assert!(list.contains(&format!("{}  {}", p.sha256, p.file)), "{}", p.file);
        }
    }

    #[test]
    fn pins_are_well_formed_unique_and_chain_within_their_hierarchy() {
        let mut fps: Vec<&str> = PINS.iter().map(|p| p.sha256).collect();
        fps.sort_unstable();
        fps.dedup();
        assert_eq!(fps.len(), PINS.len());
        for p in PINS {
            assert_eq!(p.sha256.len(), 64);
            assert!(p
                .sha256
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }
        // Each intermediate is signed by a shipped root of the same hierarchy (or by a
        // shipped intermediate of it).
        let all = certificates();
        for (p, c) in all.iter().filter(|(p, _)| p.role == Role::Intermediate) {
            let issuer = all.iter().find(|(_, i)| {
                i.tbs_certificate.subject == c.tbs_certificate.issuer && super::super::path::signed_by(c, i)
            });
            let (ip, _) = issuer.unwrap_or_else(|| panic!("{}: issuer not shipped", p.file));
            assert_eq!(ip.system, p.system, "{}", p.file);
        }
    }

    #[test]
    fn the_published_certificates_match_their_pins() {
        // The shared copy the certificates came from, when present.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/trust");
        let Ok(rd) = std::fs::read_dir(&dir) else {
            return;
        };
        let mut matched = 0;
        for e in rd.flatten() {
            for c in std::fs::read(e.path())
                .map(|d| crate::cms::bundle::certificates(&d))
                .unwrap_or_default()
            {
                if pin_of(&c).is_some() {
                    matched += 1;
                }
            }
        }
        assert_eq!(matched, PINS.len());
    }
}
