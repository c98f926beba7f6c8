// Remote signing accounts (on the Settings screen): the saved ones with Remove, and a form to
// add one. Only connection settings: passwords and PINs are asked at each signing.
import { api, asError, type CscLogin, type Provider, type RemoteEntry, type RemoteKind } from "./api";
import { clear, h } from "./dom";
import { errorText, t, type Key } from "./i18n";
import { normalizeMsisdn, remoteLabel } from "./remote";

export const KINDS: RemoteKind[] = ["sim", "smartca", "mysign", "csc"];
const LOGINS: CscLogin[] = ["none", "basic", "client_credentials", "authorization_code"];

/** One input of the add form: its id (`remote-<field>`), label, whether it is required. */
interface Field { field: string; label: Key; required: boolean; choices?: [string, Key | null][] }

/** The fields each kind asks for (after name, kind and service URL). */
export function fieldsOf(kind: RemoteKind): Field[] {
  switch (kind) {
    case "sim": return [
      { field: "msisdn", label: "remote_msisdn", required: true },
      { field: "ap_id", label: "remote_ap_id", required: true },
      { field: "mssp_id", label: "remote_mssp_id", required: true },
      { field: "signature_profile", label: "remote_profile", required: true },
      { field: "client_cert", label: "remote_client_cert", required: false },
      { field: "client_key", label: "remote_client_key", required: false },
      { field: "ca", label: "remote_ca", required: false },
      { field: "certificate", label: "remote_user_cert", required: false },
    ];
    case "smartca": return [
      { field: "sp_id", label: "remote_sp_id", required: true },
      { field: "user_id", label: "remote_user_id", required: true },
    ];
    case "mysign": return [
      { field: "client_id", label: "remote_client_id", required: true },
      { field: "profile_id", label: "remote_profile_id", required: true },
      { field: "user_id", label: "remote_user_id", required: true },
    ];
    case "csc": return [
      { field: "version", label: "remote_version", required: false, choices: [["", "remote_version_auto"], ["2", null], ["1", null]] },
      { field: "login", label: "remote_login", required: false, choices: LOGINS.map((l): [string, Key] => [l, `remote_login_${l}`]) },
      { field: "user", label: "remote_user", required: false },
      { field: "credential", label: "remote_credential", required: false },
    ];
  }
}

/** The provider settings from the form's values, or the label of the first missing field. */
export function providerFrom(kind: RemoteKind, values: Record<string, string>): Provider | { missing: Key } {
  const v = (f: string) => (values[f] ?? "").trim();
  const opt = (f: string) => v(f) || null;
  if (!v("url")) return { missing: "remote_url" };
  for (const f of fieldsOf(kind)) if (f.required && !v(f.field)) return { missing: f.label };
  const url = v("url");
  const tls = (fields: string[]) => Object.fromEntries(fields.filter((f) => v(f)).map((f) => [f, v(f)]));
  switch (kind) {
    case "sim": return {
      kind, url, msisdn: normalizeMsisdn(v("msisdn")), ap_id: v("ap_id"), mssp_id: v("mssp_id"), signature_profile: v("signature_profile"),
      certificate: opt("certificate"), tls: tls(["ca", "client_cert", "client_key"]),
    };
    case "smartca": return { kind, url, sp_id: v("sp_id"), user_id: v("user_id") };
    case "mysign": return { kind, url, client_id: v("client_id"), profile_id: v("profile_id"), user_id: v("user_id") };
    case "csc": return {
      kind, url, version: v("version") ? Number(v("version")) : null, login: (LOGINS as string[]).includes(v("login")) ? v("login") as CscLogin : "none",
      user: opt("user"), credential: opt("credential"),
    };
  }
}

export async function renderAccounts(section: HTMLElement) {
  clear(section);
  const status = h("p", { id: "remote-status", role: "status" });
  const say = (cls: string, text: string) => { status.className = cls; status.textContent = text; };
  const list = h("ul", { id: "remote-list" });
  section.append(h("h2", {}, t("remote_title")), h("p", { class: "muted" }, t("remote_hint")), list);

  const showList = (entries: RemoteEntry[]) => {
    clear(list);
    if (!entries.length) list.append(h("li", { class: "muted", id: "remote-none" }, t("remote_none")));
    for (const e of entries) {
      list.append(h("li", { class: "remote-account", "data-name": e.name },
        h("strong", {}, e.name), " — ", remoteLabel(e), " ",
        h("span", { class: "muted" }, e.provider.url), " ",
        h("button", { class: "link remote-remove", "aria-label": `${t("remote_remove")} ${e.name}`, onclick: async () => {
          try {
            await api.removeProvider(e.name);
            say("ok", t("remote_removed", { n: e.name }));
            await reload();
          } catch (err) {
            say("bad", errorText(asError(err)));
          }
        } }, t("remote_remove"))));
    }
  };
  const reload = async () => {
    try {
      showList(await api.listProviders());
    } catch (e) {
      say("bad", errorText(asError(e)));
    }
  };

  // The add form: name, kind, URL, then the kind's own fields.
  const name = h("input", { id: "remote-name", type: "text" }) as HTMLInputElement;
  const kind = h("select", { id: "remote-kind" },
    ...KINDS.map((k) => h("option", { value: k }, t(k === "sim" || k === "csc" ? `remote_kind_${k}_long` : `remote_kind_${k}`)))) as HTMLSelectElement;
  const url = h("input", { id: "remote-url", type: "text", placeholder: "https://" }) as HTMLInputElement;
  const own = h("div", { id: "remote-fields" });
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const showFields = () => {
    clear(own);
    inputs.clear();
    for (const f of fieldsOf(kind.value as RemoteKind)) {
      const id = `remote-${f.field.replace(/_/g, "-")}`;
      const el = f.choices
        ? h("select", { id }, ...f.choices.map(([value, label]) => h("option", { value }, label ? t(label) : value))) as HTMLSelectElement
        : h("input", { id, type: "text" }) as HTMLInputElement;
      inputs.set(f.field, el);
      own.append(h("label", { for: id }, t(f.label)), el);
    }
  };
  kind.addEventListener("change", showFields);
  showFields();
  const add = h("button", { id: "remote-add", class: "primary", type: "button", onclick: async () => {
    const values: Record<string, string> = { url: url.value };
    for (const [f, el] of inputs) values[f] = el.value;
    const p = providerFrom(kind.value as RemoteKind, values);
    if ("missing" in p) {
      say("bad", t("remote_missing", { f: t(p.missing) }));
      return;
    }
    const n = name.value.trim();
    if (!n) {
      say("bad", t("remote_missing", { f: t("remote_name") }));
      return;
    }
    try {
      await api.saveProvider(n, p);
      say("ok", t("remote_saved", { n }));
      name.value = "";
      url.value = "";
      showFields();
      await reload();
    } catch (e) {
      say("bad", errorText(asError(e)));
    }
  } }, t("remote_add"));
  section.append(
    h("h3", {}, t("remote_add_title")),
    h("div", { id: "remote-form", class: "remote-form" },
      h("label", { for: "remote-name" }, t("remote_name")), name,
      h("label", { for: "remote-kind" }, t("remote_kind")), kind,
      h("label", { for: "remote-url" }, t("remote_url")), url,
      own,
      h("div", { class: "row" }, add)),
    status);
  await reload();
}
