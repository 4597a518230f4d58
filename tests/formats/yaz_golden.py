#!/usr/bin/env python3
"""Compare marcato's MARCXML and MARC-in-JSON with YAZ's golden files.

usage: yaz_golden.py FMT_TOOL YAZ_MARC_FILES_DIR WORK_DIR

YAZ made marcN.xml / marcN.json with `yaz-marcdump -f CHARSET -t utf-8`,
i.e. after converting the record to UTF-8; marcato's writers do not
convert. So a difference is accepted only where it is one of these, and
each is counted:
  leader09  YAZ sets leader/09 to 'a' in MARCXML (it claims UTF-8)
  replaced  marcato wrote U+FFFD for bytes that are not UTF-8 (MARC-8,
            Latin-1, ESC) where YAZ has the converted text
  converted the record's charset is not UTF-8 and the value holds what
            YAZ converted: MARC-8 escapes (ESC, kept by JSON as \u001b) or
            DanMARC '@' escapes
  nodelim   a data field with no subfield delimiter (marc5's 250): YAZ
            takes the byte after the indicators as a code, marcato writes
            no subfield
  schema    a value MARC21slim.xsd does not allow, which YAZ copies and
            marcato maps by its documented rule (core/src/fmt_xmlrules.h):
            leader positions, indicators, a subfield coded '?'
Anything else fails. marc1-4 (three indicators, DanMARC) are not MARC 21
records in marcato's model and are skipped, and so is marc12, whose MARC-8
EACC text holds 0x1F bytes that YAZ's MARC-8 decoder takes as part of CJK
characters while an unconverted record splits subfields there. Exit 77
when data is absent.
"""
import json, os, subprocess, sys

FILES = [0, 5, 6, 7, 8, 9, 10, 11]
FFFD = "\ufffd"


def run(tool, fmt, src, dst):
    subprocess.run([tool, "iso", fmt, src, dst], check=True)
    with open(dst, "rb") as f:
        return f.read().decode("utf-8")  # must be valid UTF-8


def converted(x, chr_):
    return chr_ != "utf-8" and ("\x1b" in x or (chr_ == "danmarc" and "@" in x))


import re

def leader_rule(k, c, ldr):
    """What the MARCXML writer writes at leader position k holding c."""
    alnum = c.isascii() and c.isalnum()
    if k <= 4 or 12 <= k <= 16:
        return c if (c.isdigit() and c.isascii()) or c == " " else "0"
    if k == 6:
        return c if alnum else "a"
    if k in (10, 11):
        return c if c in "2 " else "2"
    if k >= 20:
        return c if ldr[20:24] in ("4500", "    ") else "4500"[k - 20]
    return c if alnum or c == " " else " "


def schema_mapped(x, y):
    """x is y with what the schema does not allow mapped by the rule."""
    if "<leader>" in x and "<leader>" in y:
        lx = x.split(">")[1].split("<")[0]
        ly = y.split(">")[1].split("<")[0]
        return len(lx) == len(ly) == 24 and all(
            lx[k] == ly[k] or k == 9 or lx[k] == leader_rule(k, ly[k], ly)
            for k in range(24))
    if "<datafield" in x and "<datafield" in y:
        ax = dict(re.findall(r'(\w+)="([^"]*)"', x))
        ay = dict(re.findall(r'(\w+)="([^"]*)"', y))
        return ax.get("tag") == ay.get("tag") and all(
            ax.get(i) == ay.get(i) or (ax.get(i) == " " and not re.fullmatch(
                r"[0-9a-z ]", ay.get(i, ""))) for i in ("ind1", "ind2"))
    return '<subfield code="?">' in x and "<subfield" in y


def cmp_xml(ours, gold, counts, chr_):
    a, b = ours.splitlines(), gold.splitlines()
    i = j = 0
    while i < len(a) and j < len(b):
        x, y = a[i], b[j]
        if x == y:
            pass
        elif "<leader>" in x and len(x) == len(y) and \
                [k for k in range(len(x)) if x[k] != y[k]] == [x.index(">") + 10]:
            counts["leader09"] += 1
        elif '<subfield code="?">' in x and i + 1 < len(a) and a[i + 1] == y:
            counts["schema"] += 1  # text before the first delimiter kept
            i += 1
            continue
        elif schema_mapped(x, y):
            counts["schema"] += 1
        elif FFFD in x and x.split()[0] == y.split()[0]:
            counts["replaced"] += 1
        elif converted(x, chr_) and x.split()[0] == y.split()[0]:
            counts["converted"] += 1
        elif "<subfield" in y and "<subfield" not in x:
            counts["nodelim"] += 1  # YAZ's extra subfield line
            j += 1
            continue
        else:
            return "line %d: %r != %r" % (i + 1, x, y)
        i += 1
        j += 1
    if i != len(a) or j != len(b):
        return "lengths differ"
    return None


def cmp_json(x, y, counts, path, chr_):
    if isinstance(x, str) and isinstance(y, str):
        if x == y:
            return None
        if FFFD in x or FFFD in "".join(path):
            counts["replaced"] += 1
            return None
        if converted(x, chr_):
            counts["converted"] += 1
            return None
        return "%s: %r != %r" % ("/".join(path), x, y)
    if isinstance(x, dict) and isinstance(y, dict):
        if list(x) != list(y):
            # a key that is a replaced subfield code
            if len(x) == len(y) == 1 and FFFD in list(x)[0]:
                counts["replaced"] += 1
                return None
            return "%s: keys %s != %s" % ("/".join(path), list(x), list(y))
        for k in x:
            e = cmp_json(x[k], y[k], counts, path + [k], chr_)
            if e:
                return e
        return None
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            if path[-1:] == ["subfields"] and len(x) == 0:
                counts["nodelim"] += 1
                return None
            return "%s: %d != %d items" % ("/".join(path), len(x), len(y))
        for k, (p, q) in enumerate(zip(x, y)):
            e = cmp_json(p, q, counts, path + [str(k)], chr_)
            if e:
                return e
        return None
    return "%s: types differ" % "/".join(path)


def main():
    tool, src, work = sys.argv[1:4]
    if not os.path.isdir(src):
        return 77
    os.makedirs(work, exist_ok=True)
    failed = 0
    for n in FILES:
        base = os.path.join(src, "marc%d" % n)
        counts = {"leader09": 0, "replaced": 0, "converted": 0, "nodelim": 0,
                  "schema": 0}
        with open(base + ".chr") as f:
            chr_ = f.read().strip()
        with open(base + ".xml", encoding="utf-8") as f:
            gold_xml = f.read()
        with open(base + ".json", encoding="utf-8") as f:
            gold_json = json.load(f)
        ours_xml = run(tool, "xml", base + ".marc",
                       os.path.join(work, "marc%d.xml" % n))
        ours_json = json.loads(run(tool, "json", base + ".marc",
                                   os.path.join(work, "marc%d.json" % n)))
        e = cmp_xml(ours_xml, gold_xml, counts, chr_)
        if len(ours_json) != 1:
            e2 = "expected one record"
        else:
            e2 = cmp_json(ours_json[0], gold_json, counts, [], chr_)
        status = "ok" if not e and not e2 else "FAIL"
        print("marc%d: %s xml=%s json=%s accepted %s" %
              (n, status, e or "same", e2 or "same", counts))
        failed += status != "ok"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
