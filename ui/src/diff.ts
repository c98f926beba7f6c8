// Where two renderings of a page differ: a pure pixel comparison (no DOM), so it is unit-tested.
//
// Both pages are rendered by the same pdf.js at the same scale, so unchanged content gives
// identical pixels; the tolerance only absorbs anti-aliasing/compositing drift. Differences
// are counted on a grid of cells; changed cells close to each other are joined into one
// region (so a changed word or line is one rectangle, not one per glyph) and the region's
// bounding box is returned.

export interface Pixels { width: number; height: number; data: ArrayLike<number> } // RGBA, like ImageData
export interface Rect { x: number; y: number; w: number; h: number }
export interface DiffOptions {
  /** Cell size in pixels. */
  cell?: number;
  /** A pixel differs when some RGBA channel differs by more than this (0–255). */
  tolerance?: number;
  /** Changed cells at most this many cells apart belong to the same region. */
  gap?: number;
  /** Regions with fewer differing pixels than this are noise and dropped. */
  minPixels?: number;
}

// Defaults. Tolerance 16 still catches a light-grey (#eee) stamp on white (difference 17).
// Noise rule: a region made of fewer than 3 differing pixels (a stray speck) is dropped;
// anything bigger is kept, because a full stop at the render scale is already ≥ 4 pixels and
// hiding a changed decimal point would be worse than one false alarm.
export const DEFAULTS: Required<DiffOptions> = { cell: 8, tolerance: 16, gap: 1, minPixels: 3 };

export function changedRegions(a: Pixels, b: Pixels, opts: DiffOptions = {}): Rect[] {
  const { cell, tolerance, gap, minPixels } = { ...DEFAULTS, ...opts };
  const W = Math.max(a.width, b.width), H = Math.max(a.height, b.height);
  if (!W || !H) return [];
  const cols = Math.ceil(W / cell), rows = Math.ceil(H / cell);
  // Differing pixels per cell (a cell has at most cell² pixels; 32 bits is plenty).
  const count = new Uint32Array(cols * rows);
  const minW = Math.min(a.width, b.width), minH = Math.min(a.height, b.height);
  const da = a.data, db = b.data;
  for (let y = 0; y < H; y++) {
    const rowBase = Math.floor(y / cell) * cols;
    // Outside the smaller image (different page sizes): every pixel there is a change.
    const common = y < minH ? minW : 0;
    let ia = y * a.width * 4, ib = y * b.width * 4;
    for (let x = 0; x < common; x++, ia += 4, ib += 4) {
      if (Math.abs(da[ia] - db[ib]) > tolerance || Math.abs(da[ia + 1] - db[ib + 1]) > tolerance ||
          Math.abs(da[ia + 2] - db[ib + 2]) > tolerance || Math.abs(da[ia + 3] - db[ib + 3]) > tolerance) {
        count[rowBase + ((x / cell) | 0)]++;
      }
    }
    for (let x = common; x < W; x++) count[rowBase + ((x / cell) | 0)]++;
  }

  // Connected components of changed cells (neighbours up to `gap` empty cells apart), by an
  // explicit stack: no recursion, no allocation per cell.
  const seen = new Uint8Array(cols * rows);
  const stack = new Int32Array(cols * rows);
  const r = 1 + gap;
  const boxes: (Rect & { n: number })[] = [];
  for (let start = 0; start < count.length; start++) {
    if (!count[start] || seen[start]) continue;
    let top = 0, n = 0;
    let x0 = cols, y0 = rows, x1 = -1, y1 = -1;
    stack[top++] = start;
    seen[start] = 1;
    while (top) {
      const c = stack[--top];
      const cx = c % cols, cy = (c / cols) | 0;
      n += count[c];
      if (cx < x0) x0 = cx; if (cx > x1) x1 = cx;
      if (cy < y0) y0 = cy; if (cy > y1) y1 = cy;
      for (let ny = Math.max(0, cy - r); ny <= Math.min(rows - 1, cy + r); ny++) {
        for (let nx = Math.max(0, cx - r); nx <= Math.min(cols - 1, cx + r); nx++) {
          const k = ny * cols + nx;
          if (count[k] && !seen[k]) { seen[k] = 1; stack[top++] = k; }
        }
      }
    }
    if (n < minPixels) continue;
    const x = x0 * cell, y = y0 * cell;
    boxes.push({ x, y, w: Math.min(W, (x1 + 1) * cell) - x, h: Math.min(H, (y1 + 1) * cell) - y, n });
  }
  return mergeOverlapping(boxes).sort((p, q) => p.y - q.y || p.x - q.x);
}

// Bounding boxes of separate components can still overlap (an L-shaped change around another):
// draw them as one rectangle.
function mergeOverlapping(boxes: Rect[]): Rect[] {
  const out = boxes.map(({ x, y, w, h }) => ({ x, y, w, h }));
  for (let merged = true; merged;) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const p = out[i], q = out[j];
        if (p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h) {
          const x = Math.min(p.x, q.x), y = Math.min(p.y, q.y);
          out[i] = { x, y, w: Math.max(p.x + p.w, q.x + q.w) - x, h: Math.max(p.y + p.h, q.y + q.h) - y };
          out.splice(j, 1);
          merged = true;
          break;
        }
      }
    }
  }
  return out;
}
