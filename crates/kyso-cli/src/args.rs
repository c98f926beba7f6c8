//! Command-line flags. The contract (flags, exit codes, JSON keys) is relied on by scripts
//! outside the project: extend it, never break it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Kyso: sign and check PDF documents with Vietnamese digital certificates.
#[derive(Parser, Debug)]
#[command(name = "kyso", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Sign a PDF (PAdES, incremental update), an XML file (enveloped XMLDSig: e-invoices,
    /// tax declarations, BHXH dossiers) or, with --detached, any file (CAdES .p7s).
    Sign(Box<SignArgs>),
    /// Check the signatures of PDFs, XML files or detached .p7s files.
    Verify(VerifyArgs),
    /// Make a signed PDF's signatures long-term (B-LT: validation data; B-LTA: plus a
    /// document timestamp), by incremental update; works on any signer's signatures.
    Augment(AugmentArgs),
    /// The signing journal: every signing and extension, and the signatures waiting for
    /// the network.
    Journal(JournalArgs),
    /// List token drivers, tokens and their certificates.
    Tokens(TokensArgs),
    /// Check this computer: token drivers, tokens and PINs, certificates and their expiry,
    /// the clock, the certificate services, the signing bridge, the trust store.
    Doctor(DoctorArgs),
    /// Manage trust anchors (pinned Vietnamese roots and intermediates, custom anchors).
    #[command(subcommand)]
    Trust(TrustCommand),
    /// The organisation profile for visible signatures: seal, signature images, name.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Saved remote-signing accounts (SIM-PKI, CSC, SmartCA, MySign); secrets are never saved.
    #[command(subcommand)]
    Providers(crate::remote::ProvidersCommand),
    /// The local signing bridge for document-management web pages (WebSocket and HTTP on
    /// 127.0.0.1:8987): allowed sites only, every signing confirmed here with the PIN.
    Serve(Box<crate::serve::ServeArgs>),
}

/// `kyso profile …`.
#[derive(Subcommand, Debug)]
pub enum ProfileCommand {
    /// Show the profile.
    Show {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Change the profile (images are copied into the config folder, never sent anywhere).
    Set {
        /// Organisation name (copy stamps).
        #[arg(long)]
        org: Option<String>,
        /// The organisation's seal (PNG with transparency, or JPEG; applied at real size).
        #[arg(long, value_name = "FILE")]
        seal: Option<PathBuf>,
        /// A person's handwritten signature image: `NAME=FILE`, NAME as in the certificate.
        #[arg(long, value_name = "NAME=FILE")]
        signature: Vec<String>,
        /// Text lines under an approval signature (repeatable).
        #[arg(long, value_name = "LINE")]
        approve_text: Vec<String>,
    },
}

/// `kyso trust …`.
#[derive(Subcommand, Debug)]
pub enum TrustCommand {
    /// Import certificates (PEM/DER): accepted if they match a pinned Vietnamese authority,
    /// or with --custom as your own anchor.
    Import {
        /// Certificate files (PEM, DER or .p7b) or http(s):// URLs where the authority
        /// publishes them.
        #[arg(required = true)]
        files: Vec<String>,
        /// Accept a CA certificate that matches no pin, as a custom trust anchor.
        #[arg(long)]
        custom: bool,
        /// With --custom: the hierarchy you declare this anchor belongs to (an organisation's
        /// own official-duty or public test hierarchy); shown as declared by you.
        #[arg(long, value_name = "official|public", requires = "custom")]
        system: Option<String>,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List what Kyso trusts: built in (shipped with Kyso), imported, custom, and the
    /// intermediates kept from earlier checks; each on or off.
    List {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Switch a trusted certificate off (a built-in one included), by its SHA-256 (at least
    /// 8 hex digits).
    Disable {
        /// SHA-256 fingerprint or its first digits.
        fingerprint: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Switch a certificate back on.
    Enable {
        /// SHA-256 fingerprint or its first digits.
        fingerprint: String,
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fetch the current revocation lists (CRLs) of the trusted authorities and of every
    /// CRL address met while checking, into the data folder, for checks without network.
    Refresh {
        /// Print as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Where the key is.
#[derive(Args, Debug, Clone)]
pub struct SignerArgs {
    /// PKCS#11 driver library of the USB token (else $KYSO_PKCS11_MODULE, else auto-discovery).
    #[arg(long, value_name = "MODULE")]
    pub pkcs11: Option<PathBuf>,
    /// Token label, when several tokens are plugged in.
    #[arg(long, value_name = "LABEL")]
    pub token: Option<String>,
    /// Certificate: CKA_ID (hex), label, or SHA-256 fingerprint prefix (≥ 8 hex digits).
    #[arg(long, value_name = "SELECTOR")]
    pub cert: Option<String>,
    /// Name of an environment variable holding the PIN (the PIN itself never goes in argv).
    #[arg(long, value_name = "VAR", conflicts_with_all = ["pin_fd", "pin_file", "pin_stdin"])]
    pub pin_env: Option<String>,
    /// Read the PIN from this file descriptor (first line; not on Windows: use --pin-stdin).
    #[arg(long, value_name = "N", conflicts_with_all = ["pin_file", "pin_stdin"])]
    pub pin_fd: Option<u32>,
    /// Read the PIN from standard input (first line), e.g. `echo %PIN% | kyso sign ...`.
    #[arg(long, conflicts_with = "pin_file")]
    pub pin_stdin: bool,
    /// Read the PIN from this file (first line).
    #[arg(long, value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
    /// PKCS#12 file (.p12/.pfx) instead of a token.
    #[arg(long, value_name = "FILE", conflicts_with = "pkcs11")]
    pub p12: Option<PathBuf>,
    /// Name of an environment variable holding the PKCS#12 password.
    #[arg(long, value_name = "VAR")]
    pub p12_password_env: Option<String>,
    /// Extra certificates (PEM/DER) to complete the chain embedded in the signature.
    #[arg(long, value_name = "PEM")]
    pub chain: Vec<PathBuf>,
    /// Hash in software and use the token's raw mechanisms only (for tokens whose
    /// hash-and-sign mechanisms misbehave).
    #[arg(long)]
    pub raw_mechanism: bool,
    #[command(flatten)]
    pub remote: crate::remote::RemoteArgs,
}

/// Digest algorithms offered for new signatures (SHA-1 is not offered).
#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum HashArg {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// The XML forms Kyso knows.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum XmlProfileArg {
    /// E-invoice (Decree 123/2020): data `HDon/DLHDon`, signatures in `HDon/DSCKS/NBan`
    /// (seller), `NMua` (buyer), `CCKSKhac`, `CQT` (tax authority, also signs `MCCQT`).
    Einvoice,
    /// Tax declaration (HTKK/eTax): `HSoThueDTu/HSoKhaiThue` signed into `CKyDTu`.
    Tax,
    /// Social-insurance dossier: each `ToKhai` into its own `Cky`, then `Hoso` into `CKy_Dvi`.
    Bhxh,
}

/// Decree 30/2020 signing roles.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleArg {
    /// The leader's approval signature.
    Approve,
    /// The organisation's issuing signature (the clerk).
    Issue,
    /// An attachment in its own file.
    Appendix,
    /// An electronic copy of a paper document.
    Copy,
    /// Receipt of an incoming document.
    Incoming,
}

/// PAdES baseline levels (ETSI EN 319 142-1).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelArg {
    /// Signature only.
    #[value(name = "B-B")]
    BB,
    /// With a signature timestamp.
    #[value(name = "B-T")]
    BT,
    /// B-T plus validation data (DSS) for every certificate.
    #[value(name = "B-LT")]
    BLt,
    /// B-LT plus a document timestamp over everything.
    #[value(name = "B-LTA")]
    BLta,
}

/// `kyso sign`.
#[derive(Args, Debug)]
pub struct SignArgs {
    /// File to sign (never modified): a PDF, an XML file (output NAME-signed.xml), or any
    /// file with --detached; or a folder: every PDF in it is signed as one batch (one PIN,
    /// one confirmation on the phone where the service allows it).
    pub input: PathBuf,
    /// Output file (default: INPUT with `-signed` before the extension, or INPUT.p7s); for a
    /// folder, the output folder (default: the same folder).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Make a detached CAdES signature (FILE.p7s) instead of signing inside a PDF.
    #[arg(long)]
    pub detached: bool,
    #[command(flatten)]
    pub signer: SignerArgs,
    /// Signature field: an existing empty one, or the name of a new one.
    #[arg(long)]
    pub field: Option<String>,
    /// Reason for signing.
    #[arg(long)]
    pub reason: Option<String>,
    /// Location of signing.
    #[arg(long)]
    pub location: Option<String>,
    /// Contact information.
    #[arg(long)]
    pub contact: Option<String>,
    /// Digest algorithm.
    #[arg(long, value_enum, default_value = "sha256")]
    pub hash: HashArg,
    /// Use RSA-PSS instead of PKCS#1 v1.5 for RSA keys.
    #[arg(long)]
    pub pss: bool,
    /// PAdES level: B-B (signature only) or B-T (plus a timestamp from --tsa). Default: B-T
    /// when a TSA is given, else B-B. XML signatures are always B-B.
    #[arg(long, value_enum)]
    pub level: Option<LevelArg>,
    /// Timestamp authority URL (RFC 3161); repeatable, tried in order.
    #[arg(long, value_name = "URL")]
    pub tsa: Vec<String>,
    /// With B-T or higher and no timestamp authority reachable, fail instead of signing B-B
    /// and queueing the timestamp for later (`kyso augment --pending`).
    #[arg(long)]
    pub no_queue: bool,
    /// Certify the document (first signature only) and say what later changes are allowed:
    /// 1 none, 2 filling in forms and signing, 3 also annotations.
    #[arg(long, value_name = "P", value_parser = clap::value_parser!(u8).range(1..=3))]
    pub certify: Option<u8>,
    /// Make the signature visible: `PAGE,X1,Y1,X2,Y2` in points on the page as displayed
    /// (origin bottom-left), or `field` to draw into the existing field named by --field.
    #[arg(long, value_name = "PAGE,X1,Y1,X2,Y2|field", conflicts_with = "anchor")]
    pub visible: Option<String>,
    /// Place the visible signature next to this text on the page (a placeholder such as
    /// `[CHU_KY]`, or the signer's printed name); the first page that shows it.
    #[arg(long, value_name = "TEXT")]
    pub anchor: Option<String>,
    /// Where, relative to the --anchor text: above (default), over, below, right.
    #[arg(long, value_name = "WHERE", default_value = "above", requires = "anchor")]
    pub anchor_at: String,
    /// Size of the anchored box in points, WIDTHxHEIGHT.
    #[arg(long, value_name = "WxH", default_value = "170x60", requires = "anchor")]
    pub anchor_box: String,
    /// Text of the visible signature, one line per flag (default: signer, organisation and
    /// signing time in Vietnam time).
    #[arg(long, value_name = "LINE")]
    pub text: Vec<String>,
    /// Decree 30 role: approve (leader, signature image in the signature block: give
    /// --visible or --field), issue (clerk: the seal --image at real size over the left third
    /// of the leader's signature), appendix (text top right: --doc-number and the time),
    /// copy (text top right: --copy-form, --org and the time; no image unless --image or
    /// --seal), incoming (--receipt stamp, top left).
    #[arg(long, value_enum)]
    pub role: Option<RoleArg>,
    /// Number and symbol of the (main) document, e.g. "15/QĐ-UBND" (issue, appendix).
    #[arg(long, value_name = "TEXT")]
    pub doc_number: Option<String>,
    /// The copying organisation's name (copy).
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// The form of an electronic copy: sao-y (default), sao-luc, trich-sao (copy).
    #[arg(long, value_name = "FORM", value_parser = ["sao-y", "sao-luc", "trich-sao"])]
    pub copy_form: Option<String>,
    /// Also show the organisation profile's seal image on a copy (Decree 30 shows none).
    #[arg(long)]
    pub seal: bool,
    /// Receipt text of an incoming document, e.g. "Số đến: 1234" (incoming).
    #[arg(long, value_name = "TEXT")]
    pub receipt: Option<String>,
    /// Image of the visible signature (PNG with transparency, or JPEG).
    #[arg(long, value_name = "FILE")]
    pub image: Option<PathBuf>,
    /// Lock form fields with this signature (FieldMDP): `all`, or a comma-separated list of
    /// field names. Later changes to them make this signature fail.
    #[arg(long, value_name = "all|NAME,...")]
    pub lock_fields: Option<String>,
    /// Trust anchors for B-LT/B-LTA chains (besides the trust store); repeatable.
    #[arg(long, value_name = "PEM")]
    pub trust: Vec<PathBuf>,
    /// XML: the form (default: recognised from the file). Sets what is signed and where the
    /// signature goes; the next free place is used unless --xml-into names one.
    #[arg(long, value_enum, value_name = "einvoice|tax|bhxh")]
    pub xml_profile: Option<XmlProfileArg>,
    /// XML: the Id of the element to sign (a BHXH form, or the part of any other XML file).
    #[arg(long, value_name = "ID")]
    pub xml_ref: Option<String>,
    /// XML: where the Signature element goes: a place of the form (NBan, NMua, CCKSKhac,
    /// CQT, CKyDTu, Cky, CKy_Dvi) or, for other files, an element path A/B/C.
    #[arg(long, value_name = "SLOT|A/B/C")]
    pub xml_into: Option<String>,
    /// XML: canonicalise SignedInfo with comments (C14N #WithComments), as some tax notices do.
    #[arg(long)]
    pub c14n_comments: bool,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `kyso augment`.
#[derive(Args, Debug)]
pub struct AugmentArgs {
    /// Signed PDF (never modified).
    #[arg(required_unless_present = "pending")]
    pub input: Option<PathBuf>,
    /// Output (default: INPUT with `-lt` or `-lta` before `.pdf`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Level to reach.
    #[arg(long, value_enum, required_unless_present = "pending")]
    pub level: Option<LevelArg>,
    /// Complete the signatures made while the network was down (the queue in the journal).
    #[arg(long, conflicts_with_all = ["input", "output", "level"])]
    pub pending: bool,
    /// Timestamp authority URL for B-LTA; repeatable, tried in order.
    #[arg(long, value_name = "URL")]
    pub tsa: Vec<String>,
    /// Trust anchors (besides the trust store); repeatable.
    #[arg(long, value_name = "PEM")]
    pub trust: Vec<PathBuf>,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `kyso journal`.
#[derive(Args, Debug)]
pub struct JournalArgs {
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// At most this many events (the newest; printed oldest first).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,
    /// Skip this many of the newest events (the next page: --offset 100, 200 …).
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

/// `kyso verify`.
#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// PDFs, XML files or .p7s files, or folders of them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Trust anchor certificates (PEM or DER); repeatable.
    #[arg(long, value_name = "PEM")]
    pub trust: Vec<PathBuf>,
    /// The signed file for a detached .p7s (default: the .p7s name without its extension).
    #[arg(long)]
    pub content: Option<PathBuf>,
    /// Never use the network.
    #[arg(long)]
    pub offline: bool,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Messages in English instead of Vietnamese.
    #[arg(long)]
    pub english: bool,
    /// Check folders recursively.
    #[arg(short, long)]
    pub recursive: bool,
    /// Also write a printable report to this file: PDF when it ends in .pdf, else HTML.
    #[arg(long, value_name = "FILE.pdf|FILE.html")]
    pub report: Option<PathBuf>,
}

/// `kyso doctor`.
#[derive(Args, Debug)]
pub struct DoctorArgs {
    /// PKCS#11 driver library (else $KYSO_PKCS11_MODULE, the settings' and those installed).
    #[arg(long, value_name = "MODULE")]
    pub pkcs11: Option<PathBuf>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
    /// In English (Vietnamese by default).
    #[arg(long)]
    pub english: bool,
}

/// `kyso tokens`.
#[derive(Args, Debug)]
pub struct TokensArgs {
    /// PKCS#11 driver library (else $KYSO_PKCS11_MODULE and auto-discovery).
    #[arg(long, value_name = "MODULE")]
    pub pkcs11: Option<PathBuf>,
    /// Log in with the PIN in this environment variable to pair certificates with keys.
    #[arg(long, value_name = "VAR")]
    pub pin_env: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}
