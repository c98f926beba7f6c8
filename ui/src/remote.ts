// Remote signing (SIM-PKI, VNPT SmartCA, Viettel MySign, CSC): how an account is named in the
// certificate list, what is asked before signing, and the dialog shown while the official
// confirms on the phone. The dialog follows the `remote-progress` events; its countdown is
// kept locally between events. Secrets never pass through here.
import { listen } from "@tauri-apps/api/event";
import { api, type RemoteEntry, type RemoteKind, type RemoteProgress } from "./api";
import { h } from "./dom";
import { t } from "./i18n";

/** "2:05" for 125 seconds; never negative. */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds) ? seconds : 0));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The service's name: "SIM-PKI", "VNPT SmartCA", "Viettel MySign", "CSC". */
export const kindName = (k: RemoteKind) => t(`remote_kind_${k}`);

/** How an account is shown in the certificate list: "VNPT SmartCA · user", "SIM-PKI · 8490…". */
export function remoteLabel(e: Pick<RemoteEntry, "kind" | "detail">): string {
  const detail = e.detail?.trim();
  return detail ? `${kindName(e.kind)} · ${detail}` : kindName(e.kind);
}

/** The label of the account secret asked before signing, by kind. */
export const secretLabel = (k: RemoteKind) => t(`remote_secret_${k}`);

/** A phone number as the MSSP wants it (84…): spaces, dots and dashes dropped, a leading 0
 *  or +84 replaced. */
export function normalizeMsisdn(phone: string): string {
  let p = phone.replace(/[\s.\-()]/g, "");
  if (p.startsWith("+")) p = p.slice(1);
  if (p.startsWith("0")) p = "84" + p.slice(1);
  return p;
}

/** What the dialog shows for the latest event; `left` counts down locally between events. */
export interface DialogView { state: "idle" | "contacting" | "confirm" | "closed"; shown: string; code: string; left: number }

/** The next view after a `remote-progress` event. */
export function nextView(v: DialogView, p: RemoteProgress): DialogView {
  switch (p.state) {
    case "contacting": return { ...v, state: v.state === "confirm" ? "confirm" : "contacting" };
    case "confirm": return { state: "confirm", shown: p.shown ?? "", code: p.code ?? "", left: Math.max(0, p.seconds_left) };
    case "received": return { ...v, state: "closed" };
  }
  return v;
}

/** One second later. */
export const tick = (v: DialogView): DialogView => (v.state === "confirm" ? { ...v, left: Math.max(0, v.left - 1) } : v);

/** The modal shown during a remote signing. `start` before calling sign_documents (it awaits
 *  the event listener), `stop` when the call returns. */
export class RemoteDialog {
  private view: DialogView = { state: "idle", shown: "", code: "", left: 0 };
  private timer: number | undefined;
  private unlisten: (() => void) | null = null;
  private dlg: HTMLDialogElement;

  constructor() {
    this.dlg = RemoteDialog.element();
  }

  /** The dialog element (made once, outside the redrawn screen). */
  static element(): HTMLDialogElement {
    const old = document.getElementById("remote-dialog") as HTMLDialogElement | null;
    if (old) return old;
    const dlg = h("dialog", { id: "remote-dialog", "aria-labelledby": "remote-title", "aria-live": "polite", tabindex: "-1" },
      h("h2", { id: "remote-title" }),
      h("p", { id: "remote-hint", class: "muted" }),
      h("div", { id: "remote-details" },
        h("div", { class: "remote-label" }, ""),
        h("p", { id: "remote-shown" }),
        h("div", { class: "remote-label" }, ""),
        h("p", { id: "remote-code" })),
      h("p", { id: "remote-countdown", role: "timer" }),
      h("div", { class: "actions" }, h("button", { type: "button", id: "remote-cancel" }))) as HTMLDialogElement;
    document.body.append(dlg);
    return dlg;
  }

  async start(): Promise<void> {
    this.view = { state: "contacting", shown: "", code: "", left: 0 };
    const cancel = this.dlg.querySelector<HTMLButtonElement>("#remote-cancel")!;
    cancel.onclick = () => this.cancel();
    // Escape means cancel too (the signing stops waiting at once).
    this.dlg.oncancel = (e) => { e.preventDefault(); this.cancel(); };
    this.unlisten = await listen<RemoteProgress>("remote-progress", (e) => this.update(e.payload));
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => { this.view = tick(this.view); this.draw(); }, 1000);
    this.draw();
  }

  /** Applies one progress event. */
  update(p: RemoteProgress) {
    this.view = nextView(this.view.state === "closed" ? { ...this.view, state: "idle" } : this.view, p);
    this.draw();
  }

  private cancel() {
    const b = this.dlg.querySelector<HTMLButtonElement>("#remote-cancel")!;
    b.disabled = true;
    void api.cancelSigning();
  }

  /** Closes the dialog and stops listening. */
  stop() {
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.unlisten?.();
    this.unlisten = null;
    this.view = { ...this.view, state: "closed" };
    this.draw();
  }

  private draw() {
    const v = this.view;
    const dlg = this.dlg;
    const q = (id: string) => dlg.querySelector<HTMLElement>(`#${id}`)!;
    if (v.state === "closed" || v.state === "idle") {
      if (dlg.open) dlg.close();
      dlg.dataset.state = v.state;
      return;
    }
    dlg.dataset.state = v.state;
    const confirm = v.state === "confirm";
    q("remote-title").textContent = confirm ? t("remote_confirm") : t("remote_contacting");
    q("remote-hint").textContent = confirm ? t("remote_confirm_hint") : "";
    const [shownLabel, codeLabel] = dlg.querySelectorAll<HTMLElement>("#remote-details .remote-label");
    shownLabel.textContent = t("remote_shown");
    codeLabel.textContent = t("remote_code");
    shownLabel.hidden = q("remote-shown").hidden = !confirm || !v.shown;
    codeLabel.hidden = q("remote-code").hidden = !confirm || !v.code;
    q("remote-shown").textContent = v.shown;
    q("remote-code").textContent = v.code;
    const countdown = q("remote-countdown");
    countdown.hidden = !confirm;
    countdown.textContent = confirm ? t("remote_left", { t: formatCountdown(v.left) }) : "";
    countdown.dataset.seconds = String(v.left);
    countdown.className = confirm && v.left <= 30 ? "warn" : "";
    const cancel = q("remote-cancel") as HTMLButtonElement;
    cancel.textContent = t("cancel");
    if (!dlg.open) {
      cancel.disabled = false;
      dlg.showModal();
      // Focus on the dialog, not on Cancel: a stray Enter must not cancel the signing.
      dlg.focus();
    }
  }
}
