// The pixel comparison behind "show changes": what counts as a change and how it is boxed.
import { describe, expect, it } from "vitest";
import { changedRegions, DEFAULTS, type Pixels, type Rect } from "../diff";

// A white RGBA page.
function page(width: number, height: number): Pixels & { data: Uint8ClampedArray } {
  return { width, height, data: new Uint8ClampedArray(width * height * 4).fill(255) };
}

// Paints a filled rectangle (text, a stamp, …) with the given grey.
function paint(p: Pixels & { data: Uint8ClampedArray }, x: number, y: number, w: number, h: number, grey = 0) {
  for (let j = y; j < y + h; j++) {
    for (let i = x; i < x + w; i++) {
      const o = (j * p.width + i) * 4;
      p.data[o] = p.data[o + 1] = p.data[o + 2] = grey;
    }
  }
}

// The rectangle covers the change and overshoots it by less than one cell on each side.
function covers(r: Rect, x: number, y: number, w: number, h: number) {
  const c = DEFAULTS.cell;
  expect(r.x).toBeLessThanOrEqual(x);
  expect(r.y).toBeLessThanOrEqual(y);
  expect(r.x + r.w).toBeGreaterThanOrEqual(x + w);
  expect(r.y + r.h).toBeGreaterThanOrEqual(y + h);
  expect(x - r.x).toBeLessThan(c);
  expect(y - r.y).toBeLessThan(c);
  expect(r.x + r.w - (x + w)).toBeLessThan(c);
  expect(r.y + r.h - (y + h)).toBeLessThan(c);
}

describe("changedRegions", () => {
  it("finds nothing on identical pages", () => {
    const a = page(200, 300), b = page(200, 300);
    paint(a, 20, 20, 100, 12);
    paint(b, 20, 20, 100, 12);
    expect(changedRegions(a, b)).toEqual([]);
  });

  it("boxes one changed block with one rectangle", () => {
    const a = page(200, 300), b = page(200, 300);
    paint(b, 43, 61, 50, 17); // "Attacker" written where nothing was
    const r = changedRegions(a, b);
    expect(r).toHaveLength(1);
    covers(r[0], 43, 61, 50, 17);
  });

  it("keeps two far-apart changes apart, top to bottom", () => {
    const a = page(400, 600), b = page(400, 600);
    paint(b, 300, 500, 30, 10);
    paint(b, 10, 10, 40, 10);
    const r = changedRegions(a, b);
    expect(r).toHaveLength(2);
    covers(r[0], 10, 10, 40, 10);
    covers(r[1], 300, 500, 30, 10);
  });

  it("joins the glyphs of one changed word into one region", () => {
    const a = page(200, 100), b = page(200, 100);
    for (let x = 10; x < 150; x += 14) paint(b, x, 40, 9, 12); // letters with small gaps
    const r = changedRegions(a, b);
    expect(r).toHaveLength(1);
    covers(r[0], 10, 40, 145 - 10, 12); // last letter at 136..145
  });

  it("ignores anti-aliasing noise within the tolerance", () => {
    const a = page(120, 120), b = page(120, 120);
    paint(a, 10, 10, 50, 50, 128);
    paint(b, 10, 10, 50, 50, 128 + DEFAULTS.tolerance);
    paint(b, 70, 70, 30, 30, 255 - DEFAULTS.tolerance);
    expect(changedRegions(a, b)).toEqual([]);
    // …but a faint stamp just above the tolerance is a change.
    paint(b, 70, 70, 30, 30, 255 - DEFAULTS.tolerance - 1);
    expect(changedRegions(a, b)).toHaveLength(1);
  });

  it("drops a stray speck of fewer than minPixels pixels, keeps a full stop", () => {
    const a = page(100, 100), b = page(100, 100);
    paint(b, 50, 50, 2, 1);
    expect(changedRegions(a, b)).toEqual([]);
    paint(b, 50, 50, 2, 2);
    expect(changedRegions(a, b)).toHaveLength(1);
  });

  it("treats the area outside the smaller page as changed", () => {
    const a = page(100, 100), b = page(100, 140); // the page grew by 40 px at the bottom
    const r = changedRegions(a, b);
    expect(r).toHaveLength(1);
    covers(r[0], 0, 100, 100, 40);
    // Wider and shorter: the extra column and the missing rows are one L-shaped change, boxed
    // by one rectangle that is then the whole page.
    const r2 = changedRegions(a, page(130, 90));
    expect(r2).toEqual([{ x: 0, y: 0, w: 130, h: 100 }]);
    expect(changedRegions(page(0, 0), page(0, 0))).toEqual([]);
  });

  it("is fast enough for a 150 dpi A4 page", () => {
    const a = page(1240, 1754), b = page(1240, 1754);
    paint(b, 100, 100, 300, 20);
    const t0 = performance.now();
    expect(changedRegions(a, b)).toHaveLength(1);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
