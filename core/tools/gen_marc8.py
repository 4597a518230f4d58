#!/usr/bin/env python3
"""Generate the MARC-8 tables of the core from the Library of Congress code
tables (core/data/codetables.xml).

Run by the build (core/charset.cmake); the output goes to the build
directory and is never edited by hand:

    gen_marc8.py codetables.xml marc8_tables.h marc8_tables.c

What is emitted (all const, so the core keeps "no globals but const
tables"):
  - one 128-entry table per single-byte set, indexed by the byte's low
    seven bits, so the same table serves a set designated as G0
    (0x21-0x7E) or G1 (0xA1-0xFE); 0 means "no mapping";
  - a bitmap of the combining characters of each set;
  - EACC (CJK, three bytes) as a sorted array of 16-bit keys per first
    byte, searched by bisection (15.7k entries in 63 KB);
  - the reverse maps for the encoder, sorted by code point.

The character a code maps to is <ucs>, or <alt> when <ucs> is empty (the
two ligature / double tilde second halves, EC and FB), as YAZ and pymarc do.
"""
import sys
import xml.etree.ElementTree as ET

from gen_common import rows

# Sets in the order of the generated enum. The ISO final byte is the one the
# escape sequences name (ESC ( B, ESC ) ! E, ESC $ 1...). The encoder prefers
# earlier sets when a character is in more than one.
SETS = [
    ("ASCII", "42", "Basic Latin (ASCII)"),
    ("ANSEL", "45", "Extended Latin (ANSEL)"),
    ("GREEK_SYMBOLS", "67", "Greek Symbols"),
    ("SUBSCRIPTS", "62", "Subscripts"),
    ("SUPERSCRIPTS", "70", "Superscripts"),
    ("HEBREW", "32", "Basic Hebrew"),
    ("CYRILLIC", "4E", "Basic Cyrillic"),
    ("EXT_CYRILLIC", "51", "Extended Cyrillic"),
    ("ARABIC", "33", "Basic Arabic"),
    ("EXT_ARABIC", "34", "Extended Arabic"),
    ("GREEK", "53", "Basic Greek"),
    ("EACC", "31", "Chinese, Japanese, Korean (EACC)"),
]


# Codes outside the LC tables that real records carry: Innovative
# Interfaces (III) systems wrote these six punctuation marks in EACC mode
# with a space or DEL in the code. pymarc reads them (its "ODD_MAP"), and so
# its test lines contain them. Decoded only; the encoder never writes them.
EACC_EXTRA = [
    (0x21203D, 0x2026),  # HORIZONTAL ELLIPSIS
    (0x212040, 0x201C),  # LEFT DOUBLE QUOTATION MARK
    (0x7F2014, 0x2014),  # EM DASH
    (0x7F2019, 0x2019),  # RIGHT SINGLE QUOTATION MARK
    (0x7F2020, 0x201D),  # RIGHT DOUBLE QUOTATION MARK
    (0x7F2122, 0x2122),  # TRADE MARK SIGN
]


# Marks that have no character of their own: the second halves of the
# ligature (EC) and double tilde (FB). LC maps the pair to one double-width
# mark (U+0361, U+0360) written with the first half and gives the halves
# (U+FE20-FE23) only as alternatives "not recommended"; YAZ drops the
# second half. The decoder skips them (NOTHING), the encoder writes them
# back after the character that follows a double-width mark.
NOTHING = 0xFFFF


def code_point(code):
    ucs = (code.findtext("ucs") or "").strip()
    if not ucs:
        return NOTHING if (code.findtext("alt") or "").strip() else None
    return int(ucs, 16)


def halves(path):
    """(double-width mark, byte of its second half) pairs."""
    by_alt, out = {}, []
    codes = list(ET.parse(path).getroot().iter("code"))
    for code in codes:
        alt = (code.findtext("alt") or "").strip()
        ucs = (code.findtext("ucs") or "").strip()
        if alt and ucs:
            by_alt[int(alt, 16)] = int(ucs, 16)
    for code in codes:
        alt = (code.findtext("alt") or "").strip()
        if alt and not (code.findtext("ucs") or "").strip():
            first = by_alt.get(int(alt, 16) - 1)
            if first is None:
                sys.exit("gen_marc8: no first half for U+%s" % alt)
            out.append((first, int(code.findtext("marc").strip(), 16) & 0x7F))
    return out


def load(path):
    by_iso = {}
    for cs in ET.parse(path).getroot().iter("characterSet"):
        entries = []
        for code in cs.iter("code"):
            marc = int(code.findtext("marc").strip(), 16)
            cp = code_point(code)
            if cp is None:
                continue
            comb = (code.findtext("isCombining") or "").strip() == "true"
            entries.append((marc, cp, comb))
        by_iso[cs.get("ISOcode")] = (cs.get("name"), entries)
    for _, iso, name in SETS:
        if iso not in by_iso or by_iso[iso][0] != name:
            sys.exit("gen_marc8: set %s (%s) not found" % (iso, name))
    return by_iso


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: gen_marc8.py codetables.xml out.h out.c")
    src, out_h, out_c = sys.argv[1:]
    by_iso = load(src)
    half = halves(src)
    single = [s for s in SETS if s[0] != "EACC"]

    sb = []     # per set: 128 code points
    comb = []   # per set: 4 x 32-bit bitmap
    rev = []    # (cp, set index, byte, combining) for the encoder
    for si, (_, iso, _) in enumerate(single):
        table = [0] * 128
        bits = [0] * 4
        for marc, cp, is_comb in by_iso[iso][1]:
            if marc >= 0x80 and marc < 0xA1:
                continue  # C1 controls of ANSEL: handled as their own set
            if marc < 0x21:
                continue  # space and controls are the same in every set
            pos = marc & 0x7F
            if table[pos] == 0:
                table[pos] = cp
                if is_comb:
                    bits[pos >> 5] |= 1 << (pos & 31)
                if cp != NOTHING:
                    rev.append((cp, si, pos, 1 if is_comb else 0))
        sb.append(table)
        comb.append(bits)

    # ANSEL's C1 characters (non-sort begin/end, joiners): bytes 0x80-0x9F
    # mean the same whatever G1 holds.
    c1 = [0] * 32
    for marc, cp, _ in by_iso["45"][1]:
        if 0x80 <= marc < 0xA0:
            c1[marc - 0x80] = cp

    eacc = sorted((m, cp) for m, cp, _ in by_iso["31"][1])
    first = [0] * 95
    keys, vals = [], []
    for m, cp in eacc:
        b1, b2, b3 = m >> 16, (m >> 8) & 0xFF, m & 0xFF
        # The third byte may be 0x20: 212320 is the ideographic space.
        if not (0x21 <= b1 <= 0x7E and 0x21 <= b2 <= 0x7E and 0x20 <= b3 <= 0x7E):
            sys.exit("gen_marc8: EACC code %06X out of range" % m)
        first[b1 - 0x21 + 1] += 1
        keys.append((b2 << 8) | b3)
        vals.append(cp)
    for i in range(1, 95):
        first[i] += first[i - 1]

    # Encoder: for a code point, every (set, byte) holding it, in the
    # order of SETS; the encoder picks the current set when it can.
    rev.sort(key=lambda r: (r[0], r[1]))
    eacc_rev = {}
    for m, cp in eacc:
        eacc_rev.setdefault(cp, m)
    eacc_rev = sorted(eacc_rev.items())

    n_single = len(single)
    with open(out_h, "w") as h:
        h.write("""/* Generated by core/tools/gen_marc8.py from core/data/codetables.xml.
 * Do not edit. */
#ifndef MARC8_TABLES_H
#define MARC8_TABLES_H

#include <stdint.h>

/* Character sets, in the encoder's order of preference. */
enum marc8_set {
%s
  MARC8_SET_COUNT_
};
#define MARC8_SINGLE_SETS %d

/* ISO 2022 final byte of each set, as escape sequences name it. */
extern const uint8_t marc__m8_final[MARC8_SET_COUNT_];
/* Single-byte sets: code point by the byte's low seven bits (0: none,
 * MARC8_NOTHING: a mark with no character of its own, skipped). */
#define MARC8_NOTHING 0x%04X
extern const uint16_t marc__m8_sb[MARC8_SINGLE_SETS][128];
/* Bit (b & 31) of word (b >> 5): byte b of the set is a combining mark. */
extern const uint32_t marc__m8_comb[MARC8_SINGLE_SETS][4];
/* Bytes 0x80-0x9F (ANSEL's C1 characters), whatever G1 holds. */
extern const uint16_t marc__m8_c1[32];

/* EACC: codes with first byte b1 (0x21-0x7E, high bit cleared) are
 * keys[first[b1 - 0x21] .. first[b1 - 0x20]), sorted; key = b2 << 8 | b3. */
#define MARC8_EACC_COUNT %d
extern const uint16_t marc__m8_eacc_first[95];
extern const uint16_t marc__m8_eacc_key[MARC8_EACC_COUNT];
extern const uint32_t marc__m8_eacc_ucs[MARC8_EACC_COUNT];

/* Double-width marks (U+0361, U+0360) and the ANSEL byte (low seven bits)
 * of the second half MARC-8 writes after the next character. */
#define MARC8_HALF_COUNT %d
extern const uint16_t marc__m8_half_cp[MARC8_HALF_COUNT];
extern const uint8_t marc__m8_half_byte[MARC8_HALF_COUNT];

/* EACC codes outside the LC tables (see gen_marc8.py), sorted. */
#define MARC8_EACC_EXTRA_COUNT %d
extern const uint32_t marc__m8_eacc_extra_code[MARC8_EACC_EXTRA_COUNT];
extern const uint16_t marc__m8_eacc_extra_ucs[MARC8_EACC_EXTRA_COUNT];

/* Encoder, single-byte sets: sorted by code point, then set. */
typedef struct marc8_rev {
  uint16_t cp;
  uint8_t set;
  uint8_t byte; /* low seven bits */
} marc8_rev;
#define MARC8_REV_COUNT %d
extern const marc8_rev marc__m8_rev[MARC8_REV_COUNT];
/* Encoder, EACC: sorted code points and their three bytes (b1<<16|b2<<8|b3,
 * high bits clear). */
#define MARC8_EACC_REV_COUNT %d
extern const uint32_t marc__m8_eacc_rev_cp[MARC8_EACC_REV_COUNT];
extern const uint32_t marc__m8_eacc_rev_code[MARC8_EACC_REV_COUNT];

#endif
""" % ("\n".join("  MARC8_%s," % s[0] for s in SETS), n_single, NOTHING,
       len(keys),
       len(half), len(EACC_EXTRA),
       len(rev), len(eacc_rev)))

    with open(out_c, "w") as c:
        c.write("/* Generated by core/tools/gen_marc8.py from "
                "core/data/codetables.xml.\n * Do not edit. */\n")
        c.write('#include "marc8_tables.h"\n\n')
        c.write("const uint8_t marc__m8_final[MARC8_SET_COUNT_] = {%s};\n\n" %
                ", ".join("0x" + s[1] for s in SETS))
        c.write("const uint16_t marc__m8_sb[MARC8_SINGLE_SETS][128] = {\n")
        for (name, _, _), table in zip(single, sb):
            c.write("  /* %s */ {\n%s\n  },\n" %
                    (name, rows(table, 8, "0x%04X")))
        c.write("};\n\n")
        c.write("const uint32_t marc__m8_comb[MARC8_SINGLE_SETS][4] = {\n")
        for bits in comb:
            c.write("  {%s},\n" % ", ".join("0x%08Xu" % b for b in bits))
        c.write("};\n\n")
        c.write("const uint16_t marc__m8_c1[32] = {\n%s\n};\n\n" %
                rows(c1, 8, "0x%04X"))
        c.write("const uint16_t marc__m8_eacc_first[95] = {\n%s\n};\n\n" %
                rows(first, 10, "%d"))
        c.write("const uint16_t marc__m8_eacc_key[MARC8_EACC_COUNT] = {\n%s\n};\n\n"
                % rows(keys, 10, "0x%04X"))
        c.write("const uint32_t marc__m8_eacc_ucs[MARC8_EACC_COUNT] = {\n%s\n};\n\n"
                % rows(vals, 8, "0x%05X"))
        c.write("const uint16_t marc__m8_half_cp[MARC8_HALF_COUNT] = {%s};\n" %
                ", ".join("0x%04X" % cp for cp, _ in half))
        c.write("const uint8_t marc__m8_half_byte[MARC8_HALF_COUNT] = {%s};\n\n"
                % ", ".join("0x%02X" % b for _, b in half))
        c.write("const uint32_t marc__m8_eacc_extra_code[MARC8_EACC_EXTRA_COUNT]"
                " = {%s};\n" % ", ".join("0x%06Xu" % m for m, _ in EACC_EXTRA))
        c.write("const uint16_t marc__m8_eacc_extra_ucs[MARC8_EACC_EXTRA_COUNT]"
                " = {%s};\n\n" % ", ".join("0x%04X" % u for _, u in EACC_EXTRA))
        c.write("const marc8_rev marc__m8_rev[MARC8_REV_COUNT] = {\n%s\n};\n\n" %
                rows([(cp, s, b) for cp, s, b, _ in rev], 4,
                     "{0x%04X, %d, 0x%02X}"))
        c.write("const uint32_t marc__m8_eacc_rev_cp[MARC8_EACC_REV_COUNT] = {\n"
                "%s\n};\n\n" % rows([cp for cp, _ in eacc_rev], 8, "0x%05X"))
        c.write("const uint32_t marc__m8_eacc_rev_code[MARC8_EACC_REV_COUNT] = {\n"
                "%s\n};\n" % rows([m for _, m in eacc_rev], 8, "0x%06Xu"))


if __name__ == "__main__":
    main()
