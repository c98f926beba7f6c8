// Front-end tests with the Tauri IPC mocked: what officials and clerks see for given
// command results. The real commands are covered by the WebKit end-to-end tests.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { CertEntry, FileReport } from "../api";

vi.mock("../preview", () => ({ renderPreview: vi.fn() }));

const pin = { count_low: false, final_try: false, locked: false, to_be_changed: false };
function cert(over: Partial<CertEntry>): CertEntry {
  return {
    key: "m\ns\n01", module: "m", token_label: "VGCA Token", token_serial: "s", cert_id: "01", holder: "Nguyễn Văn An",
    organization: "UBND tỉnh Bắc Giang", title: "Chủ tịch", uid: "CCCD:024090000001", issuer: "CA phục vụ các cơ quan Nhà nước G2",
    not_after: "2030-01-01T00:00:00Z", days_left: 1000, expired: false, expiring_soon: false, pin, protected_authentication_path: false,
    key_type: "RSA-3072", ...over,
  };
}

function report(name: string, verdict: FileReport["verdict"], sub: string | null): FileReport {
  return {
    path: `/in/${name}`, verdict, revisions: 1, error: null,
    signatures: verdict === "NO_SIGNATURE" ? [] : [{
      field: "Signature1", kind: "signature", indication: verdict as "TOTAL_PASSED", sub_indication: sub,
      message: { vi: `vi:${name}`, en: `en:${name}` }, findings: [], signer: { common_name: "Nguyễn Văn An", organization: "UBND", title: null, uid: null, subject: "" },
      claimed_time_vietnam: "2026-11-24 10:00:00 (+07:00)", claimed_time_source: "/M", has_timestamp: false, coverage: "WHOLE_FILE",
      later_revisions: 0, chain: { trusted: true, path: ["a", "b"], anchor: "b" }, changes: sub === "CHANGES_NOT_ALLOWED" ? [{ object: 7, page: 1, what: "a form XObject changed", severity: "FORBIDDEN" }] : [],
      certificate_not_after: null, reason: null, location: null,
    }],
  };
}

let calls: { cmd: string; args: unknown }[] = [];
function setup(responses: Record<string, unknown>) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd.startsWith("plugin:event|")) return 1;
    const r = responses[cmd];
    if (r instanceof Error) throw JSON.parse(r.message);
    return typeof r === "function" ? (r as (a: unknown) => unknown)(args) : r;
  });
}

beforeEach(() => {
  clearMocks();
  document.body.innerHTML = `<main id="view"></main>
    <dialog id="pin-dialog"><form id="pin-form"><h2 id="pin-title"></h2><p id="pin-token"></p><p id="pin-warning" hidden></p>
    <label id="pin-label"></label><input id="pin-input" type="password"><p id="pin-error" hidden></p>
    <button type="button" id="pin-cancel"></button><button type="submit" id="pin-ok"></button></form></dialog>`;
  const proto = HTMLDialogElement.prototype as unknown as { showModal?: () => void; close?: () => void };
  proto.showModal = function (this: HTMLDialogElement) { this.setAttribute("open", ""); };
  proto.close = function (this: HTMLDialogElement) { this.removeAttribute("open"); };
});

describe("messages", () => {
  it("names the token's tries-left state after a wrong PIN", async () => {
    const { errorText, setLang } = await import("../i18n");
    setLang("vi");
    const s = errorText({ code: "PIN_INCORRECT", detail: "", pin: { ...pin, final_try: true } });
    expect(s).toContain("Mã PIN không đúng");
    expect(s).toContain("MỘT lần thử");
    setLang("en");
    expect(errorText({ code: "TOKEN_MISSING", detail: "", pin: null })).toContain("Plug in your USB token");
    setLang("vi");
  });
});

describe("sign screen", () => {
  it("shows holder, organization, issuer and expiry; refuses expired certificates", async () => {
    setup({
      list_certificates: { modules: [], certificates: [cert({}), cert({ key: "k2", cert_id: "02", holder: "Lê Hết Hạn", expired: true, days_left: -3 }), cert({ key: "k3", cert_id: "03", holder: "Sắp Hết", expiring_soon: true, days_left: 12 })] },
    });
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    const cards = [...document.querySelectorAll<HTMLButtonElement>("#cert-list .cert")];
    expect(cards).toHaveLength(3);
    expect(cards[0].textContent).toContain("UBND tỉnh Bắc Giang");
    expect(cards[0].textContent).toContain("CA phục vụ các cơ quan Nhà nước G2");
    expect(cards[1].disabled).toBe(true);
    expect(cards[1].textContent).toContain("Đã hết hạn");
    expect(cards[2].textContent).toContain("còn 12 ngày");
  });

  it("asks the PIN once, sends it in one call, and shows a wrong-PIN error without retrying", async () => {
    setup({
      list_certificates: { modules: [], certificates: [cert({ pin: { ...pin, count_low: true } })] },
      pick_files: ["/docs/a.pdf"],
      sign_documents: new Error(JSON.stringify({ code: "PIN_INCORRECT", detail: "wrong PIN", pin: { ...pin, count_low: true } })),
    });
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    (document.getElementById("pick-files") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#file-list li")).toHaveLength(1));
    (document.querySelector("#cert-list .cert") as HTMLButtonElement).click();
    (document.getElementById("sign-btn") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.getElementById("pin-dialog")!.hasAttribute("open")).toBe(true));
    expect((document.getElementById("pin-input") as HTMLInputElement).value).toBe("");
    expect(document.getElementById("pin-warning")!.hidden).toBe(false);
    (document.getElementById("pin-input") as HTMLInputElement).value = "999999";
    (document.getElementById("pin-form") as HTMLFormElement).dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(document.getElementById("sign-error")?.textContent).toContain("Mã PIN không đúng"));
    const signCalls = calls.filter((c) => c.cmd === "sign_documents");
    expect(signCalls).toHaveLength(1);
    expect((document.getElementById("pin-input") as HTMLInputElement).value).toBe("");
  });
});

describe("check screen", () => {
  it("colours each file and explains changes after signing", async () => {
    setup({
      pick_folder: ["/in/ok.pdf", "/in/bad.pdf", "/in/shadow.pdf", "/in/unsigned.pdf"],
      verify_documents: [report("ok.pdf", "TOTAL_PASSED", null), report("bad.pdf", "TOTAL_FAILED", "HASH_FAILURE"),
        report("shadow.pdf", "TOTAL_FAILED", "CHANGES_NOT_ALLOWED"), report("unsigned.pdf", "NO_SIGNATURE", null)],
    });
    const { renderCheck } = await import("../check");
    const main = document.getElementById("view")!;
    await renderCheck(main);
    (document.getElementById("check-pick-folder") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#check-results li.file")).toHaveLength(4));
    const cls = (n: string) => document.querySelector(`#check-results li[data-name="${n}"]`)!.className;
    expect(cls("ok.pdf")).toContain("ok");
    expect(cls("bad.pdf")).toContain("bad");
    expect(cls("shadow.pdf")).toContain("bad");
    expect(cls("unsigned.pdf")).toContain("warn");
    expect(document.querySelector('#check-results li[data-name="shadow.pdf"]')!.textContent).toContain("a form XObject changed");
  });
});
