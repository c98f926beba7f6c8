// Front-end tests with the Tauri IPC mocked: what officials and clerks see for given
// command results. The real commands are covered by the WebKit end-to-end tests.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { CertEntry, FileReport } from "../api";
import { calls, setup } from "./ipc";

vi.mock("../preview", () => ({ renderPreview: vi.fn(), openPdf: vi.fn(), ANNOTATIONS_ON_CANVAS: 1 }));

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
      later_revisions: sub === "CHANGES_NOT_ALLOWED" ? 1 : 0, byte_range: [0, 100, 300, 300], chain: { trusted: true, path: ["a", "b"], anchor: "b" }, changes: sub === "CHANGES_NOT_ALLOWED" ? [{ object: 7, page: 1, what: "a form XObject changed", what_vi: "một khối nội dung vẽ bị sửa", severity: "FORBIDDEN" }] : [],
      certificate_not_after: null, reason: null, location: null,
    }],
  };
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
    // One line each: holder, organisation, expiry; the issuer only on demand.
    expect(cards[0].textContent).toBe("Nguyễn Văn An · UBND tỉnh Bắc Giang · Hết hạn 2030-01-01");
    expect(document.querySelector(".cert-details")).toBeNull();
    const more = document.querySelector<HTMLButtonElement>(".cert-item .cert-more")!;
    expect(more.getAttribute("aria-expanded")).toBe("false");
    more.click();
    const details = document.querySelector(".cert-details")!.textContent!;
    expect(details).toContain("CA phục vụ các cơ quan Nhà nước G2");
    expect(details).toContain("CCCD:024090000001");
    expect(document.querySelector<HTMLButtonElement>(".cert-item .cert-more")!.getAttribute("aria-expanded")).toBe("true");
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

describe("XML files", () => {
  const summary = {
    form: "einvoice", kind_vi: "Hoá đơn điện tử", kind_en: "e-invoice", signatures: 1,
    items: [{ vi: "Số hoá đơn", en: "Invoice number", value: "C26TAA 00001234" }, { vi: "Người bán", en: "Seller", value: "CÔNG TY TNHH ÁNH DƯƠNG" }],
  };
  const slots = [["NBan", "Người bán", "seller"], ["NMua", "Người mua", "buyer"], ["CCKSKhac", "Chữ ký khác", "other signer"], ["CQT", "Cơ quan thuế", "tax authority"]];
  it("shows what the invoice is, preselects its form, offers its places and sends the choice", async () => {
    const inspected: unknown[] = [];
    setup({
      list_certificates: { modules: [], certificates: [cert({})] },
      pick_files: ["/docs/hoadon.xml"],
      inspect_xml: (a: unknown) => {
        inspected.push(a);
        const into = (a as { into: string | null }).into;
        return into === "CQT"
          ? { form: "einvoice", summary, slots, target: null, error: { code: "XML_SLOT_OCCUPIED", detail: "", pin: null } }
          : { form: "einvoice", summary, slots, target: { form: "einvoice", slot: "NMua", slot_label: ["Người mua", "buyer"], slot_path: "/HDon/DSCKS/NMua", reference_path: "/HDon/DLHDon", reference_uri: "#x" }, error: null };
      },
      sign_documents: [{ file: "/docs/hoadon.xml", output: "/docs/hoadon-signed.xml", status: "signed", error: null, level: "B-B", pending: null }],
    });
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    (document.getElementById("pick-files") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelector("#file-list .xml-summary")?.textContent).toBe("Hoá đơn điện tử — Số hoá đơn: C26TAA 00001234; Người bán: CÔNG TY TNHH ÁNH DƯƠNG"));
    expect(document.querySelector("#file-list .xml-target")!.textContent).toBe("Sẽ ký phần /HDon/DLHDon, chữ ký đặt tại /HDon/DSCKS/NMua");
    const profile = document.getElementById("xml-profile") as HTMLSelectElement;
    expect(profile.value).toBe("");
    expect(profile.options[0].textContent).toBe("Tự nhận dạng: Hoá đơn điện tử");
    const into = document.getElementById("xml-into") as HTMLSelectElement;
    expect([...into.options].map((o) => o.value)).toEqual(["", "NBan", "NMua", "CCKSKhac", "CQT"]);
    into.value = "CQT";
    into.dispatchEvent(new Event("change"));
    await vi.waitFor(() => expect(document.querySelector("#file-list .xml-error")?.getAttribute("data-code")).toBe("XML_SLOT_OCCUPIED"));
    expect(inspected[inspected.length - 1]).toEqual({ path: "/docs/hoadon.xml", form: null, into: "CQT" });
    (document.querySelector("#cert-list .cert") as HTMLButtonElement).click();
    (document.getElementById("sign-btn") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.getElementById("pin-dialog")!.hasAttribute("open")).toBe(true));
    (document.getElementById("pin-input") as HTMLInputElement).value = "123456";
    (document.getElementById("pin-form") as HTMLFormElement).dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_documents")).toBe(true));
    const req = (calls.find((c) => c.cmd === "sign_documents")!.args as { request: Record<string, unknown> }).request;
    expect(req.xml_into).toBe("CQT");
    expect(req.xml_profile).toBeNull();
    expect(req.level).toBeUndefined();
  });

  it("shows an XML signature's form, place and signed part in the check panel", async () => {
    const r = report("hoadon.xml", "TOTAL_PASSED", null);
    r.signatures[0].xml = { profile: "einvoice", slot: "NBan", path: "/HDon/DSCKS/NBan/Signature", reference: "/HDon/DLHDon", references: [], canonicalization: null };
    setup({ pick_files: ["/in/hoadon.xml"], verify_documents: [r] });
    const { renderCheck } = await import("../check");
    await renderCheck(document.getElementById("view")!);
    (document.getElementById("check-pick-files") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#check-results tr.file")).toHaveLength(1));
    const text = document.querySelector("#check-detail")!.textContent!;
    expect(text).toContain("Biểu mẫuHoá đơn điện tử · NBan");
    expect(text).toContain("Phần được ký/HDon/DLHDon");
  });
});

describe("check screen", () => {
  it("colours each file and explains changes after signing", async () => {
    // The timestamp's time is shown beside the claimed one; an untrusted one says so.
    const ok = report("ok.pdf", "TOTAL_PASSED", null);
    ok.signatures[0].timestamp = { time: "2026-11-24T03:00:05Z", time_vietnam: "2026-11-24 10:00:05 (+07:00)", tsa: "VGCA TSA", trusted: true };
    const bad = report("bad.pdf", "TOTAL_FAILED", "HASH_FAILURE");
    bad.signatures[0].timestamp = { time: "2026-11-24T03:00:05Z", time_vietnam: "2026-11-24 10:00:05 (+07:00)", tsa: "Lạ TSA", trusted: false };
    setup({
      pick_folder: ["/in/ok.pdf", "/in/bad.pdf", "/in/shadow.pdf", "/in/unsigned.pdf"],
      verify_documents: [ok, bad, report("shadow.pdf", "TOTAL_FAILED", "CHANGES_NOT_ALLOWED"), report("unsigned.pdf", "NO_SIGNATURE", null)],
    });
    const { renderCheck } = await import("../check");
    const main = document.getElementById("view")!;
    await renderCheck(main);
    (document.getElementById("check-pick-folder") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#check-results tr.file")).toHaveLength(4));
    const cls = (n: string) => document.querySelector(`#check-results tr[data-name="${n}"]`)!.className;
    expect(cls("ok.pdf")).toContain("ok");
    expect(cls("bad.pdf")).toContain("bad");
    expect(cls("shadow.pdf")).toContain("bad");
    expect(cls("unsigned.pdf")).toContain("warn");
    // The side panel shows the file chosen in the table (by click, Enter or Space).
    const text = (n: string) => {
      const row = document.querySelector<HTMLElement>(`#check-results tr[data-name="${n}"]`)!;
      row.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
      expect(document.querySelector("#check-detail .file")!.getAttribute("data-name")).toBe(n);
      return document.querySelector("#check-detail")!.textContent!;
    };
    expect(text("shadow.pdf")).toContain("một khối nội dung vẽ bị sửa (trang 1)");
    expect(text("ok.pdf")).toContain("Dấu thời gian2026-11-24 10:00:05 (+07:00) — VGCA TSA");
    expect(text("ok.pdf")).not.toContain("không được dùng làm bằng chứng");
    expect(text("bad.pdf")).toContain("Lạ TSA (không được dùng làm bằng chứng)");
    expect(text("shadow.pdf")).not.toContain("Dấu thời gian");
  });
});

// Stand-ins for pdf.js and the canvas (jsdom has none): a page is white; a "changed" page has a
// black block; rendering fills the canvas's pixel buffer.
function fakeDoc(pages: boolean[]) {
  return {
    numPages: pages.length,
    destroy: vi.fn(),
    getPage: async (i: number) => ({
      getViewport: ({ scale }: { scale: number }) => ({ width: 200 * scale, height: 280 * scale }),
      render: ({ canvasContext }: { canvasContext: { paint: (b: boolean) => void } }) => {
        canvasContext.paint(pages[i - 1]);
        return { promise: Promise.resolve() };
      },
      cleanup: () => {},
    }),
  };
}

function fakeCanvas() {
  const contexts = new WeakMap<HTMLCanvasElement, object>();
  const original = HTMLCanvasElement.prototype.getContext;
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
    const canvas = this;
    if (!contexts.has(canvas)) {
      let data = new Uint8ClampedArray(0);
      contexts.set(canvas, {
        paint(changed: boolean) {
          data = new Uint8ClampedArray(canvas.width * canvas.height * 4).fill(255);
          if (changed) for (let y = 100; y < 140; y++) data.fill(0, (y * canvas.width + 300) * 4, (y * canvas.width + 500) * 4);
        },
        getImageData: (_x: number, _y: number, width: number, height: number) => ({ width, height, data }),
        drawImage() {}, fillRect() {}, strokeRect() {},
      });
    }
    return contexts.get(canvas);
  } as unknown as typeof original;
  return () => { HTMLCanvasElement.prototype.getContext = original; };
}

describe("what changed after signing", () => {
  // Each test checks a differently named file: the screen still shows the previous results
  // until the new ones arrive.
  async function checkFolder(name: string) {
    const { renderCheck } = await import("../check");
    await renderCheck(document.getElementById("view")!);
    (document.getElementById("check-pick-folder") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelector(`#check-results tr[data-name="${name}"]`)).not.toBeNull());
    // The first file that is not valid is shown in the side panel.
    expect(document.querySelector("#check-detail .file")!.getAttribute("data-name")).toBe(name);
  }
  const responses = (name: string) => ({
    pick_folder: ["/in/ok.pdf", `/in/${name}`],
    verify_documents: [report("ok.pdf", "TOTAL_PASSED", null), report(name, "TOTAL_FAILED", "CHANGES_NOT_ALLOWED")],
  });

  it("offers the comparison only for signatures with later revisions, and shows changed regions per page", async () => {
    const buf = new Uint8Array(700).buffer;
    setup({ ...responses("shadow-1.pdf"), read_preview: () => buf });
    const { openPdf } = await import("../preview");
    // The signed revision (600 bytes = 300 + 300) has one page; the current file changed it and added one.
    vi.mocked(openPdf).mockImplementation(async (data: Uint8Array) => (data.length === 600 ? fakeDoc([false]) : fakeDoc([true, false])) as never);
    const restore = fakeCanvas();
    try {
      await checkFolder("shadow-1.pdf");
      // Nothing was appended after ok.pdf's signature: nothing to compare.
      document.querySelector<HTMLElement>('#check-results tr[data-name="ok.pdf"]')!.click();
      expect(document.querySelector("#check-detail .show-changes")).toBeNull();
      document.querySelector<HTMLElement>('#check-results tr[data-name="shadow-1.pdf"]')!.click();
      (document.querySelector('#check-detail .show-changes') as HTMLButtonElement).click();
      await vi.waitFor(() => expect(document.querySelector("#compare-view")?.getAttribute("data-state")).toBe("done"));
      expect(calls.find((c) => c.cmd === "read_preview")?.args).toEqual({ path: "/in/shadow-1.pdf" });
      expect(vi.mocked(openPdf).mock.calls.map(([d]) => d.length)).toEqual([600, 700]);
      const pages = [...document.querySelectorAll<HTMLElement>("#compare-view .compare-page")];
      expect(pages.map((p) => [p.dataset.page, p.dataset.regions])).toEqual([["1", "1"], ["2", "1"]]);
      expect(pages[0].textContent).toContain("Trang 1: 1 vùng thay đổi");
      expect(pages[1].textContent).toContain("trang mới");
      expect(pages[0].querySelector("canvas")?.getAttribute("aria-label")).toBe("Bản đã ký, trang 1");
      (document.getElementById("compare-close") as HTMLButtonElement).click();
      expect(document.getElementById("compare-view")).toBeNull();
    } finally {
      restore();
      vi.mocked(openPdf).mockReset();
    }
  });

  it("says there is no preview when the file is too large to load", async () => {
    setup({ ...responses("shadow-2.pdf"), read_preview: new Error(JSON.stringify({ code: "TOO_LARGE", detail: "too large to preview", pin: null })) });
    await checkFolder("shadow-2.pdf");
    (document.querySelector('#check-detail .show-changes') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelector("#compare-view")?.getAttribute("data-state")).toBe("error"));
    expect(document.getElementById("compare-view")!.textContent).toContain("Không xem trước được tệp này.");
  });
});
