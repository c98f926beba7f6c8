// The System check screen, the first-run welcome, the Check table with its side panel, and
// the Sign screen's action bar, with the Tauri IPC mocked. The real self-check (SoftHSM2, no
// token) is covered by the WebKit end-to-end tests.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { CertEntry, DoctorReport, FileReport, SignatureReport } from "../api";
import { calls, setup } from "./ipc";

vi.mock("../preview", () => ({ renderPreview: vi.fn(), openPdf: vi.fn(), ANNOTATIONS_ON_CANVAS: 1 }));

const pin = { count_low: false, final_try: false, locked: false, to_be_changed: false };
const msg = (vi: string, en: string) => ({ vi, en });

const doctor: DoctorReport = {
  version: "0.1.0", time: "2026-12-06T07:00:00Z", status: "red",
  lines: [
    { code: "DRIVER", status: "green", text: msg("Driver /usr/lib/softhsm/libsofthsm2.so: nạp được, 1 thiết bị đang cắm.", "Driver …: loads, 1 token(s) plugged in."), action: null, data: { tokens: 1 } },
    { code: "CERTIFICATE", status: "amber", text: msg("Chứng thư của Nguyễn Văn An còn 10 ngày (hết hạn 2026-12-16).", "Nguyễn Văn An's certificate has 10 days left."), action: msg("Gia hạn qua dịch vụ trực tuyến.", "Renew online."), data: null },
    { code: "BRIDGE", status: "red", text: msg("Cổng 8987 đang bị chương trình khác dùng.", "Port 8987 is held by another program."), action: msg("Tắt chương trình ký số khác.", "Close the other signing program."), data: null },
  ],
};
const support = "Kyso 0.1.0 — 2026-12-06T07:00:00Z\n[OK]  Driver …\n";


beforeEach(async () => {
  clearMocks();
  document.body.innerHTML = `<main id="view"></main>`;
  (await import("../i18n")).setLang("vi");
});

describe("system check", () => {
  it("shows one row per line with its mark and what to do, Vietnamese first, then English", async () => {
    setup({ self_check: { report: doctor, support } });
    const { renderSelfCheck } = await import("../selfcheck");
    const main = document.getElementById("view")!;
    await renderSelfCheck(main, () => {});
    const rows = [...document.querySelectorAll<HTMLElement>("#sys-lines .sys-line")];
    expect(rows.map((r) => [r.dataset.code, r.dataset.status, r.querySelector(".sys-mark")!.textContent])).toEqual([
      ["DRIVER", "green", "✔"], ["CERTIFICATE", "amber", "!"], ["BRIDGE", "red", "✘"]]);
    expect(rows[1].querySelector(".sys-action")!.textContent).toBe("Cần làm: Gia hạn qua dịch vụ trực tuyến.");
    expect(rows[0].querySelector(".sys-action")).toBeNull();
    expect(document.getElementById("sys-status")!.textContent).toBe("Có 1 lỗi cần xử lý trước khi ký.");
    expect(calls.find((c) => c.cmd === "self_check")!.args).toEqual({ language: "vi" });
    (await import("../i18n")).setLang("en");
    await renderSelfCheck(main, () => {});
    expect(document.querySelector('.sys-line[data-code="BRIDGE"] .sys-text')!.textContent).toBe("Port 8987 is held by another program.");
    expect(calls.filter((c) => c.cmd === "self_check").pop()!.args).toEqual({ language: "en" });
  });

  it("summarises a clean computer, re-runs, and offers the welcome again", async () => {
    let runs = 0;
    const green = { ...doctor, status: "green", lines: [doctor.lines[0]] };
    setup({ self_check: () => { runs++; return { report: green, support }; } });
    const { renderSelfCheck } = await import("../selfcheck");
    const welcome = vi.fn();
    await renderSelfCheck(document.getElementById("view")!, welcome);
    expect(document.getElementById("sys-status")!.dataset.status).toBe("green");
    expect(document.getElementById("sys-status")!.textContent).toBe("Mọi thứ sẵn sàng.");
    (document.getElementById("sys-rerun") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(runs).toBe(2));
    await vi.waitFor(() => expect(document.getElementById("sys-welcome")).not.toBeNull());
    (document.getElementById("sys-welcome") as HTMLButtonElement).click();
    expect(welcome).toHaveBeenCalledOnce();
  });

  it("copies the core's support text, and shows it so it can be copied by hand", async () => {
    setup({ self_check: { report: doctor, support } });
    const written: string[] = [];
    Object.defineProperty(navigator, "clipboard", { value: { writeText: async (s: string) => { written.push(s); } }, configurable: true });
    const { renderSelfCheck } = await import("../selfcheck");
    await renderSelfCheck(document.getElementById("view")!, () => {});
    const box = document.getElementById("sys-report") as HTMLTextAreaElement;
    expect(box.hidden).toBe(true);
    (document.getElementById("sys-copy") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(box.hidden).toBe(false));
    expect(written).toEqual([support]);
    expect(box.value).toBe(support);
    expect(document.getElementById("sys-copy-note")!.textContent).toContain("Đã sao chép báo cáo");
    // No clipboard at all: it says to copy by hand.
    Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
    (document as unknown as { execCommand: () => boolean }).execCommand = () => false;
    (document.getElementById("sys-copy") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.getElementById("sys-copy-note")!.textContent).toContain("Không sao chép tự động được"));
  });

  it("says what went wrong when the check itself fails", async () => {
    setup({ self_check: new Error(JSON.stringify({ code: "INTERNAL", detail: "boom", pin: null })) });
    const { renderSelfCheck } = await import("../selfcheck");
    await renderSelfCheck(document.getElementById("view")!, () => {});
    expect(document.getElementById("sys-status")!.className).toBe("bad");
    expect(document.querySelector("#sys-lines")).toBeNull();
  });
});

function cert(over: Partial<CertEntry>): CertEntry {
  return {
    key: "m\ns\n01", module: "m", token_label: "VGCA Token", token_serial: "s", cert_id: "01", holder: "Nguyễn Văn An",
    organization: "UBND tỉnh Bắc Giang", title: null, uid: null, issuer: "Test CA", not_after: "2030-01-01T00:00:00Z",
    days_left: 1000, expired: false, expiring_soon: false, pin, protected_authentication_path: false, key_type: "RSA-2048", ...over,
  };
}

describe("welcome", () => {
  it("records that it was shown, runs the self-check, lists the certificates and offers the two jobs", async () => {
    setup({
      welcome_shown: null, self_check: { report: doctor, support },
      list_certificates: { modules: [], certificates: [cert({}), cert({ key: "k2", cert_id: "02", holder: "Trần Thị Bình", organization: null, expiring_soon: true, days_left: 10 })] },
    });
    const { renderWelcome } = await import("../welcome");
    const go = vi.fn();
    await renderWelcome(document.getElementById("view")!, go);
    expect(calls.some((c) => c.cmd === "welcome_shown")).toBe(true);
    expect([...document.querySelectorAll("#welcome-cert-list li")].map((l) => l.textContent)).toEqual([
      "Nguyễn Văn An · UBND tỉnh Bắc Giang · hết hạn 2030-01-01", "Trần Thị Bình · hết hạn 2030-01-01"]);
    expect(document.querySelector('#welcome-cert-list li[data-id="02"]')!.className).toBe("warn");
    expect(document.querySelectorAll("#welcome-checks .sys-line")).toHaveLength(3);
    (document.getElementById("welcome-sign") as HTMLButtonElement).click();
    (document.getElementById("welcome-check") as HTMLButtonElement).click();
    expect(go.mock.calls).toEqual([["sign"], ["check"]]);
    expect(document.getElementById("welcome-sign")!.textContent).toBe("Ký văn bản");
    expect(document.getElementById("welcome-check")!.textContent).toBe("Kiểm tra văn bản đến");
  });

  it("says what to do when no certificate is found", async () => {
    setup({ welcome_shown: null, self_check: { report: doctor, support }, list_certificates: { modules: [], certificates: [] } });
    const { renderWelcome } = await import("../welcome");
    await renderWelcome(document.getElementById("view")!, () => {});
    expect(document.getElementById("welcome-no-certs")!.textContent).toContain("Cắm thiết bị ký");
  });
});

function sig(over: Partial<SignatureReport>): SignatureReport {
  return {
    field: "Signature1", kind: "signature", indication: "TOTAL_PASSED", sub_indication: null, message: msg("Hợp lệ.", "Valid."), findings: [],
    signer: { common_name: "Nguyễn Văn An", organization: null, title: null, uid: null, subject: "" },
    claimed_time_vietnam: null, claimed_time_source: null, has_timestamp: false, coverage: "WHOLE_FILE", later_revisions: 0,
    byte_range: null, chain: { trusted: false, path: [], anchor: null }, changes: [], certificate_not_after: null, reason: null, location: null,
    ...over,
  };
}

describe("check table", () => {
  it("one row per file with signer, time and the legal verdict; details in the side panel without empty facts", async () => {
    const a: FileReport = { path: "/in/a.pdf", verdict: "TOTAL_PASSED", revisions: 1, error: null,
      signatures: [sig({ claimed_time_vietnam: "2026-11-24 10:00:00 (+07:00)" }), sig({ field: "Sig_VanThu", signer: { common_name: "Văn thư", organization: "UBND", title: null, uid: null, subject: "" } })],
      legal: { verdict: "COMPLETE", checks: [{ code: "TWO_SIGNATURES", result: "pass", title: msg("Hai chữ ký", "Two"), message: msg("Có.", "Yes.") }], message: msg("Đủ.", "Complete.") } };
    const b: FileReport = { path: "/in/b.pdf", verdict: "INDETERMINATE", revisions: 1, error: null, signatures: [sig({ indication: "INDETERMINATE" })] };
    const c: FileReport = { path: "/in/c.pdf", verdict: "NO_SIGNATURE", revisions: 1, error: null, signatures: [] };
    setup({ pick_folder: [a.path, b.path, c.path], verify_documents: [a, b, c] });
    const { renderCheck } = await import("../check");
    await renderCheck(document.getElementById("view")!);
    (document.getElementById("check-pick-folder") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#check-results tr.file")).toHaveLength(3));
    expect([...document.querySelectorAll("#check-table thead th")].map((t) => t.textContent)).toEqual(["Tệp", "Chữ ký số", "Nghị định 30", "Người ký", "Thời gian ký"]);
    const cells = (n: string) => [...document.querySelectorAll(`#check-results tr[data-name="${n}"] td`)].map((t) => t.textContent);
    expect(cells("a.pdf")).toEqual(["a.pdf", "Hợp lệ", "Đủ điều kiện", "Nguyễn Văn An +1", "24/11/2026 10:00"]);
    expect(document.querySelector('#check-results tr[data-name="a.pdf"] .col-time')!.getAttribute("title")).toBe("2026-11-24 10:00:00 (+07:00)");
    expect(cells("b.pdf")).toEqual(["b.pdf", "Chưa xác định", "", "Nguyễn Văn An", ""]);
    expect(cells("c.pdf")).toEqual(["c.pdf", "Không có chữ ký", "", "", ""]);
    expect(document.getElementById("check-summary")!.textContent).toBe("3 tệp: 1 hợp lệ, 2 chưa xác định hoặc không có chữ ký, 0 không hợp lệ.");
    // The first file that is not valid is in the side panel; Space chooses another row.
    expect(document.querySelector("#check-detail .file")!.getAttribute("data-name")).toBe("b.pdf");
    const row = document.querySelector<HTMLElement>('#check-results tr[data-name="a.pdf"]')!;
    expect(row.tabIndex).toBe(0);
    row.dispatchEvent(new KeyboardEvent("keydown", { key: " ", bubbles: true }));
    expect(document.querySelector("#check-detail .file")!.getAttribute("data-name")).toBe("a.pdf");
    expect(document.querySelector('#check-results tr[data-name="a.pdf"]')!.getAttribute("aria-pressed")).toBe("true");
    expect(document.activeElement?.getAttribute("data-name")).toBe("a.pdf");
    const panel = document.getElementById("check-detail")!;
    const summaries = [...panel.querySelectorAll("details.sig summary")].map((s) => s.textContent);
    expect(summaries).toEqual(["Chữ ký 1 — Nguyễn Văn An — Hợp lệ", "Chữ ký 2 — Văn thư — Hợp lệ"]);
    const facts = (i: number) => [...panel.querySelectorAll("details.sig")[i].querySelectorAll("tr")].map((r) => [r.querySelector("th")!.textContent, r.querySelector("td")!.textContent]);
    expect(facts(0)).toEqual([["Người ký", "Nguyễn Văn An"], ["Thời gian ký", "2026-11-24 10:00:00 (+07:00)"], ["Trường chữ ký", "Signature1"]]);
    expect(facts(1)).toEqual([["Người ký", "Văn thư"], ["Cơ quan", "UBND"], ["Trường chữ ký", "Sig_VanThu"]]);
    expect(panel.textContent).not.toMatch(/—\s*\(|\(\)|: —/);
    (await import("../i18n")).setLang("en");
    const { signatureLabel } = await import("../check");
    expect(signatureLabel(0)).toBe("Signature 1");
  });

  it("prefers a trusted timestamp's time in the table", async () => {
    const { signingTime } = await import("../check");
    const s = sig({ claimed_time_vietnam: "2026-11-24 10:00:00 (+07:00)" });
    expect(signingTime(s)).toBe("2026-11-24 10:00:00 (+07:00)");
    expect(signingTime({ ...s, timestamp: { time: "", time_vietnam: "2026-11-24 10:00:05 (+07:00)", tsa: null, trusted: true } })).toBe("2026-11-24 10:00:05 (+07:00)");
    expect(signingTime({ ...s, timestamp: { time: "", time_vietnam: "2026-11-24 10:00:05 (+07:00)", tsa: null, trusted: false } })).toBe("2026-11-24 10:00:00 (+07:00)");
    expect(signingTime(sig({}))).toBeNull();
  });
});

describe("sign action bar", () => {
  it("names the chosen certificate and the number of files beside the Sign button", async () => {
    setup({ list_certificates: { modules: [], certificates: [cert({}), cert({ key: "k2", cert_id: "02", holder: "Trần Thị Bình" })] }, signing_defaults: { level: "B-B", online: false }, pick_files: ["/d/a.pdf", "/d/b.pdf"] });
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    const bar = () => document.getElementById("sign-bar")!;
    expect(bar().querySelector("#sign-btn")).not.toBeNull();
    expect(document.getElementById("sign-bar-cert")!.textContent).toBe("Chưa chọn chứng thư");
    (document.getElementById("pick-files") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.getElementById("sign-bar-files")!.textContent).toBe("2 tệp"));
    (document.querySelector('#cert-list .cert[data-id="02"]') as HTMLButtonElement).click();
    expect(document.getElementById("sign-bar-cert")!.textContent).toBe("Ký bằng: Trần Thị Bình · UBND tỉnh Bắc Giang");
    expect((document.getElementById("sign-btn") as HTMLButtonElement).disabled).toBe(false);
    const { chosenLabel } = await import("../sign");
    expect(chosenLabel("p12:/home/an/chu-ky.p12", [], [])).toBe("chu-ky.p12");
    expect(chosenLabel(null, [], [])).toBeNull();
  });
});
