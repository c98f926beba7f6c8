// The Settings screen's files: token drivers and trust anchors are never typed — they are
// listed, added through the app's own file dialog (add_setting_path) and removed; saving the
// other settings sends them back unchanged. IPC mocked.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import type { Settings } from "../api";

const base: Settings = {
  module_paths: ["/usr/lib/libvnpt.so"], tsa_urls: ["http://tsa.example/"], trust_anchor_files: ["/pki/root.pem"], language: "vi", offline: false,
  bridge_enabled: false, bridge_port: 8987, bridge_origins: [], bridge_hosts: [], intranet_servers: [],
};

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let saved: Settings = base;

beforeEach(() => {
  clearMocks();
  document.body.innerHTML = `<main id="view"></main>`;
  calls = [];
  saved = { ...base };
  mockIPC((cmd, args) => {
    calls.push({ cmd, args: args as Record<string, unknown> });
    if (cmd.startsWith("plugin:event|")) return 1;
    const a = args as Record<string, unknown>;
    switch (cmd) {
      case "get_settings": return saved;
      case "save_settings": saved = a.settings as Settings; return saved;
      case "add_setting_path":
        // The dialog (in Rust) returns the settings with the chosen file added.
        saved = a.which === "driver" ? { ...saved, module_paths: [...saved.module_paths, "/opt/bkav/libbkavca.so"] }
          : { ...saved, trust_anchor_files: [...saved.trust_anchor_files, "/pki/intranet-ca.pem"] };
        return saved;
      case "remove_setting_path": {
        const key = a.which === "driver" ? "module_paths" : "trust_anchor_files";
        saved = { ...saved, [key]: (saved[key] as string[]).filter((p) => p !== a.path) };
        return saved;
      }
      case "bridge_status": return { listening: false, port: 8987, error: null, ca_path: null };
      case "get_profile": return { organization: null, seal: null, signatures: [], approve_text: [] };
      case "list_providers": return [];
      default: return null;
    }
  });
});

const $ = <T extends HTMLElement = HTMLElement>(css: string) => document.querySelector<T>(css);
const paths = (id: string) => [...document.querySelectorAll<HTMLElement>(`#${id} li[data-path]`)].map((li) => li.dataset.path);

describe("settings: files only through the app's dialog", () => {
  it("lists drivers and anchors without a text field, adds and removes them, and saves the rest", async () => {
    const { renderSettings } = await import("../settings");
    await renderSettings($("#view")!, () => {});
    expect($("textarea#set-modules")).toBeNull();
    expect($("textarea#set-anchors")).toBeNull();
    expect(paths("set-modules")).toEqual(["/usr/lib/libvnpt.so"]);
    expect(paths("set-anchors")).toEqual(["/pki/root.pem"]);
    $<HTMLButtonElement>("#set-modules-add")!.click();
    await vi.waitFor(() => expect(paths("set-modules")).toEqual(["/usr/lib/libvnpt.so", "/opt/bkav/libbkavca.so"]));
    expect(calls.find((c) => c.cmd === "add_setting_path")!.args).toEqual({ which: "driver" });
    $<HTMLButtonElement>("#set-anchors-add")!.click();
    await vi.waitFor(() => expect(paths("set-anchors")).toHaveLength(2));
    $<HTMLButtonElement>('#set-modules li[data-path="/usr/lib/libvnpt.so"] .path-remove')!.click();
    await vi.waitFor(() => expect(paths("set-modules")).toEqual(["/opt/bkav/libbkavca.so"]));
    expect(calls.find((c) => c.cmd === "remove_setting_path")!.args).toEqual({ which: "driver", path: "/usr/lib/libvnpt.so" });
    // Save: TSAs and intranet CA servers from the form; the files exactly as the dialogs left them.
    $<HTMLTextAreaElement>("#set-intranet")!.value = "ca.noibo.gov.vn\n\n10.0.0.5\n";
    $<HTMLButtonElement>("#save-settings")!.click();
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "save_settings")).toBe(true));
    const sent = calls.find((c) => c.cmd === "save_settings")!.args.settings as Settings;
    expect(sent.module_paths).toEqual(["/opt/bkav/libbkavca.so"]);
    expect(sent.trust_anchor_files).toEqual(["/pki/root.pem", "/pki/intranet-ca.pem"]);
    expect(sent.intranet_servers).toEqual(["ca.noibo.gov.vn", "10.0.0.5"]);
    await vi.waitFor(() => expect($("#settings-status")!.textContent).toBe("Đã lưu cài đặt."));
  });

  it("says why when the app refuses paths from the window", async () => {
    const { errorText } = await import("../i18n");
    expect(errorText({ code: "SETTINGS_PATHS", detail: "", pin: null })).toContain("Thêm tệp…");
  });
});
