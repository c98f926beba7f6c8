// Remote signing in the UI: labels, countdown, error messages, the add-account form's
// settings, and the Sign screen with a remote account (IPC and events mocked).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { RemoteEntry } from "../api";
import { errorText, setLang } from "../i18n";
import { formatCountdown, nextView, normalizeMsisdn, remoteLabel, tick, type DialogView } from "../remote";
import { fieldsOf, providerFrom } from "../accounts";

vi.mock("../preview", () => ({ renderPreview: vi.fn(), openPdf: vi.fn(), ANNOTATIONS_ON_CANVAS: 1 }));

const err = (code: string, detail = "") => ({ code, detail, pin: null });

afterEach(() => setLang("vi"));

describe("countdown", () => {
  it("shows minutes and seconds, never negative", () => {
    expect(formatCountdown(0)).toBe("0:00");
    expect(formatCountdown(5)).toBe("0:05");
    expect(formatCountdown(59)).toBe("0:59");
    expect(formatCountdown(60)).toBe("1:00");
    expect(formatCountdown(125)).toBe("2:05");
    expect(formatCountdown(179.9)).toBe("2:59");
    expect(formatCountdown(-3)).toBe("0:00");
    expect(formatCountdown(NaN)).toBe("0:00");
  });

  it("counts down locally between events and restarts from each event", () => {
    let v: DialogView = { state: "idle", shown: "", code: "", left: 0 };
    v = nextView(v, { state: "contacting", service: "https://sca.vnpt.vn" });
    expect(v.state).toBe("contacting");
    expect(tick(v)).toEqual(v); // nothing to count yet
    v = nextView(v, { state: "confirm", shown: "a.pdf", code: "TX42", seconds_left: 3 });
    expect(v).toEqual({ state: "confirm", shown: "a.pdf", code: "TX42", left: 3 });
    v = tick(tick(v));
    expect(v.left).toBe(1);
    v = tick(tick(v));
    expect(v.left).toBe(0);
    v = nextView(v, { state: "confirm", shown: "a.pdf", code: null, seconds_left: 170 });
    expect(v.left).toBe(170);
    expect(v.code).toBe("");
    expect(nextView(v, { state: "received" }).state).toBe("closed");
  });
});

describe("account labels", () => {
  it("names the service and who", () => {
    expect(remoteLabel({ kind: "sim", detail: "84901234567" })).toBe("SIM-PKI · 84901234567");
    expect(remoteLabel({ kind: "smartca", detail: "user" })).toBe("VNPT SmartCA · user");
    expect(remoteLabel({ kind: "mysign", detail: "" })).toBe("Viettel MySign");
    expect(remoteLabel({ kind: "csc", detail: "cred-ok" })).toBe("CSC · cred-ok");
  });

  it("writes phone numbers the way the MSSP wants them", () => {
    expect(normalizeMsisdn("0901 234.567")).toBe("84901234567");
    expect(normalizeMsisdn("+84 90-123-4567")).toBe("84901234567");
    expect(normalizeMsisdn("84901234567")).toBe("84901234567");
  });
});

describe("remote signing errors", () => {
  it("says what happened in Vietnamese, then in English", () => {
    setLang("vi");
    expect(errorText(err("REMOTE_REFUSED"))).toContain("bị từ chối trên điện thoại");
    expect(errorText(err("REMOTE_EXPIRED"))).toContain("hết hạn");
    const down = errorText(err("REMOTE_UNREACHABLE", "connection refused"));
    expect(down).toContain("cần có mạng");
    expect(down).toContain("USB token");
    expect(errorText(err("REMOTE_ERROR", "SmartCA 401: INVALID_SP"))).toBe("Dịch vụ ký số từ xa báo lỗi: SmartCA 401: INVALID_SP");
    expect(errorText(err("CANCELLED"))).toContain("Đã huỷ");
    setLang("en");
    expect(errorText(err("REMOTE_REFUSED"))).toContain("refused on the phone");
    expect(errorText(err("REMOTE_EXPIRED"))).toContain("not confirmed on the phone in time");
    expect(errorText(err("REMOTE_UNREACHABLE"))).toContain("need the network");
    expect(errorText(err("REMOTE_ERROR", "boom"))).toBe("The remote signing service answered with an error: boom");
    expect(errorText(err("CANCELLED"))).toContain("cancelled");
  });
});

describe("add-account form", () => {
  it("builds the provider settings of each kind, without secrets", () => {
    expect(providerFrom("smartca", { url: " http://h/smartca ", sp_id: "kyso-sp", user_id: "slow" }))
      .toEqual({ kind: "smartca", url: "http://h/smartca", sp_id: "kyso-sp", user_id: "slow" });
    expect(providerFrom("sim", { url: "https://mssp", msisdn: "0900000001", ap_id: "http://ap", mssp_id: "http://mssp", signature_profile: "http://p", client_cert: "/a.pem", client_key: "/a.key", ca: "" }))
      .toEqual({ kind: "sim", url: "https://mssp", msisdn: "84900000001", ap_id: "http://ap", mssp_id: "http://mssp", signature_profile: "http://p", certificate: null, tls: { client_cert: "/a.pem", client_key: "/a.key" } });
    expect(providerFrom("mysign", { url: "u", client_id: "c", profile_id: "p", user_id: "x" }))
      .toEqual({ kind: "mysign", url: "u", client_id: "c", profile_id: "p", user_id: "x" });
    expect(providerFrom("csc", { url: "u", version: "2", login: "basic", user: "an", credential: "" }))
      .toEqual({ kind: "csc", url: "u", version: 2, login: "basic", user: "an", credential: null });
    expect(providerFrom("csc", { url: "u", version: "", login: "bogus" })).toMatchObject({ version: null, login: "none" });
    expect(providerFrom("smartca", { url: "u", sp_id: "", user_id: "x" })).toEqual({ missing: "remote_sp_id" });
    expect(providerFrom("mysign", { url: "" })).toEqual({ missing: "remote_url" });
    for (const k of ["sim", "smartca", "mysign", "csc"] as const) {
      expect(fieldsOf(k).map((f) => f.field).join()).not.toMatch(/secret|password|pin/);
    }
  });
});

function entry(over: Partial<RemoteEntry> = {}): RemoteEntry {
  return { key: "remote:vnpt", name: "vnpt", kind: "smartca", detail: "slow", asks_secret: true, asks_pin: false,
    provider: { kind: "smartca", url: "http://h/smartca", sp_id: "kyso-sp", user_id: "slow" }, ...over };
}

describe("signing with a remote account", () => {
  let calls: { cmd: string; args: unknown }[] = [];
  let finish: (v: unknown) => void = () => {};
  beforeEach(() => {
    clearMocks();
    document.body.innerHTML = `<main id="view"></main>
      <dialog id="pin-dialog"><form id="pin-form"><h2 id="pin-title"></h2><p id="pin-token"></p><p id="pin-warning" hidden></p>
      <label id="pin-label"></label><input id="pin-input" type="password">
      <label id="pin-remember-row" hidden><input id="pin-remember" type="checkbox"> <span id="pin-remember-label"></span></label>
      <p id="pin-error" hidden></p>
      <button type="button" id="pin-cancel"></button><button type="submit" id="pin-ok"></button></form></dialog>`;
    const proto = HTMLDialogElement.prototype as unknown as { showModal?: () => void; close?: () => void };
    proto.showModal = function (this: HTMLDialogElement) { this.setAttribute("open", ""); };
    proto.close = function (this: HTMLDialogElement) { this.removeAttribute("open"); };
    calls = [];
  });

  function setup(remote: RemoteEntry[]) {
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "list_certificates") return { modules: [], certificates: [], remote };
      if (cmd === "get_settings") return { module_paths: [], tsa_urls: [], trust_anchor_files: [], language: "vi", offline: true };
      if (cmd === "pick_files") return ["/docs/Quyet dinh.pdf"];
      if (cmd === "sign_documents") return new Promise((r) => { finish = r; });
      return null;
    }, { shouldMockEvents: true });
  }

  async function startSigning(remote: RemoteEntry[], label: string) {
    setup(remote);
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    const card = document.querySelector<HTMLButtonElement>('#cert-list .cert[data-remote="vnpt"]')!;
    expect(card.textContent).toContain(label);
    expect(document.getElementById("cert-error")).toBeNull();
    (document.getElementById("pick-files") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#file-list li")).toHaveLength(1));
    card.click();
    expect(document.querySelector('#cert-list .cert.selected[data-remote="vnpt"]')).not.toBeNull();
    (document.getElementById("sign-btn") as HTMLButtonElement).click();
  }

  const submit = async (value: string) => {
    await vi.waitFor(() => expect(document.getElementById("pin-dialog")!.hasAttribute("open")).toBe(true));
    const input = document.getElementById("pin-input") as HTMLInputElement;
    expect(input.value).toBe("");
    input.value = value;
    document.getElementById("pin-form")!.dispatchEvent(new Event("submit", { cancelable: true }));
  };

  it("asks the account secret once, shows the code and a live countdown, cancels, and forgets the secret", async () => {
    await startSigning([entry()], "VNPT SmartCA · slow · Ký từ xa: xác nhận trên điện thoại");
    await vi.waitFor(() => expect(document.getElementById("pin-label")!.textContent).toBe("Mật khẩu dịch vụ do VNPT SmartCA cấp"));
    await submit("sp-secret");
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_documents")).toBe(true));
    const request = (calls.find((c) => c.cmd === "sign_documents")!.args as { request: Record<string, unknown> }).request;
    expect(request).toMatchObject({ certificate: "remote:vnpt", secret: "sp-secret", pin: null, p12: null });
    expect((document.getElementById("pin-input") as HTMLInputElement).value).toBe("");
    const dlg = document.getElementById("remote-dialog") as HTMLDialogElement;
    expect(dlg.hasAttribute("open")).toBe(true);
    expect(dlg.textContent).toContain("Đang kết nối");
    const { emit } = await import("@tauri-apps/api/event");
    await emit("remote-progress", { state: "confirm", shown: "Quyet dinh.pdf", code: "TX-7731", seconds_left: 3 });
    await vi.waitFor(() => expect(document.getElementById("remote-code")!.textContent).toBe("TX-7731"));
    expect(document.getElementById("remote-shown")!.textContent).toBe("Quyet dinh.pdf");
    expect(dlg.textContent).toContain("Hãy xác nhận trên điện thoại");
    expect(document.getElementById("remote-countdown")!.textContent).toBe("Còn 0:03 để xác nhận");
    // Decremented locally each second.
    await vi.waitFor(() => expect(document.getElementById("remote-countdown")!.textContent).toBe("Còn 0:02 để xác nhận"), { timeout: 2000 });
    (document.getElementById("remote-cancel") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "cancel_signing")).toBe(true));
    finish([{ file: "/docs/Quyet dinh.pdf", output: null, status: "failed", error: err("CANCELLED", "cancelled"), level: null, pending: null }]);
    await vi.waitFor(() => expect(dlg.hasAttribute("open")).toBe(false));
    expect(document.querySelector('#results .result[data-status="failed"]')!.textContent).toContain("Đã huỷ ký");
    expect(calls.filter((c) => c.cmd === "sign_documents")).toHaveLength(1);
  });

  it("closes on received, and shows a refusal as the bilingual message", async () => {
    await startSigning([entry()], "VNPT SmartCA · slow · Ký từ xa: xác nhận trên điện thoại");
    await submit("sp-secret");
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_documents")).toBe(true));
    const dlg = document.getElementById("remote-dialog") as HTMLDialogElement;
    const { emit } = await import("@tauri-apps/api/event");
    await emit("remote-progress", { state: "confirm", shown: "Quyet dinh.pdf", code: "X1", seconds_left: 120 });
    await vi.waitFor(() => expect(dlg.hasAttribute("open")).toBe(true));
    await emit("remote-progress", { state: "received" });
    await vi.waitFor(() => expect(dlg.hasAttribute("open")).toBe(false));
    finish([{ file: "/docs/Quyet dinh.pdf", output: null, status: "failed", error: err("REMOTE_REFUSED", "refused"), level: null, pending: null }]);
    await vi.waitFor(() => expect(document.querySelector('#results .result[data-status="failed"]')?.textContent).toContain("bị từ chối trên điện thoại"));
  });

  it("offers to remember the account secret, and does not ask for one already remembered", async () => {
    await startSigning([entry()], "VNPT SmartCA · slow · Ký từ xa: xác nhận trên điện thoại");
    await vi.waitFor(() => expect(document.getElementById("pin-remember-row")!.hidden).toBe(false));
    (document.getElementById("pin-remember") as HTMLInputElement).checked = true;
    await submit("sp-secret");
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_documents")).toBe(true));
    let request = (calls.find((c) => c.cmd === "sign_documents")!.args as { request: Record<string, unknown> }).request;
    expect(request).toMatchObject({ secret: "sp-secret", remember_secret: true });
    finish([{ file: "/docs/Quyet dinh.pdf", output: "/docs/Quyet dinh-signed.pdf", status: "signed", error: null, level: "B-B", pending: null }]);

    document.getElementById("view")!.innerHTML = "";
    calls = [];
    await startSigning([entry({ secret_saved: true })], "VNPT SmartCA · slow · Ký từ xa: xác nhận trên điện thoại");
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_documents")).toBe(true));
    expect(document.getElementById("pin-dialog")!.hasAttribute("open")).toBe(false);
    request = (calls.find((c) => c.cmd === "sign_documents")!.args as { request: Record<string, unknown> }).request;
    expect(request).toMatchObject({ secret: null, remember_secret: false });
    finish([]);
  });

  it("asks the account secret and then the credential PIN for CSC", async () => {
    await startSigning([entry({ kind: "csc", detail: "cred-ok", asks_pin: true, provider: { kind: "csc", url: "http://h", login: "basic", user: "an" } })], "CSC · cred-ok · Ký từ xa: cần mã PIN của chứng thư");
    await vi.waitFor(() => expect(document.getElementById("pin-label")!.textContent).toBe("Mật khẩu đăng nhập dịch vụ ký số"));
    await submit("secret-pass");
    await vi.waitFor(() => expect(document.getElementById("pin-title")!.textContent).toBe("Nhập mã PIN của chứng thư ký từ xa"));
    await submit("123456");
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_documents")).toBe(true));
    const request = (calls.find((c) => c.cmd === "sign_documents")!.args as { request: Record<string, unknown> }).request;
    expect(request).toMatchObject({ certificate: "remote:vnpt", secret: "secret-pass", pin: "123456" });
    finish([{ file: "/docs/Quyet dinh.pdf", output: "/docs/Quyet dinh-signed.pdf", status: "signed", error: null, level: "B-B", pending: null }]);
    await vi.waitFor(() => expect(document.querySelector('#results .result[data-status="signed"]')).not.toBeNull());
    expect(document.getElementById("remote-dialog")!.hasAttribute("open")).toBe(false);
  });
});

describe("remote accounts in Settings", () => {
  it("lists saved accounts, adds one from the form and removes one", async () => {
    clearMocks();
    document.body.innerHTML = `<section id="s"></section>`;
    let saved: Record<string, RemoteEntry> = { vnpt: entry() };
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "list_providers") return Object.values(saved);
      if (cmd === "save_provider") {
        const { name, provider } = args as { name: string; provider: RemoteEntry["provider"] };
        saved = { ...saved, [name]: entry({ key: `remote:${name}`, name, kind: provider.kind, detail: "84900000001", provider }) };
        return null;
      }
      if (cmd === "remove_provider") {
        const { [(args as { name: string }).name]: _gone, ...rest } = saved;
        saved = rest;
        return null;
      }
      return null;
    });
    const { renderAccounts } = await import("../accounts");
    await renderAccounts(document.getElementById("s")!);
    const names = () => [...document.querySelectorAll<HTMLElement>("#remote-list li.remote-account")].map((li) => li.dataset.name);
    expect(names()).toEqual(["vnpt"]);
    expect(document.querySelector("#remote-list li")!.textContent).toContain("VNPT SmartCA · slow");
    const set = (id: string, v: string) => {
      const el = document.getElementById(id) as HTMLInputElement | HTMLSelectElement;
      el.value = v;
      el.dispatchEvent(new Event("change"));
    };
    set("remote-kind", "sim");
    expect(document.getElementById("remote-msisdn")).not.toBeNull();
    expect(document.getElementById("remote-sp-id")).toBeNull();
    set("remote-name", "SIM của tôi");
    set("remote-url", "https://mssp.example");
    set("remote-msisdn", "0900000001");
    (document.getElementById("remote-add") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.getElementById("remote-status")!.textContent).toBe("Cần nhập: Mã ứng dụng (AP_ID)"));
    set("remote-ap-id", "http://kyso.test/ap");
    set("remote-mssp-id", "http://kyso.test/mssp");
    set("remote-signature-profile", "http://kyso.test/profile/sign");
    (document.getElementById("remote-add") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(names()).toEqual(["vnpt", "SIM của tôi"]));
    expect(calls.find((c) => c.cmd === "save_provider")!.args).toEqual({ name: "SIM của tôi", provider: {
      kind: "sim", url: "https://mssp.example", msisdn: "84900000001", ap_id: "http://kyso.test/ap", mssp_id: "http://kyso.test/mssp",
      signature_profile: "http://kyso.test/profile/sign", certificate: null, tls: {} } });
    expect(document.getElementById("remote-status")!.textContent).toBe("Đã lưu tài khoản “SIM của tôi”.");
    (document.querySelector('#remote-list li[data-name="vnpt"] .remote-remove') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(names()).toEqual(["SIM của tôi"]));
    expect(calls.filter((c) => c.cmd === "remove_provider").map((c) => c.args)).toEqual([{ name: "vnpt" }]);
  });
});
