"""The native threaded pipeline from Python."""

from . import _marcato


def pipeline(inputs, threads=0, batch=0, queue=0, to="records", *,
             to_unicode=True, permissive=False, salvage=False,
             utf8_handling="strict", serial_below=None):
    """Records of ISO 2709 inputs, read by marcato's native pipeline.

    ``inputs`` is a path, bytes, a binary file object or a list of them,
    read one after another. A reader thread frames records into batches of
    ``batch`` records (default 1,000), a queue of ``queue`` batches (default
    2 per thread) feeds ``threads`` worker threads (default: the CPUs) that
    parse and convert each record to UTF-8 without the GIL, and the
    iterator yields the results in input order: Record objects, or with
    ``to='marcxml'`` (or 'json', 'jsonl', 'mrk', 'text', 'iso2709') each
    record's bytes in that format, written by the workers. Problems follow
    MARCReader's rules (``permissive``, ``salvage``, warnings).

    Records cross from the workers already parsed and converted: the
    Python thread only wraps each one. Leaving a loop early is safe:
    ``close()`` (or a ``with`` block, or the garbage collector) stops the
    run and frees the records not handed out.

    Inputs below 1 MiB in all run on one thread (threads cost more than
    they save there); ``serial_below=0`` always uses the threads. The
    iterator's ``stats`` (after the end or close()) has the native run's
    numbers, and in records mode ``decoded``, ``handed_out`` and
    ``dropped`` (decoded but freed unread: a run left early).
    """
    return _marcato.Pipeline(
        inputs, threads, batch, queue, to, to_unicode, permissive, salvage,
        utf8_handling, -1 if serial_below is None else serial_below)
