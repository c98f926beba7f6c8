// The visible signature on the Sign screen (roles, their fields, the box on the preview) and
// the organisation profile on the Settings screen, with the Tauri IPC mocked.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import type { CertEntry } from "../api";
import { appearanceRequest, boxToRect, defaultRect, rectToBox } from "../appearance";
import { calls, setup } from "./ipc";

// Page 1 is 600 × 800 pt, shown at scale 0.5: a 300 × 400 px canvas.
vi.mock("../preview", () => ({
  renderPreview: vi.fn(async (box: HTMLElement) => {
    const canvas = document.createElement("canvas");
    canvas.width = 300;
    canvas.height = 400;
    box.replaceChildren(canvas);
    return { canvas, scale: 0.5, width: 300, height: 400 };
  }),
  openPdf: vi.fn(),
  ANNOTATIONS_ON_CANVAS: 1,
}));

const pin = { count_low: false, final_try: false, locked: false, to_be_changed: false };
const cert: CertEntry = {
  key: "m\ns\n01", module: "m", token_label: "VGCA Token", token_serial: "s", cert_id: "01", holder: "Nguyễn Văn An",
  organization: "UBND tỉnh Bắc Giang", title: null, uid: null, issuer: "CA", not_after: "2030-01-01T00:00:00Z", days_left: 1000,
  expired: false, expiring_soon: false, pin, protected_authentication_path: true, key_type: "RSA-2048",
};

const $ = <T extends HTMLElement = HTMLElement>(css: string) => document.querySelector<T>(css);
const click = (css: string) => $<HTMLButtonElement>(css)!.click();
function type(css: string, value: string) {
  const el = $<HTMLInputElement>(css)!;
  el.value = value;
  el.dispatchEvent(new Event("input"));
}

beforeEach(() => {
  clearMocks();
  document.body.innerHTML = `<main id="view"></main>`;
});

describe("box on the preview → PDF points", () => {
  it("converts canvas pixels (top-left origin) to points on the displayed page (bottom-left origin)", () => {
    expect(boxToRect({ left: 100, top: 50, width: 60, height: 20 }, 300, 400, 0.5)).toEqual([200, 660, 320, 700]);
    // The lower left corner of the page is (0, 0).
    expect(boxToRect({ left: 0, top: 380, width: 30, height: 20 }, 300, 400, 0.5)).toEqual([0, 0, 60, 40]);
    // Kept on the page.
    expect(boxToRect({ left: -10, top: 390, width: 30, height: 30 }, 300, 400, 0.5)).toEqual([0, 0, 40, 20]);
    // A landscape (rotated) page: the displayed size is what counts.
    expect(boxToRect({ left: 842 - 100, top: 0, width: 100, height: 50 }, 842, 595, 1)).toEqual([742, 545, 842, 595]);
  });

  it("round-trips and starts in the lower right", () => {
    expect(rectToBox([200, 660, 320, 700], 300, 400, 0.5)).toEqual({ left: 100, top: 50, width: 60, height: 20 });
    const r = defaultRect(595.28, 841.89);
    expect(r[0]).toBeGreaterThan(595.28 / 2);
    expect(r[2]).toBeLessThanOrEqual(595.28);
    expect(r[1]).toBeLessThan(841.89 / 4);
    expect(r[3]).toBeGreaterThan(r[1]);
  });
});

describe("appearance request per role", () => {
  const rect: [number, number, number, number] = [300, 100, 500, 180];
  it("has the shape each role needs", () => {
    expect(appearanceRequest("none", { doc_number: "1" }, rect)).toBeUndefined();
    expect(appearanceRequest("visible", {}, rect)).toEqual({ page: 1, rect });
    expect(appearanceRequest("approve", { doc_number: "ignored" }, rect)).toEqual({ role: "approve", page: 1, rect });
    expect(appearanceRequest("issue", { doc_number: " 15/QĐ-UBND ", org: "x" }, rect)).toEqual({ role: "issue", doc_number: "15/QĐ-UBND" });
    expect(appearanceRequest("issue", {}, rect)).toEqual({ role: "issue" });
    expect(appearanceRequest("appendix", { doc_number: "15/QĐ-UBND" }, null)).toEqual({ role: "appendix", doc_number: "15/QĐ-UBND" });
    expect(appearanceRequest("copy", { org: "Sở Tư pháp" }, rect)).toEqual({ role: "copy", org: "Sở Tư pháp" });
    expect(appearanceRequest("copy", { org: "  " }, null)).toEqual({ role: "copy" });
    // Decree 30: SAO Y and no image unless asked for.
    expect(appearanceRequest("copy", { org: "Sở Tư pháp", copy_form: "sao-y" }, null)).toEqual({ role: "copy", org: "Sở Tư pháp" });
    expect(appearanceRequest("copy", { copy_form: "trich-sao", seal: true }, null)).toEqual({ role: "copy", copy_form: "trich-sao", seal: true });
    expect(appearanceRequest("incoming", { receipt: "Số đến 125" }, rect)).toEqual({ role: "incoming", receipt: "Số đến 125" });
  });

  it("explains a refused visible signature in Vietnamese and English", async () => {
    const { errorText, setLang } = await import("../i18n");
    setLang("vi");
    const e = { code: "SEAL_MISSING", detail: "the issue role needs the seal image", pin: null };
    expect(errorText(e)).toContain("Chưa có ảnh con dấu");
    expect(errorText({ ...e, code: "NOTHING_TO_SEAL", detail: "there is no visible signature to place the seal over; the leader signs first" })).toContain("lãnh đạo ký duyệt trước");
    setLang("en");
    expect(errorText(e)).toContain("No seal image");
    expect(errorText({ ...e, code: "POLICY", detail: "key too small" })).toContain("not allowed for signing");
    setLang("vi");
  });
});

describe("roles on the sign screen", () => {
  async function open() {
    setup({
      list_certificates: { modules: [], certificates: [cert] },
      pick_files: ["/docs/a.pdf"],
      sign_documents: [{ file: "/docs/a.pdf", output: "/docs/a-signed.pdf", status: "signed", error: null, level: "B-B", pending: null }],
      get_journal: { events: [], pending: [] },
    });
    const { renderSign } = await import("../sign");
    await renderSign($("#view")!);
    click("#pick-files");
    await vi.waitFor(() => expect(document.querySelectorAll("#file-list li")).toHaveLength(1));
  }

  it("labels the roles in Vietnamese and shows only the fields each role needs", async () => {
    await open();
    const labels = [...document.querySelectorAll<HTMLButtonElement>("#roles [data-role]")].map((b) => [b.id, b.textContent]);
    expect(labels).toEqual([
      ["role-none", "Không hiển thị"], ["role-visible", "Chữ ký hiển thị"], ["role-approve", "Lãnh đạo ký duyệt"],
      ["role-issue", "Văn thư phát hành"], ["role-appendix", "Ký phụ lục"], ["role-copy", "Ký bản sao"], ["role-incoming", "Văn bản đến"],
    ]);
    expect($("#role-none")!.getAttribute("aria-checked")).toBe("true");
    const shown = () => ["#doc-number", "#org", "#receipt", "#sig-box"].filter((c) => $(c));
    expect(shown()).toEqual([]);
    click("#role-issue");
    expect($("#role-issue")!.getAttribute("aria-checked")).toBe("true");
    expect(shown()).toEqual(["#doc-number"]);
    expect($<HTMLButtonElement>("#sign-btn")!.disabled).toBe(false); // the number is optional
    click("#role-appendix");
    expect(shown()).toEqual(["#doc-number"]);
    expect($<HTMLButtonElement>("#sign-btn")!.disabled).toBe(true); // the number is required
    expect($("#role-needed")!.hidden).toBe(false);
    type("#doc-number", "15/QĐ-UBND");
    expect($<HTMLButtonElement>("#sign-btn")!.disabled).toBe(false);
    expect($("#role-needed")!.hidden).toBe(true);
    click("#role-copy");
    expect(shown()).toEqual(["#org"]);
    // The copy form (SAO Y by default) and the optional seal, off by default.
    expect($<HTMLSelectElement>("#copy-form")!.value).toBe("sao-y");
    expect([...$<HTMLSelectElement>("#copy-form")!.options].map((o) => o.textContent)).toEqual(["SAO Y", "SAO LỤC", "TRÍCH SAO"]);
    expect($<HTMLInputElement>("#copy-seal")!.checked).toBe(false);
    click("#role-incoming");
    expect(shown()).toEqual(["#receipt"]);
    expect($<HTMLButtonElement>("#sign-btn")!.disabled).toBe(true);
    click("#role-approve");
    await vi.waitFor(() => expect($("#sig-box")).not.toBeNull());
    expect(shown()).toEqual(["#sig-box"]);
    click("#role-none");
    await Promise.resolve();
    expect(shown()).toEqual([]);
  });

  it("places the box lower right, moves it by drag and sends its rectangle in points", async () => {
    await open();
    click("#role-approve");
    await vi.waitFor(() => expect($("#sig-box")).not.toBeNull());
    const box = $("#sig-box")!;
    const before = box.dataset.rect!.split(",").map(Number);
    expect(before).toEqual(defaultRect(600, 800));
    expect(box.parentElement!.classList.contains("page-wrap")).toBe(true);
    expect(box.style.left.endsWith("%")).toBe(true);
    // Drag 20 px left and 10 px up on the canvas: 40 pt left, 20 pt up at scale 0.5.
    box.dispatchEvent(new MouseEvent("mousedown", { button: 0, clientX: 200, clientY: 300, bubbles: true }));
    document.dispatchEvent(new MouseEvent("mousemove", { clientX: 190, clientY: 295 }));
    document.dispatchEvent(new MouseEvent("mouseup", { clientX: 180, clientY: 290 }));
    const moved = box.dataset.rect!.split(",").map(Number);
    expect(moved).toEqual([before[0] - 40, before[1] + 20, before[2] - 40, before[3] + 20]);
    // Resize from the corner: 10 px wider, 5 px taller (the bottom edge goes down).
    box.querySelector(".sig-resize")!.dispatchEvent(new MouseEvent("mousedown", { button: 0, clientX: 0, clientY: 0, bubbles: true }));
    document.dispatchEvent(new MouseEvent("mouseup", { clientX: 10, clientY: 5 }));
    const resized = box.dataset.rect!.split(",").map(Number);
    expect(resized).toEqual([moved[0], moved[1] - 10, moved[2] + 20, moved[3]]);
    click("#sign-btn");
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_documents")).toBe(true));
    const req = calls.find((c) => c.cmd === "sign_documents")!.args.request as Record<string, unknown>;
    expect(req.appearance).toEqual({ role: "approve", page: 1, rect: resized });
    // The box stays where it was put after the screen is redrawn.
    await vi.waitFor(() => expect($('#results .result[data-status="signed"]')).not.toBeNull());
    await vi.waitFor(() => expect($("#sig-box")?.dataset.rect).toBe(resized.join(",")));
  });

  it("sends the issue role with its number and no box", async () => {
    await open();
    click("#role-issue");
    type("#doc-number", "15/QĐ-UBND");
    click("#sign-btn");
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "sign_documents")).toBe(true));
    const req = calls.find((c) => c.cmd === "sign_documents")!.args.request as Record<string, unknown>;
    expect(req.appearance).toEqual({ role: "issue", doc_number: "15/QĐ-UBND" });
  });
});

describe("organisation profile", () => {
  const seal = "data:image/png;base64,iVBORw0KGgo=";
  const view = (over: object = {}) => ({ organization: "UBND tỉnh Bắc Giang", seal: null, signatures: [], approve_text: ["KT. CHỦ TỊCH"], ...over });

  it("shows the stored images, picks the seal and a person's signature, saves name and text", async () => {
    setup({
      get_settings: { module_paths: [], tsa_urls: [], trust_anchor_files: [], language: "vi", offline: true },
      get_profile: view(),
      pick_profile_image: (a: unknown) => {
        const { kind, person } = a as { kind: string; person: string | null };
        return kind === "seal" ? view({ seal }) : view({ seal, signatures: [[person, seal]] });
      },
      save_profile: (a: unknown) => view({ organization: (a as { organization: string }).organization, seal, approve_text: (a as { approveText: string[] }).approveText }),
    });
    const { renderSettings } = await import("../settings");
    await renderSettings($("#view")!, () => {});
    await vi.waitFor(() => expect($("#profile-org")).not.toBeNull());
    expect($<HTMLInputElement>("#profile-org")!.value).toBe("UBND tỉnh Bắc Giang");
    expect($<HTMLTextAreaElement>("#profile-approve-text")!.value).toBe("KT. CHỦ TỊCH");
    expect($("#profile-images")!.textContent).toContain("Chưa có con dấu");
    click("#profile-pick-seal");
    await vi.waitFor(() => expect($<HTMLImageElement>('#profile-seal img[alt="Con dấu"]')?.getAttribute("src")).toBe(seal));
    expect(calls.find((c) => c.cmd === "pick_profile_image")!.args).toEqual({ kind: "seal", person: null });
    // A signature image needs the person's name first.
    click("#profile-pick-signature");
    expect($("#profile-status")!.textContent).toContain("nhập họ tên");
    expect(calls.filter((c) => c.cmd === "pick_profile_image")).toHaveLength(1);
    type("#profile-person", "Nguyễn Văn An");
    click("#profile-pick-signature");
    await vi.waitFor(() => expect($('.profile-signature[data-person="Nguyễn Văn An"] img')?.getAttribute("alt")).toBe("Chữ ký của Nguyễn Văn An"));
    expect(calls.filter((c) => c.cmd === "pick_profile_image")[1].args).toEqual({ kind: "signature", person: "Nguyễn Văn An" });
    $<HTMLInputElement>("#profile-org")!.value = "Sở Tư pháp";
    $<HTMLTextAreaElement>("#profile-approve-text")!.value = "KT. GIÁM ĐỐC\n\nPHÓ GIÁM ĐỐC\n";
    click("#profile-save");
    await vi.waitFor(() => expect($("#profile-status")!.textContent).toBe("Đã lưu hồ sơ đơn vị."));
    expect(calls.find((c) => c.cmd === "save_profile")!.args).toEqual({ organization: "Sở Tư pháp", approveText: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"] });
  });

  it("a name from the profile is shown as text, never as markup", async () => {
    setup({
      get_settings: { module_paths: [], tsa_urls: [], trust_anchor_files: [], language: "vi", offline: true },
      get_profile: view({ signatures: [["<img src=x onerror=alert(1)>", seal]] }),
    });
    const { renderSettings } = await import("../settings");
    await renderSettings($("#view")!, () => {});
    await vi.waitFor(() => expect($(".profile-signature figcaption")).not.toBeNull());
    expect($(".profile-signature figcaption")!.textContent).toBe("<img src=x onerror=alert(1)>");
    expect(document.querySelectorAll(".profile-signature img")).toHaveLength(1);
  });
});
