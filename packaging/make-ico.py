#!/usr/bin/env python3
"""Makes src-tauri/icons/icon.ico (Windows: the programs' and installer's icon) from the
128x128 RGBA icon.png, with the standard library only: 16, 24, 32, 48 and 64 px as 32-bit
BMP images (box-filtered down), 128 px as PNG. Run again when icon.png changes:
    python3 packaging/make-ico.py src-tauri/icons/icon.png src-tauri/icons/icon.ico
"""
import struct
import sys
import zlib


def read_png(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color == 6, "needs 8-bit RGBA"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * 4, [], bytearray(w * 4)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b = prev[i]
            c = prev[i - 4] if i >= 4 else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, rows


def scaled(w, rows, size):
    k = w / size
    out = []
    for y in range(size):
        line = bytearray()
        for x in range(size):
            acc, n = [0, 0, 0, 0], 0
            for yy in range(int(y * k), max(int(y * k) + 1, int((y + 1) * k))):
                for xx in range(int(x * k), max(int(x * k) + 1, int((x + 1) * k))):
                    px = rows[yy][xx * 4:xx * 4 + 4]
                    a = px[3]
                    for i in range(3):
                        acc[i] += px[i] * a
                    acc[3] += a
                    n += 1
            a = acc[3]
            rgb = [acc[i] // a if a else 0 for i in range(3)]
            line += bytes(rgb + [a // n])
        out.append(line)
    return out


def bmp_entry(rows, size):
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    pixels = b"".join(bytes(px for i in range(0, len(r), 4) for px in (r[i + 2], r[i + 1], r[i], r[i + 3])) for r in reversed(rows))
    mask_stride = ((size + 31) // 32) * 4
    return header + pixels + b"\0" * mask_stride * size


def main(src, dst):
    png = open(src, "rb").read()
    w, h, rows = read_png(png)
    images = [(s, bmp_entry(scaled(w, rows, s), s)) for s in (16, 24, 32, 48, 64)] + [(w, png)]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, body in images:
        out += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(body), offset)
        offset += len(body)
    out += b"".join(body for _, body in images)
    open(dst, "wb").write(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
