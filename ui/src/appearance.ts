// The visible signature: the role chosen on the Sign screen, the fields it needs, and the box
// the user drags on the first-page preview (converted to PDF points for the request).
import type { Appearance, CopyForm, Role } from "./api";
import { h } from "./dom";
import { t } from "./i18n";

/** "none": invisible; "visible": default text in a box; else a Decree 30 role. */
export type RoleChoice = "none" | "visible" | Role;
export const ROLE_CHOICES: RoleChoice[] = ["none", "visible", "approve", "issue", "appendix", "copy", "incoming"];
export type RoleField = "doc_number" | "org" | "receipt";
/** The user's entries for the role fields (and a copy's form and seal choice). */
export type RoleFields = Partial<Record<RoleField, string>> & { copy_form?: CopyForm; seal?: boolean };
/** A box on the preview canvas, in canvas pixels, origin top-left. */
export interface Box { left: number; top: number; width: number; height: number }
/** `[x1, y1, x2, y2]` in points on the page as displayed, origin bottom-left. */
export type Rect = [number, number, number, number];
/** The rendered preview: pdf.js viewport scale and size (canvas pixels). */
export interface PreviewInfo { scale: number; width: number; height: number }

/** The roles drawn in a box the user places. */
export const needsBox = (r: RoleChoice) => r === "visible" || r === "approve";

/** The inputs shown for a role. */
export function fieldsFor(r: RoleChoice): RoleField[] {
  if (r === "issue" || r === "appendix") return ["doc_number"];
  if (r === "copy") return ["org"];
  if (r === "incoming") return ["receipt"];
  return [];
}

/** The input a role cannot do without (the others are optional or come from the profile). */
export function requiredField(r: RoleChoice): RoleField | null {
  return r === "appendix" ? "doc_number" : r === "incoming" ? "receipt" : null;
}

const round = (v: number) => Math.round(v * 100) / 100;
const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), Math.max(lo, hi));

/** Canvas pixels (top-left origin) to points on the displayed page (bottom-left origin),
 * for a pdf.js viewport of `scale` whose canvas is `canvasW` × `canvasH` pixels. */
export function boxToRect(box: Box, canvasW: number, canvasH: number, scale: number): Rect {
  const left = clamp(box.left, 0, canvasW);
  const right = clamp(box.left + box.width, 0, canvasW);
  const top = clamp(box.top, 0, canvasH);
  const bottom = clamp(box.top + box.height, 0, canvasH);
  return [round(left / scale), round((canvasH - bottom) / scale), round(right / scale), round((canvasH - top) / scale)];
}

/** The inverse of `boxToRect`, kept inside the canvas. */
export function rectToBox(rect: Rect, canvasW: number, canvasH: number, scale: number): Box {
  const width = Math.min((rect[2] - rect[0]) * scale, canvasW);
  const height = Math.min((rect[3] - rect[1]) * scale, canvasH);
  const left = clamp(rect[0] * scale, 0, canvasW - width);
  const top = clamp(canvasH - rect[3] * scale, 0, canvasH - height);
  return { left, top, width, height };
}

/** Where the box starts: the signature block, lower right of the page (points). */
export function defaultRect(pageW: number, pageH: number): Rect {
  const w = Math.min(200, pageW * 0.4);
  const hgt = Math.min(80, pageH * 0.15);
  const x2 = pageW - Math.min(50, pageW * 0.08);
  const y1 = Math.min(120, pageH * 0.15);
  return [round(x2 - w), round(y1), round(x2), round(y1 + hgt)];
}

/** The `appearance` of the sign request for a role, its fields and the placed box. */
export function appearanceRequest(role: RoleChoice, fields: RoleFields, rect: Rect | null): Appearance | undefined {
  const val = (f: RoleField) => fields[f]?.trim() || undefined;
  switch (role) {
    case "none":
      return undefined;
    case "visible":
      return rect ? { page: 1, rect: [...rect] as Rect } : undefined;
    case "approve":
      return rect ? { role, page: 1, rect: [...rect] as Rect } : { role };
    case "issue":
    case "appendix": {
      const n = val("doc_number");
      return n ? { role, doc_number: n } : { role };
    }
    case "copy": {
      // Decree 30: the copy form, the organisation and the time, no image unless asked.
      const o = val("org");
      const a: Appearance = o ? { role, org: o } : { role };
      if (fields.copy_form && fields.copy_form !== "sao-y") a.copy_form = fields.copy_form;
      if (fields.seal) a.seal = true;
      return a;
    }
    case "incoming": {
      const r = val("receipt");
      return r ? { role, receipt: r } : { role };
    }
  }
}

const FIELD_LABEL = { doc_number: "doc_number", org: "copy_org", receipt: "receipt" } as const;
export const fieldLabel = (f: RoleField) => t(FIELD_LABEL[f]);

/** Puts the draggable, resizable signature box over the preview canvas (which it wraps).
 * `onChange` gets the new rectangle while moving; the box keeps it in `data-rect`. */
export function placeBox(canvas: HTMLCanvasElement, info: PreviewInfo, rect: Rect, onChange: (r: Rect) => void): HTMLElement {
  const { scale, width: W, height: H } = info;
  let box = rectToBox(rect, W, H, scale);
  const wrap = h("div", { class: "page-wrap" });
  canvas.replaceWith(wrap);
  wrap.append(canvas);
  const handle = h("span", { class: "sig-resize", "aria-hidden": "true" });
  const el = h("div", { id: "sig-box", tabindex: 0, role: "img", "aria-label": t("box_label"), title: t("box_hint") }, handle);
  const show = () => {
    el.style.left = `${(box.left / W) * 100}%`;
    el.style.top = `${(box.top / H) * 100}%`;
    el.style.width = `${(box.width / W) * 100}%`;
    el.style.height = `${(box.height / H) * 100}%`;
    const r = boxToRect(box, W, H, scale);
    el.dataset.rect = r.join(",");
    return r;
  };
  show();
  // Screen pixels to canvas pixels (the canvas may be shown smaller than it is).
  const factor = () => {
    const shown = wrap.getBoundingClientRect().width;
    return shown > 0 ? W / shown : 1;
  };
  const minW = 20 * scale, minH = 12 * scale;
  const move = (dx: number, dy: number, resize: boolean, from: Box) => {
    box = resize
      ? { ...from, width: clamp(from.width + dx, minW, W - from.left), height: clamp(from.height + dy, minH, H - from.top) }
      : { ...from, left: clamp(from.left + dx, 0, W - from.width), top: clamp(from.top + dy, 0, H - from.height) };
    onChange(show());
  };
  el.addEventListener("mousedown", (e: MouseEvent) => {
    if (e.button !== 0) return;
    e.preventDefault();
    el.focus();
    const resize = e.target === handle;
    const from = { ...box }, x0 = e.clientX, y0 = e.clientY, f = factor();
    el.classList.add("dragging");
    const onMove = (m: MouseEvent) => move((m.clientX - x0) * f, (m.clientY - y0) * f, resize, from);
    const onUp = (m: MouseEvent) => {
      onMove(m);
      el.classList.remove("dragging");
      document.removeEventListener("mousemove", onMove);
      document.removeEventListener("mouseup", onUp);
    };
    document.addEventListener("mousemove", onMove);
    document.addEventListener("mouseup", onUp);
  });
  // Keyboard: arrows move by 2 pt (10 with Shift); Alt+arrows resize.
  el.addEventListener("keydown", (e: KeyboardEvent) => {
    const step = (e.shiftKey ? 10 : 2) * scale;
    const d: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (!d[e.key]) return;
    e.preventDefault();
    move(d[e.key][0], d[e.key][1], e.altKey, { ...box });
  });
  wrap.append(el);
  return el;
}
