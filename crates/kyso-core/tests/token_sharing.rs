//! One token, two users in one process (the app signing a batch while the bridge asks):
//! against a real SoftHSM2 token made for this test. The second signer is refused before it
//! logs in, a login made by someone else never counts as a correct PIN (no PIN try is spent,
//! and that login is not ended), and the token is free again once the first signer is done.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use kyso_core::signer::pkcs11::Module;
use kyso_core::signer::{Secret, SignerError};

const PIN: &str = "123456";

fn module_path() -> Option<PathBuf> {
    [
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

fn run(dir: &Path, args: &[&str]) {
    let out = Command::new(args[0])
        .args(&args[1..])
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{args:?}: {e}"));
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A token "SHARED" with one RSA key and its certificate (id 01), in `dir`.
fn make_token(dir: &Path, module: &Path) {
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}/\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    // Set before the library is loaded by anything in this test binary.
    std::env::set_var("SOFTHSM2_CONF", &conf);
    run(
        dir,
        &[
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Token Sharing Test",
            "-addext",
            "keyUsage=critical,digitalSignature,nonRepudiation",
        ],
    );
    run(
        dir,
        &[
            "openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-out", "key.p8",
        ],
    );
    run(
        dir,
        &[
            "openssl", "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der",
        ],
    );
    run(
        dir,
        &[
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "SHARED",
            "--pin",
            PIN,
            "--so-pin",
            "12345678",
        ],
    );
    run(
        dir,
        &[
            "softhsm2-util",
            "--import",
            "key.p8",
            "--token",
            "SHARED",
            "--label",
            "k",
            "--id",
            "01",
            "--pin",
            PIN,
        ],
    );
    run(
        dir,
        &[
            "pkcs11-tool",
            "--module",
            module.to_str().unwrap(),
            "--token-label",
            "SHARED",
            "--login",
            "--pin",
            PIN,
            "--write-object",
            "cert.der",
            "--type",
            "cert",
            "--id",
            "01",
            "--label",
            "k",
        ],
    );
}

fn code<T>(r: Result<T, SignerError>) -> &'static str {
    match r {
        Ok(_) => "OK",
        Err(e) => e.code(),
    }
}

#[test]
fn one_signer_per_token_and_a_login_that_was_not_ours_never_passes_for_a_pin() {
    let Some(path) = module_path() else {
        eprintln!("SoftHSM2 is not installed: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    make_token(dir.path(), &path);
    let module = Arc::new(Module::load(&path).unwrap());
    let pin = Secret::new(PIN.into());
    let wrong = Secret::new("000000".into());
    let count_low = |m: &Module| m.list(None).unwrap()[0].pin.count_low;

    // The app's batch holds the token.
    let first = module
        .open_signer(Some("SHARED"), Some("01"), Some(&pin), &[])
        .unwrap();
    // The bridge, with any PIN, through the same driver or a second load of it: refused
    // before the token is asked anything.
    assert_eq!(
        code(module.open_signer(Some("SHARED"), Some("01"), Some(&wrong), &[])),
        "TOKEN_BUSY"
    );
    let again = Arc::new(Module::load(&path).unwrap());
    assert_eq!(
        code(again.open_signer(Some("SHARED"), Some("01"), Some(&pin), &[])),
        "TOKEN_BUSY"
    );
    // A listing that would log in waits its turn too.
    assert_eq!(code(module.list(Some(&pin))), "TOKEN_BUSY");
    assert!(!count_low(&module), "no PIN try was spent");
    // The first signer still works: nobody logged it out.
    drop(first);

    // Someone else in this process logs in without Kyso's claim (a program that does not
    // know the rule). Kyso must not take that login for a correct PIN…
    let foreign = cryptoki::context::Pkcs11::new(&path).unwrap();
    let _ = foreign.initialize(cryptoki::context::CInitializeArgs::new(
        cryptoki::context::CInitializeFlags::OS_LOCKING_OK,
    ));
    let slot = foreign.get_slots_with_initialized_token().unwrap()[0];
    let session = foreign.open_ro_session(slot).unwrap();
    session
        .login(
            cryptoki::session::UserType::User,
            Some(&cryptoki::types::AuthPin::from(PIN.to_string())),
        )
        .unwrap();
    assert_eq!(
        code(module.open_signer(Some("SHARED"), Some("01"), Some(&wrong), &[])),
        "TOKEN_BUSY"
    );
    // …nor end it: the foreign session still sees the private key.
    let keys = session
        .find_objects(&[cryptoki::object::Attribute::Class(
            cryptoki::object::ObjectClass::PRIVATE_KEY,
        )])
        .unwrap();
    assert_eq!(keys.len(), 1, "the other login was left alone");
    session.logout().unwrap();
    drop(session);

    // Free again: a wrong PIN is a wrong PIN (counted by the token), the right one signs.
    assert_eq!(
        code(module.open_signer(Some("SHARED"), Some("01"), Some(&wrong), &[])),
        "PIN_INCORRECT"
    );
    assert!(count_low(&module), "the wrong PIN reached the token this time");
    let mut signer = module
        .open_signer(Some("SHARED"), Some("01"), Some(&pin), &[])
        .unwrap();
    let digest = kyso_core::crypto::HashAlg::Sha256.digest(b"sharing");
    let sig = kyso_core::signer::Signer::sign(
        &mut signer,
        &kyso_core::signer::SignRequest {
            message: b"sharing",
            digest: &digest,
            hash: kyso_core::crypto::HashAlg::Sha256,
            scheme: kyso_core::crypto::Scheme::RsaPkcs1,
            label: "sharing",
        },
    )
    .unwrap();
    assert_eq!(sig.len(), 256);
}
