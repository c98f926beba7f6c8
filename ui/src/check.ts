// The Check screen: files or a folder, a green/amber/red verdict per file, and a panel per
// signature like Acrobat's: signer, organisation, time and its source, chain, changes.
import { listen } from "@tauri-apps/api/event";
import { api, asError, type FileReport, type LegalReport, type SignatureReport } from "./api";
import { openCompare, signedLength } from "./compare";
import { baseName, clear, h } from "./dom";
import { errorText, getLang, t, type Key } from "./i18n";

let reports: FileReport[] = [];
let files: string[] = [];
let error: string | null = null;
let progress = "";

export function verdictClass(v: string): "ok" | "warn" | "bad" {
  return v === "TOTAL_PASSED" ? "ok" : v === "TOTAL_FAILED" ? "bad" : "warn";
}

/** Colour of a legal verdict or check result. */
export function legalClass(v: string): "ok" | "warn" | "bad" | "na" {
  return v === "COMPLETE" || v === "pass" ? "ok" : v === "INCOMPLETE" || v === "fail" ? "bad" : v === "warn" ? "warn" : "na";
}

const MARK: Record<string, string> = { pass: "✔", warn: "!", fail: "✘", not_checked: "–" };

/** The legal verdict (Decree 30 + 68) beside the signature verdict: each check, and for a
 * failure the sentence to send back to the issuer. */
export function legalPanel(l: LegalReport): HTMLElement {
  return h("div", { class: `legal ${legalClass(l.verdict)}`, "data-legal": l.verdict },
    h("h4", {}, t("legal_title"), ": ", h("strong", { class: "legal-verdict" }, t(("l_" + l.verdict) as Key))),
    h("p", { class: "muted" }, msg(l.message)),
    h("ul", { class: "legal-checks" }, ...l.checks.map((c) => h("li", { class: `check ${legalClass(c.result)}`, "data-code": c.code, "data-result": c.result },
      h("span", { class: "mark", "aria-hidden": "true" }, MARK[c.result] ?? "?"), " ",
      h("strong", {}, msg(c.title)), `: ${msg(c.message)}`,
      c.return_text ? h("p", { class: "return-text" }, h("em", {}, t("send_back")), " ", msg(c.return_text)) : null))),
  );
}

export async function renderCheck(main: HTMLElement, added?: string[]) {
  if (added && added.length) await check(main, added);
  else draw(main);
}

async function check(main: HTMLElement, chosen: string[]) {
  if (!chosen.length) return;
  files = chosen;
  error = null;
  const un = await listen<{ done: number; total: number }>("check-progress", (e) => {
    progress = `${e.payload.done}/${e.payload.total}`;
    draw(main);
  });
  try {
    reports = await api.verifyDocuments(chosen);
  } catch (e) {
    error = errorText(asError(e));
  } finally {
    un();
    progress = "";
  }
  draw(main);
}

function msg(m: { vi: string; en: string }) {
  return getLang() === "vi" ? m.vi : m.en;
}

function signaturePanel(path: string, s: SignatureReport): HTMLElement {
  const cls = verdictClass(s.indication);
  // Revisions were appended after this signature: offer to show what they change on screen.
  const signedLen = s.later_revisions > 0 ? signedLength(s) : null;
  const panel: HTMLElement = h("details", { class: `sig ${cls}`, "data-indication": s.indication },
    h("summary", {}, h("strong", {}, `${s.field}: `), s.signer?.common_name ?? "—", ` — ${t(("v_" + s.indication) as Key)}`),
    h("p", { class: "verdict-text" }, msg(s.message)),
    h("table", {},
      row(t("signer"), [s.signer?.common_name, s.signer?.title].filter(Boolean).join(", ") || "—"),
      row(t("org"), s.signer?.organization ?? "—"),
      s.signer?.uid ? row("ID", s.signer.uid) : null,
      s.certificate ? row(t("cert_kind"), `${t(("sys_" + s.certificate.system) as Key)}, ${t(("class_" + s.certificate.class) as Key)} — ${msg(s.certificate.evidence.class)}`) : null,
      row(t("time"), `${s.claimed_time_vietnam ?? "—"} (${s.claimed_time_source ?? ""})`),
      s.timestamp ? row(t("timestamp"), `${s.timestamp.time_vietnam} — ${s.timestamp.tsa ?? ""}`
        + (s.timestamp.trusted ? "" : ` (${t("ts_not_proof")})`)) : null,
      row(t("chain"), s.chain.path.join(" → ") || "—"),
      s.xml ? row(t("form"), [s.xml.profile ? t(`xml_form_${s.xml.profile}` as Key) : null, s.xml.slot].filter(Boolean).join(" · ") || s.xml.path) : null,
      s.xml ? row(t("signed_part"), s.xml.reference ?? "—") : null,
      s.reason ? row(t("reason"), s.reason) : null,
      s.location ? row(t("location"), s.location) : null,
    ),
    s.changes.length ? h("div", { class: "changes" }, h("h4", {}, t("changes")),
      h("ul", {}, ...s.changes.map((c) => h("li", {}, (getLang() === "vi" ? c.what_vi : c.what) + (c.page ? ` (${t("page")} ${c.page})` : ""))))) : null,
    signedLen ? h("div", { class: "row" },
      h("button", { class: "show-changes", type: "button", onclick: () => openCompare(panel, path, signedLen) }, t("show_changes"))) : null,
    s.findings.length ? h("div", {}, h("h4", {}, t("details")), h("ul", {}, ...s.findings.map((f) => h("li", {}, msg(f))))) : null,
  );
  return panel;
}

function row(k: string, v: string) {
  return h("tr", {}, h("th", {}, k), h("td", {}, v));
}

function draw(main: HTMLElement) {
  clear(main);
  main.append(h("section", { id: "check-screen", class: "screen single" },
    h("h1", {}, t("check_title")),
    h("p", { class: "muted" }, t("check_hint")),
    h("div", { class: "row" },
      h("button", { id: "check-pick-files", onclick: async () => check(main, await api.pickFiles("check")) }, t("pick_files")),
      h("button", { id: "check-pick-folder", onclick: async () => check(main, await api.pickFolder()) }, t("check_folder")),
      reports.length ? h("button", { id: "export-report", onclick: async () => {
        try {
          const p = await api.exportReport(files, getLang());
          if (p) { error = null; progress = t("exported", { p }); draw(main); }
        } catch (e) { error = errorText(asError(e)); draw(main); }
      } }, t("export")) : null),
    progress ? h("p", { role: "status", id: "check-progress" }, progress) : null,
    error ? h("p", { class: "bad", role: "alert" }, error) : null,
    h("ul", { id: "check-results" }, ...reports.map((r) => h("li", { class: `file ${verdictClass(r.verdict)}`, "data-verdict": r.verdict, "data-name": baseName(r.path) },
      h("span", { class: "dot", "aria-hidden": "true" }),
      h("strong", {}, baseName(r.path)), ` — ${t(("v_" + r.verdict) as Key)}`,
      r.error ? h("p", { class: "bad" }, msg(r.error.message)) : null,
      r.legal && r.legal.checks.length ? legalPanel(r.legal) : null,
      ...r.signatures.map((s) => signaturePanel(r.path, s))))),
  ));
}
