// The update section with the IPC mocked: an offer is shown with what the core checked, the
// installer is asked for only after "Download and install", and refusals say why.
import { beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

let calls: string[] = [];
function setup(responses: Record<string, unknown>) {
  calls = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    if (cmd.startsWith("plugin:event|")) return 1;
    const r = responses[cmd];
    if (r instanceof Error) throw JSON.parse(r.message);
    return typeof r === "function" ? (r as (a: unknown) => unknown)(args) : r;
  });
}
const settings = { module_paths: [], tsa_urls: [], trust_anchor_files: [], language: "vi", offline: false, bridge_enabled: false, bridge_port: 8987, bridge_origins: [], bridge_hosts: [], update_url: "" };
const offer = { state: "available", version: "0.2.0", current: "0.1.0", released: "2026-12-01", notes: { vi: "Sửa lỗi ký", en: "Signing fixes" }, url: "https://u/x.exe", sha256: "ab".repeat(32), size: 15 << 20 };
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(async () => {
  clearMocks();
  document.body.innerHTML = `<section id="host"></section><main id="view"></main>`;
  (await import("../i18n")).setLang("vi");
});

describe("updates", () => {
  it("shows a checked offer and installs only after the user agrees", async () => {
    setup({ update_info: { version: "0.1.0", enabled: true, url: "https://kyso.example.vn/m.json" }, get_settings: settings, check_update: offer,
      install_update: { path: "/d/kyso-0.2.0-linux-x86_64.deb", state: "saved", command: "sudo apt install '/d/kyso-0.2.0-linux-x86_64.deb'" } });
    const { renderUpdateSection } = await import("../update");
    const host = document.getElementById("host")!;
    await renderUpdateSection(host);
    expect(host.textContent).toContain("Phiên bản đang dùng: 0.1.0");
    (document.getElementById("update-check") as HTMLButtonElement).click();
    for (let i = 0; i < 5; i++) await tick();
    expect(document.getElementById("update-offer-title")!.textContent).toBe("Đã có Kyso 0.2.0 (bạn đang dùng 0.1.0).");
    expect(document.getElementById("update-notes")!.textContent).toBe("Sửa lỗi ký");
    expect(host.textContent).toContain("15.0 MB");
    expect(calls).not.toContain("install_update");
    (document.getElementById("update-install") as HTMLButtonElement).click();
    for (let i = 0; i < 5; i++) await tick();
    expect(calls.filter((c) => c === "install_update")).toHaveLength(1);
    expect(document.getElementById("update-command")!.textContent).toContain("sudo apt install");
  });

  it("says why a manifest was refused, and that nothing was installed", async () => {
    setup({ update_info: { version: "0.1.0", enabled: true, url: "https://kyso.example.vn/m.json" }, get_settings: settings,
      check_update: new Error(JSON.stringify({ code: "UPDATE_BAD_SIGNATURE", detail: "x", pin: null })) });
    const { renderUpdateSection } = await import("../update");
    const host = document.getElementById("host")!;
    await renderUpdateSection(host);
    (document.getElementById("update-check") as HTMLButtonElement).click();
    for (let i = 0; i < 5; i++) await tick();
    expect(document.getElementById("update-status")!.textContent).toContain("không phải của Kyso");
    expect(document.getElementById("update-status")!.textContent).toContain("Không có gì được cài");
    expect(document.getElementById("update-offer")).toBeNull();
  });

  it("a build without an update key says updates are off and checks nothing", async () => {
    setup({ update_info: { version: "0.1.0", enabled: false, url: "" }, get_settings: settings });
    const { renderUpdateSection, noticeUpdate } = await import("../update");
    await renderUpdateSection(document.getElementById("host")!);
    await noticeUpdate(() => {});
    expect(document.getElementById("update-off")).not.toBeNull();
    expect(calls).not.toContain("check_update");
  });

  it("a start-up notice appears only for a newer signed version", async () => {
    setup({ update_info: { version: "0.1.0", enabled: true, url: "https://kyso.example.vn/m.json" }, check_update: offer });
    const { noticeUpdate } = await import("../update");
    await noticeUpdate(() => {});
    expect(document.getElementById("update-banner")!.textContent).toContain("Có bản cập nhật Kyso 0.2.0.");
    document.getElementById("update-host")!.innerHTML = "";
    setup({ update_info: { version: "0.1.0", enabled: true, url: "https://kyso.example.vn/m.json" }, check_update: new Error(JSON.stringify({ code: "UPDATE_DOWNGRADE", detail: "", pin: null })) });
    await noticeUpdate(() => {});
    expect(document.getElementById("update-banner")).toBeNull();
  });
});
