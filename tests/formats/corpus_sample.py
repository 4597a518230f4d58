"""The corpus the format tests read, or under MARCATO_QUICK=1 (the
sanitizer presets, where every CLI run costs several times more) every
fifth record of it, so the test still spans every source the corpus
gathers while reading a fifth of the bytes."""
import os

STRIDE = 5


def corpus_sample(path, tmpdir):
    """PATH itself, or a file in TMPDIR holding every STRIDE-th record of
    PATH (records cut at the ISO 2709 record terminator) when quick."""
    if os.environ.get("MARCATO_QUICK") != "1":
        return path
    with open(path, "rb") as f:
        records = f.read().split(b"\x1d")
    tail = records.pop()  # bytes after the last terminator, if any
    sample = os.path.join(tmpdir, "corpus-sample.mrc")
    with open(sample, "wb") as f:
        for record in records[::STRIDE]:
            f.write(record + b"\x1d")
        f.write(tail)
    return sample
