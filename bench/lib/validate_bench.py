"""bench/run's `validate` scenario: checking records against the built-in
Avram schemas, against rewriting them (`convert -t iso2709`, the cost it
should stay within twice of) on 1 and 2 threads, and against avram-js (the
reference Avram validator, run with node) on the 10k-record file.

avram-js is not part of marcato. bench/run copies the one in
../shared/data/sources/avram-js to bench/data/avram-js and installs its
dependencies there (npm ci, once); --avram-js DIR or MARCATO_AVRAM_JS names
a copy to use instead. Without node or npm, or when the install fails,
that row is skipped with the reason."""
import os
import re
import shutil
import subprocess

from common import log, pair_ratios, summary, timed

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.join(HERE, "..", "..", "tests", "validation", "oracle",
                      "avram-js.mjs")
SCHEMA = os.path.join(HERE, "..", "..", "core", "data", "schemas",
                      "marc21-bibliographic.json")


def _records(ctx, path):
    out = subprocess.run([ctx.cli, "count", "-q", path],
                         stdout=subprocess.PIPE).stdout.decode()
    return int(out.strip().splitlines()[-1])


def _avram_js(dirname, path):
    """records/s avram-js reports for one pass over `path`, or None."""
    p = subprocess.run(["node", ORACLE, dirname, SCHEMA, path],
                       env={**os.environ, "AVRAM_QUIET": "1"},
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    m = re.search(r"(\d+) records in ([\d.]+) s", p.stderr.decode())
    return (int(m.group(1)), float(m.group(2))) if m else None


def prepare_avram_js(shared, data_dir):
    """A copy of avram-js with its dependencies, made once; (dir, None) or
    (None, why not)."""
    src = os.path.join(shared, "sources", "avram-js")
    if not os.path.isfile(os.path.join(src, "package-lock.json")):
        return None, f"no {src}"
    dst = os.path.join(data_dir, "avram-js")
    ready = os.path.join(dst, "node_modules", ".package-lock.json")
    if os.path.isfile(ready):
        return dst, None
    if not shutil.which("node") or not shutil.which("npm"):
        return None, "no node or npm"
    log("validate: installing avram-js's dependencies (npm ci, once)")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("node_modules"))
    p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=dst,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode or not os.path.isfile(ready):
        return None, ("npm ci failed: " +
                      p.stderr.decode(errors="replace").strip()[-200:])
    return dst, None


def validate(ctx):
    large, k10 = ctx.data["large"], ctx.data["k10"]
    cli = ctx.cli
    n_large = _records(ctx, large)
    null = ["-o", "/dev/null"]
    cases = {}
    for t in (1, 2):
        j = ["-j", str(t)]
        cases[f"convert-j{t}"] = [cli, "convert", "-q", *j, "-t", "iso2709",
                                  large, *null]
        # --summary: what a run over a large file asks for (no line per
        # problem, the report at the end).
        cases[f"validate-j{t}"] = [cli, "validate", "--summary", *j, large,
                                   *null]
        # The structure checks alone (parse every record, no schema): what
        # validating costs before any Avram rule runs.
        cases[f"structure-j{t}"] = [cli, "validate", "--summary",
                                    "--no-schema", *j, large, *null]
    runs = {k: [] for k in cases}
    for r in range(ctx.runs):
        log(f"validate: round {r + 1}/{ctx.runs}")
        for k, cmd in cases.items():
            runs[k].append(timed(cmd)[0])
    rows = []
    for t in (1, 2):
        conv, val = runs[f"convert-j{t}"], runs[f"validate-j{t}"]
        struct = runs[f"structure-j{t}"]
        rows.append({
            "threads": t, "records": n_large,
            "bytes": os.path.getsize(large),
            "convert_seconds": summary(conv), "validate_seconds": summary(val),
            "convert_records_per_s": n_large / summary(conv)["median"],
            "validate_records_per_s": n_large / summary(val)["median"],
            "structure_seconds": summary(struct),
            "validate_over_convert": pair_ratios(val, conv),
            "validate_over_structure": pair_ratios(val, struct)})
    res = {"rows": rows, "file": os.path.basename(large)}
    # marcato and avram-js on the 10k-record file.
    n10 = _records(ctx, k10)
    ours = summary([timed([cli, "validate", "--summary", "-j", "1", k10,
                           *null])[0] for _ in range(ctx.runs)])
    res["k10"] = {"records": n10, "marcato_seconds": ours,
                  "marcato_records_per_s": n10 / ours["median"]}
    avdir = getattr(ctx, "avram_js", None) or os.environ.get(
        "MARCATO_AVRAM_JS")
    why = None
    if not avdir:
        avdir, why = prepare_avram_js(ctx.shared, ctx.data_dir)
    if avdir and os.path.isdir(avdir):
        log("validate: avram-js on the 10k-record file")
        got = _avram_js(avdir, k10)
        if got:
            n, secs = got
            res["k10"].update({"avram_js_records": n, "avram_js_seconds": secs,
                               "avram_js_records_per_s": n / secs,
                               "marcato_over_avram_js":
                                   (n10 / ours["median"]) / (n / secs)})
        else:
            res["k10"]["avram_js"] = "skipped: avram-js gave no timing"
    else:
        res["k10"]["avram_js"] = f"skipped: {why or 'no ' + str(avdir)}"
    return res


def render(R, v, num, mmx, ratio, table):
    """The section of REPORT.md (bench/report calls it with its helpers)."""
    R.p("## Validation against the Avram schemas",
        f"`marcato validate --summary` (built-in MARC 21 schemas, every "
        f"record checked) against `marcato convert -t iso2709` on "
        f"{v['file']}; seconds median (min-max), records/s of the median.")
    R.p("`convert -t iso2709` of an unedited file copies each record's bytes "
        "without parsing it; `--no-schema` parses every record and runs "
        "the structure checks, the floor under any validation.")
    R.p(table(["threads", "convert s", "no-schema s", "validate s",
               "validate rec/s", "validate / convert",
               "validate / no-schema"],
              [[r["threads"], mmx(r["convert_seconds"]),
                mmx(r.get("structure_seconds")),
                mmx(r["validate_seconds"]),
                num(r["validate_records_per_s"]),
                ratio(r["validate_over_convert"]),
                ratio(r.get("validate_over_structure"))]
               for r in v["rows"]]))
    k = v["k10"]
    line = (f"10k-record file: marcato -j 1 {num(k['marcato_records_per_s'])}"
            f" records/s")
    if "avram_js_records_per_s" in k:
        line += (f"; avram-js {num(k['avram_js_records_per_s'])} records/s; "
                 f"marcato is {num(k['marcato_over_avram_js'])}x faster")
    else:
        line += f"; avram-js {k.get('avram_js', 'not run')}"
    R.p(line + ".")
