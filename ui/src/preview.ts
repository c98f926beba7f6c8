// First-page preview with pdf.js (bundled from npm; no network). Failure just says so.
import * as pdfjs from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import { api } from "./api";
import { clear, h } from "./dom";
import { t } from "./i18n";

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

// pdf.js takes ownership of (detaches) the buffer behind `data`: give each call its own copy.
export const openPdf = (data: Uint8Array) => pdfjs.getDocument({ data, isEvalSupported: false }).promise;
// Draw every annotation, form fields included, on the canvas. The default leaves form fields
// to an HTML layer we do not build, which would hide a changed field value.
export const ANNOTATIONS_ON_CANVAS = pdfjs.AnnotationMode.ENABLE;

/** A small picture of page 1 of `bytes` (a PDF Kyso fetched for a signing request) in `box`,
 *  at most `width` CSS pixels wide; a PDF that cannot be drawn says so. */
export async function renderThumbnail(box: HTMLElement, bytes: ArrayBuffer, width: number, label: string): Promise<boolean> {
  try {
    const doc = await openPdf(new Uint8Array(bytes));
    const page = await doc.getPage(1);
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: Math.min(1, width / base.width) });
    const canvas = h("canvas", { width: Math.floor(viewport.width), height: Math.floor(viewport.height), "aria-label": label }) as HTMLCanvasElement;
    await page.render({ canvas, canvasContext: canvas.getContext("2d")!, viewport, annotationMode: ANNOTATIONS_ON_CANVAS }).promise;
    clear(box);
    box.append(canvas);
    box.dataset.state = "drawn";
    return true;
  } catch {
    clear(box);
    box.append(h("p", { class: "muted" }, t("preview_none")));
    box.dataset.state = "none";
    return false;
  }
}

/** Renders page 1 of `path` into `box`; returns the canvas and its pdf.js viewport (scale,
 * size in canvas pixels; the displayed page, /Rotate applied), or null when there is none. */
export async function renderPreview(box: HTMLElement, path: string): Promise<{ canvas: HTMLCanvasElement; scale: number; width: number; height: number } | null> {
  try {
    const bytes = await api.readPreview(path);
    const doc = await openPdf(new Uint8Array(bytes));
    const page = await doc.getPage(1);
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(1.5, 520 / base.width);
    const viewport = page.getViewport({ scale });
    const canvas = h("canvas", { width: Math.floor(viewport.width), height: Math.floor(viewport.height), "aria-label": "preview" }) as HTMLCanvasElement;
    clear(box);
    box.append(canvas);
    await page.render({ canvas, canvasContext: canvas.getContext("2d")!, viewport }).promise;
    return { canvas, scale, width: viewport.width, height: viewport.height };
  } catch {
    clear(box);
    box.append(h("p", { class: "muted" }, t("preview_none")));
    return null;
  }
}
