// Updates: the settings section and the start-up notice. The core checks everything (Kyso's
// release signature, a newer version, the installer's size and SHA-256); this screen only
// shows the offer and asks. Nothing is downloaded or installed before the user presses
// "Download and install", and the installer then shows its own window.
import { listen } from "@tauri-apps/api/event";
import { api, asError, type UpdateOffer } from "./api";
import { clear, h } from "./dom";
import { errorText, getLang, t } from "./i18n";

const mb = (n: number) => (n / (1 << 20)).toFixed(1);

/** The offer with its install button; `status` receives progress and the outcome. */
export function offerView(o: UpdateOffer, status: HTMLElement, onLater: () => void): HTMLElement {
  const notes = getLang() === "vi" ? o.notes.vi : o.notes.en;
  const install = h("button", { class: "primary", id: "update-install" }, t("update_install")) as HTMLButtonElement;
  const later = h("button", { id: "update-later", onclick: onLater }, t("update_later"));
  install.addEventListener("click", async () => {
    install.disabled = true;
    status.className = "";
    status.textContent = t("update_downloading", { p: 0 });
    const stop = await listen<{ received: number; total: number }>("update-progress", (e) => {
      status.textContent = t("update_downloading", { p: Math.floor((100 * e.payload.received) / Math.max(1, e.payload.total)) });
    });
    try {
      const r = await api.installUpdate(o.version);
      status.className = "ok";
      clear(status);
      if (r.state === "started") status.append(t("update_started"));
      else
        status.append(
          t("update_saved"), " ", h("code", { id: "update-command" }, r.command ?? ""), " ",
          h("button", { id: "update-show", onclick: () => void api.revealOutput(r.path) }, t("update_show")),
        );
    } catch (e) {
      status.className = "bad";
      status.textContent = errorText(asError(e));
      install.disabled = false;
    } finally {
      stop();
    }
  });
  return h("div", { id: "update-offer", class: "offer" },
    h("p", { id: "update-offer-title" }, t("update_available", { v: o.version, c: o.current })),
    h("p", {}, t("update_details", { d: o.released || "—", mb: mb(o.size) })),
    notes ? h("p", { id: "update-notes" }, notes) : null,
    h("div", { class: "row" }, install, later));
}

/** The "Updates" section of the settings screen. */
export async function renderUpdateSection(host: HTMLElement) {
  clear(host);
  let info;
  try {
    info = await api.updateInfo();
  } catch (e) {
    host.append(h("p", { class: "bad" }, errorText(asError(e))));
    return;
  }
  if (!info) return;
  const status = h("p", { id: "update-status", role: "status" });
  const offer = h("div", { id: "update-offer-host" });
  host.append(h("h2", {}, t("update_title")), h("p", { id: "update-version" }, t("update_version", { v: info.version })));
  if (!info.enabled) {
    host.append(h("p", { id: "update-off" }, t("update_off")));
    return;
  }
  const url = h("input", { id: "update-url", type: "url", placeholder: info.url }) as HTMLInputElement;
  const s = await api.getSettings();
  url.value = s.update_url ?? "";
  const check = h("button", { id: "update-check" }, t("update_check")) as HTMLButtonElement;
  check.addEventListener("click", async () => {
    check.disabled = true;
    clear(offer);
    status.className = "";
    status.textContent = t("update_checking");
    try {
      const now = await api.getSettings();
      if ((now.update_url ?? "") !== url.value.trim()) await api.saveSettings({ ...now, update_url: url.value.trim() });
      const r = await api.checkUpdate();
      if (r.state === "up_to_date") {
        status.className = "ok";
        status.textContent = t("update_none", { v: r.version });
      } else {
        status.textContent = "";
        offer.append(offerView(r, status, () => clear(offer)));
        offer.scrollIntoView?.({ block: "nearest" });
      }
    } catch (e) {
      status.className = "bad";
      status.textContent = errorText(asError(e));
    } finally {
      check.disabled = false;
    }
  });
  host.append(h("label", { for: "update-url" }, t("update_url")), url, h("div", { class: "row" }, check), offer, status);
}

/** At start-up: a quiet check; a notice only when a signed, newer version exists (errors
 *  stay silent here — the settings section shows them when the user asks). */
export async function noticeUpdate(onOpen: () => void) {
  try {
    const info = await api.updateInfo();
    if (!info?.enabled || !info.url) return;
    const r = await api.checkUpdate();
    if (r.state !== "available") return;
    // Its own place above the screen (the waiting list redraws #pending-host).
    let host = document.getElementById("update-host");
    if (!host) {
      const view = document.getElementById("view");
      if (!view) return;
      host = h("aside", { id: "update-host", "aria-live": "polite" });
      view.before(host);
    }
    if (document.getElementById("update-banner")) return;
    host.append(h("p", { id: "update-banner", class: "update-notice" }, t("update_banner", { v: r.version }), " ",
      h("button", { id: "update-banner-open", onclick: onOpen }, t("update_show"))));
  } catch {
    // Offline or refused: nothing to say unprompted.
  }
}
