// The first-run welcome: shown once (the app records it), again only when asked from the
// System check. It runs the self-check, lists the certificates found and offers the two jobs.
import { api, type CertEntry } from "./api";
import { clear, h } from "./dom";
import { t } from "./i18n";
import { runSelfCheck, showOutcome } from "./selfcheck";

export type Job = "sign" | "check" | "system";

/** A certificate as the welcome lists it: holder, organisation, expiry. */
export function certLine(c: CertEntry): string {
  return [c.holder, c.organization, t("welcome_until", { d: c.not_after.slice(0, 10) })].filter(Boolean).join(" · ");
}

export async function renderWelcome(main: HTMLElement, go: (job: Job) => void) {
  clear(main);
  const status = h("p", { id: "welcome-status", role: "status" }, t("sys_running"));
  const checks = h("div", { id: "welcome-checks" }, status);
  const certs = h("div", { id: "welcome-certs" });
  const box = h("section", { id: "welcome-screen", class: "screen single" },
    h("h1", {}, t("welcome_title")),
    h("p", {}, t("welcome_intro")),
    // The two jobs first, in sight without scrolling; what was found below.
    h("h2", {}, t("welcome_jobs")),
    h("div", { class: "row jobs" },
      h("button", { id: "welcome-sign", type: "button", class: "primary job", onclick: () => go("sign") }, t("welcome_sign")),
      h("button", { id: "welcome-check", type: "button", class: "primary job", onclick: () => go("check") }, t("welcome_check"))),
    h("h2", {}, t("welcome_certs")),
    certs,
    h("h2", {}, t("welcome_checked")),
    checks,
    h("div", { class: "row" },
      h("button", { id: "welcome-system", type: "button", class: "link", onclick: () => go("system") }, t("welcome_system"))),
    h("p", { class: "muted" }, t("welcome_later")));
  main.append(box);
  // Recorded as soon as it is on screen: it never comes back by itself, even if closed now.
  void api.welcomeShown().catch(() => undefined);
  // One after the other: two first loads of a token driver at the same moment are more than
  // some drivers handle.
  const result = await runSelfCheck();
  const list = await api.listCertificates().catch(() => null);
  if (!main.contains(box)) return;
  showOutcome(result, status, checks);
  const found = list?.certificates ?? [];
  certs.append(found.length
    ? h("ul", { id: "welcome-cert-list" }, ...found.map((c) => h("li", { class: c.expired ? "bad" : c.expiring_soon ? "warn" : "", "data-id": c.cert_id }, certLine(c))))
    : h("p", { class: "warn", id: "welcome-no-certs" }, t("welcome_no_certs")));
}
