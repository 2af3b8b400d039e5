#!/usr/bin/env python3
"""Builds assets/fonts/ui-cjk.ttf: WenQuanYi Micro Hei with the glyphs it lacks (CJK Ext-A and
others) taken from Droid Sans Fallback, scaled to Micro Hei's 2048 units per em.

Why: a Fyne theme returns one font per text style, so names with 生僻字 (Ext-A) would show only
where the PC happens to have a font for them. The merged face shows them on every PC.
The PDF module keeps the separate fonts (it falls back per character itself).

Run with Debian's python3-fonttools:  python3 assets/fonts/merge-ui-font.py
Licences: Micro Hei (Apache-2.0 or GPL-3+ with font exception) and Droid Sans Fallback
(Apache-2.0); the merged face is distributed under Apache-2.0 (see README.md here)."""
import os
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

here = os.path.dirname(os.path.abspath(__file__))
main = TTFont(os.path.join(here, "wqy-microhei.ttf"))
fallback = TTFont(os.path.join(here, "DroidSansFallbackFull.ttf"))
scale_upem(fallback, main["head"].unitsPerEm)

have = main.getBestCmap()
take = {cp: gn for cp, gn in fallback.getBestCmap().items() if cp not in have and cp >= 0x2E80}
order = list(main.getGlyphOrder())
glyf, hmtx = main["glyf"], main["hmtx"]
fglyf, fhmtx = fallback["glyf"], fallback["hmtx"]
added = {}


def copy_glyph(gn):
    """Copies a Droid glyph (and, for a composite, its components) into the main font."""
    name = added.get(gn)
    if name is not None:
        return name
    g = fglyf[gn]
    if g.isComposite():
        for comp in g.components:
            comp.glyphName = copy_glyph(comp.glyphName)
    name = "droid." + gn
    glyf.glyphs[name] = g
    hmtx.metrics[name] = fhmtx[gn]
    order.append(name)
    added[gn] = name
    return name


def remap(cp, name):
    for t in main["cmap"].tables:
        if t.isUnicode() and (t.format == 12 or cp <= 0xFFFF):
            t.cmap[cp] = name


for cp, gn in sorted(take.items()):
    remap(cp, copy_glyph(gn))
# Micro Hei maps a few symbols to empty outlines, which show as blanks: ℃ (body temperature), and
# the Roman numerals Ⅴ and Ⅹ (muscle strength Ⅴ级, stages). Draw them from Micro Hei's own glyphs:
# Ⅴ and Ⅹ are V and X; ℃ is ° followed by C, as one composite glyph.
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent


def composite(name, parts):
    g = Glyph()
    g.numberOfContours = -1
    g.components = []
    x = 0
    for gn in parts:
        c = GlyphComponent()
        c.glyphName, c.x, c.y, c.flags = gn, x, 0, 0x4 if not g.components else 0
        g.components.append(c)
        x += hmtx[gn][0]
    glyf.glyphs[name] = g
    hmtx.metrics[name] = (x, 0)
    order.append(name)
    return name


for cp, parts in ((0x2164, ["V"]), (0x2169, ["X"]), (0x2103, ["degree", "C"])):
    gn = have.get(cp)
    if gn is not None and glyf[gn].numberOfContours == 0:
        cm = main.getBestCmap()
        remap(cp, composite("occ.uni%04X" % cp, [cm[ord(p)] if len(p) == 1 else cm[0xB0] for p in parts]))

main.setGlyphOrder(order)
glyf.glyphOrder = order
main["maxp"].numGlyphs = len(order)
main["name"].setName("WenQuanYi Micro Hei + Droid Ext-A (occhealth UI)", 4, 3, 1, 0x409)
out = os.path.join(here, "ui-cjk.ttf")
main.save(out)
print(f"{out}: {len(added)} glyphs added, {len(order)} in all, {os.path.getsize(out)} bytes")
