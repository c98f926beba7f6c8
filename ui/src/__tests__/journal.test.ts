// Signature levels, the waiting-for-the-network list and the signing journal, with the Tauri
// IPC mocked. The real commands are covered by the WebKit end-to-end tests.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { CertEntry, FileResult, Journal, JournalEvent, PendingJob, Settings } from "../api";
import { calls, setup } from "./ipc";

vi.mock("../preview", () => ({ renderPreview: vi.fn(), openPdf: vi.fn(), ANNOTATIONS_ON_CANVAS: 1 }));

const pin = { count_low: false, final_try: false, locked: false, to_be_changed: false };
// A PIN-pad token: no PIN dialog, so the sign button goes straight to sign_documents.
const cert: CertEntry = {
  key: "m\ns\n01", module: "m", token_label: "VGCA Token", token_serial: "s", cert_id: "01", holder: "Nguyễn Văn An",
  organization: "UBND tỉnh Bắc Giang", title: null, uid: null, issuer: "CA G2", not_after: "2030-01-01T00:00:00Z", days_left: 1000,
  expired: false, expiring_soon: false, pin, protected_authentication_path: true, key_type: "RSA-2048",
};
const settings = (over: Partial<Settings> = {}): Settings => ({
  module_paths: [], tsa_urls: ["http://tsa.example/"], trust_anchor_files: [], language: "vi", offline: false,
  bridge_enabled: false, bridge_port: 8987, bridge_origins: [], bridge_hosts: [], ...over,
});
const job = (file: string, over: Partial<PendingJob> = {}): PendingJob => ({
  id: 1, created: 1_764_000_000, file, level: "B-LT", tsa_urls: ["http://tsa.example/"], attempts: 0, last_error: null, ...over,
});

const count = (cmd: string) => calls.filter((c) => c.cmd === cmd).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(async () => {
  vi.resetModules(); // fresh screen and queue state for each test
  clearMocks();
  document.body.innerHTML = `<main id="view"></main>`;
  window.__KYSO_PENDING_INTERVAL_MS = 25;
  (await import("../i18n")).setLang("vi");
});

afterEach(async () => {
  (await import("../pending")).stopPending();
  delete window.__KYSO_PENDING_INTERVAL_MS;
});

describe("signature level", () => {
  it("preselects the level the core decides (B-T with a timestamp server and the network)", async () => {
    setup({ signing_defaults: { level: "B-T", online: true }, list_certificates: { modules: [], certificates: [cert] } });
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    expect((document.getElementById("level") as HTMLSelectElement).value).toBe("B-T");
    expect(count("signing_defaults")).toBe(1);
  });

  it("offers the four levels in plain words, preselects the default and sends the choice", async () => {
    const results: FileResult[] = [{ file: "/docs/a.pdf", output: "/docs/a-signed.pdf", status: "signed", error: null, level: "B-LT", pending: null }];
    setup({ signing_defaults: { level: "B-T", online: true }, list_certificates: { modules: [], certificates: [cert] }, pick_files: ["/docs/a.pdf"], sign_documents: results, get_journal: { events: [], pending: [] } });
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    const select = document.getElementById("level") as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(["B-B", "B-T", "B-LT", "B-LTA"]);
    expect([...select.options].map((o) => o.textContent)).toEqual([
      "Chữ ký thường (B-B)", "Có dấu thời gian (B-T)", "Lưu trữ dài hạn (B-LT)", "Lưu trữ dài hạn + dấu thời gian tài liệu (B-LTA)"]);
    expect(select.value).toBe("B-T");
    expect(document.getElementById("level-note")).toBeNull();
    (document.getElementById("pick-files") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#file-list li")).toHaveLength(1));
    // The user's choice survives redraws and goes with the request.
    const sel = document.getElementById("level") as HTMLSelectElement;
    sel.value = "B-LTA";
    sel.dispatchEvent(new Event("change"));
    expect((document.getElementById("level") as HTMLSelectElement).value).toBe("B-LTA");
    (document.getElementById("sign-btn") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelector('#results .result[data-status="signed"]')).not.toBeNull());
    const req = calls.find((c) => c.cmd === "sign_documents")!.args as { request: { level: string; pin: string | null } };
    expect(req.request.level).toBe("B-LTA");
    expect(req.request.pin).toBeNull();
    const row = document.querySelector("#results .result")!;
    expect(row.getAttribute("data-level")).toBe("B-LT");
    expect(row.hasAttribute("data-pending")).toBe(false);
    expect(row.textContent).toContain("Mức: B-LT");
    // Nothing was queued: no attempt to complete anything.
    await sleep(80);
    expect(count("complete_pending")).toBe(0);
  });

  it("defaults to B-B when offline, and says a timestamp would have to wait", async () => {
    setup({ signing_defaults: { level: "B-B", online: false }, list_certificates: { modules: [], certificates: [cert] } });
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    const select = document.getElementById("level") as HTMLSelectElement;
    expect(select.value).toBe("B-B");
    expect(document.getElementById("level-note")).toBeNull();
    select.value = "B-T";
    select.dispatchEvent(new Event("change"));
    expect(document.getElementById("level-note")?.textContent).toContain("chờ đến khi có mạng");
  });

  it("defaults to B-B when the defaults cannot be read", async () => {
    setup({ signing_defaults: new Error(JSON.stringify({ code: "SETTINGS_INVALID", detail: "x", pin: null })), list_certificates: { modules: [], certificates: [] } });
    const { renderSign } = await import("../sign");
    await renderSign(document.getElementById("view")!);
    expect((document.getElementById("level") as HTMLSelectElement).value).toBe("B-B");
  });
});

describe("waiting for the network", () => {
  it("marks a queued result, lists the job, tries right away and every interval, and stops when the list empties", async () => {
    const file = "/docs/Quyết định <img src=x onerror=alert(1)> 01-signed.pdf";
    let up = false;
    let journal: Journal = { events: [], pending: [] };
    setup({
      signing_defaults: { level: "B-LT", online: true },
      list_certificates: { modules: [], certificates: [cert] },
      pick_files: ["/docs/Quyết định <img src=x onerror=alert(1)> 01.pdf"],
      sign_documents: () => {
        journal = { events: [], pending: [job(file)] };
        return [{ file: "/docs/Quyết định <img src=x onerror=alert(1)> 01.pdf", output: file, status: "signed", error: null, level: "B-B", pending: "B-LT" }];
      },
      get_journal: () => journal,
      complete_pending: () => {
        if (!up) {
          journal = { events: [], pending: [job(file, { attempts: journal.pending[0].attempts + 1, last_error: "timestamp: http://tsa.example/: HTTP 503" })] };
          return { completed: [], failed: [{ file, level: "B-LT", error: { code: "TIMESTAMP", message: "503" } }] };
        }
        journal = { events: [], pending: [] };
        return { completed: [{ output: file, level: "B-LT", signatures: 2 }], failed: [] };
      },
    });
    window.__KYSO_PENDING_INTERVAL_MS = 60_000; // first: only the attempt made right after signing
    const { renderSign } = await import("../sign");
    const pending = await import("../pending");
    await renderSign(document.getElementById("view")!);
    (document.getElementById("pick-files") as HTMLButtonElement).click();
    await vi.waitFor(() => expect(document.querySelectorAll("#file-list li")).toHaveLength(1));
    (document.getElementById("sign-btn") as HTMLButtonElement).click();
    const row = await vi.waitFor(() => {
      const r = document.querySelector<HTMLElement>('#results .result[data-pending="B-LT"]');
      expect(r).not.toBeNull();
      return r!;
    });
    expect(row.dataset.level).toBe("B-B");
    expect(row.textContent).toContain("Đã ký. Dấu thời gian đang chờ mạng; Kyso sẽ tự hoàn tất khi có mạng.");
    // The level the user did not choose is not sent: the core applies the same default (and an
    // XML file, which is always B-B, is never refused for it).
    expect((calls.find((c) => c.cmd === "sign_documents")!.args as { request: { level?: string } }).request.level).toBeUndefined();
    // Listed, with the last error, after one immediate attempt.
    await vi.waitFor(() => expect(document.querySelector("#pending-list .pending-item .pending-error")).not.toBeNull());
    expect(count("complete_pending")).toBe(1);
    const items = document.querySelectorAll<HTMLElement>("#pending-list li.pending-item");
    expect(items).toHaveLength(1);
    expect(items[0].dataset.file).toBe(file);
    expect(items[0].textContent).toContain("Quyết định <img src=x onerror=alert(1)> 01-signed.pdf"); // as text, not HTML
    expect(items[0].querySelector("img")).toBeNull();
    expect(items[0].textContent).toContain("Lần thử gần nhất: timestamp: http://tsa.example/: HTTP 503");
    expect(document.getElementById("pending-panel")!.textContent).toContain("Đang chờ mạng (1)");
    expect(pending.isPolling()).toBe(true);

    // Every interval, while the TSA is still down…
    window.__KYSO_PENDING_INTERVAL_MS = 25;
    await pending.completeNow(); // (re-arms the timer with the short interval)
    await vi.waitFor(() => expect(count("complete_pending")).toBeGreaterThanOrEqual(4), { timeout: 2000 });
    expect(document.querySelectorAll("#pending-list li.pending-item")).toHaveLength(1);
    // …then the network is back: the list empties by itself and polling stops.
    up = true;
    await vi.waitFor(() => expect(document.getElementById("pending-list")).toBeNull(), { timeout: 2000 });
    expect(pending.isPolling()).toBe(false);
    const n = count("complete_pending");
    await sleep(150);
    expect(count("complete_pending")).toBe(n);
    // The result row now says the timestamp was added.
    await vi.waitFor(() => expect(document.querySelector("#results .result")!.hasAttribute("data-pending")).toBe(false));
    const done = document.querySelector<HTMLElement>("#results .result")!;
    expect(done.dataset.level).toBe("B-LT");
    expect(done.textContent).toContain("Đã hoàn tất");
  });

  it("does not poll when nothing is waiting", async () => {
    setup({ get_settings: settings(), get_journal: { events: [], pending: [] }, complete_pending: { completed: [], failed: [] } });
    const pending = await import("../pending");
    await pending.refreshPending();
    await sleep(100);
    expect(count("complete_pending")).toBe(0);
    expect(pending.isPolling()).toBe(false);
    expect(document.getElementById("pending-list")).toBeNull();
  });

  it("shows the list but does not poll in offline mode; resumes once online", async () => {
    let s = settings({ offline: true });
    setup({ get_settings: () => s, get_journal: { events: [], pending: [job("/a/x-signed.pdf"), job("/a/y-signed.pdf", { id: 2, last_error: "no network" })] }, complete_pending: { completed: [], failed: [] } });
    const pending = await import("../pending");
    await pending.refreshPending();
    expect(document.querySelectorAll("#pending-list li.pending-item")).toHaveLength(2);
    expect(document.querySelector('#pending-list li[data-file="/a/y-signed.pdf"]')!.textContent).toContain("no network");
    expect(document.getElementById("pending-panel")!.textContent).toContain("Chế độ không dùng mạng");
    await sleep(100);
    expect(count("complete_pending")).toBe(0);
    expect(pending.isPolling()).toBe(false);
    s = settings();
    await pending.refreshPending();
    expect(pending.isPolling()).toBe(true);
    await vi.waitFor(() => expect(count("complete_pending")).toBeGreaterThan(0));
  });
});

describe("journal screen", () => {
  const ev = (over: Partial<JournalEvent>): JournalEvent => ({
    id: 1, time: 1_764_000_000, action: "sign", input: "/docs/a.pdf", input_sha256: "00", output: "/docs/a-signed.pdf", output_sha256: "11",
    signer: "Nguyễn Văn An", certificate_sha256: "22", level: "B-B", result: "ok", detail: null, ...over,
  });

  it("lists signings and completions, newest first, in Vietnam time, file names as text", async () => {
    setup({ get_journal: { pending: [], events: [
      ev({ id: 3, time: 1_764_000_100, action: "augment", input: "/docs/a-signed.pdf", output: "/docs/a-signed.pdf", signer: null, level: "B-LT", result: "ok" }),
      ev({ id: 2, action: "sign", level: "B-B", result: "pending", detail: "no timestamp authority could be reached" }),
      ev({ id: 1, input: "/docs/<img src=x onerror=alert(1)>.pdf", output: "/docs/<img src=x onerror=alert(1)>-signed.pdf", result: "failed", level: "", signer: null, detail: "PIN_INCORRECT" }),
    ] } });
    const { renderJournal } = await import("../journal");
    await renderJournal(document.getElementById("view")!);
    expect(document.querySelector("#journal-screen h1")!.textContent).toBe("Nhật ký ký số");
    const rows = [...document.querySelectorAll<HTMLElement>("#journal-table tr.journal-row")];
    expect(rows.map((r) => r.dataset.result)).toEqual(["ok", "pending", "failed"]);
    const cells = (r: HTMLElement) => [...r.querySelectorAll("td")].map((c) => c.textContent);
    // 1764000100 = 2025-11-24 16:01:40 UTC = 23:01:40 in Vietnam.
    expect(cells(rows[0])).toEqual(["2025-11-24 23:01:40 (+07:00)", "Hoàn tất (dấu thời gian)", "Thành công", "B-LT", "a-signed.pdf", "—"]);
    expect(cells(rows[1])).toEqual(["2025-11-24 23:00:00 (+07:00)", "Ký", "Chờ mạngno timestamp authority could be reached", "B-B", "a.pdf → a-signed.pdf", "Nguyễn Văn An"]);
    expect(cells(rows[2])[4]).toBe("<img src=x onerror=alert(1)>.pdf → <img src=x onerror=alert(1)>-signed.pdf");
    expect(cells(rows[2])[3]).toBe("—");
    expect(document.querySelector("#journal-table img")).toBeNull();
  });

  it("says when nothing was signed, and shows a journal error", async () => {
    setup({ get_journal: { events: [], pending: [] } });
    const { renderJournal } = await import("../journal");
    await renderJournal(document.getElementById("view")!);
    expect(document.getElementById("journal-empty")!.textContent).toBe("Chưa có lần ký nào.");
    setup({ get_journal: new Error(JSON.stringify({ code: "JOURNAL", detail: "signing journal: unable to open database file", pin: null })) });
    await renderJournal(document.getElementById("view")!);
    expect(document.getElementById("journal-error")!.textContent).toContain("Không mở được nhật ký ký số");
  });

  it("speaks English too", async () => {
    (await import("../i18n")).setLang("en");
    setup({ get_journal: { pending: [], events: [ev({ result: "started" })] } });
    const { renderJournal } = await import("../journal");
    await renderJournal(document.getElementById("view")!);
    expect(document.querySelector("#journal-screen h1")!.textContent).toBe("Signing journal");
    expect(document.querySelector("tr.journal-row")!.textContent).toContain("Not finished");
  });
});
