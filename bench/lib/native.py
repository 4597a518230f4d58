"""The native scenarios of bench/run: single thread against yaz-marcdump
and the memchr floor, instructions per record (callgrind), threads, the
serial threshold, batch and queue sensitivity, latency, memory, writers.
Each function takes the run context and returns a JSON-able dict."""
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict

from common import (CommandFailed, jsonl, log, output, pair_ratios, summary,
                    timed, tsv_runs)

# ---------------------------------------------------------------------------
# 1. single thread


def _count(ctx, path):
    """Records in an ISO 2709 file, as the reader frames them."""
    if path not in ctx.counts:
        out = output([ctx.bench_core, "--runs", "1", "--scenarios", "parse",
                      path])
        ctx.counts[path] = int(tsv_runs(out)[0][2])
    return ctx.counts[path]


def single(ctx):
    d = ctx.data
    large, m8, u8 = d["large"], d["marc8"], d["utf8"]
    cli, yaz = ctx.cli, ctx.yaz
    null = ["-o", "/dev/null"]
    # (id, who, work, file, command or None for in-process rows)
    rows = [
        ("core:memchr", "in-process", "memchr floor", large, None),
        ("core:parse", "in-process", "parse", large, None),
        ("core:subfields", "in-process", "parse + every subfield", large,
         None),
        ("core:rewrite", "in-process", "rewrite ISO 2709", large, None),
        ("core:marcxml", "in-process", "-> MARCXML", large, None),
        ("core:json", "in-process", "-> MARC-in-JSON", large, None),
        ("core:mrk", "in-process", "-> .mrk", large, None),
        ("core:marc8", "in-process", "MARC-8 -> UTF-8", m8, None),
        ("core:utf8-marcxml", "in-process", "UTF-8 file -> MARCXML", u8,
         None),
    ]
    for tag, jobs in (("cli1", ["-j", "1"]), ("cli", [])):
        who = "marcato -j 1" if jobs else f"marcato (-j {ctx.cores})"
        rows += [
            (f"{tag}:parse", who, "parse", large,
             [cli, "count", "-q", *jobs, large]),
            (f"{tag}:rewrite", who, "rewrite ISO 2709", large,
             [cli, "convert", "-q", *jobs, "-t", "iso2709", large, *null]),
            (f"{tag}:marcxml", who, "-> MARCXML", large,
             [cli, "convert", "-q", *jobs, "-t", "marcxml", large, *null]),
            (f"{tag}:json", who, "-> MARC-in-JSON", large,
             [cli, "convert", "-q", *jobs, "-t", "json", large, *null]),
            (f"{tag}:mrk", who, "-> .mrk", large,
             [cli, "convert", "-q", *jobs, "-t", "mrk", large, *null]),
            (f"{tag}:marc8", who, "MARC-8 -> UTF-8", m8,
             [cli, "convert", "-q", *jobs, "--to-encoding", "utf8", m8,
              *null]),
            (f"{tag}:utf8-marcxml", who, "UTF-8 file -> MARCXML", u8,
             [cli, "convert", "-q", *jobs, "-t", "marcxml", u8, *null]),
            # Three columns out of every record (issue 14's benchmark).
            (f"{tag}:select", who, "select 001, 245$a, 650$a", large,
             [cli, "select", "-q", *jobs, "-s", "001", "-s", "245$a", "-s",
              "650$a", large, *null]),
        ]
    if yaz:
        rows += [
            ("yaz:parse", "yaz-marcdump", "parse", large, [yaz, "-n", large]),
            ("yaz:rewrite", "yaz-marcdump", "rewrite ISO 2709", large,
             [yaz, "-o", "marc", large]),
            ("yaz:marcxml", "yaz-marcdump", "-> MARCXML", large,
             [yaz, "-o", "marcxml", large]),
            ("yaz:json", "yaz-marcdump", "-> MARC-in-JSON", large,
             [yaz, "-o", "json", large]),
            ("yaz:mrk", "yaz-marcdump", "-> .mrk", large,
             [yaz, "-o", "line", large]),
            ("yaz:marc8", "yaz-marcdump", "MARC-8 -> UTF-8", m8,
             [yaz, "-f", "marc8", "-t", "utf8", "-l", "9=97", "-o", "marc",
              m8]),
            ("yaz:utf8-marcxml", "yaz-marcdump", "UTF-8 file -> MARCXML", u8,
             [yaz, "-o", "marcxml", u8]),
            # The floor a user would script a column extraction around.
            ("yaz:select", "yaz-marcdump", "select 001, 245$a, 650$a", large,
             [yaz, "-o", "line", large]),
        ]
    # The same three columns written with marcjs in Node (the JS peer),
    # when node and web/node_modules/marcjs are there.
    here = os.path.dirname(os.path.abspath(__file__))
    marcjs = os.path.join(here, "..", "..", "web", "node_modules", "marcjs")
    if shutil.which("node") and os.path.isdir(marcjs):
        rows.append(("marcjs:select", "marcjs (Node)",
                     "select 001, 245$a, 650$a", large,
                     ["node", os.path.join(here, "marcjs_select.mjs"),
                      large]))
    times = defaultdict(list)
    for f in {large, m8, u8}:
        _count(ctx, f)
        subprocess.run(["cat", f], stdout=subprocess.DEVNULL)  # page cache
    in_proc = {
        large: "memchr,parse,subfields,rewrite,marcxml,json,mrk",
        m8: "marc8",
        u8: "marcxml",
    }
    for r in range(ctx.runs):
        log(f"single thread: round {r + 1}/{ctx.runs}")
        for f, scen in in_proc.items():
            out = output([ctx.bench_core, "--runs", "1", "--scenarios", scen,
                          f])
            for name, _, _, _, secs, _ in tsv_runs(out):
                key = f"core:{name}"
                if f == m8:
                    key = "core:marc8"
                elif f == u8:
                    key = "core:utf8-marcxml"
                times[key].append(float(secs))
        for rid, _, _, _, cmd in rows:
            if cmd:
                times[rid].append(timed(cmd)[0])
    res = []
    memchr = times["core:memchr"]
    for rid, who, work, f, cmd in rows:
        t = times[rid]
        n, size = ctx.counts[f], os.path.getsize(f)
        s = summary(t)
        row = {"id": rid, "who": who, "work": work,
               "file": os.path.basename(f), "records": n, "bytes": size,
               "seconds": s, "records_per_s": n / s["median"],
               "mb_per_s": size / 1e6 / s["median"],
               "ns_per_record": s["median"] * 1e9 / n,
               "command": " ".join(os.path.basename(c) if c == f or
                                   c.startswith("/") else c for c in cmd)
               if cmd else None}
        if f == large and rid != "core:memchr":
            row["x_memchr"] = pair_ratios(memchr, t) if rid.startswith(
                "core:") else None
        work_id = rid.split(":")[1]
        if yaz and not rid.startswith("yaz:") and f"yaz:{work_id}" in times:
            row["x_yaz"] = pair_ratios(times[f"yaz:{work_id}"], t)
        res.append(row)
    return {"rows": res, "runs": ctx.runs}


# ---------------------------------------------------------------------------
# instructions per record (callgrind)


def _callgrind(ctx, cmd, toggle=None):
    fd, out = tempfile.mkstemp(prefix="callgrind.", dir=ctx.tmp)
    os.close(fd)
    vg = [ctx.valgrind, "--tool=callgrind", f"--callgrind-out-file={out}",
          "--cache-sim=no", "--branch-sim=no"]
    if toggle:
        vg += ["--collect-atstart=no", f"--toggle-collect={toggle}"]
    try:
        subprocess.run(vg + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=600)
        text = open(out).read()
    finally:
        os.unlink(out)
    m = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M)
    if not m:
        raise CommandFailed(f"callgrind gave no totals for {cmd}")
    return int(m.group(1))


def callgrind(ctx):
    d = ctx.data
    f = d["k1"] if ctx.quick else d["source"]
    m8 = ctx.m8_small
    one, one8 = d["tiny1"], ctx.m8_one
    n, n8 = _count(ctx, f), _count(ctx, m8)
    rows = []
    for scen, work in (("memchr", "memchr floor"), ("parse", "parse"),
                       ("subfields", "parse + every subfield"),
                       ("rewrite", "rewrite ISO 2709"),
                       ("marcxml", "-> MARCXML"), ("json", "-> MARC-in-JSON"),
                       ("mrk", "-> .mrk"), ("marc8", "MARC-8 -> UTF-8")):
        src, k = (m8, n8) if scen == "marc8" else (f, n)
        log(f"callgrind: in-process {scen}")
        ir = _callgrind(ctx, [ctx.bench_core, "--runs", "1", "--scenarios",
                              scen, src], toggle=f"scen_{scen}")
        rows.append({"who": "in-process", "work": work, "records": k,
                     "instructions": ir, "per_record": ir / k,
                     "file": os.path.basename(src)})
    # Whole processes: (cost on the file - cost on a one-record file) /
    # (records - 1), which removes start-up.
    cli, yaz = ctx.cli, ctx.yaz
    procs = [("marcato -j 1", "parse", [cli, "count", "-q", "-j", "1"], f, one),
             ("marcato -j 1", "rewrite ISO 2709",
              [cli, "convert", "-q", "-j", "1", "-t", "iso2709", "-o",
               "/dev/null"], f, one),
             ("marcato -j 1", "-> MARCXML",
              [cli, "convert", "-q", "-j", "1", "-t", "marcxml", "-o",
               "/dev/null"], f, one),
             ("marcato -j 1", "MARC-8 -> UTF-8",
              [cli, "convert", "-q", "-j", "1", "--to-encoding", "utf8", "-o",
               "/dev/null"], m8, one8)]
    if yaz:
        procs += [("yaz-marcdump", "parse", [yaz, "-n"], f, one),
                  ("yaz-marcdump", "rewrite ISO 2709", [yaz, "-o", "marc"], f,
                   one),
                  ("yaz-marcdump", "-> MARCXML", [yaz, "-o", "marcxml"], f,
                   one),
                  ("yaz-marcdump", "MARC-8 -> UTF-8",
                   [yaz, "-f", "marc8", "-t", "utf8", "-l", "9=97", "-o",
                    "marc"], m8, one8)]
    for who, work, cmd, src, base in procs:
        log(f"callgrind: {who} {work}")
        k = _count(ctx, src)
        a = _callgrind(ctx, cmd + [src])
        b = _callgrind(ctx, cmd + [base])
        rows.append({"who": who, "work": work, "records": k,
                     "instructions": a, "startup_instructions": b,
                     "per_record": (a - b) / max(1, k - 1),
                     "file": os.path.basename(src)})
    return {"rows": rows, "tool": "valgrind --tool=callgrind (Ir)"}


# ---------------------------------------------------------------------------
# 2. threads, threshold


def _pipe(ctx, files, threads=None, work="mrk", extra=()):
    cmd = [ctx.bench_pipeline, "--work", work, *extra]
    if threads == "serial":
        cmd += ["--serial"]
    elif threads is not None:
        cmd += ["--threads", str(threads), "--threaded"]
    return jsonl(output(cmd + list(files)))[0]


THREADS = [1, 2, 4, 8]


def threads(ctx):
    d = ctx.data
    sets = [(f"1 file, {os.path.getsize(d['large']) / 1e6:.0f} MB",
             [d["large"]])]
    for name, files in d["many"].items():
        sets.append((name, files))
    works = ["mrk"] if ctx.quick else ["mrk", "parse"]
    runs = defaultdict(list)
    cli_t = defaultdict(list)
    for r in range(ctx.runs):
        log(f"threads: round {r + 1}/{ctx.runs}")
        for name, files in sets:
            for work in works:
                for t in ["serial"] + THREADS:
                    runs[(name, work, t)].append(_pipe(ctx, files, t, work))
        for t in THREADS:
            cli_t[t].append(timed([ctx.cli, "convert", "-q", "-j", str(t),
                                   "-t", "mrk", d["large"], "-o",
                                   "/dev/null"])[0])
    res = []
    for name, files in sets:
        nbytes = sum(os.path.getsize(f) for f in files)
        for work in works:
            base = [x["wall"] for x in runs[(name, work, 1)]]
            serial = [x["wall"] for x in runs[(name, work, "serial")]]
            for t in ["serial"] + THREADS:
                rr = runs[(name, work, t)]
                wall = [x["wall"] for x in rr]
                s = summary(wall)
                rec = rr[0]["records"]
                row = {"set": name, "files": len(files), "work": work,
                       "threads": t, "bytes": nbytes, "records": rec,
                       "seconds": s, "records_per_s": rec / s["median"],
                       "mb_per_s": nbytes / 1e6 / s["median"],
                       "speedup_vs_1": pair_ratios(base, wall),
                       "speedup_vs_serial": pair_ratios(serial, wall)}
                if t != "serial":
                    sp = row["speedup_vs_1"]["median"]
                    row["efficiency"] = sp / t
                    row["efficiency_per_core"] = sp / min(t, ctx.cores)
                    row["lock_wait"] = summary([x["lock_wait"] for x in rr])
                res.append(row)
    cli_rows = []
    n = _count(ctx, d["large"])
    for t in THREADS:
        s = summary(cli_t[t])
        cli_rows.append({"threads": t, "seconds": s,
                         "records_per_s": n / s["median"],
                         "speedup_vs_j1": pair_ratios(cli_t[1], cli_t[t])})
    return {"rows": res, "cli": cli_rows, "cores": ctx.cores,
            "cli_command": "marcato convert -j N -t mrk FILE -o /dev/null",
            "runs": ctx.runs}


def threshold(ctx):
    f = ctx.data["k10"] if ctx.quick else ctx.data["mid"]
    runs = 3 if ctx.quick else 7
    log(f"threshold: pipeline_threshold ({runs} runs per size)")
    out = output([ctx.pipeline_threshold, f, str(ctx.cores), str(runs)])
    rows = []
    for line in out.splitlines():
        p = line.split()
        if len(p) == 5 and p[0].isdigit():
            rows.append({"bytes": int(p[0]), "records": int(p[1]),
                         "serial_ms": float(p[2]), "threads_ms": float(p[3]),
                         "speedup": float(p[4])})
    # The first size from which threads win at most larger sizes too (the
    # timings are noisy: one unlucky size must not hide the crossover).
    cross = None
    for i, r in enumerate(rows):
        rest = [x["speedup"] >= 1.0 for x in rows[i:]]
        if r["speedup"] >= 1.0 and sum(rest) * 3 >= len(rest) * 2:
            cross = r["bytes"]
            break
    # ... and the first size from which threads are clearly ahead.
    clear = next((r["bytes"] for i, r in enumerate(rows)
                  if all(x["speedup"] >= 1.15 for x in rows[i:])), None)
    return {"rows": rows, "crossover_bytes": cross, "clear_bytes": clear,
            "runs": runs,
            "threads": ctx.cores, "serial_below_default": 1 << 20,
            "work": "parse + .mrk"}


# ---------------------------------------------------------------------------
# 3. sensitivity


BATCHES = [1, 10, 100, 1000, 10000]
QUEUES = [1, 2, 4, 8, 16, 64, 256, 1000]


def sensitivity(ctx):
    f = ctx.data["mid"]
    n = _count(ctx, f)
    size = os.path.getsize(f)
    b_runs, q_runs = defaultdict(list), defaultdict(list)
    for r in range(ctx.runs):
        log(f"sensitivity: round {r + 1}/{ctx.runs}")
        for b in BATCHES:
            b_runs[b].append(_pipe(ctx, [f], ctx.cores, "mrk", [
                "--batch-records", str(b), "--batch-bytes", str(1 << 30)]))
        for q in QUEUES:
            q_runs[q].append(_pipe(ctx, [f], ctx.cores, "mrk",
                                   ["--queue", str(q)]))

    def rows(runs, key):
        out = []
        for k, rr in runs.items():
            s = summary([x["wall"] for x in rr])
            out.append({key: k, "seconds": s,
                        "records_per_s": n / s["median"],
                        "mb_per_s": size / 1e6 / s["median"],
                        "batches": rr[0]["batches"],
                        **{p: summary([x[p] for x in rr]) for p in
                           ("p50", "p95", "p99", "lock_wait", "reader_wait",
                            "worker_wait", "first_record")}})
        return out
    return {"file": os.path.basename(f), "records": n, "bytes": size,
            "threads": ctx.cores, "work": "parse + .mrk",
            "batch": rows(b_runs, "batch_records"),
            "queue": rows(q_runs, "queue"),
            "batch_note": "batch_bytes set to 1 GiB so the record count "
                          "decides; queue rows use the default batches "
                          "(1,000 records or 256 KiB)"}


# ---------------------------------------------------------------------------
# 4. latency


def latency(ctx):
    d = ctx.data
    files = [("1 record", d["tiny1"]), ("10 records", d["tiny10"]),
             ("1k records", d["k1"]), ("10k records", d["k10"]),
             (f"{os.path.getsize(d['large']) / 1e6:.0f} MB", d["large"])]
    runs = max(ctx.runs, 5)
    first = defaultdict(list)
    for r in range(runs):
        for name, f in files:
            for mode in ("default", "threaded"):
                first[(name, mode)].append(_pipe(
                    ctx, [f], ctx.cores if mode == "threaded" else None,
                    "mrk"))
    first_rows = []
    for name, f in files:
        for mode in ("default", "threaded"):
            rr = first[(name, mode)]
            first_rows.append({
                "input": name, "bytes": os.path.getsize(f), "mode": mode,
                "serial": bool(rr[0]["serial"]),
                **{k: summary([x[k] for x in rr]) for k in
                   ("first_record", "producer_startup", "first_out",
                    "wall", "p50", "p95", "p99")}})
    # The pipeline on the large file at its defaults: batch latency and
    # waits (from the same runs as above).
    big = first[(files[-1][0], "default")]
    waits = {k: summary([x[k] for x in big]) for k in
             ("p50", "p95", "p99", "reader_wait", "worker_wait", "sink_wait",
              "lock_wait", "first_record", "producer_startup", "wall")}
    # The CLI's --stats line on the large file.
    stat_re = re.compile(
        r"first record after ([\d.]+) ms; batch latency p50 ([\d.]+) ms "
        r"p95 ([\d.]+) ms p99 ([\d.]+) ms; waits: reader ([\d.]+) s, "
        r"workers ([\d.]+) s, sink ([\d.]+) s, locks ([\d.]+) s")
    cli_stats = defaultdict(list)
    for r in range(ctx.runs):
        p = subprocess.run([ctx.cli, "convert", "-q", "--stats", "-t", "mrk",
                            d["large"], "-o", "/dev/null"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        m = stat_re.search(p.stderr.decode())
        if m:
            for k, v in zip(("first_record_ms", "p50_ms", "p95_ms", "p99_ms",
                             "reader_wait_s", "worker_wait_s", "sink_wait_s",
                             "lock_wait_s"), m.groups()):
                cli_stats[k].append(float(v))
    # Process start-up: a one-record file, marcato against yaz.
    start = defaultdict(list)
    for r in range(max(runs, 9)):
        start["marcato count"].append(timed([ctx.cli, "count", "-q",
                                             d["tiny1"]])[0])
        start["marcato convert -t mrk"].append(timed(
            [ctx.cli, "convert", "-q", "-t", "mrk", d["tiny1"]])[0])
        if ctx.yaz:
            start["yaz-marcdump -n"].append(timed([ctx.yaz, "-n",
                                                   d["tiny1"]])[0])
            start["yaz-marcdump (line)"].append(timed(
                [ctx.yaz, "-o", "line", d["tiny1"]])[0])
    startup = [{"command": k, "seconds": summary(v)} for k, v in start.items()]
    if ctx.yaz:
        startup.append({"command": "ratio yaz -n / marcato count",
                        "ratio": pair_ratios(start["yaz-marcdump -n"],
                                             start["marcato count"])})
    return {"first_record": first_rows, "large_default": waits,
            "cli_stats": {k: summary(v) for k, v in cli_stats.items()},
            "process_startup": startup, "runs": runs,
            "threads": ctx.cores}


# ---------------------------------------------------------------------------
# 5. memory


def memory(ctx):
    d = ctx.data
    rss_runs = min(ctx.runs, 3)
    cmds = [("marcato convert -t iso2709", lambda f: [
                ctx.cli, "convert", "-q", "-t", "iso2709", f, "-o",
                "/dev/null"]),
            ("marcato convert -j 1 -t iso2709", lambda f: [
                ctx.cli, "convert", "-q", "-j", "1", "-t", "iso2709", f, "-o",
                "/dev/null"]),
            ("marcato convert -t marcxml", lambda f: [
                ctx.cli, "convert", "-q", "-t", "marcxml", f, "-o",
                "/dev/null"])]
    if ctx.yaz:
        cmds.append(("yaz-marcdump -o marc", lambda f: [ctx.yaz, "-o",
                                                         "marc", f]))
    rss = []
    for f in d["rss"]:
        size = os.path.getsize(f)
        log(f"memory: peak RSS at {size / 1e6:.0f} MB")
        subprocess.run(["cat", f], stdout=subprocess.DEVNULL)
        for name, mk in cmds:
            tt, kk = [], []
            for _ in range(rss_runs):
                t, k = timed(mk(f))
                tt.append(t)
                kk.append(k)
            rss.append({"command": name, "bytes": size,
                        "rss_kib": summary(kk), "seconds": summary(tt)})
    flat = {}
    for name, _ in cmds:
        v = [r["rss_kib"]["max"] for r in rss if r["command"] == name]
        flat[name] = {"min_kib": min(v), "max_kib": max(v),
                      "flat": max(v) - min(v) < 4096}
    # Allocations per record, per scenario (bench_alloc: every malloc of
    # the program and the static core counted).
    log("memory: allocations per record (bench_alloc)")
    allocs = []
    for f, scen in ((d["k10"], "parse,subfields,rewrite,marcxml,json,mrk,"
                     "write-memory"), (d["marc8"], "marc8")):
        out = output([ctx.bench_alloc, "--runs", "1", "--scenarios", scen,
                      "--out-file", os.path.join(ctx.tmp, "alloc.out"), f])
        for name, recs, mallocs, reallocs, frees, asked, peak in \
                tsv_runs(out, "alloc"):
            recs = int(recs)
            allocs.append({"scenario": name, "file": os.path.basename(f),
                           "records": recs, "mallocs": int(mallocs),
                           "reallocs": int(reallocs), "frees": int(frees),
                           "per_record": (int(mallocs) + int(reallocs)) /
                           recs,
                           "bytes_asked": int(asked),
                           "peak_live_bytes": int(peak)})
    out = output([ctx.bench_alloc, "--clone", "10000", d["k10"]])
    c = tsv_runs(out, "clone")[0]
    n, raw, held, m = int(c[0]), int(c[1]), int(c[2]), int(c[3])
    clone = {"records": n, "raw_bytes": raw, "held_bytes": held,
             "raw_per_record": raw / n, "held_per_record": held / n,
             "ratio": held / raw, "allocs_per_record": m / n}
    return {"rss": rss, "flat": flat, "allocs": allocs, "clone": clone,
            "rss_runs": rss_runs}


# ---------------------------------------------------------------------------
# 6. writers


def writers(ctx):
    d = ctx.data
    k10 = d["k10"]
    n = _count(ctx, k10)
    tmpd = tempfile.mkdtemp(prefix="writers.", dir=ctx.tmp)
    t = defaultdict(list)
    many = d["many"]["4 x 10k"]
    try:
        for r in range(ctx.runs):
            log(f"writers: round {r + 1}/{ctx.runs}")
            out = output([ctx.bench_core, "--runs", "1", "--scenarios",
                          "write-memory,write-file", "--out-file",
                          os.path.join(tmpd, "w.mrc"), k10])
            for name, _, _, _, secs, _ in tsv_runs(out):
                t[f"in-process {name}"].append(float(secs))
            t["CLI -j 1 -o file"].append(timed(
                [ctx.cli, "convert", "-q", "-j", "1", "-t", "iso2709", k10,
                 "-o", os.path.join(tmpd, "c.mrc")])[0])
            t["CLI -j 1 -o /dev/null"].append(timed(
                [ctx.cli, "convert", "-q", "-j", "1", "-t", "iso2709", k10,
                 "-o", "/dev/null"])[0])
            for j in (1, 2, 4):
                od = os.path.join(tmpd, f"O{j}")
                os.makedirs(od, exist_ok=True)
                t[f"convert -O DIR -j {j} (4 x 10k)"].append(timed(
                    [ctx.cli, "convert", "-q", "-j", str(j), "-t", "mrk",
                     "-O", od, *many])[0])
                shutil.rmtree(od)
            # N writer processes at once, one file each.
            for k in (1, 2, 4):
                outs = [os.path.join(tmpd, f"p{i}.mrk") for i in range(k)]
                t0 = time.perf_counter()
                ps = [subprocess.Popen(
                    [ctx.cli, "convert", "-q", "-j", "1", "-t", "mrk",
                     many[i], "-o", outs[i]], stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL) for i in range(k)]
                for p in ps:
                    p.wait()
                t[f"{k} processes, 1 file each"].append(
                    time.perf_counter() - t0)
                for o in outs:
                    os.unlink(o)
            for rec in (1000, 10000):
                sd = os.path.join(tmpd, f"split{rec}")
                os.makedirs(sd, exist_ok=True)
                t[f"split --records {rec} ({os.path.getsize(d['mid']) / 1e6:.0f} MB)"] \
                    .append(timed([ctx.cli, "split", "-q", "--records",
                                   str(rec), "-o", os.path.join(sd, "s"),
                                   d["mid"]])[0])
                shutil.rmtree(sd)
    finally:
        shutil.rmtree(tmpd, ignore_errors=True)
    nbytes = {"many": sum(os.path.getsize(f) for f in many),
              "k10": os.path.getsize(k10), "mid": os.path.getsize(d["mid"])}
    rows = []
    for k, v in t.items():
        s = summary(v)
        if k.startswith(("in-process", "CLI")):
            b, recs = nbytes["k10"], n
        elif k.startswith("split"):
            b, recs = nbytes["mid"], _count(ctx, d["mid"])
        elif "processes" in k:
            kk = int(k.split()[0])
            b = sum(os.path.getsize(f) for f in many[:kk])
            recs = 10000 * kk
        else:
            b, recs = nbytes["many"], 40000
        rows.append({"name": k, "seconds": s, "bytes": b, "records": recs,
                     "records_per_s": recs / s["median"],
                     "mb_per_s": b / 1e6 / s["median"]})
    return {"rows": rows, "runs": ctx.runs,
            "ratio_file_vs_memory": pair_ratios(t["in-process write-memory"],
                                                t["in-process write-file"])}
