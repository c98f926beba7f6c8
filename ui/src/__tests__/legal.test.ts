// The legal verdict on the Check screen: every check with its mark and, for a failure, the
// sentence to send back to the issuer.
import { describe, expect, it, vi } from "vitest";

vi.mock("../preview", () => ({ renderPreview: vi.fn(), openPdf: vi.fn(), ANNOTATIONS_ON_CANVAS: 1 }));
import { legalClass, legalPanel } from "../check";
import type { LegalReport } from "../api";
import { setLang } from "../i18n";

const report: LegalReport = {
  verdict: "INCOMPLETE",
  message: { vi: "Văn bản CHƯA đủ điều kiện", en: "The document is NOT complete" },
  checks: [
    { code: "SIGNATURES_VALID", result: "pass", title: { vi: "Chữ ký số hợp lệ", en: "Signatures valid" }, message: { vi: "Hợp lệ.", en: "Valid." } },
    { code: "TWO_SIGNATURES", result: "fail", title: { vi: "Hai chữ ký", en: "Two signatures" },
      message: { vi: "Thiếu chữ ký của cơ quan.", en: "The organisation's signature is missing." },
      return_text: { vi: "Văn bản chưa có chữ ký số của cơ quan, tổ chức ban hành.", en: "No organisation signature." } },
    { code: "ISSUING_BODY", result: "not_checked", title: { vi: "Cơ quan ban hành", en: "Issuing body" }, message: { vi: "Bản quét.", en: "A scan." } },
  ],
};

describe("legal verdict panel", () => {
  it("shows the verdict, each check and what to send back", () => {
    setLang("vi");
    const el = legalPanel(report);
    expect(el.dataset.legal).toBe("INCOMPLETE");
    expect(el.classList.contains("bad")).toBe(true);
    expect(el.querySelector(".legal-verdict")!.textContent).toBe("Chưa đủ điều kiện");
    const items = [...el.querySelectorAll("li.check")];
    expect(items.map((i) => (i as HTMLElement).dataset.result)).toEqual(["pass", "fail", "not_checked"]);
    expect(items.map((i) => i.querySelector(".mark")!.textContent)).toEqual(["✔", "✘", "–"]);
    expect(items[1].querySelector(".return-text")!.textContent).toBe("Đề nghị gửi lại nơi ban hành: Văn bản chưa có chữ ký số của cơ quan, tổ chức ban hành.");
    expect(items[0].querySelector(".return-text")).toBeNull();
    setLang("en");
    expect(legalPanel(report).querySelector(".legal-verdict")!.textContent).toBe("Incomplete");
    setLang("vi");
  });

  it("colours verdicts and results", () => {
    expect(["COMPLETE", "INCOMPLETE", "NOT_CHECKED", "pass", "warn", "fail", "not_checked"].map(legalClass))
      .toEqual(["ok", "bad", "na", "ok", "warn", "bad", "na"]);
  });
});
