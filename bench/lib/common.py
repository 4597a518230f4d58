"""Helpers shared by bench/run: timing external commands, statistics,
logging. Python 3.9+, standard library only."""
import json
import os
import statistics
import subprocess
import sys
import time

LOG_T0 = time.monotonic()


def log(*msg):
    """Progress on stderr, with the seconds since start."""
    print(f"[{time.monotonic() - LOG_T0:7.1f}s]", *msg, file=sys.stderr,
          flush=True)


class CommandFailed(RuntimeError):
    pass


# bench_read --exec: a small C program that forks, execs and reports the
# child's wall time and peak RSS. Python cannot measure RSS itself: a child
# forked from it counts the interpreter's pages in ru_maxrss until exec.
EXEC_WRAPPER = None


def timed(cmd, stdout=None, ok=(0, 1), env=None, cwd=None):
    """Run cmd once: (wall seconds, peak RSS KiB). stdout goes to the path
    `stdout` (default /dev/null), stderr is dropped. Exit statuses in `ok`
    count as success (1 is "input had problems" for marcato and yaz)."""
    if EXEC_WRAPPER and env is None and cwd is None and set(ok) <= {0, 1}:
        p = subprocess.run([EXEC_WRAPPER, "--exec", "x", "--stdout",
                            stdout or os.devnull, "--", *map(str, cmd)],
                           stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise CommandFailed(f"{' '.join(map(str, cmd))}: failed")
        f = p.stdout.decode().split("\t")
        return float(f[5]), int(f[6])
    out = open(stdout or os.devnull, "wb")
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL,
                             stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        _, status, ru = os.wait4(p.pid, 0)
        t = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    finally:
        out.close()
    if p.returncode not in ok:
        raise CommandFailed(f"{' '.join(map(str, cmd))}: exit {p.returncode}")
    return t, ru.ru_maxrss


def output(cmd, ok=(0,), env=None, timeout=None, cwd=None):
    """Run cmd and return its stdout as text (stderr passes through)."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, env=env, timeout=timeout,
                       cwd=cwd)
    if p.returncode not in ok:
        raise CommandFailed(f"{' '.join(map(str, cmd))}: exit {p.returncode}")
    return p.stdout.decode("utf-8", "replace")


def try_output(cmd, **kw):
    """stdout of cmd, or None when it cannot run."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=30, **kw)
        return p.stdout.decode("utf-8", "replace").strip()
    except (OSError, subprocess.SubprocessError):
        return None


def summary(values):
    """{median, min, max, n, runs} of a list of numbers."""
    v = [x for x in values if x is not None]
    if not v:
        return None
    return {"median": statistics.median(v), "min": min(v), "max": max(v),
            "n": len(v), "runs": v}


def pair_ratios(num, den):
    """Ratios num[i]/den[i] of runs taken side by side in the same round:
    the way to compare two programs on a noisy machine."""
    r = [a / b for a, b in zip(num, den) if a and b]
    return summary(r)


def jsonl(text):
    return [json.loads(line) for line in text.splitlines()
            if line.startswith("{")]


def tsv_runs(text, kind="run"):
    """Rows of the tab-separated output of bench_core / bench_read."""
    rows = []
    for line in text.splitlines():
        f = line.split("\t")
        if f and f[0] == kind:
            rows.append(f[1:])
    return rows
