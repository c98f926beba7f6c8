// Settings: driver paths, TSA URLs, trust anchors, language; the connection with
// document-management systems; remote signing accounts; the organisation profile.
import { api, asError, type Settings } from "./api";
import { clear, h } from "./dom";
import { errorText, t, type Lang } from "./i18n";
import { renderProfile } from "./profile";
import { renderAccounts } from "./accounts";
import { renderBridgeSettings } from "./bridge-settings";
import { renderTrust } from "./trust";

const lines = (s: string) => s.split("\n").map((x) => x.trim()).filter(Boolean);

export async function renderSettings(main: HTMLElement, onLanguage: (l: Lang) => void, onSaved: () => void = () => {}) {
  clear(main);
  let s: Settings;
  try {
    s = await api.getSettings();
  } catch (e) {
    main.append(h("p", { class: "bad" }, errorText(asError(e))));
    return;
  }
  const modules = h("textarea", { id: "set-modules", rows: 3 }) as HTMLTextAreaElement;
  modules.value = s.module_paths.join("\n");
  const tsa = h("textarea", { id: "set-tsa", rows: 2 }) as HTMLTextAreaElement;
  tsa.value = s.tsa_urls.join("\n");
  const anchors = h("textarea", { id: "set-anchors", rows: 3 }) as HTMLTextAreaElement;
  anchors.value = s.trust_anchor_files.join("\n");
  const lang = h("select", { id: "set-language" }, h("option", { value: "vi" }, "Tiếng Việt"), h("option", { value: "en" }, "English")) as HTMLSelectElement;
  lang.value = s.language;
  const offline = h("input", { id: "set-offline", type: "checkbox" }) as HTMLInputElement;
  offline.checked = s.offline;
  const status = h("p", { id: "settings-status", role: "status" });
  main.append(h("section", { id: "settings-screen", class: "screen single" },
    h("h1", {}, t("settings_title")),
    h("label", { for: "set-modules" }, t("modules")), modules,
    h("label", { for: "set-tsa" }, t("tsa")), tsa,
    h("label", { for: "set-anchors" }, t("anchors")), anchors,
    h("label", { for: "set-language" }, t("language")), lang,
    h("label", { for: "set-offline" }, offline, " ", t("offline")),
    h("div", { class: "row" }, h("button", { class: "primary", id: "save-settings", onclick: async () => {
      try {
        // The bridge's settings as they are now (a site may have been allowed meanwhile).
        const now = await api.getSettings();
        const saved = await api.saveSettings({ ...now, module_paths: lines(modules.value), tsa_urls: lines(tsa.value), trust_anchor_files: lines(anchors.value), language: lang.value as Lang, offline: offline.checked });
        status.className = "ok";
        status.textContent = t("saved");
        onSaved();
        if (saved.language !== s.language) onLanguage(saved.language);
      } catch (e) {
        status.className = "bad";
        status.textContent = errorText(asError(e));
      }
    } }, t("save"))),
    status,
    h("section", { id: "trust-section", class: "profile" }),
    h("section", { id: "bridge-section", class: "profile" }),
    h("section", { id: "remote-accounts", class: "profile" }),
    h("section", { id: "profile-section", class: "profile" })));
  await Promise.all([
    renderTrust(main.querySelector<HTMLElement>("#trust-section")!),
    renderBridgeSettings(main.querySelector<HTMLElement>("#bridge-section")!),
    renderAccounts(main.querySelector<HTMLElement>("#remote-accounts")!),
    renderProfile(main.querySelector<HTMLElement>("#profile-section")!),
  ]);
}
