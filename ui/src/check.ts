// The Check screen: files or a folder (chosen or dropped), a table with one row per file
// (green/amber/red signature verdict, the legal verdict when there is one, signer, time) and,
// beside it, the chosen file's details: a panel per signature like Acrobat's — signer,
// organisation, time, chain, changes. Facts a document does not have are left out.
import { listen } from "@tauri-apps/api/event";
import { api, asError, type FileReport, type LegalReport, type SignatureReport } from "./api";
import { openCompare, signedLength } from "./compare";
import { baseName, clear, h } from "./dom";
import { errorText, getLang, t, type Key } from "./i18n";

let reports: FileReport[] = [];
let files: string[] = [];
let error: string | null = null;
let progress = "";
/** The file whose details the side panel shows. */
let selected: string | null = null;

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
    // The first file that is not valid is what the clerk looks at first.
    selected = (reports.find((r) => r.verdict !== "TOTAL_PASSED") ?? reports[0])?.path ?? null;
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

/** A signature's label in the UI language ("Chữ ký 1"); the PDF field name is a detail. */
export function signatureLabel(index: number): string {
  return t("sig_n", { n: index + 1 });
}

/** The signing time shown in the table: the timestamp's when there is a trusted one, else
 *  the time the signer's computer claimed; null when the document says nothing. */
export function signingTime(s: SignatureReport): string | null {
  if (s.timestamp?.trusted) return s.timestamp.time_vietnam;
  return s.claimed_time_vietnam ?? null;
}

/** A time as the table shows it: "24/11/2026 10:00" (the full time is in the panel and the
 *  cell's tooltip); anything else unchanged. */
export function shortTime(v: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})/.exec(v);
  return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}` : v;
}

/** One table row's facts for a file: verdict, legal verdict (when the core gave one),
 *  signers (the first, and "+n" for the others), signing time. Absent facts are null. */
export function fileFacts(r: FileReport): { verdict: string; legal: string | null; signer: string | null; time: string | null } {
  const names = r.signatures.map((s) => s.signer?.common_name).filter((n): n is string => !!n);
  const signer = names.length ? names[0] + (names.length > 1 ? ` ${t("more_signers", { n: names.length - 1 })}` : "") : null;
  const first = r.signatures[0];
  return {
    verdict: t(("v_" + r.verdict) as Key),
    legal: r.legal && r.legal.checks.length ? t(("l_" + r.legal.verdict) as Key) : null,
    signer,
    time: first ? signingTime(first) : null,
  };
}

/** The count of green, amber and red files, for the line above the table. */
export function tally(rs: FileReport[]): { ok: number; warn: number; bad: number } {
  const out = { ok: 0, warn: 0, bad: 0 };
  for (const r of rs) out[verdictClass(r.verdict)]++;
  return out;
}

function signaturePanel(path: string, s: SignatureReport, index: number): HTMLElement {
  const cls = verdictClass(s.indication);
  // Revisions were appended after this signature: offer to show what they change on screen.
  const signedLen = s.later_revisions > 0 ? signedLength(s) : null;
  const who = [s.signer?.common_name, s.signer?.title].filter(Boolean).join(", ");
  const claimed = s.claimed_time_vietnam ? s.claimed_time_vietnam : null;
  const panel: HTMLElement = h("details", { class: `sig ${cls}`, "data-indication": s.indication, "data-field": s.field },
    h("summary", {}, h("strong", {}, signatureLabel(index)), who ? ` — ${who}` : "", ` — ${t(("v_" + s.indication) as Key)}`),
    h("p", { class: "verdict-text" }, msg(s.message)),
    h("table", {},
      row(t("signer"), who),
      row(t("org"), s.signer?.organization),
      row("ID", s.signer?.uid),
      s.certificate ? row(t("cert_kind"), `${t(("sys_" + s.certificate.system) as Key)}, ${t(("class_" + s.certificate.class) as Key)} — ${msg(s.certificate.evidence.class)}`) : null,
      row(t("time"), claimed),
      s.timestamp ? row(t("timestamp"), [s.timestamp.time_vietnam, s.timestamp.tsa].filter(Boolean).join(" — ")
        + (s.timestamp.trusted ? "" : ` (${t("ts_not_proof")})`)) : null,
      row(t("chain"), s.chain.path.join(" → ")),
      s.xml ? row(t("form"), [s.xml.profile ? t(`xml_form_${s.xml.profile}` as Key) : null, s.xml.slot].filter(Boolean).join(" · ") || s.xml.path) : null,
      s.xml ? row(t("signed_part"), s.xml.reference) : null,
      row(t("reason"), s.reason),
      row(t("location"), s.location),
      row(t("field_name"), s.field),
    ),
    s.changes.length ? h("div", { class: "changes" }, h("h4", {}, t("changes")),
      h("ul", {}, ...s.changes.map((c) => h("li", {}, (getLang() === "vi" ? c.what_vi : c.what) + (c.page ? ` (${t("page")} ${c.page})` : ""))))) : null,
    signedLen ? h("div", { class: "row" },
      h("button", { class: "show-changes", type: "button", onclick: () => openCompare(panel, path, signedLen) }, t("show_changes"))) : null,
    s.findings.length ? h("div", {}, h("h4", {}, t("details")), h("ul", {}, ...s.findings.map((f) => h("li", {}, msg(f))))) : null,
  );
  return panel;
}

/** A fact's row, or nothing when there is no value: empty facts are never shown as "—". */
export function row(k: string, v: string | null | undefined): HTMLElement | null {
  if (v === null || v === undefined || !v.trim()) return null;
  return h("tr", {}, h("th", {}, k), h("td", {}, v));
}

/** The side panel: everything about the chosen file. */
function detailPanel(r: FileReport): HTMLElement {
  return h("div", { class: `file ${verdictClass(r.verdict)}`, "data-verdict": r.verdict, "data-name": baseName(r.path) },
    h("h2", {}, h("span", { class: "dot", "aria-hidden": "true" }), baseName(r.path)),
    h("p", { class: "file-verdict" }, t(("v_" + r.verdict) as Key)),
    h("p", { class: "muted file-path" }, r.path),
    r.error ? h("p", { class: "bad" }, msg(r.error.message)) : null,
    r.legal && r.legal.checks.length ? legalPanel(r.legal) : null,
    ...r.signatures.map((s, i) => signaturePanel(r.path, s, i)));
}

function draw(main: HTMLElement) {
  clear(main);
  const current = reports.find((r) => r.path === selected) ?? null;
  const hasLegal = reports.some((r) => r.legal && r.legal.checks.length);
  const n = tally(reports);
  const choose = (r: FileReport) => {
    selected = r.path;
    draw(main);
    // Keyboard users stay on the row they chose; the panel is beside it.
    [...main.querySelectorAll<HTMLElement>("#check-results tr")].find((e) => e.dataset.path === r.path)?.focus();
  };
  const table = h("table", { id: "check-table", class: "results-table" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("col_file")), h("th", { scope: "col" }, t("col_verdict")),
      hasLegal ? h("th", { scope: "col" }, t("col_legal")) : null,
      h("th", { scope: "col" }, t("col_signer")), h("th", { scope: "col" }, t("col_time")))),
    h("tbody", { id: "check-results" }, ...reports.map((r) => {
      const f = fileFacts(r);
      const legal = r.legal && r.legal.checks.length ? r.legal.verdict : null;
      return h("tr", {
        class: `file ${verdictClass(r.verdict)}${r.path === selected ? " selected" : ""}`, tabindex: "0", role: "button",
        "aria-pressed": r.path === selected ? "true" : "false",
        "data-verdict": r.verdict, "data-name": baseName(r.path), "data-path": r.path, "data-legal": legal ?? undefined,
        onclick: () => choose(r),
        onkeydown: (e: Event) => {
          const k = (e as KeyboardEvent).key;
          if (k === "Enter" || k === " ") { e.preventDefault(); choose(r); }
        },
      },
      h("td", { class: "col-file", title: r.path }, h("span", { class: "dot", "aria-hidden": "true" }), baseName(r.path)),
      h("td", { class: "col-verdict" }, f.verdict),
      hasLegal ? h("td", { class: `col-legal ${legal ? legalClass(legal) : ""}` }, f.legal ?? "") : null,
      h("td", { class: "col-signer" }, f.signer ?? ""),
      h("td", { class: "col-time", title: f.time ?? undefined }, f.time ? shortTime(f.time) : ""));
    })));
  main.append(h("section", { id: "check-screen", class: `screen${reports.length ? " with-panel" : " single"}` },
    h("div", { class: "col" },
      h("h1", {}, t("check_title")),
      h("p", { class: "muted" }, t("check_hint"), " ", t("check_drop")),
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
      reports.length ? h("p", { id: "check-summary", class: "muted" }, t("check_summary", { n: reports.length, ok: n.ok, warn: n.warn, bad: n.bad })) : null,
      reports.length ? table : null),
    reports.length ? h("aside", { id: "check-detail", class: "col detail-col", "aria-live": "polite" },
      current ? detailPanel(current) : h("p", { class: "muted" }, t("check_choose_row"))) : null,
  ));
}
