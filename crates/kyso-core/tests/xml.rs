//! XML signatures in the core: real-shaped Vietnamese forms (written by
//! `tests/fixtures/make_xml.py`), a test PKI made with openssl, every form signed and checked,
//! several signatures in one file, and each tampering a specific finding. The independent
//! validators (xmlsec1, signxml) and the real signers (SoftHSM2 token, .p12, remote services)
//! are in the end-to-end tests (`tests/e2e/xml.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use der::DecodePem;
use kyso_core::crypto::{HashAlg, KeyKind, Scheme};
use kyso_core::signer::{SignRequest, Signer, SignerError};
use kyso_core::verify::{verify_xml_bytes, FileVerdict, Indication, SubIndication, VerifyOptions};
use kyso_core::xml::sign::{check, prepare, Choice, SignOptions};
use kyso_core::xml::verify::{signatures, Problem, VerifyOptions as XmlVerifyOptions, XmlSignatureFinding};
use kyso_core::xml::{detect_profile, summary, Form, XmlError};
use time::macros::datetime;
use x509_cert::Certificate;

const INV_ID: &str = "DLHDon-TS24_2111051448445960106322455";

struct Fx {
    dir: PathBuf,
}

/// Forms and a PKI (RSA root; RSA-2048 seller and buyer; ECDSA P-256 tax authority), made
/// once per run.
fn fx() -> &'static Fx {
    static F: OnceLock<Fx> = OnceLock::new();
    F.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = root.join("target/xml-core-fixtures");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("pki")).unwrap();
        let ok = Command::new("python3")
            .arg(root.join("tests/fixtures/make_xml.py"))
            .arg("forms")
            .arg(dir.join("forms"))
            .status()
            .unwrap();
        assert!(ok.success());
        let script = r#"set -e
cat > ext.cnf <<'E'
[root]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[leaf]
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,nonRepudiation
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
E
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 3650 -sha256 \
  -subj "/C=VN/O=Kyso Test/CN=Kyso XML Test Root" -extensions root -config ext.cnf -utf8 2>/dev/null
leaf() {
  if [ "$2" = ec ]; then openssl ecparam -name prime256v1 -genkey -noout -out "$1.tmp"; openssl pkcs8 -topk8 -nocrypt -in "$1.tmp" -out "$1.key"; rm "$1.tmp";
  else openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key" 2>/dev/null; fi
  openssl req -new -key "$1.key" -out "$1.csr" -subj "$3" -utf8 -config ext.cnf 2>/dev/null
  openssl x509 -req -in "$1.csr" -CA root.pem -CAkey root.key -CAcreateserial -out "$1.pem" -days 825 -sha256 \
    -extfile ext.cnf -extensions leaf 2>/dev/null
}
leaf seller rsa "/C=VN/O=CÔNG TY TNHH ÁNH DƯƠNG/CN=CÔNG TY TNHH ÁNH DƯƠNG"
leaf buyer rsa "/C=VN/O=Công ty Cổ phần Kiến Trúc/CN=Trần Thị Bình"
leaf cqt ec "/C=VN/O=BỘ TÀI CHÍNH/CN=Tổng cục Thuế (thử nghiệm)"
"#;
        let ok = Command::new("bash")
            .arg("-c")
            .arg(script)
            .current_dir(dir.join("pki"))
            .status()
            .unwrap();
        assert!(ok.success());
        Fx { dir }
    })
}

fn form(name: &str) -> Vec<u8> {
    std::fs::read(fx().dir.join("forms").join(name)).unwrap()
}

fn cert(name: &str) -> Certificate {
    Certificate::from_pem(std::fs::read(fx().dir.join(format!("pki/{name}.pem"))).unwrap()).unwrap()
}

/// A key in a PEM file, signing only the digest as a token's raw mechanism or a phone does;
/// ECDSA values come back DER-encoded, as Kyso's signers return them.
struct PemSigner {
    key: String,
    cert: Certificate,
    chain: Vec<Certificate>,
}

impl PemSigner {
    fn new(name: &str) -> Self {
        Self {
            key: std::fs::read_to_string(fx().dir.join(format!("pki/{name}.key"))).unwrap(),
            cert: cert(name),
            chain: vec![cert("root")],
        }
    }
}

impl Signer for PemSigner {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }
    fn chain(&self) -> &[Certificate] {
        &self.chain
    }
    fn key_kind(&self) -> KeyKind {
        KeyKind::from_spki(&self.cert.tbs_certificate.subject_public_key_info).unwrap()
    }
    fn sign(&mut self, req: &SignRequest<'_>) -> Result<Vec<u8>, SignerError> {
        use p256::ecdsa::signature::hazmat::PrehashSigner;
        use rsa::pkcs8::DecodePrivateKey;
        assert_eq!(
            req.digest,
            req.hash.digest(req.message),
            "the digest is the message's"
        );
        if let Ok(k) = rsa::RsaPrivateKey::from_pkcs8_pem(&self.key) {
            assert_eq!(req.scheme, Scheme::RsaPkcs1);
            return Ok(k
                .sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), req.digest)
                .unwrap());
        }
        assert_eq!(req.scheme, Scheme::Ecdsa);
        let k = p256::ecdsa::SigningKey::from_pkcs8_pem(&self.key).unwrap();
        let s: p256::ecdsa::Signature = k.sign_prehash(req.digest).unwrap();
        Ok(s.to_der().as_bytes().to_vec())
    }
}

fn opts() -> SignOptions {
    SignOptions::at(datetime!(2026-10-05 02:30:00 UTC))
}

fn choice(form: Option<Form>, reference: Option<&str>, into: Option<&str>) -> Choice {
    Choice {
        form,
        reference: reference.map(str::to_string),
        into: into.map(str::to_string),
        with_comments: false,
    }
}

/// prepare → the signer signs the digest → finish.
fn sign_with(xml: &[u8], c: &Choice, who: &str) -> Vec<u8> {
    sign_at(xml, c, who, &opts())
}

fn sign_at(xml: &[u8], c: &Choice, who: &str, o: &SignOptions) -> Vec<u8> {
    let mut s = PemSigner::new(who);
    let p = prepare(xml, c, &s.cert.clone(), &s.chain.clone(), o).unwrap();
    let scheme = p.scheme;
    let v = s
        .sign(&SignRequest {
            message: &p.signed_info_c14n,
            digest: &p.digest_to_sign,
            hash: p.hash,
            scheme,
            label: "test",
        })
        .unwrap();
    p.finish(&v).unwrap()
}

fn sign(xml: &[u8], who: &str) -> Vec<u8> {
    sign_with(xml, &Choice::default(), who)
}

fn findings(xml: &[u8]) -> Vec<XmlSignatureFinding> {
    signatures(xml, &XmlVerifyOptions::default()).unwrap().signatures
}

fn assert_all_valid(f: &[XmlSignatureFinding]) {
    assert!(!f.is_empty());
    for s in f {
        assert!(s.is_valid(), "{} invalid: {:?} {:?}", s.path, s.value, s.problems);
    }
}

/// The bytes outside the new Signature elements are untouched (CRLF, comments, PI, CDATA):
/// removes Signature elements and turns `<X></X>` back into `<X/>`.
fn strip_signatures(s: &str) -> String {
    let mut out = s.to_string();
    while let Some(a) = out.find("<Signature xmlns=") {
        let b = out[a..].find("</Signature>").unwrap() + a + "</Signature>".len();
        out.replace_range(a..b, "");
    }
    for t in ["NBan", "NMua", "CQT", "CKyDTu", "Cky", "CKy_Dvi"] {
        out = out.replace(&format!("<{t}></{t}>"), &format!("<{t}/>"));
    }
    out
}

#[test]
fn einvoice_seller_buyer_tax_authority_each_stays_valid() {
    let x0 = form("einvoice.xml");
    assert_eq!(detect_profile(&x0), Some(Form::Einvoice));
    // no choice: the seller's place first, then the buyer's
    let x1 = sign(&x0, "seller");
    assert_all_valid(&findings(&x1));
    let x2 = sign(&x1, "buyer");
    assert_all_valid(&findings(&x2));
    // the tax authority's place is named; it also signs MCCQT (ECDSA)
    let x3 = sign_with(&x2, &choice(None, None, Some("CQT")), "cqt");
    let f = findings(&x3);
    assert_eq!(f.len(), 3);
    assert_all_valid(&f);
    let slots: Vec<_> = f.iter().map(|s| s.slot).collect();
    assert_eq!(slots, [Some("NBan"), Some("NMua"), Some("CQT")]);
    assert_eq!(f[0].path, "/HDon/DSCKS/NBan/Signature");
    assert_eq!(f[2].references.len(), 3, "DLHDon, MCCQT, SigningTime");
    assert_eq!(f[0].references[0].target_path.as_deref(), Some("/HDon/DLHDon"));
    assert_eq!(
        f[1].signer_cert_der.as_deref(),
        Some(der::Encode::to_der(&cert("buyer")).unwrap().as_slice())
    );
    let s0 = String::from_utf8(x0).unwrap();
    let s3 = String::from_utf8(x3.clone()).unwrap();
    assert_eq!(strip_signatures(&s0), strip_signatures(&s3));
    // nothing left by default: the seller and buyer signed
    let e = check(&x3, &Choice::default(), &Default::default()).unwrap_err();
    assert_eq!(e.code(), "XML_SLOT_OCCUPIED", "{e}");
}

#[test]
fn the_report_is_the_pdf_report_with_the_form_the_slot_and_the_references() {
    // signed now: the test certificates were just issued
    let now = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let x = sign_at(
        &form("einvoice.xml"),
        &Choice::default(),
        "seller",
        &SignOptions::at(now),
    );
    let trusted = VerifyOptions {
        anchors: vec![cert("root")],
        offline: true,
        ..VerifyOptions::default()
    };
    let r = verify_xml_bytes(&x, "hd.xml".into(), &trusted);
    assert_eq!(r.verdict, FileVerdict::TotalPassed, "{r:?}");
    let s = &r.signatures[0];
    assert_eq!(s.field, "NBan");
    assert_eq!(s.sub_filter.as_deref(), Some("XMLDSig"));
    assert_eq!(
        s.signer.as_ref().unwrap().common_name.as_deref(),
        Some("CÔNG TY TNHH ÁNH DƯƠNG")
    );
    assert!(s.chain.trusted);
    assert_eq!(
        s.claimed_time.as_deref(),
        Some(kyso_core::timefmt::rfc3339(now.unix_timestamp()).as_str())
    );
    assert_eq!(s.claimed_time_source.as_deref(), Some("SigningTime"));
    assert!(
        s.findings.iter().any(|m| m.en.contains("read as Vietnam time")),
        "{:?}",
        s.findings
    );
    let j = serde_json::to_value(s).unwrap();
    assert_eq!(j["xml"]["profile"], "einvoice");
    assert_eq!(j["xml"]["slot"], "NBan");
    assert_eq!(j["xml"]["reference"], "/HDon/DLHDon");
    assert_eq!(j["coverage"], "ELEMENTS");
    assert_eq!(j["integrity"]["digest_algorithm"], "SHA-256");
    // the same file without the root among the anchors: undecided, not failed
    let r = verify_xml_bytes(
        &x,
        "hd.xml".into(),
        &VerifyOptions {
            offline: true,
            ..VerifyOptions::default()
        },
    );
    assert_eq!(r.verdict, FileVerdict::Indeterminate);
    assert_eq!(
        r.signatures[0].sub_indication,
        Some(SubIndication::NoCertificateChainFound)
    );
    // a changed amount: failed, the document was changed
    let t = String::from_utf8(x)
        .unwrap()
        .replacen("<TgTTTBSo>23769504<", "<TgTTTBSo>93769504<", 1);
    let r = verify_xml_bytes(t.as_bytes(), "hd.xml".into(), &trusted);
    assert_eq!(r.signatures[0].indication, Indication::TotalFailed);
    assert_eq!(r.signatures[0].sub_indication, Some(SubIndication::HashFailure));
    assert!(r.signatures[0].message.en.contains("changed after it was signed"));
    // the finding says which part changed, with its stable code for programs
    let j = serde_json::to_value(&r.signatures[0]).unwrap();
    let changed = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "XMLDSIG_DIGEST_MISMATCH")
        .unwrap();
    assert!(changed["en"].as_str().unwrap().contains(&format!("(#{INV_ID})")));
    assert!(changed["vi"]
        .as_str()
        .unwrap()
        .contains("đã bị thay đổi sau khi ký"));
    // an unreadable file is a file-level error with its code
    let r = verify_xml_bytes(b"<HDon><DLHDon>", "x.xml".into(), &trusted);
    assert_eq!(r.error.as_ref().unwrap().code, "XML_MALFORMED");
}

#[test]
fn signing_time_written_like_the_tax_authority_and_read_back() {
    let x = sign(&form("einvoice.xml"), "seller");
    assert!(String::from_utf8_lossy(&x).contains("<SigningTime>2026-10-05T09:30:00</SigningTime>"));
    let f = findings(&x);
    let t = f[0].signing_time.as_ref().unwrap();
    assert!(t.zone_assumed);
    assert_eq!(t.instant, Some(datetime!(2026-10-05 02:30:00 UTC)));
    assert!(!f[0].problems.contains(&Problem::SigningTimeUnsigned));
}

#[test]
fn tax_declaration_lowercase_id_and_with_comments() {
    let x0 = form("tokhai.xml");
    assert_eq!(detect_profile(&x0), Some(Form::Tax));
    let c = Choice {
        with_comments: true,
        ..Choice::default()
    };
    let planned = check(&x0, &c, &Default::default()).unwrap();
    assert_eq!(planned.reference_uri, "#ID_1");
    assert_eq!(planned.slot_path, "/HSoThueDTu/CKyDTu");
    let x = sign_with(&x0, &c, "seller");
    assert!(String::from_utf8_lossy(&x).contains("REC-xml-c14n-20010315#WithComments"));
    let f = findings(&x);
    assert_all_valid(&f);
    assert_eq!(f[0].slot, Some("CKyDTu"));
}

#[test]
fn bhxh_forms_then_unit_and_wrong_order_refused() {
    let x0 = form("bhxh.xml");
    assert_eq!(detect_profile(&x0), Some(Form::Bhxh));
    // no choice: each form in turn, then the unit
    let mut x = x0.clone();
    let mut places = Vec::new();
    for who in ["seller", "seller", "seller", "buyer"] {
        places.push(
            check(&x, &Choice::default(), &Default::default())
                .unwrap()
                .slot_path,
        );
        x = sign(&x, who);
    }
    assert_eq!(
        places,
        [
            "/Hoso/NoiDung/ToKhais/ToKhai[1]/Cky",
            "/Hoso/NoiDung/ToKhais/ToKhai[2]/Cky",
            "/Hoso/NoiDung/ToKhais/ToKhai[3]/Cky",
            "/Hoso/CKy_Dvi"
        ]
    );
    let f = findings(&x);
    assert_eq!(f.len(), 4);
    assert_all_valid(&f);
    let e = check(&x, &Choice::default(), &Default::default()).unwrap_err();
    assert!(matches!(e, XmlError::NoFreeSlot(_)), "{e}");
    // one form by its Id
    let one = sign_with(&x0, &choice(None, Some("D03-TS"), None), "seller");
    let f = findings(&one);
    assert_eq!(
        f[0].references[0].target_path.as_deref(),
        Some("/Hoso/NoiDung/ToKhais/ToKhai[2]")
    );
    // the unit first, then a form: the form's signature would break the unit's
    let unit_first = sign_with(&x0, &choice(None, None, Some("CKy_Dvi")), "buyer");
    let e = check(
        &unit_first,
        &choice(None, Some("D02-TS"), None),
        &Default::default(),
    )
    .unwrap_err();
    assert!(matches!(e, XmlError::WouldBreak { .. }), "{e}");
    assert_eq!(e.code(), "XML_WOULD_BREAK");
}

#[test]
fn a_document_management_systems_data_signs_its_only_id() {
    let x0 = form("data.xml");
    assert_eq!(detect_profile(&x0), None);
    let p = check(&x0, &Choice::default(), &Default::default()).unwrap();
    assert_eq!(
        (p.reference_uri.as_str(), p.slot_path.as_str()),
        ("#data", "/HoSoVanBan")
    );
    let x1 = sign(&x0, "seller");
    // a second signer over the same part: appended beside the first, both valid
    let x2 = sign(&x1, "cqt");
    let f = findings(&x2);
    assert_eq!(f.len(), 2);
    assert_all_valid(&f);
    assert_eq!(f[1].id.as_deref(), Some("Signature-2"));
    // a document with no Id: the whole document, the signature inside its root
    let whole = b"<?xml version=\"1.0\"?>\n<ThongBao><NoiDung>Th\xc3\xb4ng b\xc3\xa1o</NoiDung></ThongBao>\n";
    let w = sign(whole, "seller");
    let f = findings(&w);
    assert_all_valid(&f);
    assert_eq!(f[0].references[0].uri, "");
    // and nothing can be added inside it afterwards without breaking it
    let e = check(&w, &Choice::default(), &Default::default()).unwrap_err();
    assert_eq!(e.code(), "XML_WOULD_BREAK", "{e}");
}

#[test]
fn namespace_trap_with_ecdsa_der_and_raw_values() {
    let x = form("nstrap.xml");
    let c = choice(None, Some("data"), Some("HDon/DSCKS/NBan"));
    // a transport envelope around an invoice: still the e-invoice profile
    assert_eq!(detect_profile(&x), Some(Form::Einvoice));
    let c = Choice {
        form: Some(Form::Einvoice),
        ..c
    };
    let mut s = PemSigner::new("cqt");
    let p = prepare(&x, &c, &cert("cqt"), &[], &opts()).unwrap();
    let req = SignRequest {
        message: &p.signed_info_c14n,
        digest: &p.digest_to_sign,
        hash: HashAlg::Sha256,
        scheme: Scheme::Ecdsa,
        label: "t",
    };
    let der_sig = s.sign(&req).unwrap();
    let raw = p256::ecdsa::Signature::from_der(&der_sig)
        .unwrap()
        .to_bytes()
        .to_vec();
    let p2 = prepare(&x, &c, &cert("cqt"), &[], &opts()).unwrap();
    for out in [p.finish(&der_sig).unwrap(), p2.finish(&raw).unwrap()] {
        assert_all_valid(&findings(&out));
    }
}

#[test]
fn wrong_key_is_never_embedded() {
    let x = form("einvoice.xml");
    let p = prepare(&x, &Choice::default(), &cert("seller"), &[], &opts()).unwrap();
    let mut other = PemSigner::new("buyer");
    let v = other
        .sign(&SignRequest {
            message: &p.signed_info_c14n,
            digest: &p.digest_to_sign,
            hash: p.hash,
            scheme: p.scheme,
            label: "t",
        })
        .unwrap();
    assert!(matches!(p.finish(&v), Err(XmlError::WrongKey)));
}

#[test]
fn refusals_at_signing_are_specific() {
    let inv = String::from_utf8(form("einvoice.xml")).unwrap();
    let code = |xml: &str, c: Choice| check(xml.as_bytes(), &c, &Default::default()).unwrap_err().code();
    let dup = inv.replace(
        "<MCCQT Id=\"Id-3fca5333d7894598844aae52ece50271\"",
        &format!("<MCCQT Id=\"{INV_ID}\""),
    );
    assert_eq!(code(&dup, Choice::default()), "XML_DUPLICATE_ID");
    assert_eq!(code(&inv, choice(None, Some("nope"), None)), "XML_ID_NOT_FOUND");
    assert_eq!(
        code(&inv, choice(None, None, Some("TToan"))),
        "XML_SLOT_NOT_FOUND"
    );
    // the seller's place signs the invoice data, not the tax authority's code
    assert_eq!(
        code(
            &inv,
            choice(None, Some("Id-3fca5333d7894598844aae52ece50271"), Some("NBan"))
        ),
        "XML_WRONG_TARGET"
    );
    let data = String::from_utf8(form("data.xml")).unwrap();
    // an element path that matches twice is refused
    let two = data.replace("<CoQuan>", "<A><S/></A><B><S/></B><CoQuan>");
    assert_eq!(code(&two, choice(None, None, Some("S"))), "XML_SLOT_AMBIGUOUS");
    let many = data.replace("<CoQuan>", "<CoQuan Id=\"co-quan\">");
    assert_eq!(code(&many, Choice::default()), "XML_TARGET_UNCLEAR");
    let once = sign(inv.as_bytes(), "seller");
    assert_eq!(
        code(
            std::str::from_utf8(&once).unwrap(),
            choice(None, None, Some("NBan"))
        ),
        "XML_SLOT_OCCUPIED"
    );
    assert_eq!(code("<a><b>", Choice::default()), "XML_MALFORMED");
    let mut o = opts();
    o.hash = HashAlg::Sha1;
    assert!(prepare(inv.as_bytes(), &Choice::default(), &cert("seller"), &[], &o).is_err());
}

fn seller_signed() -> String {
    String::from_utf8(sign(&form("einvoice.xml"), "seller")).unwrap()
}

fn problems(x: &str) -> Vec<Problem> {
    let f = findings(x.as_bytes());
    assert_eq!(f.len(), 1);
    assert!(!f[0].is_valid());
    f[0].problems.clone()
}

#[test]
fn tampering_gives_specific_findings() {
    let s = seller_signed();
    // one character of the signed data
    let p = problems(&s.replacen("<TgTTTBSo>23769504<", "<TgTTTBSo>93769504<", 1));
    assert_eq!(p, vec![Problem::DigestMismatch(format!("#{INV_ID}"))]);
    // Signature moved out of its slot (still cryptographically valid: only the profile sees it)
    let a = s.find("<Signature xmlns=").unwrap();
    let b = s.find("</Signature>").unwrap() + 12;
    let sig = &s[a..b];
    let moved = format!("{}{}", &s[..a], &s[b..]).replacen("</HDon>", &format!("{sig}</HDon>"), 1);
    assert!(matches!(problems(&moved)[..], [Problem::UnexpectedLocation(_)]));
    // duplicated Id: original hidden in an Object, forged copy visible
    let d0 = s.find("<DLHDon ").unwrap();
    let d1 = s.find("</DLHDon>").unwrap() + 9;
    let orig = &s[d0..d1];
    let forged = orig.replacen("<TgTTTBSo>23769504<", "<TgTTTBSo>1<", 1);
    let w = s.replacen(orig, &forged, 1).replacen(
        "</Signature>",
        &format!("<Object>{orig}</Object></Signature>"),
        1,
    );
    assert!(problems(&w).contains(&Problem::DuplicateId(INV_ID.into(), 2)));
    // external URI: reported, never followed
    let e = s.replacen(&format!("URI=\"#{INV_ID}\""), "URI=\"file:///etc/passwd\"", 1);
    assert!(problems(&e).contains(&Problem::ExternalReference("file:///etc/passwd".into())));
    // XSLT: not run
    let x = s.replacen(
        "<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
        "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>",
        1,
    );
    assert!(problems(&x).contains(&Problem::UnsupportedTransform(
        "http://www.w3.org/TR/1999/REC-xslt-19991116".into()
    )));
    // signing time changed
    let t = s.replacen("2026-10-05T09:30:00", "2020-01-01T00:00:00", 1);
    assert_eq!(
        problems(&t),
        vec![Problem::DigestMismatch("#NBan-SigningTime".into())]
    );
    // value changed
    let v = s.replacen("<SignatureValue>", "<SignatureValue>AAAA", 1);
    assert!(problems(&v).contains(&Problem::SignatureValueInvalid));
}

#[test]
fn hostile_files_are_refused_before_entities_are_read() {
    let s = seller_signed();
    let bomb = s.replacen(
        "<HDon ",
        "<!DOCTYPE HDon [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><HDon ",
        1,
    );
    let opts = XmlVerifyOptions::default();
    assert!(matches!(signatures(bomb.as_bytes(), &opts), Err(XmlError::Dtd)));
    let deep = s.replacen(
        "<TTKhac/>",
        &format!("{}{}", "<a>".repeat(1000), "</a>".repeat(1000)),
        1,
    );
    assert!(matches!(
        signatures(deep.as_bytes(), &opts),
        Err(XmlError::TooDeep)
    ));
    let mut small = XmlVerifyOptions::default();
    small.limits.max_bytes = 1000;
    assert!(matches!(
        signatures(s.as_bytes(), &small),
        Err(XmlError::TooLarge { .. })
    ));
    // the same through the report
    let r = verify_xml_bytes(bomb.as_bytes(), "bomb.xml".into(), &VerifyOptions::default());
    assert_eq!(r.error.as_ref().unwrap().code, "XML_DTD");
    assert_eq!(r.verdict, FileVerdict::TotalFailed);
}

#[test]
fn truncated_and_mangled_files_never_panic() {
    let s = seller_signed().into_bytes();
    let opts = XmlVerifyOptions::default();
    for cut in (0..s.len()).step_by(97) {
        let _ = signatures(&s[..cut], &opts);
    }
    for at in (0..s.len()).step_by(211) {
        let mut m = s.clone();
        m[at] ^= 0x20;
        if let Ok(c) = signatures(&m, &opts) {
            let _ = c.signatures.iter().map(XmlSignatureFinding::is_valid).count();
        }
        let _ = check(&m, &Choice::default(), &Default::default());
    }
}

#[test]
fn each_form_is_summarised_for_the_confirmation() {
    let inv = summary(&form("einvoice.xml")).unwrap();
    assert_eq!(inv.form, Some(Form::Einvoice));
    let line = inv.line("vi");
    for want in [
        "C26TAA 00001234",
        "CÔNG TY TNHH ÁNH DƯƠNG (MST 0312345678)",
        "23769504 VND",
    ] {
        assert!(line.contains(want), "{line}");
    }
    let tax = summary(&form("tokhai.xml")).unwrap().line("en");
    assert!(
        tax.contains("TỜ KHAI THUẾ GIÁ TRỊ GIA TĂNG (Mẫu số 01/GTGT) (mã 842)"),
        "{tax}"
    );
    assert!(tax.contains("Period: 2/2026 (Q)"), "{tax}");
    let bhxh = summary(&form("bhxh.xml")).unwrap().line("vi");
    assert!(
        bhxh.contains("Đơn vị: UBND xã Tân Phú — Văn phòng (mã TA1234Z)"),
        "{bhxh}"
    );
    assert!(bhxh.contains("D02-TS, D03-TS, TK3-TS"), "{bhxh}");
}
