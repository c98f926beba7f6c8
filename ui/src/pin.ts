// The PIN dialog: a native <dialog>, empty every time, closed with Escape; it returns the
// typed secret once and clears the field. Nothing here stores or logs the value.
import { t } from "./i18n";

export interface SecretPrompt {
  title: string; label: string; token: string; warning: string;
  /** Offer "remember in the system keyring" (remote-account secrets only, never PINs). */
  offerRemember?: boolean;
}

let remembered = false;

/** Whether the user ticked "remember" in the last dialog that offered it. */
export function rememberChosen(): boolean {
  return remembered;
}

export function askSecret(p: SecretPrompt): Promise<string | null> {
  const dlg = document.getElementById("pin-dialog") as HTMLDialogElement;
  const input = document.getElementById("pin-input") as HTMLInputElement;
  const form = document.getElementById("pin-form") as HTMLFormElement;
  const cancel = document.getElementById("pin-cancel") as HTMLButtonElement;
  document.getElementById("pin-title")!.textContent = p.title;
  document.getElementById("pin-label")!.textContent = p.label;
  document.getElementById("pin-token")!.textContent = p.token;
  const warn = document.getElementById("pin-warning")!;
  warn.textContent = p.warning;
  warn.hidden = !p.warning;
  document.getElementById("pin-error")!.hidden = true;
  (document.getElementById("pin-ok") as HTMLButtonElement).textContent = t("ok");
  cancel.textContent = t("cancel");
  input.value = "";
  const row = document.getElementById("pin-remember-row");
  const box = document.getElementById("pin-remember") as HTMLInputElement | null;
  if (row && box) {
    row.hidden = !p.offerRemember;
    box.checked = false;
    document.getElementById("pin-remember-label")!.textContent = t("remember_secret");
  }
  remembered = false;
  return new Promise((resolve) => {
    const done = (v: string | null) => {
      form.removeEventListener("submit", onSubmit);
      cancel.removeEventListener("click", onCancel);
      dlg.removeEventListener("cancel", onCancel);
      input.value = "";
      if (dlg.open) dlg.close();
      resolve(v);
    };
    const onSubmit = (e: Event) => {
      e.preventDefault();
      if (!input.value) return;
      remembered = !!(p.offerRemember && box?.checked);
      done(input.value);
    };
    const onCancel = (e: Event) => { e.preventDefault(); done(null); };
    form.addEventListener("submit", onSubmit);
    cancel.addEventListener("click", onCancel);
    dlg.addEventListener("cancel", onCancel);
    dlg.showModal();
    input.focus();
  });
}
