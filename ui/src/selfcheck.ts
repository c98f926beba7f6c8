// The System check screen ("Kiểm tra hệ thống"): the core's self-check, one row per line —
// a green/amber/red mark, what was found and the one sentence of what to do — a re-run
// button, and "Copy a support report" (the core's text: no PIN, secret or document content).
import { api, asError, type DoctorLine, type DoctorReport, type SelfCheck } from "./api";
import { clear, h } from "./dom";
import { errorText, getLang, t, type Key } from "./i18n";

let last: SelfCheck | null = null;

/** The mark beside a line: a shape as well as a colour, for colour-blind users. */
export const MARKS: Record<DoctorLine["status"], string> = { green: "✔", amber: "!", red: "✘" };

/** A bilingual message in the UI language. */
const pick = (m: { vi: string; en: string }) => (getLang() === "vi" ? m.vi : m.en);

/** The headline over the lines: ready, or how many need attention / fixing. */
export function summary(r: DoctorReport): { status: DoctorLine["status"]; text: string } {
  const red = r.lines.filter((l) => l.status === "red").length;
  const amber = r.lines.filter((l) => l.status === "amber").length;
  if (red) return { status: "red", text: t("sys_summary_red", { n: red }) };
  if (amber) return { status: "amber", text: t("sys_summary_amber", { n: amber }) };
  return { status: "green", text: t("sys_summary_green") };
}

/** One line as a list item: mark, status word (for screen readers too), text, what to do. */
export function lineItem(l: DoctorLine): HTMLElement {
  return h("li", { class: `sys-line ${l.status}`, "data-code": l.code, "data-status": l.status },
    h("span", { class: "sys-mark", "aria-hidden": "true" }, MARKS[l.status]),
    h("div", { class: "sys-body" },
      h("span", { class: "sr-only" }, `${t(("sys_" + l.status) as Key)}: `),
      h("span", { class: "sys-text" }, pick(l.text)),
      l.action ? h("div", { class: "sys-action" }, h("strong", {}, t("sys_todo")), " ", pick(l.action)) : null));
}

/** Puts `text` on the clipboard: the web API, else the selection of a text box (WebKitGTK
 *  without a secure context); false when neither worked. */
export async function copyText(text: string, box: HTMLTextAreaElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection
  }
  if (!box) return false;
  box.hidden = false;
  box.focus();
  box.select();
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

/** Runs the self-check (the core's) and returns it; errors as a message. */
export async function runSelfCheck(): Promise<SelfCheck | string> {
  try {
    last = await api.selfCheck(getLang());
    return last;
  } catch (e) {
    return errorText(asError(e));
  }
}

/** The lines as a list (the welcome shows them too). */
export function lineList(r: DoctorReport): HTMLElement {
  return h("ul", { id: "sys-lines", class: "sys-lines" }, ...r.lines.map(lineItem));
}

/** Shows a self-check's outcome: the summary line in `status`, the lines appended to `into`
 *  (an error's sentence instead when the check could not run). */
export function showOutcome(result: SelfCheck | string, status: HTMLElement, into: HTMLElement) {
  if (typeof result === "string") {
    status.textContent = result;
    status.className = "bad";
    return;
  }
  const s = summary(result.report);
  status.textContent = s.text;
  status.className = `sys-summary ${s.status}`;
  status.dataset.status = s.status;
  into.append(lineList(result.report));
}

export async function renderSelfCheck(main: HTMLElement, showWelcome: () => void, rerun = true) {
  clear(main);
  const status = h("p", { id: "sys-status", role: "status" }, t("sys_running"));
  const box = h("section", { id: "system-screen", class: "screen single" },
    h("h1", {}, t("sys_title")),
    h("p", { class: "muted" }, t("sys_hint")),
    status);
  main.append(box);
  const result = rerun || !last ? await runSelfCheck() : last;
  // The user may have left the screen while the checks ran.
  if (!main.contains(box)) return;
  showOutcome(result, status, box);
  if (typeof result !== "string") {
    const report = h("textarea", { id: "sys-report", readonly: true, rows: "10", "aria-label": t("sys_report_text"), hidden: true }) as HTMLTextAreaElement;
    report.value = result.support;
    const note = h("p", { id: "sys-copy-note", class: "muted", role: "status" }, t("sys_report_note"));
    box.append(
      h("div", { class: "row" },
        h("button", { id: "sys-rerun", type: "button", onclick: () => void renderSelfCheck(main, showWelcome) }, t("sys_rerun")),
        h("button", { id: "sys-copy", type: "button", class: "primary", onclick: async () => {
          const ok = await copyText(result.support, report);
          note.textContent = ok ? t("sys_copied") : t("sys_copy_failed");
          note.className = ok ? "ok" : "warn";
          // Shown either way: the user can see what is sent, and copy by hand.
          report.hidden = false;
        } }, t("sys_copy")),
        h("button", { id: "sys-welcome", type: "button", class: "link", onclick: showWelcome }, t("sys_welcome_again"))),
      note, report);
  }
}
