// The local signing bridge in the window: a document-management page on this computer asks
// Kyso to sign. A site not allowed yet is put to the user once (allow or not); every signing
// request is shown — the site, the action, each document with a picture of its first page,
// its size and the start of its SHA-256 (from the bytes Kyso fetched, not from the page) —
// and needs a certificate and its PIN. The dialogs are made at the app root, so they work whatever screen is open; questions
// come one at a time. The PIN goes in one call (bridge_answer) and the fields are emptied at
// once. A remote account shows the usual phone confirmation until the bridge is done.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { api, asError, type BridgeAnswer, type BridgeDocument, type BridgeDone, type BridgeOriginQuestion, type BridgeRequest, type BridgeStatus, type CertEntry, type CertList, type RemoteEntry } from "./api";
import { clear, h } from "./dom";
import { errorText, getLang, pinWarning, t, type Key } from "./i18n";
import { RemoteDialog, remoteLabel, secretLabel } from "./remote";

/** A size in bytes as people read it. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The site as people read it: scheme://host[:port], no path, no default port. */
export function siteOf(origin: string): string {
  try {
    const u = new URL(origin);
    if (u.protocol === "http:" || u.protocol === "https:") return `${u.protocol}//${u.host}`;
  } catch {
    // not a URL: shown as sent
  }
  return origin;
}

/** A document's name: the last part of its address, decoded. */
export function documentName(url: string): string {
  const path = url.split(/[?#]/)[0].replace(/^[a-z]+:\/\/[^/]*/i, "");
  const last = path.split("/").filter(Boolean).pop() ?? "";
  if (!last) return url;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** A certificate the official may sign with here: a token certificate or a remote account. */
export type BridgeChoice = { key: string; label: string } & ({ kind: "token"; cert: CertEntry } | { kind: "remote"; remote: RemoteEntry });

/** The Sign screen's list without .p12 files: usable token certificates, then remote accounts. */
export function choicesFrom(list: CertList): BridgeChoice[] {
  return [
    ...list.certificates.filter((c) => !c.expired).map((c): BridgeChoice => ({
      kind: "token", key: c.key, cert: c,
      label: `${c.holder}${c.title ? ` — ${c.title}` : ""} · ${c.organization ?? "—"} (${c.token_label}, ${t("expires").toLowerCase()} ${c.not_after.slice(0, 10)})`,
    })),
    ...(list.remote ?? []).map((r): BridgeChoice => ({ kind: "remote", key: r.key, remote: r, label: `${r.name} — ${remoteLabel(r)}` })),
  ];
}

/** What must be typed for a choice: the PIN (a token without a PIN pad, a CSC credential)
 *  and/or the remote account's secret. */
export function needsOf(c: BridgeChoice | null | undefined): { pin: boolean; secret: boolean } {
  if (!c) return { pin: false, secret: false };
  if (c.kind === "token") return { pin: !c.cert.protected_authentication_path, secret: false };
  return { pin: c.remote.asks_pin, secret: c.remote.asks_secret };
}

/** The accepting answer, or what is still missing. */
export function answerOf(id: number, c: BridgeChoice | null | undefined, pin: string, secret: string): BridgeAnswer | { missing: Key } {
  if (!c) return { missing: "bridge_need_cert" };
  const need = needsOf(c);
  if (need.secret && !secret) return { missing: c.kind === "remote" ? "remote_secret_title" : "pin_title" };
  if (need.pin && !pin) return { missing: c.kind === "remote" ? "remote_pin_title" : "pin_title" };
  return { id, accept: true, certificate: c.key, p12: null, pin: need.pin ? pin : null, secret: need.secret ? secret : null };
}

/** Declining: no certificate, nothing typed. */
export const declineOf = (id: number): BridgeAnswer => ({ id, accept: false, certificate: null, p12: null, pin: null, secret: null });

/** The status line of the Settings section: class and words. */
export function statusLine(s: BridgeStatus | null, enabled: boolean): { cls: string; text: string } {
  if (!enabled) return { cls: "muted", text: t("bridge_off") };
  if (s?.listening) return { cls: "ok", text: t("bridge_listening", { p: s.port }) };
  if (s?.error) return { cls: "bad", text: `${t("bridge_not_listening", { p: s.port })} ${errorText({ ...s.error, pin: null })}` };
  return { cls: "warn", text: t("bridge_starting") };
}

/** A port typed in Settings: 1024–65535, else null. */
export function parsePort(v: string): number | null {
  const s = v.trim();
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1024 && n <= 65535 ? n : null;
}

/** Text with `{o}` replaced by the site, in bold. */
function withSite(text: string, site: string): (Node | string)[] {
  const [before, after = ""] = text.split("{o}");
  return [before, h("strong", { class: "bridge-site-name" }, site), after];
}

type Question = { kind: "origin"; q: BridgeOriginQuestion } | { kind: "request"; q: BridgeRequest };

let queue: Question[] = [];
let current: Question | null = null;
/** The remote signing in progress for a request, with its phone confirmation. */
let remote: { id: number; dialog: RemoteDialog } | null = null;
/** The site of each request answered, for the message when it is done. */
const sites = new Map<number, string>();
/** The certificate chosen last time (offered first next time). */
let lastKey: string | null = null;
let originListeners: (() => void)[] = [];

/** Called when a site was just allowed (the Settings list shows it). */
export function onOriginsChanged(fn: () => void): () => void {
  originListeners.push(fn);
  return () => { originListeners = originListeners.filter((f) => f !== fn); };
}

function originDialog(): HTMLDialogElement {
  const old = document.getElementById("bridge-origin-dialog") as HTMLDialogElement | null;
  if (old) return old;
  const dlg = h("dialog", { id: "bridge-origin-dialog", class: "bridge", "aria-labelledby": "bridge-origin-title", tabindex: "-1" },
    h("h2", { id: "bridge-origin-title" }),
    h("p", { id: "bridge-origin-text" }),
    h("p", { id: "bridge-origin-hint", class: "muted" }),
    h("div", { class: "actions" },
      h("button", { type: "button", id: "bridge-origin-deny" }),
      h("button", { type: "button", id: "bridge-origin-allow", class: "primary" }))) as HTMLDialogElement;
  document.body.append(dlg);
  return dlg;
}

function requestDialog(): HTMLDialogElement {
  const old = document.getElementById("bridge-dialog") as HTMLDialogElement | null;
  if (old) return old;
  const dlg = h("dialog", { id: "bridge-dialog", class: "bridge", "aria-labelledby": "bridge-title", tabindex: "-1" },
    h("form", { id: "bridge-form", method: "dialog" },
      h("h2", { id: "bridge-title" }),
      h("div", { class: "bridge-label", id: "bridge-from" }),
      h("p", { id: "bridge-site" }),
      h("div", { class: "bridge-label", id: "bridge-action-label" }),
      h("p", { id: "bridge-action" }),
      h("p", { id: "bridge-number" }),
      h("div", { id: "bridge-xml", hidden: true },
        h("div", { class: "bridge-label", id: "bridge-xml-label" }),
        h("p", { id: "bridge-xml-kind" }),
        h("ul", { id: "bridge-xml-items" }),
        h("p", { id: "bridge-xml-target", class: "muted" })),
      h("div", { class: "bridge-label", id: "bridge-documents-label" }),
      h("ul", { id: "bridge-documents" }),
      h("label", { for: "bridge-cert", id: "bridge-cert-label" }),
      h("select", { id: "bridge-cert" }),
      h("p", { id: "bridge-cert-error", class: "warn", hidden: true }),
      h("div", { id: "bridge-secret-row", hidden: true },
        h("label", { for: "bridge-secret", id: "bridge-secret-label" }),
        h("input", { id: "bridge-secret", type: "password", autocomplete: "off" })),
      h("div", { id: "bridge-pin-row", hidden: true },
        h("p", { id: "bridge-pin-warning", class: "warn", hidden: true }),
        h("label", { for: "bridge-pin", id: "bridge-pin-label" }),
        h("input", { id: "bridge-pin", type: "password", autocomplete: "off", inputmode: "numeric" })),
      h("p", { id: "bridge-error", class: "bad", role: "alert", hidden: true }),
      h("p", { id: "bridge-hint", class: "muted" }),
      h("div", { class: "actions" },
        h("button", { type: "button", id: "bridge-decline" }),
        h("button", { type: "submit", id: "bridge-sign", class: "primary" })))) as HTMLDialogElement;
  document.body.append(dlg);
  return dlg;
}

let noticeTimer: number | undefined;

/** A short message at the corner of the window (the outcome of a request); a success goes
 *  away by itself, a failure stays until closed. */
export function notice(cls: string, text: string) {
  window.clearTimeout(noticeTimer);
  let box = document.getElementById("bridge-notice");
  if (!box) {
    box = h("div", { id: "bridge-notice", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  clear(box);
  box.className = cls;
  box.hidden = false;
  const b = box;
  box.append(h("p", {}, text), h("button", { type: "button", class: "link", "aria-label": t("close"), onclick: () => { b.hidden = true; } }, "✕"));
  if (cls === "ok") noticeTimer = window.setTimeout(hideNotice, 20000);
}

function hideNotice() {
  const box = document.getElementById("bridge-notice");
  if (box) box.hidden = true;
}

const idOf = (q: Question) => q.q.id;

function next() {
  if (current || !queue.length) return;
  current = queue.shift()!;
  // The last outcome is old news once a new question is shown.
  hideNotice();
  if (current.kind === "origin") showOrigin(current.q);
  else void showRequest(current.q);
}

function finish() {
  current = null;
  next();
}

function showOrigin(q: BridgeOriginQuestion) {
  const dlg = originDialog();
  const site = siteOf(q.origin);
  dlg.dataset.id = String(q.id);
  dlg.querySelector("#bridge-origin-title")!.textContent = t("bridge_origin_title");
  const text = dlg.querySelector("#bridge-origin-text")!;
  clear(text);
  text.append(...withSite(t("bridge_origin_ask"), site));
  dlg.querySelector("#bridge-origin-hint")!.textContent = t("bridge_origin_hint");
  const allow = dlg.querySelector<HTMLButtonElement>("#bridge-origin-allow")!;
  const deny = dlg.querySelector<HTMLButtonElement>("#bridge-origin-deny")!;
  allow.textContent = t("bridge_allow");
  deny.textContent = t("bridge_deny");
  allow.disabled = deny.disabled = false;
  const answer = async (yes: boolean) => {
    if (current?.kind !== "origin" || current.q.id !== q.id) return;
    allow.disabled = deny.disabled = true;
    if (dlg.open) dlg.close();
    try {
      await api.bridgeOriginAnswer(q.id, yes);
      // The app saves the site; the Settings list shows it.
      if (yes) window.setTimeout(() => originListeners.forEach((f) => f()), 400);
    } catch (e) {
      notice("bad", errorText(asError(e)));
    }
    finish();
  };
  allow.onclick = () => void answer(true);
  deny.onclick = () => void answer(false);
  // Escape means no.
  dlg.oncancel = (e) => { e.preventDefault(); void answer(false); };
  if (!dlg.open) dlg.showModal();
  // Focus on the dialog, not on a button: a stray Enter must not allow a site.
  dlg.focus();
}

async function showRequest(q: BridgeRequest) {
  const dlg = requestDialog();
  const $ = <T extends HTMLElement = HTMLElement>(id: string) => dlg.querySelector<T>(`#${id}`)!;
  const site = siteOf(q.origin);
  dlg.dataset.id = String(q.id);
  $("bridge-title").textContent = t("bridge_request_title");
  $("bridge-from").textContent = t("bridge_from");
  $("bridge-site").textContent = site;
  $("bridge-site").title = q.origin;
  $("bridge-action-label").textContent = t("bridge_action");
  $("bridge-action").textContent = q.action_text;
  const number = $("bridge-number");
  number.textContent = q.document_number ? t("bridge_number", { n: q.document_number }) : "";
  number.hidden = !q.document_number;
  // SignXML: what the XML is (the form, an invoice's number, seller and total…) and what the
  // signature signs, as the core summarised it.
  const xml = $("bridge-xml");
  xml.hidden = !q.xml;
  clear($("bridge-xml-items"));
  if (q.xml) {
    const vi = getLang() === "vi";
    const s = q.xml.summary;
    $("bridge-xml-label").textContent = t("bridge_xml");
    $("bridge-xml-kind").textContent = vi ? s.kind_vi : s.kind_en;
    for (const i of s.items) $("bridge-xml-items").append(h("li", {}, h("strong", {}, `${vi ? i.vi : i.en}: `), i.value));
    const who = q.xml.target.slot_label ? ` (${vi ? q.xml.target.slot_label[0] : q.xml.target.slot_label[1]})` : "";
    $("bridge-xml-target").textContent = t("xml_target", { r: q.xml.target.reference_path, s: q.xml.target.slot_path }) + who;
  }
  $("bridge-documents-label").textContent = t("bridge_documents", { n: q.documents.length });
  const docs = $("bridge-documents");
  clear(docs);
  const thumbs: [HTMLElement, BridgeDocument, number][] = [];
  q.documents.forEach((d, i) => {
    const name = documentName(d.address);
    const thumb = h("div", { class: "bridge-thumb", "data-state": d.pdf ? "loading" : "none" }, d.pdf ? "" : t("preview_none"));
    if (d.pdf) thumbs.push([thumb, d, i]);
    docs.append(h("li", { "data-url": d.address, "data-sha256": d.sha256 }, thumb,
      h("div", { class: "bridge-doc" },
        h("strong", {}, name),
        h("div", { class: "bridge-digest" }, t("bridge_digest", { s: sizeText(d.size), h: d.sha256_prefix })),
        h("div", { class: "muted bridge-url" }, d.address))));
  });
  $("bridge-cert-label").textContent = t("certificates");
  $("bridge-hint").textContent = t("bridge_request_hint");
  const select = $<HTMLSelectElement>("bridge-cert");
  const pin = $<HTMLInputElement>("bridge-pin");
  const secret = $<HTMLInputElement>("bridge-secret");
  const sign = $<HTMLButtonElement>("bridge-sign");
  const decline = $<HTMLButtonElement>("bridge-decline");
  const error = $("bridge-error");
  const certError = $("bridge-cert-error");
  sign.textContent = t("bridge_sign");
  decline.textContent = t("bridge_decline");
  pin.value = secret.value = "";
  error.hidden = certError.hidden = true;
  sign.disabled = decline.disabled = false;
  let choices: BridgeChoice[] = [];
  const chosen = () => (select.value === "" ? null : choices[Number(select.value)] ?? null);
  const showFields = () => {
    const c = chosen();
    const need = needsOf(c);
    $("bridge-pin-row").hidden = !need.pin;
    $("bridge-secret-row").hidden = !need.secret;
    if (c?.kind === "remote") {
      $("bridge-secret-label").textContent = secretLabel(c.remote.kind);
      $("bridge-pin-label").textContent = t("remote_pin_label");
    } else {
      $("bridge-pin-label").textContent = t("pin_label");
    }
    const warning = c?.kind === "token" ? pinWarning(c.cert.pin) : "";
    $("bridge-pin-warning").textContent = warning;
    $("bridge-pin-warning").hidden = !warning;
    error.hidden = true;
  };
  clear(select);
  select.append(h("option", { value: "" }, t("bridge_loading")));
  select.disabled = true;
  select.onchange = showFields;
  showFields();
  const done = (answer: BridgeAnswer, isRemote: boolean) => {
    pin.value = secret.value = "";
    if (dlg.open) dlg.close();
    finish();
    void send(answer, site, isRemote);
  };
  const form = $<HTMLFormElement>("bridge-form");
  form.onsubmit = (e) => {
    e.preventDefault();
    if (current?.kind !== "request" || current.q.id !== q.id) return;
    const a = answerOf(q.id, chosen(), pin.value, secret.value);
    if ("missing" in a) {
      error.textContent = a.missing === "bridge_need_cert" ? t("bridge_need_cert") : t("remote_missing", { f: t(a.missing) });
      error.hidden = false;
      return;
    }
    lastKey = a.certificate;
    done(a, chosen()?.kind === "remote");
  };
  const refuse = () => {
    if (current?.kind !== "request" || current.q.id !== q.id) return;
    done(declineOf(q.id), false);
  };
  decline.onclick = refuse;
  // Escape declines.
  dlg.oncancel = (e) => { e.preventDefault(); refuse(); };
  if (!dlg.open) dlg.showModal();
  dlg.focus();
  // First pages, from the bytes Kyso fetched (one at a time: a batch can be large).
  void (async () => {
    for (const [box, d, i] of thumbs) {
      if (current?.kind !== "request" || current.q.id !== q.id) return;
      try {
        const bytes = await api.bridgeDocument(q.id, i);
        // pdf.js is loaded when a picture is drawn, not with the window.
        const { renderThumbnail } = await import("./preview");
        await renderThumbnail(box, bytes, 140, t("bridge_first_page", { n: documentName(d.address) }));
      } catch {
        box.textContent = t("preview_none");
        box.dataset.state = "none";
      }
    }
  })();
  // The same certificates as the Sign screen (no .p12 here).
  let list: CertList | null = null;
  try {
    list = await api.listCertificates();
  } catch (e) {
    certError.textContent = errorText(asError(e));
    certError.hidden = false;
  }
  if (current?.kind !== "request" || current.q.id !== q.id) return;
  choices = list ? choicesFrom(list) : [];
  clear(select);
  select.append(h("option", { value: "" }, t("bridge_choose")),
    ...choices.map((c, i) => h("option", c.kind === "token" ? { value: String(i), "data-id": c.cert.cert_id } : { value: String(i), "data-remote": c.remote.name }, c.label)));
  select.disabled = false;
  if (list && !choices.length) {
    certError.textContent = t("no_certs");
    certError.hidden = false;
  }
  const preferred = choices.findIndex((c) => c.key === lastKey);
  const pick = preferred >= 0 ? preferred : choices.length === 1 ? 0 : -1;
  select.value = pick >= 0 ? String(pick) : "";
  showFields();
  if (pick >= 0 && needsOf(choices[pick]).secret) secret.focus();
  else if (pick >= 0 && needsOf(choices[pick]).pin) pin.focus();
  else select.focus();
}

async function send(answer: BridgeAnswer, site: string, isRemote: boolean) {
  sites.set(answer.id, site);
  // A remote account: the phone confirmation, until the bridge says it is done.
  if (answer.accept && isRemote) {
    remote?.dialog.stop();
    remote = { id: answer.id, dialog: new RemoteDialog() };
    await remote.dialog.start();
  }
  try {
    await api.bridgeAnswer(answer);
  } catch (e) {
    if (remote?.id === answer.id) {
      remote.dialog.stop();
      remote = null;
    }
    notice("bad", errorText(asError(e)));
  } finally {
    answer.pin = null;
    answer.secret = null;
  }
}

/** A question timed out, or a request was signed (or could not be). */
function onDone(d: BridgeDone) {
  queue = queue.filter((q) => idOf(q) !== d.id);
  if (current && idOf(current) === d.id) {
    const dlg = current.kind === "origin" ? originDialog() : requestDialog();
    const pin = dlg.querySelector<HTMLInputElement>("#bridge-pin");
    const secret = dlg.querySelector<HTMLInputElement>("#bridge-secret");
    if (pin) pin.value = "";
    if (secret) secret.value = "";
    if (dlg.open) dlg.close();
    finish();
  }
  if (remote?.id === d.id) {
    remote.dialog.stop();
    remote = null;
  }
  const site = sites.get(d.id) ?? "";
  sites.delete(d.id);
  if (d.error?.code === "BRIDGE_EXPIRED") notice("warn", errorText(d.error));
  else if (d.error) notice("bad", `${t("bridge_failed", { o: site })} ${errorText(d.error)}`);
  else if (d.signed) notice("ok", t("bridge_signed", { o: site }));
  else notice("warn", t("bridge_not_signed", { o: site }));
}

/** Listens for the bridge's questions (once, at start). Returns the way to stop (tests). */
export async function installBridge(): Promise<() => void> {
  const un: UnlistenFn[] = [];
  un.push(await listen<BridgeOriginQuestion>("bridge-origin", (e) => { queue.push({ kind: "origin", q: e.payload }); next(); }));
  un.push(await listen<BridgeRequest>("bridge-request", (e) => { queue.push({ kind: "request", q: e.payload }); next(); }));
  un.push(await listen<BridgeDone>("bridge-done", (e) => onDone(e.payload)));
  return () => {
    un.forEach((f) => f());
    queue = [];
    current = null;
    remote?.dialog.stop();
    remote = null;
    sites.clear();
    lastKey = null;
    for (const id of ["bridge-origin-dialog", "bridge-dialog", "bridge-notice"]) document.getElementById(id)?.remove();
  };
}
