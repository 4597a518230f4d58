"""What the table generators (gen_marc8.py, gen_nfc.py) share."""


def rows(values, per_line, fmt):
    """C initializer rows: `per_line` values a line, each as `fmt` says."""
    out = []
    for i in range(0, len(values), per_line):
        out.append("  " + ", ".join(fmt % v for v in values[i:i + per_line]) + ",")
    return "\n".join(out)
