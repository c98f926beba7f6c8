// Settings: driver paths, TSA URLs, trust anchors, language; the connection with
// document-management systems; remote signing accounts; the organisation profile.
// Drivers and trust anchors are files on this computer: they are added only through a file
// dialog run by the app (never typed here), and removed from the list with Remove.
import { api, asError, type PathList, type Settings } from "./api";
import { clear, h } from "./dom";
import { errorText, t, type Lang } from "./i18n";
import { renderProfile } from "./profile";
import { renderAccounts } from "./accounts";
import { renderBridgeSettings } from "./bridge-settings";
import { renderUpdateSection } from "./update";
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
  const status = h("p", { id: "settings-status", role: "status" });
  const say = (cls: string, text: string) => { status.className = cls; status.textContent = text; };
  /** A list of files (drivers or anchors) with Remove, and Add… (a native dialog). */
  const pathList = (which: PathList, id: string, paths: () => string[]) => {
    const list = h("ul", { id, class: "path-list" });
    const draw = () => {
      clear(list);
      if (!paths().length) list.append(h("li", { class: "muted" }, t("paths_none")));
      for (const p of paths()) {
        list.append(h("li", { "data-path": p }, h("code", {}, p), " ",
          h("button", { type: "button", class: "link path-remove", "aria-label": `${t("bridge_remove")} ${p}`, onclick: async () => {
            try {
              s = await api.removeSettingPath(which, p);
              draw();
              say("ok", t("saved"));
            } catch (e) {
              say("bad", errorText(asError(e)));
            }
          } }, t("bridge_remove"))));
      }
    };
    draw();
    const add = h("button", { type: "button", id: `${id}-add`, onclick: async () => {
      try {
        const saved = await api.addSettingPath(which);
        if (saved) {
          s = saved;
          draw();
          say("ok", t("saved"));
        }
      } catch (e) {
        say("bad", errorText(asError(e)));
      }
    } }, t("paths_add"));
    return h("div", { class: "path-field" }, list, add);
  };
  const modules = pathList("driver", "set-modules", () => s.module_paths);
  const tsa = h("textarea", { id: "set-tsa", rows: 2 }) as HTMLTextAreaElement;
  tsa.value = s.tsa_urls.join("\n");
  const anchors = pathList("trust_anchor", "set-anchors", () => s.trust_anchor_files);
  const intranet = h("textarea", { id: "set-intranet", rows: 2, placeholder: "ca.noibo.gov.vn" }) as HTMLTextAreaElement;
  intranet.value = (s.intranet_servers ?? []).join("\n");
  const lang = h("select", { id: "set-language" }, h("option", { value: "vi" }, "Tiếng Việt"), h("option", { value: "en" }, "English")) as HTMLSelectElement;
  lang.value = s.language;
  const offline = h("input", { id: "set-offline", type: "checkbox" }) as HTMLInputElement;
  offline.checked = s.offline;
  main.append(h("section", { id: "settings-screen", class: "screen single" },
    h("h1", {}, t("settings_title")),
    h("div", { class: "label", id: "set-modules-label" }, t("modules")), modules,
    h("label", { for: "set-tsa" }, t("tsa")), tsa,
    h("div", { class: "label", id: "set-anchors-label" }, t("anchors")), anchors,
    h("label", { for: "set-intranet" }, t("intranet")), intranet,
    h("p", { class: "muted" }, t("intranet_hint")),
    h("label", { for: "set-language" }, t("language")), lang,
    h("label", { for: "set-offline" }, offline, " ", t("offline")),
    h("div", { class: "row" }, h("button", { class: "primary", id: "save-settings", onclick: async () => {
      try {
        // The bridge's settings as they are now (a site may have been allowed meanwhile).
        const now = await api.getSettings();
        // Drivers and anchors as saved (only the dialogs change them).
        const saved = await api.saveSettings({ ...now, tsa_urls: lines(tsa.value), intranet_servers: lines(intranet.value), language: lang.value as Lang, offline: offline.checked });
        // The language switches at once (compared with the one before saving).
        const before = s.language;
        s = saved;
        say("ok", t("saved"));
        onSaved();
        if (saved.language !== before) onLanguage(saved.language);
      } catch (e) {
        say("bad", errorText(asError(e)));
      }
    } }, t("save"))),
    status,
    h("section", { id: "trust-section", class: "profile" }),
    h("section", { id: "bridge-section", class: "profile" }),
    h("section", { id: "remote-accounts", class: "profile" }),
    h("section", { id: "profile-section", class: "profile" }),
    h("section", { id: "update-section", class: "profile" })));
  await Promise.all([
    renderTrust(main.querySelector<HTMLElement>("#trust-section")!),
    renderBridgeSettings(main.querySelector<HTMLElement>("#bridge-section")!),
    renderAccounts(main.querySelector<HTMLElement>("#remote-accounts")!),
    renderProfile(main.querySelector<HTMLElement>("#profile-section")!),
    renderUpdateSection(main.querySelector<HTMLElement>("#update-section")!),
  ]);
}
