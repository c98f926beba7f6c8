// "What changed after signing": the signed revision and the current file side by side, page
// by page, with the regions that look different boxed in red. This is what makes a shadow
// attack visible to a clerk: the signature is valid for the left side, the reader shows the
// right side.
import type { PDFDocumentProxy, PDFPageProxy } from "pdfjs-dist";
import { api, type SignatureReport } from "./api";
import { changedRegions, type Rect } from "./diff";
import { h } from "./dom";
import { t } from "./i18n";
import { ANNOTATIONS_ON_CANVAS, openPdf } from "./preview";

const MAX_PAGES = 20;
const RENDER_WIDTH = 1240; // px a page is compared at: ~150 dpi for A4, enough to see a changed digit
const MAX_PIXELS = 4e6; // odd page shapes (long receipts) stay within canvas limits and memory
const SHOW_WIDTH = 460; // CSS px of each side as drawn (the stylesheet scales it down to fit)

let run = 0; // the open view; a newer view or closing stops an older comparison

/** The length of the signed revision (a byte prefix of the file), when the report has it. */
export function signedLength(s: SignatureReport): number | null {
  const br = s.byte_range;
  return br && br.length === 4 ? br[2] + br[3] : null;
}

/** Opens the comparison for one signature at the end of `host` (its panel). */
export function openCompare(host: HTMLElement, path: string, signedLen: number) {
  document.getElementById("compare-view")?.remove();
  const id = ++run;
  const status = h("p", { role: "status", class: "muted", id: "compare-status" }, "…");
  const pages = h("div", { class: "compare-pages" });
  const view = h("section", { id: "compare-view", "data-state": "loading", "aria-label": t("compare_title") },
    h("div", { class: "compare-head" },
      h("h4", {}, t("compare_title")),
      h("button", { id: "compare-close", type: "button", onclick: () => { run++; view.remove(); } }, t("close"))),
    h("p", { class: "muted" }, t("compare_note")),
    status,
    h("div", { class: "compare-pair compare-legend", "aria-hidden": "true" }, h("strong", {}, t("compare_signed")), h("strong", {}, t("compare_current"))),
    pages);
  host.append(view);
  const live = () => id === run && view.isConnected;
  void compare(path, signedLen, pages, status, live).then(
    () => { if (live()) view.dataset.state = "done"; },
    () => {
      // Unreadable, too large to load (TOO_LARGE) or not parseable by pdf.js: say so, like the preview.
      if (!live()) return;
      status.textContent = t("preview_none");
      view.dataset.state = "error";
    });
}

async function compare(path: string, signedLen: number, pages: HTMLElement, status: HTMLElement, live: () => boolean) {
  const bytes = await api.readPreview(path);
  const docs: PDFDocumentProxy[] = [];
  const left = document.createElement("canvas"), right = document.createElement("canvas");
  try {
    // pdf.js detaches the buffer it is given: each document gets its own copy.
    const signed = await openPdf(new Uint8Array(bytes.slice(0, signedLen)));
    docs.push(signed);
    const current = await openPdf(new Uint8Array(bytes.slice(0)));
    docs.push(current);
    const total = Math.max(signed.numPages, current.numPages);
    const n = Math.min(MAX_PAGES, total);
    for (let i = 1; i <= n; i++) {
      if (!live()) return;
      status.textContent = t("compare_progress", { i, n });
      pages.append(await comparePage(i, signed, current, left, right));
    }
    status.textContent = total > n ? t("compare_capped", { n, total }) : "";
  } finally {
    left.width = right.width = 0; // free the render buffers now, not at the next GC
    for (const d of docs) void d.destroy();
  }
}

async function comparePage(i: number, signed: PDFDocumentProxy, current: PDFDocumentProxy, left: HTMLCanvasElement, right: HTMLCanvasElement) {
  const sp = i <= signed.numPages ? await signed.getPage(i) : null;
  const cp = i <= current.numPages ? await current.getPage(i) : null;
  // Both sides at the same scale, that of the current page, so equal content gives equal pixels.
  const scale = scaleFor((cp ?? sp)!);
  const a = sp && await render(sp, scale, left);
  const b = cp && await render(cp, scale, right);
  // A page only one side has is changed as a whole.
  const regions: Rect[] = a && b ? changedRegions(a, b) : [{ x: 0, y: 0, w: (a ?? b)!.width, h: (a ?? b)!.height }];
  const n = regions.length;
  const line = !sp ? t("compare_new", { p: i }) : !cp ? t("compare_removed", { p: i })
    : t(n === 0 ? "compare_same" : n === 1 ? "compare_region" : "compare_regions", { p: i, n });
  return h("div", { class: `compare-page${n ? " changed" : ""}`, "data-page": i, "data-regions": n },
    h("p", { class: n ? "bad" : "ok" }, line),
    h("div", { class: "compare-pair" },
      shown(a && left, regions, t("compare_signed_page", { n: i })),
      shown(b && right, regions, t("compare_current_page", { n: i }))));
}

function scaleFor(page: PDFPageProxy): number {
  const { width, height } = page.getViewport({ scale: 1 });
  return Math.min(RENDER_WIDTH / width, Math.sqrt(MAX_PIXELS / (width * height)));
}

async function render(page: PDFPageProxy, scale: number, canvas: HTMLCanvasElement): Promise<ImageData> {
  const viewport = page.getViewport({ scale });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
  await page.render({ canvas, canvasContext: ctx, viewport, annotationMode: ANNOTATIONS_ON_CANVAS }).promise;
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
  page.cleanup();
  return pixels;
}

// A down-scaled copy of a rendered page (the full-size render canvas is reused for the next
// page) with the changed regions boxed.
function shown(src: HTMLCanvasElement | null, regions: Rect[], label: string): HTMLElement {
  if (!src) return h("div", { class: "compare-missing", role: "img", "aria-label": label }, "—");
  const dpr = window.devicePixelRatio || 1;
  const k = Math.min(1, (SHOW_WIDTH * dpr) / src.width);
  const c = h("canvas", { width: Math.round(src.width * k), height: Math.round(src.height * k), role: "img", "aria-label": label }) as HTMLCanvasElement;
  const ctx = c.getContext("2d")!;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(src, 0, 0, c.width, c.height);
  const pad = 2 * dpr;
  ctx.lineWidth = 2 * dpr;
  ctx.strokeStyle = "#dc2626";
  ctx.fillStyle = "rgba(220, 38, 38, 0.12)";
  for (const r of regions) {
    const x = r.x * k - pad, y = r.y * k - pad, w = r.w * k + 2 * pad, hh = r.h * k + 2 * pad;
    ctx.fillRect(x, y, w, hh);
    ctx.strokeRect(x, y, w, hh);
  }
  return c;
}
