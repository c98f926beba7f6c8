// The local signing bridge in the window: the helpers, the site's question, the signing
// request dialog (site, action, documents, certificate, PIN), the remote confirmation while
// the bridge signs, and the Settings section — IPC and events mocked.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { BridgeStatus, CertEntry, CertList, RemoteEntry, Settings } from "../api";
import { errorText, setLang } from "../i18n";
import { answerOf, choicesFrom, declineOf, documentName, installBridge, needsOf, parsePort, siteOf, sizeText, statusLine } from "../bridge";

const pin = { count_low: false, final_try: false, locked: false, to_be_changed: false };
function cert(over: Partial<CertEntry> = {}): CertEntry {
  return {
    key: "/usr/lib/softhsm/libsofthsm2.so\nserial\n01", module: "m", token_label: "Kyso Test", token_serial: "serial", cert_id: "01",
    holder: "Nguyễn Văn An", organization: "UBND tỉnh Bắc Giang", title: "Chủ tịch", uid: null, issuer: "Kyso Test CA",
    not_after: "2030-01-01T00:00:00Z", days_left: 1000, expired: false, expiring_soon: false, pin, protected_authentication_path: false,
    key_type: "RSA-3072", ...over,
  };
}
function account(over: Partial<RemoteEntry> = {}): RemoteEntry {
  return { key: "remote:vnpt", name: "vnpt", kind: "smartca", detail: "slow", asks_secret: true, asks_pin: false,
    provider: { kind: "smartca", url: "http://h/smartca", sp_id: "kyso-sp", user_id: "slow" }, ...over };
}
const settings = (over: Partial<Settings> = {}): Settings => ({
  module_paths: [], tsa_urls: [], trust_anchor_files: ["/pki/root.pem"], language: "vi", offline: true,
  bridge_enabled: false, bridge_port: 8987, bridge_origins: [], bridge_hosts: [], ...over,
});
const SITE = "http://127.0.0.1:8000";
const SHA = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";
const doc = (address: string, over: Record<string, unknown> = {}) => ({
  name: address.split("/").pop(), address, size: 48_213, sha256: SHA, sha256_prefix: "1a2b 3c4d 5e6f 7a8b", pdf: true, ...over,
});
const request = (over: Record<string, unknown> = {}) => ({
  id: 7, action: "SignPdf", action_text: "Ký số tệp PDF / PDF signature", origin: SITE,
  documents: [doc(`${SITE}/docs/cong-van%2001.pdf`), doc(`${SITE}/docs/phu-luc.pdf?v=2`, { size: 3 << 20, sha256_prefix: "ffff 0000 1111 2222", pdf: false })],
  document_number: "15/QĐ-UBND", ...over,
});

afterEach(() => setLang("vi"));

describe("bridge helpers", () => {
  it("shows the site and each document's name", () => {
    expect(siteOf("http://127.0.0.1:8000")).toBe("http://127.0.0.1:8000");
    expect(siteOf("https://qlvb.bacgiang.gov.vn:443/")).toBe("https://qlvb.bacgiang.gov.vn");
    expect(siteOf("null")).toBe("null");
    expect(documentName(`${SITE}/docs/cong-van%2001.pdf`)).toBe("cong-van 01.pdf");
    expect(documentName(`${SITE}/docs/phu-luc.pdf?v=2#p1`)).toBe("phu-luc.pdf");
    expect(documentName(`${SITE}/`)).toBe(`${SITE}/`);
    expect(documentName(`${SITE}/docs/bad%E0.pdf`)).toBe("bad%E0.pdf");
    expect([sizeText(900), sizeText(48_213), sizeText(3 << 20)]).toEqual(["900 B", "47 KB", "3.0 MB"]);
  });

  it("offers the Sign screen's certificates without expired ones or .p12, and asks what each needs", () => {
    const list: CertList = { modules: [], certificates: [cert(), cert({ key: "k2", cert_id: "02", holder: "Lê Hết Hạn", expired: true }),
      cert({ key: "k3", cert_id: "03", holder: "Trần PIN Pad", protected_authentication_path: true })],
      remote: [account(), account({ key: "remote:csc", name: "csc", kind: "csc", detail: "cred", asks_pin: true })] };
    const c = choicesFrom(list);
    expect(c.map((x) => x.key)).toEqual([list.certificates[0].key, "k3", "remote:vnpt", "remote:csc"]);
    expect(c[0].label).toBe("Nguyễn Văn An — Chủ tịch · UBND tỉnh Bắc Giang (Kyso Test, hết hạn 2030-01-01)");
    expect(c[2].label).toBe("vnpt — VNPT SmartCA · slow");
    expect(c.map(needsOf)).toEqual([{ pin: true, secret: false }, { pin: false, secret: false }, { pin: false, secret: true }, { pin: true, secret: true }]);
    expect(needsOf(null)).toEqual({ pin: false, secret: false });
    expect(answerOf(3, null, "", "")).toEqual({ missing: "bridge_need_cert" });
    expect(answerOf(3, c[0], "", "")).toEqual({ missing: "pin_title" });
    expect(answerOf(3, c[0], "123456", "leftover")).toEqual({ id: 3, accept: true, certificate: c[0].key, p12: null, pin: "123456", secret: null });
    expect(answerOf(3, c[1], "typed", "")).toEqual({ id: 3, accept: true, certificate: "k3", p12: null, pin: null, secret: null });
    expect(answerOf(3, c[2], "", "")).toEqual({ missing: "remote_secret_title" });
    expect(answerOf(3, c[2], "", "sp")).toMatchObject({ certificate: "remote:vnpt", pin: null, secret: "sp" });
    expect(answerOf(3, c[3], "", "sp")).toEqual({ missing: "remote_pin_title" });
    expect(declineOf(3)).toEqual({ id: 3, accept: false, certificate: null, p12: null, pin: null, secret: null });
  });

  it("says whether it listens, in words", () => {
    const st = (over: Partial<BridgeStatus>): BridgeStatus => ({ listening: false, port: 8987, error: null, ca_path: null, ...over });
    expect(statusLine(st({}), false)).toEqual({ cls: "muted", text: "Đang tắt: trang web không gửi được yêu cầu ký." });
    expect(statusLine(st({ listening: true, port: 9123 }), true)).toEqual({ cls: "ok", text: "Đang nhận yêu cầu tại 127.0.0.1:9123" });
    const busy = statusLine(st({ error: { code: "BRIDGE_PORT", detail: "127.0.0.1:8987: Address in use" } }), true);
    expect(busy.cls).toBe("bad");
    expect(busy.text).toContain("Không mở được cổng 8987.");
    expect(busy.text).toContain("VGCA Sign Service");
    setLang("en");
    expect(statusLine(st({ listening: true }), true).text).toBe("Listening on 127.0.0.1:8987");
    expect(errorText({ code: "BRIDGE_EXPIRED", detail: "", pin: null })).toContain("waited too long");
    setLang("vi");
    expect(errorText({ code: "BRIDGE_EXPIRED", detail: "", pin: null })).toContain("hết thời gian chờ");
  });

  it("accepts ports 1024–65535 only", () => {
    expect(parsePort(" 8987 ")).toBe(8987);
    for (const bad of ["", "80", "65536", "8a", "-1", "1e4", "123456"]) expect(parsePort(bad)).toBeNull();
  });
});

describe("bridge dialogs", () => {
  let calls: { cmd: string; args: Record<string, unknown> }[] = [];
  let stop: () => void = () => {};
  let answerError: unknown = null;

  beforeEach(async () => {
    clearMocks();
    document.body.innerHTML = `<main id="view"></main>`;
    const proto = HTMLDialogElement.prototype as unknown as { showModal?: () => void; close?: () => void };
    proto.showModal = function (this: HTMLDialogElement) { this.setAttribute("open", ""); };
    proto.close = function (this: HTMLDialogElement) { this.removeAttribute("open"); };
    calls = [];
    answerError = null;
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "list_certificates") return { modules: [], certificates: [cert(), cert({ key: "k2", cert_id: "02", holder: "Trần Thị Bình" })], remote: [account()] };
      if (cmd === "bridge_answer" && answerError) throw answerError;
      // Not a PDF pdf.js can draw: the dialog says there is no picture.
      if (cmd === "bridge_document") return new TextEncoder().encode("%PDF-1.7 not really").buffer;
      return null;
    }, { shouldMockEvents: true });
    stop = await installBridge();
  });
  afterEach(() => stop());

  const open = (id: string) => document.getElementById(id)!.hasAttribute("open");
  const sent = (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  const emitEvent = async (name: string, payload: unknown) => (await import("@tauri-apps/api/event")).emit(name, payload);
  async function showRequest(over: Record<string, unknown> = {}) {
    await emitEvent("bridge-request", request(over));
    await vi.waitFor(() => expect(open("bridge-dialog")).toBe(true));
    await vi.waitFor(() => expect(document.querySelectorAll("#bridge-cert option")).toHaveLength(4));
  }
  const choose = (css: string) => {
    const select = document.getElementById("bridge-cert") as HTMLSelectElement;
    select.value = document.querySelector<HTMLOptionElement>(`#bridge-cert ${css}`)!.value;
    select.dispatchEvent(new Event("change"));
  };

  it("asks about a new site, and answers allow, no, and Escape", async () => {
    await emitEvent("bridge-origin", { id: 1, origin: SITE });
    await vi.waitFor(() => expect(open("bridge-origin-dialog")).toBe(true));
    expect(document.getElementById("bridge-origin-text")!.textContent).toBe(`Trang ${SITE} muốn dùng Kyso để ký văn bản. Cho phép?`);
    expect(document.querySelector("#bridge-origin-text strong")!.textContent).toBe(SITE);
    expect(document.getElementById("bridge-origin-allow")!.textContent).toBe("Cho phép");
    expect(document.getElementById("bridge-origin-deny")!.textContent).toBe("Không");
    // A second question waits for the first.
    await emitEvent("bridge-origin", { id: 2, origin: "https://evil.example" });
    (document.getElementById("bridge-origin-allow") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(sent("bridge_origin_answer")).toEqual([{ id: 1, allow: true }]));
    await vi.waitFor(() => expect(document.getElementById("bridge-origin-text")!.textContent).toContain("https://evil.example"));
    expect(open("bridge-origin-dialog")).toBe(true);
    (document.getElementById("bridge-origin-deny") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(sent("bridge_origin_answer")).toEqual([{ id: 1, allow: true }, { id: 2, allow: false }]));
    expect(open("bridge-origin-dialog")).toBe(false);
    await emitEvent("bridge-origin", { id: 3, origin: SITE });
    await vi.waitFor(() => expect(open("bridge-origin-dialog")).toBe(true));
    document.getElementById("bridge-origin-dialog")!.dispatchEvent(new Event("cancel", { cancelable: true }));
    await vi.waitFor(() => expect(sent("bridge_origin_answer").slice(-1)).toEqual([{ id: 3, allow: false }]));
    expect(open("bridge-origin-dialog")).toBe(false);
  });

  it("shows the site, action and documents; signs with the chosen certificate and PIN, then forgets the PIN", async () => {
    await showRequest();
    expect(document.getElementById("bridge-site")!.textContent).toBe(SITE);
    expect(document.getElementById("bridge-action")!.textContent).toBe("Ký số tệp PDF / PDF signature");
    expect(document.getElementById("bridge-number")!.textContent).toBe("Số, ký hiệu văn bản: 15/QĐ-UBND");
    const docs = [...document.querySelectorAll("#bridge-documents li")];
    expect(docs.map((li) => li.querySelector("strong")!.textContent)).toEqual(["cong-van 01.pdf", "phu-luc.pdf"]);
    expect(docs[0].textContent).toContain(`${SITE}/docs/cong-van%2001.pdf`);
    // Each document's size and the start of its SHA-256, as Kyso computed them.
    expect(docs.map((li) => li.querySelector(".bridge-digest")!.textContent)).toEqual([
      "47 KB · SHA-256 bắt đầu bằng 1a2b 3c4d 5e6f 7a8b", "3.0 MB · SHA-256 bắt đầu bằng ffff 0000 1111 2222"]);
    expect((docs[0] as HTMLElement).dataset.sha256).toBe(SHA);
    // The first page is read from the bytes Kyso fetched for this request (PDFs only).
    await vi.waitFor(() => expect(sent("bridge_document")).toEqual([{ id: 7, index: 0 }]));
    await vi.waitFor(() => expect(docs[0].querySelector<HTMLElement>(".bridge-thumb")!.dataset.state).toBe("none"));
    expect(docs[1].querySelector<HTMLElement>(".bridge-thumb")!.dataset.state).toBe("none");
    expect(document.getElementById("bridge-documents-label")!.textContent).toBe("Văn bản (2)");
    // Two certificates and an account: nothing chosen for the user.
    expect((document.getElementById("bridge-cert") as HTMLSelectElement).value).toBe("");
    expect(document.querySelector('#bridge-cert option[data-remote="vnpt"]')!.textContent).toBe("vnpt — VNPT SmartCA · slow");
    (document.getElementById("bridge-sign") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.getElementById("bridge-error")!.hidden).toBe(false));
    expect(document.getElementById("bridge-error")!.textContent).toBe("Hãy chọn chứng thư số.");
    choose('option[data-id="01"]');
    expect(document.getElementById("bridge-pin-row")!.hidden).toBe(false);
    expect(document.getElementById("bridge-secret-row")!.hidden).toBe(true);
    expect(document.getElementById("bridge-pin-label")!.textContent).toBe("Mã PIN của thiết bị ký");
    const pinInput = document.getElementById("bridge-pin") as HTMLInputElement;
    expect(pinInput.value).toBe("");
    pinInput.value = "123456";
    (document.getElementById("bridge-sign") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(sent("bridge_answer")).toHaveLength(1));
    expect(sent("bridge_answer")[0]).toEqual({ id: 7, accept: true, certificate: cert().key, p12: null, pin: "123456", secret: null });
    expect(pinInput.value).toBe("");
    expect(open("bridge-dialog")).toBe(false);
    // Done: the outcome in a word.
    await emitEvent("bridge-done", { id: 7, signed: true, error: null });
    await vi.waitFor(() => expect(document.getElementById("bridge-notice")?.textContent).toContain(`Đã ký văn bản cho trang ${SITE}`));
    // The next request offers the same certificate first.
    await showRequest({ id: 8 });
    expect(document.querySelector<HTMLOptionElement>("#bridge-cert option:checked")!.dataset.id).toBe("01");
    expect((document.getElementById("bridge-pin") as HTMLInputElement).value).toBe("");
  });

  it("declines with the button and with Escape, sending no certificate or PIN", async () => {
    await showRequest();
    choose('option[data-id="02"]');
    (document.getElementById("bridge-pin") as HTMLInputElement).value = "999999";
    (document.getElementById("bridge-decline") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(sent("bridge_answer")).toEqual([{ id: 7, accept: false, certificate: null, p12: null, pin: null, secret: null }]));
    expect((document.getElementById("bridge-pin") as HTMLInputElement).value).toBe("");
    expect(open("bridge-dialog")).toBe(false);
    await showRequest({ id: 9 });
    document.getElementById("bridge-dialog")!.dispatchEvent(new Event("cancel", { cancelable: true }));
    await vi.waitFor(() => expect(sent("bridge_answer")).toHaveLength(2));
    expect(sent("bridge_answer")[1]).toMatchObject({ id: 9, accept: false, pin: null });
    expect(open("bridge-dialog")).toBe(false);
  });

  it("asks a remote account's secret and shows the phone confirmation until the bridge is done", async () => {
    await showRequest();
    choose('option[data-remote="vnpt"]');
    expect(document.getElementById("bridge-secret-row")!.hidden).toBe(false);
    expect(document.getElementById("bridge-pin-row")!.hidden).toBe(true);
    expect(document.getElementById("bridge-secret-label")!.textContent).toBe("Mật khẩu dịch vụ do VNPT SmartCA cấp");
    (document.getElementById("bridge-secret") as HTMLInputElement).value = "sp-secret";
    document.getElementById("bridge-form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(sent("bridge_answer")).toHaveLength(1));
    expect(sent("bridge_answer")[0]).toEqual({ id: 7, accept: true, certificate: "remote:vnpt", p12: null, pin: null, secret: "sp-secret" });
    expect((document.getElementById("bridge-secret") as HTMLInputElement).value).toBe("");
    const remote = document.getElementById("remote-dialog") as HTMLDialogElement;
    expect(remote.hasAttribute("open")).toBe(true);
    await emitEvent("remote-progress", { state: "confirm", shown: "cong-van 01.pdf", code: "TX-1", seconds_left: 120 });
    await vi.waitFor(() => expect(document.getElementById("remote-code")!.textContent).toBe("TX-1"));
    // Cancel reaches the remote wait, as on the Sign screen.
    (document.getElementById("remote-cancel") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "cancel_signing")).toBe(true));
    await emitEvent("bridge-done", { id: 7, signed: false, error: { code: "CANCELLED", detail: "cancelled", pin: null } });
    await vi.waitFor(() => expect(remote.hasAttribute("open")).toBe(false));
    expect(document.getElementById("bridge-notice")!.textContent).toContain(`Không ký được văn bản cho trang ${SITE}: Đã huỷ ký.`);
  });

  it("closes a request nobody answered in time, and says when an answer came too late", async () => {
    await showRequest();
    await emitEvent("bridge-done", { id: 7, signed: false, error: { code: "BRIDGE_EXPIRED", detail: "", pin: null } });
    await vi.waitFor(() => expect(open("bridge-dialog")).toBe(false));
    expect(document.getElementById("bridge-notice")!.textContent).toContain("hết thời gian chờ");
    answerError = { code: "BRIDGE_EXPIRED", detail: "the request is no longer waiting", pin: null };
    await showRequest({ id: 10 });
    choose('option[data-id="01"]');
    (document.getElementById("bridge-pin") as HTMLInputElement).value = "123456";
    (document.getElementById("bridge-sign") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.getElementById("bridge-notice")!.className).toBe("bad"));
    expect((document.getElementById("bridge-pin") as HTMLInputElement).value).toBe("");
  });

  it("says why a signing could not start (a wrong PIN)", async () => {
    await showRequest();
    choose('option[data-id="01"]');
    (document.getElementById("bridge-pin") as HTMLInputElement).value = "000000";
    (document.getElementById("bridge-sign") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(sent("bridge_answer")).toHaveLength(1));
    await emitEvent("bridge-done", { id: 7, signed: false, error: { code: "PIN_INCORRECT", detail: "wrong PIN", pin: { ...pin, count_low: true } } });
    await vi.waitFor(() => expect(document.getElementById("bridge-notice")!.textContent).toContain("Mã PIN không đúng"));
    expect(document.getElementById("bridge-notice")!.textContent).toContain("đã có lần nhập sai");
  });
});

describe("bridge settings", () => {
  it("turns the bridge on at once, shows where it listens, keeps sites allowed meanwhile, removes one", async () => {
    clearMocks();
    document.body.innerHTML = `<section id="s"></section>`;
    let saved = settings({ bridge_origins: ["http://127.0.0.1:8000"] });
    let status: BridgeStatus = { listening: false, port: 8987, error: null, ca_path: null };
    const calls: { cmd: string; args: Record<string, unknown> }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args: args as Record<string, unknown> });
      if (cmd === "get_settings") return saved;
      if (cmd === "bridge_status") return status;
      if (cmd === "save_settings") {
        const s = (args as { settings: Settings }).settings;
        if (s.bridge_hosts.some((h) => !h.startsWith("http"))) throw { code: "SETTINGS_INVALID", detail: `not a web site address: ${s.bridge_hosts[0]}`, pin: null };
        saved = s;
        status = s.bridge_enabled ? (s.bridge_port === 8987 ? { listening: false, port: 8987, error: { code: "BRIDGE_PORT", detail: "in use" }, ca_path: null }
          : { listening: true, port: s.bridge_port, error: null, ca_path: "/cfg/bridge-tls/ca.pem" }) : { listening: false, port: s.bridge_port, error: null, ca_path: null };
        return s;
      }
      return null;
    });
    const { renderBridgeSettings } = await import("../bridge-settings");
    await renderBridgeSettings(document.getElementById("s")!);
    const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
    expect($("s").querySelector("h2")!.textContent).toBe("Kết nối với hệ thống quản lý văn bản");
    expect($<HTMLInputElement>("bridge-enabled").checked).toBe(false);
    expect($("bridge-status").textContent).toBe("Đang tắt: trang web không gửi được yêu cầu ký.");
    expect($<HTMLInputElement>("bridge-port").value).toBe("8987");
    expect([...document.querySelectorAll<HTMLElement>("#bridge-origins li.bridge-origin")].map((li) => li.dataset.origin)).toEqual(["http://127.0.0.1:8000"]);
    expect($("bridge-ca").hidden).toBe(true);
    // The app allowed a site meanwhile: switching on keeps it.
    saved = { ...saved, bridge_origins: [...saved.bridge_origins, "https://qlvb.example.gov.vn"] };
    const toggle = $<HTMLInputElement>("bridge-enabled");
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect($("bridge-status").className).toBe("bad"));
    expect(calls.filter((c) => c.cmd === "save_settings").map((c) => c.args.settings)).toEqual([
      settings({ bridge_enabled: true, bridge_origins: ["http://127.0.0.1:8000", "https://qlvb.example.gov.vn"] })]);
    expect($("bridge-status").textContent).toContain("Không mở được cổng 8987.");
    expect($("bridge-status").textContent).toContain("VGCA Sign Service");
    // Another port and a file host.
    $<HTMLInputElement>("bridge-port").value = "80";
    $("bridge-save").click();
    await vi.waitFor(() => expect($("bridge-save-status").textContent).toBe("Cổng phải là một số từ 1024 đến 65535."));
    $<HTMLInputElement>("bridge-port").value = "9123";
    $<HTMLTextAreaElement>("bridge-hosts").value = "files.example\n";
    $("bridge-save").click();
    await vi.waitFor(() => expect($("bridge-save-status").textContent).toContain("Cài đặt không hợp lệ: not a web site address"));
    $<HTMLTextAreaElement>("bridge-hosts").value = " https://files.example.gov.vn \n\n";
    $("bridge-save").click();
    await vi.waitFor(() => expect($("bridge-status").textContent).toBe("Đang nhận yêu cầu tại 127.0.0.1:9123"));
    expect(saved).toMatchObject({ bridge_enabled: true, bridge_port: 9123, bridge_hosts: ["https://files.example.gov.vn"] });
    expect($("bridge-ca-path").textContent).toBe("/cfg/bridge-tls/ca.pem");
    expect($("bridge-ca").textContent).toContain("wss://");
    (document.querySelector('#bridge-origins li[data-origin="http://127.0.0.1:8000"] .bridge-origin-remove') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#bridge-origins li.bridge-origin")).toHaveLength(1));
    expect(saved.bridge_origins).toEqual(["https://qlvb.example.gov.vn"]);
    $<HTMLInputElement>("bridge-origin-new").value = "https://dms.example.gov.vn/";
    $("bridge-origin-add").click();
    await vi.waitFor(() => expect(saved.bridge_origins).toEqual(["https://qlvb.example.gov.vn", "https://dms.example.gov.vn"]));
    expect($<HTMLInputElement>("bridge-origin-new").value).toBe("");
    // Off again.
    toggle.checked = false;
    toggle.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect($("bridge-status").textContent).toBe("Đang tắt: trang web không gửi được yêu cầu ký."));
    expect(saved.bridge_enabled).toBe(false);
  });
});
