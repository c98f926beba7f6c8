// The Sign screen: files, one certificate list across sources, PIN dialog, batch results.
import { listen } from "@tauri-apps/api/event";
import { api, asError, COPY_FORMS, LEVELS, XML_FORMS, type CertEntry, type CopyForm, type FileResult, type Level, type RemoteEntry, type XmlForm, type XmlInfo, type XmlSummary } from "./api";
import { baseName, clear, h } from "./dom";
import { errorText, getLang, pinWarning, t, type Key } from "./i18n";
import { afterSigning, completedLevel, onPendingChange } from "./pending";
import { askSecret, rememberChosen } from "./pin";
import { renderPreview } from "./preview";
import { RemoteDialog, remoteLabel, secretLabel } from "./remote";
import { appearanceRequest, defaultRect, fieldLabel, fieldsFor, needsBox, placeBox, requiredField, ROLE_CHOICES, type Rect, type RoleChoice, type RoleField, type RoleFields } from "./appearance";

interface SignState {
  files: string[];
  certs: CertEntry[];
  /** Saved remote-signing accounts, in the same list. */
  remote: RemoteEntry[];
  certError: string | null;
  selected: string | null; // certificate key, "remote:<name>" or "p12:<path>"
  p12: string | null;
  results: FileResult[];
  progress: string;
  busy: boolean;
  error: string | null;
  reason: string;
  location: string;
  /** The level chosen by the user; null: the default from the settings. */
  level: Level | null;
  /** The default the core decides (B-T with a TSA and the network, else B-B). */
  defaultLevel: Level;
  /** A TSA is set and the app is online (else a timestamp can only be queued). */
  online: boolean;
  /** The visible signature: none, default text in a box, or a Decree 30 role. */
  role: RoleChoice;
  fields: RoleFields;
  /** The box placed on the preview (points on page 1 as displayed); null until shown. */
  rect: Rect | null;
  /** XML files: the form recognised, the summary and what a signing would do (the core's). */
  xml: Record<string, XmlInfo>;
  /** The form chosen for the XML files; null: recognised from each file. */
  xmlProfile: XmlForm | null;
  /** The place chosen for the signature (a slot of the form); null: the next free one. */
  xmlInto: string | null;
}


const st: SignState = { files: [], certs: [], remote: [], certError: null, selected: null, p12: null, results: [], progress: "", busy: false, error: null, reason: "", location: "", level: null, defaultLevel: "B-B", online: false, role: "none", fields: {}, rect: null, xml: {}, xmlProfile: null, xmlInto: null };
let root: HTMLElement | null = null;
let poll: number | undefined;
// A queued signature completed in the background: update its result row.
let shownCompletions = "";
onPendingChange(() => {
  const done = st.results.filter((r) => r.pending && r.output && completedLevel(r.output)).map((r) => r.output);
  const now = JSON.stringify(done);
  if (now !== shownCompletions) {
    shownCompletions = now;
    if (done.length && root && document.body.contains(root.querySelector("#sign-screen"))) draw();
  }
});

/** Asks the core what a signing does when the user chooses nothing. */
async function readLevelDefault() {
  try {
    const d = await api.signingDefaults();
    st.defaultLevel = d.level;
    st.online = d.online;
  } catch {
    st.defaultLevel = "B-B";
    st.online = false;
  }
}

export function addFiles(files: string[]) {
  for (const f of files) {
    if (st.files.includes(f)) continue;
    st.files.push(f);
    if (isXml(f)) void inspectXml(f);
  }
  if (root) draw();
}

/** Shown as XML (the core decides by content when signing; the name is enough to offer the
 *  form picker). */
const isXml = (f: string) => f.toLowerCase().endsWith(".xml");

/** Asks the core what the XML file is and what signing it with the current choices does. */
async function inspectXml(f: string) {
  try {
    st.xml[f] = await api.inspectXml(f, st.xmlProfile, st.xmlInto);
  } catch (e) {
    st.xml[f] = { form: null, summary: null, slots: [], target: null, error: asError(e) };
  }
  if (root && st.files.includes(f)) draw();
}

/** One line: what the XML file is about. */
export function summaryLine(s: XmlSummary): string {
  const vi = getLang() === "vi";
  const items = s.items.map((i) => `${vi ? i.vi : i.en}: ${i.value}`);
  const kind = vi ? s.kind_vi : s.kind_en;
  return items.length ? `${kind} — ${items.join("; ")}` : kind;
}

/** The XML choices: the form (preselected when recognised) and the signature's place. */
function xmlOptions(xmlFiles: string[]): HTMLElement {
  const infos = xmlFiles.map((f) => st.xml[f]).filter((i): i is XmlInfo => !!i);
  const detected = infos.find((i) => i.form)?.form ?? null;
  const slots = infos.find((i) => i.slots.length)?.slots ?? [];
  const vi = getLang() === "vi";
  const profile = h("select", { id: "xml-profile", "aria-label": t("xml_profile"), onchange: (e: Event) => {
    st.xmlProfile = ((e.target as HTMLSelectElement).value || null) as XmlForm | null;
    st.xmlInto = null;
    for (const f of xmlFiles) void inspectXml(f);
  } },
  h("option", { value: "" }, detected ? `${t("xml_auto")}: ${t(`xml_form_${detected}` as Key)}` : t("xml_auto")),
  ...XML_FORMS.map((f) => h("option", { value: f }, t(`xml_form_${f}` as Key)))) as HTMLSelectElement;
  profile.value = st.xmlProfile ?? "";
  const into = h("select", { id: "xml-into", "aria-label": t("xml_into"), onchange: (e: Event) => {
    st.xmlInto = (e.target as HTMLSelectElement).value || null;
    for (const f of xmlFiles) void inspectXml(f);
  } },
  h("option", { value: "" }, t("xml_into_auto")),
  ...slots.map(([name, lvi, len]) => h("option", { value: name }, `${vi ? lvi : len} (${name})`))) as HTMLSelectElement;
  into.value = st.xmlInto ?? "";
  const recognised = !!detected || !!st.xmlProfile;
  return h("div", { id: "xml-options" },
    h("h2", {}, t("xml_title")),
    recognised ? h("div", { class: "row" },
      h("label", { for: "xml-profile" }, t("xml_profile")), profile,
      slots.length ? h("label", { for: "xml-into" }, t("xml_into")) : null, slots.length ? into : null) : null,
    st.level && st.level !== "B-B" ? h("p", { id: "xml-level-note", class: "warn" }, t("xml_level_note")) : null);
}

/** Under an XML file in the list: its summary and what will be signed (or why not). */
function xmlLines(f: string): (HTMLElement | null)[] {
  const info = st.xml[f];
  if (!info) return [];
  return [
    info.summary ? h("div", { class: "muted xml-summary", "data-form": info.form ?? "" }, summaryLine(info.summary)) : null,
    info.target ? h("div", { class: "muted xml-target" }, t("xml_target", { r: info.target.reference_path, s: info.target.slot_path })) : null,
    info.error ? h("div", { class: "warn xml-error", "data-code": info.error.code }, errorText(info.error)) : null,
  ];
}

export async function refreshCerts() {
  const before = JSON.stringify([st.certs, st.remote, st.certError, st.selected]);
  try {
    const list = await api.listCertificates();
    st.certs = list.certificates;
    st.remote = list.remote ?? [];
    st.certError = list.certificates.length === 0 && st.remote.length === 0 ? t("no_certs") : null;
    if (st.selected && !st.selected.startsWith("p12:") && !st.certs.some((c) => c.key === st.selected) && !st.remote.some((r) => r.key === st.selected)) st.selected = null;
    // One usable certificate (or account): choose it.
    const usable = [...st.certs.filter((c) => !c.expired).map((c) => c.key), ...st.remote.map((r) => r.key)];
    if (!st.selected && usable.length === 1 && !st.p12) st.selected = usable[0];
  } catch (e) {
    st.certError = errorText(asError(e));
  }
  // Redraw only when something changed, so polling never disturbs typing or focus.
  if (root && JSON.stringify([st.certs, st.remote, st.certError, st.selected]) !== before) draw();
}

export async function renderSign(main: HTMLElement) {
  root = main;
  await readLevelDefault();
  draw();
  await refreshCerts();
  window.clearInterval(poll);
  // Tokens are plugged in and out: refresh the list while this screen is open.
  poll = window.setInterval(() => {
    if (root && document.body.contains(root.querySelector("#sign-screen")) && !st.busy) void refreshCerts();
  }, 3000);
}

/** Certificates whose details the user opened ("Chi tiết"). */
const expanded = new Set<string>();

/** The expiry in a few words, for the one-line row. */
function expiryText(c: CertEntry): string {
  return `${t("expires")} ${c.not_after.slice(0, 10)}`;
}

/** One certificate as a compact row: holder, organisation, expiry on one line; a warning line
 *  only when it expires soon or has expired; issuer, identifier, key and token on demand. */
function certCard(c: CertEntry): HTMLElement {
  const selected = st.selected === c.key;
  const open = expanded.has(c.key);
  const status = c.expired ? h("div", { class: "bad cert-status" }, t("expired")) : c.expiring_soon ? h("div", { class: "warn cert-status" }, t("expiring", { n: c.days_left })) : null;
  const detailsId = `cert-details-${c.cert_id}-${c.token_serial}`.replace(/[^A-Za-z0-9_-]/g, "_");
  return h("div", { class: "cert-item", role: "listitem" },
    h(
      "button",
      {
        class: `cert${selected ? " selected" : ""}${c.expired ? " disabled" : ""}`,
        "data-id": c.cert_id,
        "aria-pressed": selected ? "true" : "false",
        disabled: c.expired,
        onclick: () => { st.selected = c.key; st.p12 = null; draw(); },
      },
      h("span", { class: "cert-line" },
        h("strong", {}, c.holder),
        c.organization ? h("span", { class: "muted" }, ` · ${c.organization}`) : null,
        h("span", { class: "muted cert-exp" }, ` · ${expiryText(c)}`)),
      status,
    ),
    h("button", { type: "button", class: "link cert-more", "aria-expanded": open ? "true" : "false", "aria-controls": detailsId,
      onclick: () => {
        if (open) expanded.delete(c.key); else expanded.add(c.key);
        draw();
        // The list was redrawn: keyboard users stay on the same button.
        root?.querySelector<HTMLElement>(`.cert-more[aria-controls="${detailsId}"]`)?.focus();
      } }, t("cert_details")),
    open ? h("dl", { class: "cert-details", id: detailsId },
      ...fact(t("title_label"), c.title), ...fact("ID", c.uid), ...fact(t("issuer"), c.issuer),
      ...fact(t("key_kind"), c.key_type), ...fact(t("token"), c.token_label), ...fact(t("expires"), c.not_after.slice(0, 10))) : null,
  );
}

/** A term and its value, or nothing when there is no value. */
function fact(k: string, v: string | null): HTMLElement[] {
  return v ? [h("dt", {}, k), h("dd", {}, v)] : [];
}

/** A remote account, in the same list: the service and who, confirmed on the phone. */
function remoteCard(r: RemoteEntry): HTMLElement {
  const selected = st.selected === r.key;
  return h("div", { class: "cert-item", role: "listitem" }, h(
    "button",
    {
      class: `cert remote${selected ? " selected" : ""}`,
      "data-remote": r.name,
      "data-kind": r.kind,
      "aria-pressed": selected ? "true" : "false",
      onclick: () => { st.selected = r.key; st.p12 = null; draw(); },
    },
    h("span", { class: "cert-line" },
      h("strong", {}, r.name),
      h("span", { class: "remote-kind" }, ` · ${remoteLabel(r)}`),
      h("span", { class: "muted" }, ` · ${t(r.asks_pin ? "remote_card_hint_pin" : "remote_card_hint")}`)),
  ));
}

/** What the action bar says is chosen: the certificate's holder, the account or the file. */
export function chosenLabel(selected: string | null, certs: CertEntry[], remote: RemoteEntry[]): string | null {
  if (!selected) return null;
  if (selected.startsWith("p12:")) return baseName(selected.slice(4));
  const c = certs.find((x) => x.key === selected);
  if (c) return c.organization ? `${c.holder} · ${c.organization}` : c.holder;
  return remote.find((r) => r.key === selected)?.name ?? null;
}

function draw() {
  if (!root) return;
  clear(root);
  const fileList = h("ul", { id: "file-list" }, ...st.files.map((f) => h("li", { title: f }, baseName(f),
    h("button", { class: "link", "aria-label": `remove ${baseName(f)}`, onclick: () => { st.files = st.files.filter((x) => x !== f); delete st.xml[f]; draw(); } }, "✕"),
    ...xmlLines(f))));
  const xmlFiles = st.files.filter(isXml);
  const certs = h("div", { id: "cert-list", role: "list" }, ...st.certs.map(certCard), ...st.remote.map(remoteCard));
  if (st.p12) {
    certs.append(h("div", { class: "cert-item", role: "listitem" }, h("button", { class: `cert${st.selected === "p12:" + st.p12 ? " selected" : ""}`, "data-id": "p12", onclick: () => { st.selected = "p12:" + st.p12; draw(); } },
      h("span", { class: "cert-line" }, h("strong", {}, baseName(st.p12)), h("span", { class: "muted" }, " · .p12")))));
  }
  const reason = h("input", { id: "reason", type: "text", placeholder: t("reason"), "aria-label": t("reason"), oninput: (e: Event) => { st.reason = (e.target as HTMLInputElement).value; } }) as HTMLInputElement;
  reason.value = st.reason;
  const location = h("input", { id: "location", type: "text", placeholder: t("location"), "aria-label": t("location"), oninput: (e: Event) => { st.location = (e.target as HTMLInputElement).value; } }) as HTMLInputElement;
  location.value = st.location;
  const chosen = st.level ?? st.defaultLevel;
  const level = h("select", { id: "level", "aria-label": t("level"), onchange: (e: Event) => { st.level = (e.target as HTMLSelectElement).value as Level; draw(); } },
    ...LEVELS.map((l) => h("option", { value: l }, t(`level_${l}`)))) as HTMLSelectElement;
  level.value = chosen;
  const firstPdf = st.files.find((f) => f.toLowerCase().endsWith(".pdf"));
  const preview = h("div", { id: "preview", class: "preview" });
  const roleNote = h("p", { id: "role-needed", class: "warn" });
  const signBtn = h("button", { id: "sign-btn", class: "primary", onclick: () => void doSign(st.reason, st.location) }, t("sign_btn")) as HTMLButtonElement;
  // Required role fields are checked as the user types, without redrawing.
  const update = () => {
    const missing = missingField();
    roleNote.textContent = missing ? t("field_needed", { f: fieldLabel(missing) }) : "";
    roleNote.hidden = !missing;
    signBtn.disabled = !(st.files.length > 0 && !!st.selected && !st.busy && !missing && !(needsBox(st.role) && firstPdf && !st.rect));
  };
  const fieldInput = (f: RoleField) => {
    const id = f === "doc_number" ? "doc-number" : f;
    const el = h("input", { id, type: "text", placeholder: fieldLabel(f), "aria-label": fieldLabel(f),
      oninput: (e: Event) => { st.fields[f] = (e.target as HTMLInputElement).value; update(); } }) as HTMLInputElement;
    el.value = st.fields[f] ?? "";
    return el;
  };
  // A copy: its form (SAO Y / SAO LỤC / TRÍCH SAO) and, only if asked, the seal image.
  const copyOptions = () => {
    const form = h("select", { id: "copy-form", "aria-label": t("copy_form"),
      onchange: (e: Event) => { st.fields.copy_form = (e.target as HTMLSelectElement).value as CopyForm; } },
      ...COPY_FORMS.map((f) => h("option", { value: f }, t(`copy_${f.replace(/-/g, "_")}` as Key)))) as HTMLSelectElement;
    form.value = st.fields.copy_form ?? "sao-y";
    const seal = h("input", { id: "copy-seal", type: "checkbox",
      onchange: (e: Event) => { st.fields.seal = (e.target as HTMLInputElement).checked; } }) as HTMLInputElement;
    seal.checked = !!st.fields.seal;
    return h("div", { id: "copy-options", class: "row" },
      h("label", { for: "copy-form" }, t("copy_form")), form,
      h("label", {}, seal, " ", t("copy_seal")));
  };
  const roles = h("div", { id: "roles", class: "roles", role: "radiogroup", "aria-label": t("role_title") },
    ...ROLE_CHOICES.map((r) => h("button", {
      id: `role-${r}`, type: "button", class: `role${st.role === r ? " selected" : ""}`, "data-role": r, role: "radio",
      "aria-checked": st.role === r ? "true" : "false", onclick: () => { st.role = r; draw(); },
    }, t(`role_${r}`))));
  const fields = fieldsFor(st.role);
  const chosen_ = chosenLabel(st.selected, st.certs, st.remote);
  root.append(
    h("section", { id: "sign-screen", class: "screen" },
      h("div", { class: "col" },
        h("h1", {}, t("sign_title")),
        h("p", { class: "muted" }, t("sign_hint")),
        h("button", { id: "pick-files", onclick: async () => addFiles(await api.pickFiles("sign")) }, t("pick_files")),
        st.files.length ? fileList : h("p", { class: "muted" }, t("no_files")),
        h("h2", {}, t("certificates")),
        st.certError ? h("p", { class: "warn", id: "cert-error" }, st.certError) : null,
        certs,
        h("button", { id: "use-p12", class: "link", onclick: async () => { const p = await api.pickP12(); if (p) { st.p12 = p; st.selected = "p12:" + p; draw(); } } }, t("use_p12")),
        h("div", { class: "row" }, reason, location),
        h("label", { for: "level" }, t("level")), level,
        xmlFiles.length ? xmlOptions(xmlFiles) : null,
        h("h2", {}, t("role_title")),
        roles,
        h("p", { id: "role-hint", class: "muted" }, t(`hint_${st.role}`)),
        fields.length ? h("div", { id: "role-fields", class: "row" }, ...fields.map(fieldInput)) : null,
        st.role === "copy" ? copyOptions() : null,
        needsBox(st.role) ? h("p", { id: "box-hint", class: "muted" }, firstPdf ? t("box_hint") : t("box_no_preview")) : null,
        roleNote,
        chosen !== "B-B" && !st.online ? h("p", { id: "level-note", class: "warn" }, t("level_no_network")) : null,
        st.error ? h("p", { id: "sign-error", class: "bad", role: "alert" }, st.error) : null,
        stoppedNotice(),
        h("ul", { id: "results" }, ...st.results.map(resultItem)),
      ),
      h("div", { class: "col preview-col" }, preview),
    ),
    // Always in sight at 1366×768 and 125 % text: what is chosen, how many files, Sign.
    h("div", { id: "sign-bar", class: "action-bar", role: "region", "aria-label": t("sign_btn") },
      h("span", { id: "sign-bar-cert", class: chosen_ ? "" : "muted" }, chosen_ ? t("sign_bar_cert", { c: chosen_ }) : t("sign_bar_no_cert")),
      h("span", { id: "sign-bar-files", class: "muted" }, t("sign_bar_files", { n: st.files.length })),
      st.progress ? h("div", { id: "progress", role: "status" }, st.progress, h("progress", {})) : null,
      h("span", { class: "spacer" }),
      st.busy ? h("button", { id: "cancel-btn", onclick: () => void api.cancelSigning() }, t("cancel")) : null,
      signBtn),
  );
  update();
  if (firstPdf) void showPreview(preview, firstPdf, update);
}

/** The role's required input, when it is still empty. */
function missingField(): RoleField | null {
  const f = requiredField(st.role);
  return f && !st.fields[f]?.trim() ? f : null;
}

/** Page 1, with the signature box over it for the roles drawn in a box. */
async function showPreview(preview: HTMLElement, file: string, update: () => void) {
  const info = await renderPreview(preview, file);
  if (!info || !needsBox(st.role) || !preview.contains(info.canvas) || preview.querySelector("#sig-box")) return;
  const pageW = info.width / info.scale, pageH = info.height / info.scale;
  st.rect = st.rect ?? defaultRect(pageW, pageH);
  const box = placeBox(info.canvas, info, st.rect, (r) => { st.rect = r; update(); });
  // Kept inside this page.
  st.rect = box.dataset.rect!.split(",").map(Number) as Rect;
  // The Sign button waits for the box: say it is there (also after a redraw).
  update();
}

/** A batch that stopped at a document (the token pulled out, the PIN locked): how many were
 *  signed, how many not, what to do — and the list narrowed to the documents not signed. */
export function stoppedOf(results: FileResult[]): { code: string; signed: number; rest: string[] } | null {
  const stop = results.find((r) => r.error && ["TOKEN_REMOVED", "PIN_LOCKED"].includes(r.error.code));
  if (!stop?.error) return null;
  return { code: stop.error.code, signed: results.filter((r) => r.status === "signed").length, rest: results.filter((r) => r.status !== "signed").map((r) => r.file) };
}

function stoppedNotice(): HTMLElement | null {
  const s = stoppedOf(st.results);
  if (!s || st.busy) return null;
  return h("div", { id: "batch-stopped", class: "warn", role: "alert", "data-signed": String(s.signed), "data-rest": String(s.rest.length) },
    h("p", {}, s.code === "PIN_LOCKED" ? t("batch_stopped_pin", { s: s.signed, n: s.rest.length }) : t("batch_stopped", { s: s.signed, n: s.rest.length })),
    s.code === "PIN_LOCKED" ? null : h("button", { id: "sign-rest", type: "button", onclick: () => {
      // Only the documents not signed stay in the list; Sign asks for the PIN again.
      st.files = s.rest;
      st.results = [];
      draw();
    } }, t("sign_rest")));
}

function resultItem(r: FileResult): HTMLElement {
  const label = r.status === "signed" ? t("signed_ok") : r.status === "failed" ? t("failed") : t("cancelled");
  // A queued signature completed since (in the background): its level now.
  const done = r.pending && r.output ? completedLevel(r.output) : null;
  const level = done ?? r.level;
  const pending = done ? null : r.pending;
  return h("li", { class: `result ${r.status}${pending ? " pending" : ""}`, "data-status": r.status, "data-level": level ?? undefined, "data-pending": pending ?? undefined },
    h("strong", {}, `${label}: `), baseName(r.file),
    r.output ? h("span", { class: "muted" }, ` → ${baseName(r.output)} `) : null,
    r.output ? h("button", { class: "link", onclick: () => void api.revealOutput(r.output!) }, t("open_folder")) : null,
    level ? h("div", { class: "muted result-level" }, t("level_reached", { l: level })) : null,
    pending ? h("div", { class: "warn pending-note" }, t("sign_pending")) : null,
    done ? h("div", { class: "ok completed-note" }, t("sign_completed", { l: done })) : null,
    r.error ? h("div", { class: "bad" }, errorText(r.error)) : null);
}

async function doSign(reason: string, location: string) {
  const cert = st.certs.find((c) => c.key === st.selected);
  const remote = st.remote.find((r) => r.key === st.selected);
  const isP12 = st.selected?.startsWith("p12:") ?? false;
  let pin: string | null = null;
  let secret: string | null = null;
  let rememberSecret = false;
  if (remote) {
    // The account's secret, then the credential PIN (CSC): asked fresh every time.
    // A secret the user chose to remember is in the system keyring: not asked again.
    if (remote.asks_secret && !remote.secret_saved) {
      secret = await askSecret({ title: t("remote_secret_title"), label: secretLabel(remote.kind), token: `${remote.name} — ${remoteLabel(remote)}`, warning: "", offerRemember: true });
      if (secret === null) return;
      rememberSecret = rememberChosen();
    }
    if (remote.asks_pin) {
      pin = await askSecret({ title: t("remote_pin_title"), label: t("remote_pin_label"), token: `${remote.name} — ${remoteLabel(remote)}`, warning: "" });
      if (pin === null) { secret = null; return; }
    }
  } else if (isP12 || (cert && !cert.protected_authentication_path)) {
    // The PIN is asked fresh every time, never pre-filled, never retried automatically.
    pin = await askSecret({
      title: isP12 ? t("password_title") : t("pin_title"),
      label: isP12 ? t("password_label") : t("pin_label"),
      token: cert ? `${cert.token_label} — ${cert.holder}` : baseName(st.p12 ?? ""),
      warning: cert ? pinWarning(cert.pin) : "",
    });
    if (pin === null) return;
  }
  st.busy = true;
  st.results = [];
  st.progress = "";
  st.error = null;
  draw();
  const un = await listen<{ index: number; total: number; file: string }>("sign-progress", (e) => {
    st.progress = e.payload.index < e.payload.total ? t("signing", { i: e.payload.index + 1, n: e.payload.total, f: baseName(e.payload.file) }) : "";
    draw();
  });
  // A remote account: the phone confirmation dialog, until the call returns.
  const dialog = remote ? new RemoteDialog() : null;
  await dialog?.start();
  try {
    st.results = await api.signDocuments({
      files: [...st.files], certificate: isP12 ? "" : st.selected ?? "", p12: isP12 ? st.p12 : null, pin, secret, remember_secret: rememberSecret,
      // The level only when the user chose one: XML files are B-B, and the default must never
      // refuse them (an explicit B-T or higher for XML is refused by the core).
      reason: reason || null, location: location || null, level: st.level ?? undefined,
      appearance: appearanceRequest(st.role, st.fields, st.rect),
      xml_profile: st.xmlProfile, xml_into: st.xmlInto,
    });
  } catch (e) {
    st.error = errorText(asError(e));
    st.results = [];
    st.progress = "";
    st.busy = false;
    draw();
    void refreshCerts();
    return;
  } finally {
    pin = null;
    secret = null;
    dialog?.stop();
    un();
  }
  st.busy = false;
  st.progress = "";
  draw();
  // Queued signatures appear in the waiting list, and one attempt is made right away.
  void afterSigning(st.results.some((r) => !!r.pending));
}
