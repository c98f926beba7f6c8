// Tokens & certificates: drivers found, tokens, certificates and their expiry.
import { api, asError } from "./api";
import { clear, h } from "./dom";
import { errorText, t } from "./i18n";

export async function renderTokens(main: HTMLElement) {
  clear(main);
  const box = h("section", { id: "tokens-screen", class: "screen single" }, h("h1", {}, t("tokens_title")));
  main.append(box);
  try {
    const list = await api.listCertificates();
    box.append(h("h2", {}, t("drivers")));
    if (!list.modules.length) box.append(h("p", { class: "warn" }, t("no_drivers")));
    box.append(h("ul", { id: "module-list" }, ...list.modules.map((m) =>
      h("li", {}, m.path, " — ", m.error ? h("span", { class: "bad" }, errorText(m.error)) : t("tokens_n", { n: m.tokens })))));
    box.append(h("h2", {}, t("certificates")));
    box.append(h("table", { id: "token-certs" },
      h("tr", {}, h("th", {}, t("holder")), h("th", {}, t("org")), h("th", {}, t("issuer")), h("th", {}, t("expires")), h("th", {}, "")),
      ...list.certificates.map((c) => h("tr", { class: c.expired ? "bad" : c.expiring_soon ? "warn" : "" },
        h("td", {}, c.holder), h("td", {}, c.organization ?? "—"), h("td", {}, c.issuer), h("td", {}, c.not_after.slice(0, 10)),
        h("td", {}, c.expired ? t("expired") : c.expiring_soon ? t("expiring", { n: c.days_left }) : `${c.key_type} · ${c.token_label}`)))));
  } catch (e) {
    box.append(h("p", { class: "bad" }, errorText(asError(e))));
  }
  box.append(h("button", { onclick: () => void renderTokens(main) }, t("refresh")));
}
