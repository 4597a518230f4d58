"""MARCMaker text as a list of records, leader lengths masked: how the
format tests (pairs.py, property.py) compare records across formats."""


def records(mrk):
    """MARCMaker text -> list of records, leader lengths masked."""
    out = []
    for rec in mrk.split(b"\n\n"):
        if not rec.strip():
            continue
        lines = rec.split(b"\n")
        if lines[0].startswith(b"=LDR  "):
            ldr = bytearray(lines[0])
            ldr[6:11] = b"#####"
            ldr[18:23] = b"#####"
            lines[0] = bytes(ldr)
        out.append(b"\n".join(lines))
    return out
