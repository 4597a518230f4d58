"""bench/run's `python` scenario: the Python package (python/) against
pymarc 3.2.0 (pure Python, ../shared/peers/pymarc-3.2.0 on PYTHONPATH) in
the same rounds: read + 245$a, read + round trip to ISO 2709 (on the UTF-8
file: pymarc 3.2.0 stops with an IndexError in its MARC-8 decoder on the
MARC-8 records of the corpus), pipeline() on 1 and 2 threads, batch sizes
and queue capacities, time to first record, writers to a file object and
to a path, peak RSS, and marcato.dask on a LocalCluster of 2 worker
processes against the same ranges read one after another in one process.
Each case runs in a fresh interpreter (python_case.py)."""
import json
import os
import subprocess
import sys

from common import CommandFailed, log, pair_ratios, summary

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CASE = os.path.join(HERE, "python_case.py")
VENV_PY = os.path.join(REPO, "build", "python", "venv", "bin", "python")


def _run(lib, case, path, arg=None, env=None):
    cmd = [VENV_PY, CASE, lib, case, path] + ([arg] if arg else [])
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       env=env, cwd="/")
    if p.returncode != 0:
        raise CommandFailed(f"python case {lib} {case} {arg}: exit {p.returncode}")
    return json.loads(p.stdout.decode().strip().splitlines()[-1])


def python(ctx):
    if subprocess.run(["bash", os.path.join(REPO, "scripts", "test-python.sh"),
                       "--install"], stdout=subprocess.DEVNULL).returncode:
        raise CommandFailed("cannot build the Python package")
    peer_dir = os.path.join(os.path.dirname(REPO), "shared", "peers",
                            "pymarc-3.2.0")
    if not os.path.isdir(peer_dir):
        peer_dir = os.path.join(REPO, "..", "..", "shared", "peers", "pymarc-3.2.0")
    peer_env = {**os.environ, "PYTHONPATH": peer_dir}
    utf8, large = ctx.data["utf8"], ctx.data["large"]
    cases = {
        "read245/marcato": ("marcato", "read245", utf8, None),
        "read245/pymarc": ("pymarc", "read245", utf8, None),
        "roundtrip/marcato": ("marcato", "roundtrip", utf8, None),
        "roundtrip/pymarc": ("pymarc", "roundtrip", utf8, None),
        "read245-all/marcato": ("marcato", "read245", large, None),
    }
    for t in (1, 2):
        cases[f"pipeline/t{t}/marcxml"] = ("marcato", "pipeline", large, f"{t},marcxml,0,0")
        cases[f"pipeline/t{t}/records"] = ("marcato", "pipeline", large, f"{t},records,0,0")
    for b in (1, 10, 100, 1000):
        cases[f"batch/{b}"] = ("marcato", "pipeline", utf8, f"2,records,{b},0")
    for q in (1, 4, 16):
        cases[f"queue/{q}"] = ("marcato", "pipeline", utf8, f"2,records,0,{q}")
    cases["first/reader"] = ("marcato", "first", large, "reader")
    cases["first/pipeline"] = ("marcato", "first", large, "pipeline")
    for fmt in ("iso2709", "marcxml"):
        for target in ("file", "path"):
            cases[f"writer/{fmt}/{target}"] = ("marcato", "writer", utf8, f"{fmt},{target}")
    have_dask = subprocess.run([VENV_PY, "-c", "import distributed, dask.bag"],
                               stderr=subprocess.DEVNULL).returncode == 0
    if have_dask:
        # The size, 250 MB, in the full run (the file the Dask test
        # builds); the run's large file otherwise. Blocks of 1/16th.
        sys.path.insert(0, os.path.join(REPO, "python", "tests"))
        from big_file import big_file
        dfile = large if ctx.quick else (big_file() or large)
        block = str(max(1 << 20, os.path.getsize(dfile) // 16))
        out_dask = {"file": os.path.basename(dfile), "size": os.path.getsize(dfile)}
        cases["dask/1process"] = ("marcato", "dask", dfile, "0," + block)
        cases["dask/2workers"] = ("marcato", "dask", dfile, "2," + block)
    runs = {k: [] for k in cases}
    for r in range(ctx.runs):
        log(f"python: round {r + 1}/{ctx.runs}")
        for k, (lib, case, path, arg) in cases.items():
            runs[k].append(_run(lib, case, path, arg,
                                peer_env if lib == "pymarc" else None))
    out = {"dask": out_dask if have_dask else None,
           "files": {"utf8": os.path.basename(utf8), "large": os.path.basename(large)},
           "sizes": {"utf8": os.path.getsize(utf8), "large": os.path.getsize(large)},
           "cases": {}}
    for k, rs in runs.items():
        out["cases"][k] = {"value": rs[0]["value"],
                           "seconds": summary([x["seconds"] for x in rs]),
                           "rss_kb": max(x["rss_kb"] for x in rs)}

    def ratio(a, b):
        return pair_ratios([x["seconds"] for x in runs[b]],
                           [x["seconds"] for x in runs[a]])
    out["ratios"] = {
        "read245 marcato/pymarc": ratio("read245/marcato", "read245/pymarc"),
        "roundtrip marcato/pymarc": ratio("roundtrip/marcato", "roundtrip/pymarc"),
        "pipeline marcxml t2/t1": ratio("pipeline/t2/marcxml", "pipeline/t1/marcxml"),
        "pipeline records t2/t1": ratio("pipeline/t2/records", "pipeline/t1/records"),
    }
    if have_dask:
        out["ratios"]["dask 2 workers/1 process"] = ratio("dask/2workers", "dask/1process")
    return out


def render(R, p, num, mmx, ratio, table):
    R.p("## Python package", "",
        f"Files: {p['files']['utf8']} ({num(p['sizes']['utf8'] / 1e6)} MB, "
        f"UTF-8 records: pymarc 3.2.0 cannot read the MARC-8 ones) and "
        f"{p['files']['large']} ({num(p['sizes']['large'] / 1e6)} MB). One "
        "fresh interpreter per case; rounds round-robin; ratios run by run.", "")
    rows = []
    for k, c in p["cases"].items():
        s = c["seconds"]
        value = c["value"]
        per_s = num(value / s["median"]) if k.split("/")[0] not in ("first",) else ""
        rows.append([k, num(value) if k.split("/")[0] != "first" else "",
                     mmx(s, 1e3, " ms") if k.startswith("first") else mmx(s, 1.0, " s"),
                     per_s, num(c["rss_kb"] / 1024)])
    R.p(table(["case", "records (dask: fields)", "time median (min-max)",
               "per s", "peak RSS MB"], rows))
    if p.get("dask"):
        R.p(f"Dask cases: {p['dask']['file']} ({num(p['dask']['size'] / 1e6)} MB), "
            "16 blocks, time of the computation on a running cluster.", "")
    R.p(table(["ratio (same rounds)", "median (min-max)"],
              [[k, ratio(v)] for k, v in p["ratios"].items() if v]))
