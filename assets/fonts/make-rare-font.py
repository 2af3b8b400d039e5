#!/usr/bin/env python3
"""Builds assets/fonts/hanamin-rare.ttf: HanaMinB (fonts-hanazono) cut to the characters of the
通用规范汉字表 (2013) that lie outside the Basic Multilingual Plane: 199 hanzi of CJK Ext-B, C, D
and E, the supplementary-plane set that GB 18030-2022 implementation level 2 adds to level 1. They
are characters of personal and place names (𠅤, 𡎚, 𩽾, 𬌗, 𫖮 …) that no other bundled font has.
The whole Ext-B block would be 22 MB; this cut is about 90 KB. The superscript and subscript
digits of HanaMinA are merged in (⁹ of ×10⁹/L is in no other bundled font).

Used only as the last font of the PDF fallback chain (reports/pdf), not on screen.

Run with Debian's python3-fonttools and fonts-hanazono installed:
    /usr/bin/python3 assets/fonts/make-rare-font.py
Licence: Hanazono Font Licence or SIL OFL 1.1 (hanazono.copyright.txt). The cut keeps the
original family name, as the Hanazono Font Licence allows (modification is permitted).
"""
import os
from fontTools import subset
from fontTools.ttLib import TTFont

here = os.path.dirname(os.path.abspath(__file__))
SRC = "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"

# The supplementary-plane characters of 通用规范汉字表 (2013), in the table's order.
RARE = """
2C27C 20CD0 25ED7 20676 2C8D9 28678 2C1D5 2C8DE 2C613 2BB5F 2BB62 2B1ED 2B404 2BD77 23C98
23C97 2C1D9 2C8E1 2BE29 28695 2B61C 2C618 2B61D 26B5C 2CA02 2C029 2C02A 2CB29 2B363 2C8F3
2CA7D 2CBBF 2CBC0 2BC1B 2CCF5 2CCF6 2B80A 2C35B 2C72C 26C21 2AFA2 2AA30 2B4E7 2CB2E 2CB31
2CB2D 26676 2C621 2CCFD 2C629 2B127 2A7DD 2C364 2BB7C 2C72F 2C0A9 2B806 28408 2C317 2B461
2AA36 2CB38 2CB3B 2CB39 2CB3F 2CB41 2B8B8 2B5E7 2C288 2C488 28E99 2CCFF 2B128 2C62B 2BB83
2CC56 2C7FD 2B4EF 2B7F9 2B7FC 20164 2C1F9 2C361 2C907 2B36F 2C90A 2B372 2CBCE 2C62C 2C62D
2CD02 2B626 2B7C5 2C62F 2B627 2A8FB 2139A 2C0CA 2CDD5 2B410 2CE7C 27FF9 2BD87 2B5AE 2CB4A
28C47 2B4F6 2CB4E 2B5AF 2CC5F 2B6ED 2BDF7 2CBB1 2C2A4 23E23 2CD03 2B628 249DB 2CAA9 2C494
2CA0E 2B413 2BAC7 2B4F9 2CB5A 2CB5B 2C542 2CD8B 2CD8D 2677C 2B536 2B300 2B5B3 2B62A 2B62C
2B7A9 21413 2A917 235CB 2CE18 2C497 25532 2B696 28C4F 2CB64 2B695 2CD90 2CD8F 29F7E 2CE1A
2C91D 2C642 2CB69 29F83 2CE23 2B37D 2CD0A 2C79F 25562 2B7E6 2CE88 2B81C 2AA58 2CB6C 28C51
2CB6F 2B5F4 2CE26 2B137 24A7D 2CB73 2CB76 2B50D 2CB78 28C54 2CB7C 2B50E 2CE2A 2CD9F 2CDA0
2CDA8 26221 2B138 2C7C1 255A8 2648D 2C64A 2CDAD 29F8C 287E0 2CDAE 28B49 2C64B 24AC9 2CE93
2B6AD
"""
codes = [int(c, 16) for c in RARE.split()]
assert len(codes) == len(set(codes)), "duplicate code point"

# Superscript and subscript digits and signs (U+2070–U+209F): ⁹ of ×10⁹/L is in no other
# bundled font. Taken from HanaMinA (same family, same 1024 units per em) and merged in.
SUPER = list(range(0x2070, 0x20A0))
SRC_A = "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf"

font = TTFont(SRC)
have = font.getBestCmap()
missing = [c for c in codes if c not in have]
if missing:
    print("not in HanaMinB:", " ".join("U+%X" % c for c in missing))
opts = subset.Options()
opts.layout_features = []
opts.name_IDs = ["*"]
opts.notdef_outline = True
opts.hinting = False
opts.glyph_names = False
sub = subset.Subsetter(opts)
# A space keeps a BMP (3,1) format-4 cmap beside the format-12 one: gopdf reads both.
sub.populate(unicodes=[0x20] + codes)
sub.subset(font)
tmp_b = os.path.join(here, ".rare-b.ttf")
font.save(tmp_b)

fa = TTFont(SRC_A)
sub = subset.Subsetter(opts)
sub.populate(unicodes=[0x20] + [c for c in SUPER if c in fa.getBestCmap()])
sub.subset(fa)
tmp_a = os.path.join(here, ".rare-a.ttf")
fa.save(tmp_a)

from fontTools import merge
font = merge.Merger().merge([tmp_b, tmp_a])
os.remove(tmp_a)
os.remove(tmp_b)
out = os.path.join(here, "hanamin-rare.ttf")
font.save(out)
print("%s: %d characters, %d glyphs, %d bytes" % (out, len(codes) - len(missing), font["maxp"].numGlyphs, os.path.getsize(out)))
