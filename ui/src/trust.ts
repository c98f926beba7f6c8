// Settings → Trusted authorities: the Vietnamese authorities shipped with Kyso (each can be
// switched off), imported and custom anchors, intermediates kept from checks; and fetching
// the current revocation lists so that checks work without network.
import { api, asError, type TrustEntry } from "./api";
import { clear, h } from "./dom";
import { errorText, t, type Key } from "./i18n";

export async function renderTrust(root: HTMLElement) {
  clear(root);
  let entries: TrustEntry[];
  try {
    entries = (await api.trustList()) ?? [];
  } catch (e) {
    root.append(h("p", { class: "bad" }, errorText(asError(e))));
    return;
  }
  const status = h("p", { id: "trust-status", role: "status" });
  const row = (e: TrustEntry) => {
    const box = h("input", { type: "checkbox", class: "trust-enabled", "aria-label": e.subject,
      onchange: async (ev: Event) => {
        const on = (ev.target as HTMLInputElement).checked;
        try {
          entries = (await api.trustSetEnabled(e.sha256, on)) ?? entries;
          status.className = "ok";
          status.textContent = t("saved");
        } catch (err) {
          (ev.target as HTMLInputElement).checked = !on;
          status.className = "bad";
          status.textContent = errorText(asError(err));
        }
      } }) as HTMLInputElement;
    box.checked = e.enabled;
    return h("tr", { "data-sha256": e.sha256, "data-source": e.source },
      h("td", {}, box),
      h("td", {}, e.subject.replace(/^CN=/, "").split(", ")[0]),
      h("td", {}, t(("src_" + e.source) as Key)),
      h("td", {}, t(("sys_" + e.system) as Key)),
      h("td", { class: "mono" }, e.sha256.slice(0, 16)));
  };
  const refresh = h("button", { id: "trust-refresh", onclick: async () => {
    status.className = "";
    status.textContent = "…";
    try {
      const r = await api.trustRefresh();
      status.className = "ok";
      const list = r ?? [];
      status.textContent = t("trust_refreshed", { ok: list.filter((x) => !x.error).length, all: list.length });
    } catch (err) {
      status.className = "bad";
      status.textContent = errorText(asError(err));
    }
  } }, t("trust_refresh"));
  root.append(
    h("h2", {}, t("trust_title")),
    h("p", { class: "muted" }, t("trust_hint")),
    h("div", { class: "row" }, refresh),
    status,
    h("table", { id: "trust-list" }, ...entries.map(row)),
  );
}
