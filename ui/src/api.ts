// Typed wrappers over the Tauri commands. The PIN goes in exactly one call (signDocuments).
import { invoke } from "@tauri-apps/api/core";

export interface PinState { count_low: boolean; final_try: boolean; locked: boolean; to_be_changed: boolean }
export interface CommandError { code: string; detail: string; pin: PinState | null }

export interface CertEntry {
  key: string; module: string; token_label: string; token_serial: string; cert_id: string;
  holder: string; organization: string | null; title: string | null; uid: string | null;
  issuer: string; not_after: string; days_left: number; expired: boolean; expiring_soon: boolean;
  pin: PinState; protected_authentication_path: boolean; key_type: string;
}
export interface ModuleEntry { path: string; error: CommandError | null; tokens: number }
export interface CertList { modules: ModuleEntry[]; certificates: CertEntry[]; remote?: RemoteEntry[] }

/** TLS files of a remote service (paths on this computer). */
export interface Tls { ca?: string | null; client_cert?: string | null; client_key?: string | null }
export type CscLogin = "none" | "basic" | "client_credentials" | "authorization_code";
/** A saved remote-signing account's settings (never a secret), as the core serialises it. */
export type Provider =
  | { kind: "csc"; url: string; version?: number | null; login?: CscLogin; user?: string | null; credential?: string | null; tls?: Tls }
  | { kind: "sim"; url: string; ap_id: string; mssp_id: string; msisdn: string; signature_profile: string; asynchronous?: boolean; certificate?: string | null; tls?: Tls; signature_path?: string; status_path?: string; profile_path?: string }
  | { kind: "smartca"; url: string; sp_id: string; user_id: string; serial_number?: string | null; tls?: Tls }
  | { kind: "mysign"; url: string; client_id: string; profile_id: string; user_id: string; credential?: string | null; tls?: Tls };
export type RemoteKind = Provider["kind"];
/** A saved remote account in the certificate list: sign with `certificate: key`. */
export interface RemoteEntry { key: string; name: string; kind: RemoteKind; detail: string; asks_secret: boolean; asks_pin: boolean; secret_saved?: boolean; provider: Provider }
/** What a remote signing is doing (the `remote-progress` event). */
export type RemoteProgress =
  | { state: "contacting"; service: string }
  | { state: "confirm"; shown: string; code: string | null; seconds_left: number }
  | { state: "received" };

export interface Settings {
  module_paths: string[]; tsa_urls: string[]; trust_anchor_files: string[]; language: "vi" | "en"; offline: boolean;
  /** The local signing bridge (off by default), its port on 127.0.0.1, the sites allowed to
   *  ask, and other sites documents may come from or go to. */
  bridge_enabled: boolean; bridge_port: number; bridge_origins: string[]; bridge_hosts: string[];
  /** Where the signed update manifest is (empty: the address built into this release). */
  update_url?: string;
  /** Local-network servers (an intranet CA's) that addresses inside certificates may lead to. */
  intranet_servers?: string[];
  /** SHA-256 of trusted certificates the user switched off (built-in ones included). */
  trust_disabled?: string[];
}
/** Which list of paths a Rust file dialog adds to (`add_setting_path`). */
export type PathList = "driver" | "trust_anchor";

/** Updates (the core checks Kyso's release signature, the version and the installer's digest). */
export interface UpdateInfo { version: string; enabled: boolean; url: string }
export interface UpdateOffer { version: string; current: string; released: string; notes: Msg; url: string; sha256: string; size: number }
export type UpdateCheck = { state: "up_to_date"; version: string } | ({ state: "available" } & UpdateOffer);
/** After the user agreed: `started` (the installer's window is open, Kyso closes) or `saved` (run `command`). */
export interface UpdateInstalled { path: string; state: "started" | "saved"; command: string | null }

/** Whether the bridge listens (`bridge_status`); `ca_path`: the local certificate authority
 *  users import for wss://. */
export interface BridgeStatus { listening: boolean; port: number; error: { code: string; detail: string } | null; ca_path: string | null }
/** A site not allowed yet asks to use Kyso (`bridge-origin`). */
export interface BridgeOriginQuestion { id: number; origin: string }
/** One document of a signing request as Kyso fetched it: its name, address, size and SHA-256
 *  (computed by Kyso; `sha256_prefix`: the first 16 hex digits in groups of four). */
export interface BridgeDocument { name: string; address: string; size: number; sha256: string; sha256_prefix: string; pdf: boolean }
/** An XML form Kyso knows. */
export type XmlForm = "einvoice" | "tax" | "bhxh";
export const XML_FORMS: XmlForm[] = ["einvoice", "tax", "bhxh"];
/** What an XML file is about (the core's summary): a label pair and the value per line. */
export interface XmlSummary { form: XmlForm | null; kind_vi: string; kind_en: string; items: { vi: string; en: string; value: string }[]; signatures: number }
/** What a signing of an XML file will sign, and where the signature goes. */
export interface XmlTarget { form: XmlForm | null; slot: string | null; slot_label: [string, string] | null; slot_path: string; reference_path: string; reference_uri: string }
/** The Sign screen's view of an XML file (`inspect_xml`). */
export interface XmlInfo { form: XmlForm | null; summary: XmlSummary | null; slots: [string, string, string][]; target: XmlTarget | null; error: CommandError | null }
/** A signing request from an allowed site (`bridge-request`); `action_text` is bilingual;
 *  `xml` for SignXML: the file's summary and what is signed. */
export interface BridgeRequest { id: number; action: string; action_text: string; origin: string; documents: BridgeDocument[]; document_number: string | null; xml?: { summary: XmlSummary; target: XmlTarget } | null }
/** A question is over (`bridge-done`): timed out, could not start, or signed (or not). */
export interface BridgeDone { id: number; signed: boolean; error: CommandError | null }
/** The answer to a signing request: declined, or the certificate and what was typed. */
export interface BridgeAnswer { id: number; accept: boolean; certificate: string | null; p12: null; pin: string | null; secret: string | null }

/** PAdES levels, from a plain signature to long-term archival. */
export type Level = "B-B" | "B-T" | "B-LT" | "B-LTA";
export const LEVELS: Level[] = ["B-B", "B-T", "B-LT", "B-LTA"];

export interface FileResult {
  file: string; output: string | null; status: "signed" | "failed" | "cancelled"; error: CommandError | null;
  /** Level reached (PDFs). */
  level: string | null;
  /** Level still wanted: non-null means the rest is queued, waiting for the network. */
  pending: string | null;
}

/** One signing or completion in the journal. */
export interface JournalEvent {
  id: number; time: number; action: "sign" | "augment"; input: string; input_sha256: string; output: string;
  output_sha256: string | null; signer: string | null; certificate_sha256: string | null; level: string;
  result: "started" | "ok" | "pending" | "failed"; detail: string | null;
}
/** A signed document waiting for the network (timestamp, validation data). */
export interface PendingJob { id: number; created: number; file: string; level: string; tsa_urls: string[]; attempts: number; last_error: string | null }
export interface Journal { events: JournalEvent[]; pending: PendingJob[] }
export interface QueueReport {
  completed: { output: string; level: string; signatures: number }[];
  failed: { file: string; level: string; error: { code: string; message: string } }[];
}

export interface Msg { vi: string; en: string }
export interface SignatureReport {
  field: string; kind: string; indication: "TOTAL_PASSED" | "INDETERMINATE" | "TOTAL_FAILED";
  sub_indication: string | null; message: Msg; findings: Msg[];
  signer: { common_name: string | null; organization: string | null; title: string | null; uid: string | null; subject: string } | null;
  claimed_time_vietnam: string | null; claimed_time_source: string | null; has_timestamp: boolean;
  /** The time a timestamp proves (shown beside the claimed time); `trusted`: it counts as proof. */
  timestamp?: { time: string; time_vietnam: string; tsa: string | null; trusted: boolean } | null;
  coverage: string; later_revisions: number;
  /** [start1, len1, start2, len2]; the signed revision is the first start2 + len2 bytes. */
  byte_range: number[] | null; chain: { trusted: boolean; path: string[]; anchor: string | null };
  changes: { object: number; page: number | null; what: string; what_vi: string; severity: string }[];
  certificate_not_after: string | null; reason: string | null; location: string | null;
  /** The signer's certificate: which system (Decree 68) and class, and why. */
  certificate?: CertificateFacts | null;
  /** What the revocation verdict rests on (`saved`: the cache in the data folder). */
  revocation_source?: { kind: string; origin: string; this_update: string; next_update: string | null; current: boolean } | null;
  /** XML signatures: the form, its place, what the references sign. */
  xml?: { profile: string | null; slot: string | null; path: string; reference: string | null; references: { uri: string; target: string | null; digest_ok: boolean }[]; canonicalization: string | null } | null;
}
export interface CertificateFacts {
  system: "official" | "public" | "other"; class: "individual" | "organization" | "service";
  evidence: { system: Msg; class: Msg }; issuer: string | null; anchor: string | null;
}
/** One check of the legal verdict (Decree 30 + Decree 68). */
export interface LegalCheck {
  code: string; result: "pass" | "warn" | "fail" | "not_checked"; message: Msg; title: Msg; return_text?: Msg;
}
export interface LegalReport { verdict: "COMPLETE" | "INCOMPLETE" | "NOT_CHECKED"; checks: LegalCheck[]; message: Msg }
export interface FileReport {
  path: string; verdict: "TOTAL_PASSED" | "INDETERMINATE" | "TOTAL_FAILED" | "NO_SIGNATURE";
  revisions: number; signatures: SignatureReport[]; error: { code: string; message: Msg } | null;
  /** The legal verdict beside the signature verdict (PDFs). */
  legal?: LegalReport;
}
/** A certificate Kyso trusts (or keeps), as the settings list it. */
export interface TrustEntry {
  subject: string; sha256: string; role: "root" | "intermediate"; pinned_as: string | null; not_after: string;
  source: "built_in" | "imported" | "custom" | "kept"; system: "official" | "public" | "other"; enabled: boolean;
}
export interface Refreshed { url: string; issuer: string; this_update: string | null; next_update: string | null; error: string | null }

/** One line of the self-check (the core's `doctor::Line`): what was checked (a stable code),
 *  green/amber/red, what was found, what to do, the facts behind it. */
export interface DoctorLine { code: string; status: "green" | "amber" | "red"; text: Msg; action: Msg | null; data: unknown }
export interface DoctorReport { version: string; time: string; status: DoctorLine["status"]; lines: DoctorLine[] }
/** The self-check and the support desk's text (no PIN, secret or document content). */
export interface SelfCheck { report: DoctorReport; support: string }

/** A Decree 30 role for the visible signature. */
export type Role = "approve" | "issue" | "appendix" | "copy" | "incoming";
export const ROLES: Role[] = ["approve", "issue", "appendix", "copy", "incoming"];
/** The visible signature asked for: `rect` in points on the page as displayed, origin bottom-left. */
export interface Appearance {
  role?: Role; page?: number; rect?: [number, number, number, number]; text?: string[];
  doc_number?: string; org?: string; receipt?: string;
  /** Copy: the form (default SAO Y) and whether to show the profile's seal (Decree 30: none). */
  copy_form?: CopyForm; seal?: boolean;
}
/** The forms of an electronic copy (Decree 30). */
export type CopyForm = "sao-y" | "sao-luc" | "trich-sao";
export const COPY_FORMS: CopyForm[] = ["sao-y", "sao-luc", "trich-sao"];
/** The organisation profile: images as data URLs; `signatures` as [person, data URL]. */
export interface Profile { organization: string | null; seal: string | null; signatures: [string, string][]; approve_text: string[] }

export const api = {
  getSettings: () => invoke<Settings>("get_settings"),
  signingDefaults: () => invoke<{ level: Level; online: boolean }>("signing_defaults"),
  saveSettings: (settings: Settings) => invoke<Settings>("save_settings", { settings }),
  listCertificates: () => invoke<CertList>("list_certificates"),
  pickFiles: (purpose: "sign" | "check") => invoke<string[]>("pick_files", { purpose }),
  pickFolder: () => invoke<string[]>("pick_folder"),
  pickP12: () => invoke<string | null>("pick_p12"),
  /** `pin`: token PIN, .p12 password or CSC credential PIN; `secret`: a remote account's secret. */
  signDocuments: (request: { files: string[]; certificate: string; p12: string | null; pin: string | null; secret?: string | null; remember_secret?: boolean; reason: string | null; location: string | null; level?: Level; appearance?: Appearance; xml_profile?: XmlForm | null; xml_into?: string | null }) =>
    invoke<FileResult[]>("sign_documents", { request }),
  cancelSigning: () => invoke<void>("cancel_signing"),
  /** An XML file's form, summary, places, and what signing it with `form`/`into` would do. */
  inspectXml: (path: string, form: XmlForm | null, into: string | null) => invoke<XmlInfo>("inspect_xml", { path, form, into }),
  listProviders: () => invoke<RemoteEntry[]>("list_providers"),
  saveProvider: (name: string, provider: Provider) => invoke<void>("save_provider", { name, provider }),
  removeProvider: (name: string) => invoke<void>("remove_provider", { name }),
  verifyDocuments: (files: string[]) => invoke<FileReport[]>("verify_documents", { files }),
  trustList: () => invoke<TrustEntry[]>("trust_list"),
  trustSetEnabled: (sha256: string, enabled: boolean) => invoke<TrustEntry[]>("trust_set_enabled", { sha256, enabled }),
  trustRefresh: () => invoke<Refreshed[]>("trust_refresh"),
  revealOutput: (path: string) => invoke<void>("reveal_output", { path }),
  readPreview: (path: string) => invoke<ArrayBuffer>("read_preview", { path }),
  getJournal: () => invoke<Journal>("get_journal"),
  completePending: () => invoke<QueueReport>("complete_pending"),
  getProfile: () => invoke<Profile>("get_profile"),
  saveProfile: (organization: string | null, approveText: string[]) => invoke<Profile>("save_profile", { organization, approveText }),
  pickProfileImage: (kind: "seal" | "signature", person?: string) => invoke<Profile>("pick_profile_image", { kind, person: person ?? null }),
  exportReport: (files: string[], language: string) => invoke<string | null>("export_report", { files, language }),
  bridgeStatus: () => invoke<BridgeStatus>("bridge_status"),
  bridgeOriginAnswer: (id: number, allow: boolean) => invoke<void>("bridge_origin_answer", { id, allow }),
  /** The PIN and secret go in this one call. */
  bridgeAnswer: (a: BridgeAnswer) => invoke<void>("bridge_answer", { ...a }),
  /** Files named on the command line (the PDF right-click menu), once. */
  launchRequest: () => invoke<{ view: "sign" | "check"; files: string[] } | null>("launch_request"),
  updateInfo: () => invoke<UpdateInfo>("update_info"),
  checkUpdate: () => invoke<UpdateCheck>("check_update"),
  /** Only after the user agreed to install this offered version. */
  installUpdate: (version: string) => invoke<UpdateInstalled>("install_update", { version }),
  /** The bytes Kyso fetched for document `index` of request `id` (while it waits). */
  bridgeDocument: (id: number, index: number) => invoke<ArrayBuffer>("bridge_document", { id, index }),
  /** A token driver or trust anchor file, chosen in a native dialog (null: closed). */
  addSettingPath: (which: PathList) => invoke<Settings | null>("add_setting_path", { which }),
  removeSettingPath: (which: PathList, path: string) => invoke<Settings>("remove_setting_path", { which, path }),
  /** The self-check ("Kiểm tra hệ thống"); `language` of the support text. */
  selfCheck: (language: string) => invoke<SelfCheck>("self_check", { language }),
  /** Whether the first-run welcome is still to be shown, and recording that it was. */
  welcomePending: () => invoke<boolean>("welcome_pending"),
  welcomeShown: () => invoke<void>("welcome_shown"),
};

export function asError(e: unknown): CommandError {
  if (e && typeof e === "object" && "code" in e) return e as CommandError;
  return { code: "INTERNAL", detail: String(e), pin: null };
}
