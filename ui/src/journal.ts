// The Journal screen: every signing and completion on this computer, newest first, so an
// office can answer "who signed what, when". File names and signers come from outside:
// they are set as text (h()), never parsed as HTML.
import { api, asError, type JournalEvent } from "./api";
import { baseName, clear, h } from "./dom";
import { errorText, isKey, t } from "./i18n";

const pad = (n: number) => String(n).padStart(2, "0");

/** Unix seconds as Vietnam time (UTC+7, no daylight saving), like the Check screen shows. */
export function vietnamTime(unix: number): string {
  const d = new Date((unix + 7 * 3600) * 1000);
  if (Number.isNaN(d.getTime())) return "—";
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} (+07:00)`;
}

// An action or result this UI does not know yet is shown as it is.
const label = (prefix: string, v: string): string => {
  const k = `${prefix}_${v}`;
  return isKey(k) ? t(k) : v;
};

function files(e: JournalEvent): HTMLElement {
  const cell = h("td", { class: "journal-files", title: e.input === e.output ? e.input : `${e.input} → ${e.output}` }, baseName(e.input));
  if (e.output && e.output !== e.input) cell.append(" → ", baseName(e.output));
  return cell;
}

function row(e: JournalEvent): HTMLElement {
  const cls = e.result === "ok" ? "ok" : e.result === "failed" ? "bad" : "warn";
  return h("tr", { class: "journal-row", "data-result": e.result, "data-action": e.action, "data-id": e.id },
    h("td", { class: "journal-time" }, vietnamTime(e.time)),
    h("td", {}, label("action", e.action)),
    h("td", { class: cls }, label("result", e.result), e.detail ? h("div", { class: "muted journal-detail" }, e.detail) : null),
    h("td", { class: "journal-level" }, e.level || "—"),
    files(e),
    h("td", {}, e.signer || "—"));
}

export async function renderJournal(main: HTMLElement) {
  clear(main);
  const box = h("section", { id: "journal-screen", class: "screen single" },
    h("h1", {}, t("journal_title")),
    h("p", { class: "muted" }, t("journal_hint")));
  main.append(box);
  try {
    const j = await api.getJournal();
    const events = j?.events ?? [];
    if (!events.length) box.append(h("p", { id: "journal-empty", class: "muted" }, t("journal_empty")));
    else {
      box.append(h("table", { id: "journal-table" },
        h("thead", {}, h("tr", {},
          h("th", {}, t("journal_time")), h("th", {}, t("journal_action")), h("th", {}, t("journal_result")),
          h("th", {}, t("level")), h("th", {}, t("journal_files")), h("th", {}, t("signer")))),
        h("tbody", {}, ...events.map(row))));
    }
  } catch (e) {
    box.append(h("p", { id: "journal-error", class: "bad", role: "alert" }, errorText(asError(e))));
  }
  box.append(h("div", { class: "row" }, h("button", { id: "journal-refresh", onclick: () => void renderJournal(main) }, t("refresh"))));
}
