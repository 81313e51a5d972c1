#!/usr/bin/env python3
"""Generates cjm-core/src/render/font_widths.rs: the advance widths of DejaVu Sans (regular and
bold) for the characters the maps use most, so that the renderer measures text instead of
estimating it.

    python3 scripts/font_widths.py [FONT_DIR] > cjm-core/src/render/font_widths.rs

FONT_DIR defaults to /usr/share/fonts/truetype/dejavu (Debian package fonts-dejavu-core). The
font is read with nothing but the standard library: the `head` table (unitsPerEm), `hhea`
(numberOfHMetrics), `hmtx` (advances) and `cmap` (format 4 or 12 subtable).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

# Blocks and characters in the table. Everything else falls back to an average advance (wide
# East Asian characters and emoji to a full em) in cjm-core/src/render/text.rs.
RANGES: list[tuple[int, int, str]] = [
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0400, 0x04FF, "Cyrillic"),
    (0x2010, 0x2027, "General Punctuation: dashes, quotes, bullet, ellipsis"),
    (0x2030, 0x203A, "General Punctuation: per mille, primes, single guillemets"),
    (0x20AC, 0x20AC, "euro sign"),
    (0x20BD, 0x20BD, "ruble sign"),
    (0x2116, 0x2116, "numero sign"),
    (0x2190, 0x2193, "arrows"),
    (0x2212, 0x2212, "minus sign"),
    (0x25B2, 0x25BC, "triangles"),
    (0x25CF, 0x25CF, "black circle"),
    (0x2605, 0x2606, "stars"),
    (0x2713, 0x2717, "check and ballot marks"),
]

FACES = [("REGULAR", "DejaVuSans.ttf"), ("BOLD", "DejaVuSans-Bold.ttf")]


class Font:
    def __init__(self, path: Path) -> None:
        self.data = path.read_bytes()
        count = struct.unpack_from(">H", self.data, 4)[0]
        self.tables: dict[str, int] = {}
        for i in range(count):
            tag, _, offset, _ = struct.unpack_from(">4sIII", self.data, 12 + 16 * i)
            self.tables[tag.decode("latin-1")] = offset
        self.units_per_em = struct.unpack_from(
            ">H", self.data, self.tables["head"] + 18
        )[0]
        metrics = struct.unpack_from(">H", self.data, self.tables["hhea"] + 34)[0]
        hmtx = self.tables["hmtx"]
        self.advances = [
            struct.unpack_from(">H", self.data, hmtx + 4 * i)[0] for i in range(metrics)
        ]
        self.cmap = self._cmap()

    def _cmap(self) -> dict[int, int]:
        base = self.tables["cmap"]
        count = struct.unpack_from(">H", self.data, base + 2)[0]
        best: tuple[int, int] | None = None
        for i in range(count):
            platform, _encoding, offset = struct.unpack_from(
                ">HHI", self.data, base + 4 + 8 * i
            )
            fmt = struct.unpack_from(">H", self.data, base + offset)[0]
            if (
                platform in (0, 3)
                and fmt in (4, 12)
                and (best is None or fmt > best[0])
            ):
                best = (fmt, base + offset)
        if best is None:
            raise SystemExit("no Unicode cmap subtable")
        fmt, at = best
        mapping: dict[int, int] = {}
        if fmt == 12:
            groups = struct.unpack_from(">I", self.data, at + 12)[0]
            for g in range(groups):
                start, end, glyph = struct.unpack_from(
                    ">III", self.data, at + 16 + 12 * g
                )
                for c in range(start, end + 1):
                    mapping[c] = glyph + c - start
            return mapping
        segments = struct.unpack_from(">H", self.data, at + 6)[0] // 2
        ends = at + 14
        starts = ends + 2 * segments + 2
        deltas = starts + 2 * segments
        range_offsets = deltas + 2 * segments
        for s in range(segments):
            end = struct.unpack_from(">H", self.data, ends + 2 * s)[0]
            start = struct.unpack_from(">H", self.data, starts + 2 * s)[0]
            delta = struct.unpack_from(">h", self.data, deltas + 2 * s)[0]
            ro_at = range_offsets + 2 * s
            ro = struct.unpack_from(">H", self.data, ro_at)[0]
            for c in range(start, end + 1):
                if c == 0xFFFF:
                    continue
                if ro == 0:
                    glyph = (c + delta) & 0xFFFF
                else:
                    glyph = struct.unpack_from(
                        ">H", self.data, ro_at + ro + 2 * (c - start)
                    )[0]
                    if glyph:
                        glyph = (glyph + delta) & 0xFFFF
                if glyph:
                    mapping[c] = glyph
        return mapping

    def advance(self, c: int) -> int:
        glyph = self.cmap.get(c)
        if glyph is None:
            return 0
        return self.advances[min(glyph, len(self.advances) - 1)]


def main() -> None:
    folder = Path(
        sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu"
    )
    fonts = {name: Font(folder / file) for name, file in FACES}
    units = {f.units_per_em for f in fonts.values()}
    if len(units) != 1:
        raise SystemExit(f"faces disagree on unitsPerEm: {units}")
    out = [
        "// @generated by scripts/font_widths.py from DejaVu Sans 2.37 (Debian fonts-dejavu-core).",
        "// Do not edit: run `python3 scripts/font_widths.py > cjm-core/src/render/font_widths.rs`.",
        "//! Advance widths of DejaVu Sans and DejaVu Sans Bold in font units; 0 means the font has",
        "//! no glyph there (the caller's fallback applies). The oblique faces share these advances.",
        "",
        "/// Font units per em of both faces.",
        f"pub(crate) const UNITS_PER_EM: u16 = {units.pop()};",
        "",
        "/// `(first, last, advances)`: one advance per code point from `first` to `last`.",
        "pub(crate) type Block = (u32, u32, &'static [u16]);",
    ]
    for name, font in fonts.items():
        out.append("")
        out.append(f"pub(crate) const {name}: &[Block] = &[")
        for first, last, what in RANGES:
            values = [font.advance(c) for c in range(first, last + 1)]
            out.append(f"    // U+{first:04X}..U+{last:04X} {what}")
            out.append(f"    (0x{first:04X}, 0x{last:04X}, &[")
            for i in range(0, len(values), 12):
                out.append(
                    "        " + ", ".join(str(v) for v in values[i : i + 12]) + ","
                )
            out.append("    ]),")
        out.append("];")
    print("\n".join(out))


if __name__ == "__main__":
    main()
