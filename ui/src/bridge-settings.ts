// The local signing bridge on the Settings screen: the switch (applied at once), the port and
// the extra file hosts, whether it listens, the allowed sites with Remove, and the local
// certificate authority to import for wss://. Each change saves the current settings with
// just that change, so sites the app has just allowed are never lost.
import { api, asError, type BridgeStatus, type Settings } from "./api";
import { clear, h } from "./dom";
import { errorText, t } from "./i18n";
import { onOriginsChanged, parsePort, siteOf, statusLine } from "./bridge";

const lines = (s: string) => s.split("\n").map((x) => x.trim()).filter(Boolean);

/** The bridge's fields, with their defaults when the settings lack them. */
const withDefaults = (s: Settings): Settings => ({ ...s, bridge_enabled: s.bridge_enabled ?? false, bridge_port: s.bridge_port ?? 8987,
  bridge_origins: s.bridge_origins ?? [], bridge_hosts: s.bridge_hosts ?? [] });

let stopListening: (() => void) | null = null;

export async function renderBridgeSettings(section: HTMLElement) {
  clear(section);
  stopListening?.();
  stopListening = null;
  section.append(h("h2", {}, t("bridge_title")), h("p", { class: "muted", id: "bridge-explain" }, t("bridge_hint")));
  let s: Settings;
  try {
    s = withDefaults(await api.getSettings());
  } catch (e) {
    section.append(h("p", { class: "bad", id: "bridge-save-status" }, errorText(asError(e))));
    return;
  }
  const toggle = h("input", { id: "bridge-enabled", type: "checkbox", role: "switch" }) as HTMLInputElement;
  toggle.checked = s.bridge_enabled;
  const status = h("p", { id: "bridge-status", role: "status" });
  const port = h("input", { id: "bridge-port", type: "text", inputmode: "numeric", maxlength: 5, class: "bridge-port" }) as HTMLInputElement;
  port.value = String(s.bridge_port);
  const hosts = h("textarea", { id: "bridge-hosts", rows: 2, placeholder: "https://files.coquan.gov.vn" }) as HTMLTextAreaElement;
  hosts.value = s.bridge_hosts.join("\n");
  const saveStatus = h("p", { id: "bridge-save-status", role: "status" });
  const say = (cls: string, text: string) => { saveStatus.className = cls; saveStatus.textContent = text; };
  const sites = h("ul", { id: "bridge-origins" });
  const ca = h("div", { id: "bridge-ca" });

  const showStatus = async () => {
    let st: BridgeStatus | null = null;
    try {
      st = await api.bridgeStatus();
    } catch (e) {
      status.className = "bad";
      status.textContent = errorText(asError(e));
      return;
    }
    const line = statusLine(st ?? null, s.bridge_enabled);
    status.className = line.cls;
    status.textContent = line.text;
    status.dataset.listening = String(!!st?.listening);
    clear(ca);
    ca.hidden = !st?.ca_path;
    if (st?.ca_path) {
      ca.append(h("p", {}, t("bridge_ca"), " ", h("code", { id: "bridge-ca-path" }, st.ca_path)), h("p", { class: "muted" }, t("bridge_ca_hint")));
    }
  };
  const showSites = () => {
    clear(sites);
    if (!s.bridge_origins.length) sites.append(h("li", { class: "muted", id: "bridge-no-sites" }, t("bridge_no_sites")));
    for (const o of s.bridge_origins) {
      sites.append(h("li", { class: "bridge-origin", "data-origin": o },
        h("strong", {}, siteOf(o)), " ",
        h("button", { type: "button", class: "link bridge-origin-remove", "aria-label": `${t("bridge_remove")} ${siteOf(o)}`,
          onclick: () => void save((now) => ({ bridge_origins: now.bridge_origins.filter((x) => x !== o) })) }, t("bridge_remove"))));
    }
  };
  /** Saves the settings as they are now with `change` applied; redraws the status and list. */
  const save = async (change: (now: Settings) => Partial<Settings>): Promise<boolean> => {
    try {
      const now = withDefaults(await api.getSettings());
      s = withDefaults(await api.saveSettings({ ...now, ...change(now) }));
      say("ok", t("bridge_saved"));
      return true;
    } catch (e) {
      say("bad", errorText(asError(e)));
      return false;
    } finally {
      toggle.checked = s.bridge_enabled;
      showSites();
      await showStatus();
    }
  };
  toggle.addEventListener("change", () => void save(() => ({ bridge_enabled: toggle.checked })));
  const newSite = h("input", { id: "bridge-origin-new", type: "text", placeholder: t("bridge_site_placeholder"), "aria-label": t("bridge_add_site") }) as HTMLInputElement;

  section.append(
    h("label", { for: "bridge-enabled", class: "switch" }, toggle, h("span", { class: "switch-track", "aria-hidden": "true" }), " ", t("bridge_switch")),
    status,
    h("label", { for: "bridge-port" }, t("bridge_port")), port,
    h("label", { for: "bridge-hosts" }, t("bridge_hosts")), hosts,
    h("div", { class: "row" }, h("button", { id: "bridge-save", class: "primary", type: "button", onclick: () => {
      const p = parsePort(port.value);
      if (p === null) {
        say("bad", t("bridge_port_bad"));
        port.focus();
        return;
      }
      void save(() => ({ bridge_enabled: toggle.checked, bridge_port: p, bridge_hosts: lines(hosts.value) }));
    } }, t("bridge_save"))),
    saveStatus,
    h("h3", {}, t("bridge_sites")),
    sites,
    h("div", { class: "row" }, newSite, h("button", { id: "bridge-origin-add", type: "button", onclick: async () => {
      const o = newSite.value.trim().replace(/\/+$/, "");
      if (!o) return;
      if (await save((now) => ({ bridge_origins: now.bridge_origins.includes(o) ? now.bridge_origins : [...now.bridge_origins, o] }))) newSite.value = "";
    } }, t("bridge_add_site"))),
    ca,
  );
  showSites();
  await showStatus();
  // A site allowed from the question dialog while this screen is open.
  stopListening = onOriginsChanged(async () => {
    if (!document.body.contains(section)) {
      stopListening?.();
      stopListening = null;
      return;
    }
    try {
      s = withDefaults(await api.getSettings());
      showSites();
    } catch {
      // the next visit shows it
    }
  });
}
