#!/usr/bin/env python3
"""Compare marcato's Avram findings with avram-js's on the same records.

  compare.py MARCATO AVRAM_JS_DIR RECORDS.mrc [SCHEMA.json] [-- RULES...]

Runs `marcato validate -j 1 --schema SCHEMA` (default: the bibliographic
schema marcato ships) and avram-js (oracle/avram-js.mjs, with node) and
matches their problems record by record on (rule, tag, subfield,
indicator, position). Prints, for each (rule, tag) group, how many
problems both found, only avram-js, only marcato, with example records;
then the speed of each. RULES (+name/-name) go to both. Exit 0 always:
this is a report, read and explained in tests/validation/README.md.
"""
import collections
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))

LINE = re.compile(r": record (\d+) at byte \d+: ([a-zA-Z]+) (?:\[([^\]$]*)(?:\$(.))?\] )?(.*)$")


def marcato(cli, mrc, schema, rules):
    args = [cli, "validate", "-j", "1", "--schema", schema, mrc]
    if rules:
        args[2:2] = ["--rules", ",".join(rules)]
    t0 = time.time()
    p = subprocess.run(args, capture_output=True, text=True, errors="replace")
    secs = time.time() - t0
    out = []
    for line in p.stderr.splitlines():
        m = LINE.search(line)
        if not m or m.group(2)[0].isupper():
            continue  # structure codes (UPPER_CASE) have no avram-js peer
        rec, rule, tag, code, msg = m.groups()
        ind = re.search(r"indicator([12])", msg)
        pos = re.search(r" position (\S+)", msg)
        out.append((int(rec), rule, tag or "", code or "",
                    ind.group(1) if ind else "", pos.group(1) if pos else ""))
    return out, secs


def avramjs(dirname, mrc, schema, rules):
    t0 = time.time()
    p = subprocess.run(["node", os.path.join(HERE, "avram-js.mjs"), dirname,
                        schema, mrc] + rules, capture_output=True, text=True,
                       errors="replace")
    secs = time.time() - t0
    out = []
    for line in p.stdout.splitlines():
        e = json.loads(line)
        ind = e.get("indicator", "")
        out.append((e["record"], e.get("error", ""), e.get("tag", e.get("id", "")),
                    e.get("subfield", ""), ind[-1:] if ind else "",
                    e.get("position", "")))
    return out, secs, p.stderr.strip()


def main():
    argv = sys.argv[1:]
    rules = []
    if "--" in argv:
        rules = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    cli, avdir, mrc = argv[:3]
    schema = argv[3] if len(argv) > 3 else os.path.join(
        REPO, "core", "data", "schemas", "marc21-bibliographic.json")
    ours, our_s = marcato(cli, mrc, schema, rules)
    theirs, their_s, note = avramjs(avdir, mrc, schema, rules)
    a, b = collections.Counter(ours), collections.Counter(theirs)
    both, only_m, only_a = a & b, a - b, b - a
    groups = collections.defaultdict(lambda: [0, 0, 0, [], []])
    for k, n in both.items():
        groups[(k[1], k[2])][0] += n
    for k, n in only_a.items():
        g = groups[(k[1], k[2])]
        g[1] += n
        g[3].append(k)
    for k, n in only_m.items():
        g = groups[(k[1], k[2])]
        g[2] += n
        g[4].append(k)
    print(f"{'rule':<22} {'tag':<4} {'both':>7} {'avram-js':>9} {'marcato':>8}  examples (record, subfield, ind, position)")
    for (rule, tag), (nb, na, nm, ea, em) in sorted(
            groups.items(), key=lambda kv: -(kv[1][1] + kv[1][2])):
        if not na and not nm:
            continue
        fmt = lambda ks: "; ".join(f"{k[0]} {k[3]} {k[4]} {k[5]}".strip()
                                   for k in sorted(ks)[:2])
        exs = "  ".join(f"{side}: {fmt(ks)}" for side, ks in
                        (("avram-js", ea), ("marcato", em)) if ks)
        print(f"{rule:<22} {tag:<4} {nb:>7} {na:>9} {nm:>8}  {exs}")
    print(f"\nagree on {sum(both.values())} problems; only avram-js "
          f"{sum(only_a.values())}; only marcato {sum(only_m.values())}")
    print(f"marcato (CLI, -j 1): {our_s:.2f} s; {note}")


if __name__ == "__main__":
    main()
