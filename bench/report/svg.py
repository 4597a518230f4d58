"""Small dependency-free SVG charts for the benchmark report: line charts
over categorical x values (threads, batch sizes...) with min-max
whiskers, and horizontal bar charts with whiskers, linear or log scale."""
import math
from html import escape

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
           "#e377c2", "#7f7f7f", "#17becf", "#bcbd22"]
FONT = 'font-family="sans-serif" font-size="12"'


def _nice(v):
    if v <= 0:
        return 1
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * e:
            return m * e
    return 10 * e


def _fmt(v):
    if v == 0:
        return "0"
    a = abs(v)
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k"), (1, "")):
        if a >= scale:
            return f"{v / scale:g}{suffix}"
    return f"{v:.2g}"


def _val(v):
    """A value label: three significant digits."""
    for div, suf in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g}{suf}"
    return f"{v:.3g}"


def _ticks(lo, hi, log):
    if log:
        a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
        return [10 ** k for k in range(a, b + 1)], 10 ** a, 10 ** b
    top = _nice(hi)
    step = _nice(top / 5)
    n = int(round(top / step))
    return [i * step for i in range(n + 1)], 0, n * step


def line_chart(title, xlabels, series, ylabel, xlabel="", log_y=False,
               width=640, height=360):
    """series: [{name, values: [y or None], lo: [...], hi: [...]}]"""
    ml, mr, mt, mb = 70, 170, 36, 48
    pw, ph = width - ml - mr, height - mt - mb
    ys = [v for s in series for k in ("values", "hi", "lo")
          for v in (s.get(k) or []) if v is not None and v > 0]
    if not ys:
        return None
    ticks, y0, y1 = _ticks(min(ys) if log_y else 0, max(ys), log_y)

    def Y(v):
        if log_y:
            v = max(v, y0)
            return mt + ph - ph * (math.log10(v) - math.log10(y0)) / (
                math.log10(y1) - math.log10(y0))
        return mt + ph - ph * (v - y0) / (y1 - y0)
    n = len(xlabels)

    def X(i):
        return ml + (pw * (i + 0.5) / n)
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
         f'height="{height}" viewBox="0 0 {width} {height}" {FONT}>',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="{ml}" y="20" font-size="14" font-weight="bold">'
         f'{escape(title)}</text>']
    for t in ticks:
        y = Y(t)
        o.append(f'<line x1="{ml}" x2="{ml + pw}" y1="{y:.1f}" y2="{y:.1f}" '
                 f'stroke="#ddd"/><text x="{ml - 6}" y="{y + 4:.1f}" '
                 f'text-anchor="end">{_fmt(t)}</text>')
    for i, lab in enumerate(xlabels):
        o.append(f'<text x="{X(i):.1f}" y="{mt + ph + 18}" '
                 f'text-anchor="middle">{escape(str(lab))}</text>')
    o.append(f'<line x1="{ml}" x2="{ml}" y1="{mt}" y2="{mt + ph}" '
             f'stroke="#444"/><line x1="{ml}" x2="{ml + pw}" '
             f'y1="{mt + ph}" y2="{mt + ph}" stroke="#444"/>')
    o.append(f'<text x="{ml + pw / 2}" y="{height - 8}" '
             f'text-anchor="middle">{escape(xlabel)}</text>')
    o.append(f'<text transform="translate(16,{mt + ph / 2}) rotate(-90)" '
             f'text-anchor="middle">{escape(ylabel)}'
             f'{" (log scale)" if log_y else ""}</text>')
    for k, s in enumerate(series):
        c = s.get("color") or PALETTE[k % len(PALETTE)]
        pts = [(X(i), Y(v)) for i, v in enumerate(s["values"])
               if v is not None and (v > 0 or not log_y)]
        dash = ' stroke-dasharray="5,3"' if s.get("dashed") else ""
        if len(pts) > 1:
            o.append(f'<polyline fill="none" stroke="{c}" stroke-width="2"'
                     f'{dash} points="' +
                     " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
        for i, v in enumerate(s["values"]):
            if v is None or (log_y and v <= 0):
                continue
            lo = (s.get("lo") or [None] * n)[i]
            hi = (s.get("hi") or [None] * n)[i]
            if lo is not None and hi is not None and hi > lo:
                o.append(f'<line x1="{X(i):.1f}" x2="{X(i):.1f}" '
                         f'y1="{Y(lo):.1f}" y2="{Y(hi):.1f}" stroke="{c}"/>')
            o.append(f'<circle cx="{X(i):.1f}" cy="{Y(v):.1f}" r="3" '
                     f'fill="{c}"/>')
        ly = mt + 14 + 18 * k
        o.append(f'<line x1="{ml + pw + 12}" x2="{ml + pw + 30}" y1="{ly - 4}"'
                 f' y2="{ly - 4}" stroke="{c}" stroke-width="2"{dash}/>'
                 f'<text x="{ml + pw + 34}" y="{ly}">{escape(s["name"])}'
                 f'</text>')
    o.append("</svg>")
    return "\n".join(o)


def bar_chart(title, bars, xlabel, log_x=False, width=720, bar_h=16):
    """bars: [{label, value, lo, hi, color?, group?}] drawn top to bottom;
    a change of `group` leaves a gap."""
    bars = [b for b in bars if b.get("value")]
    if not bars:
        return None
    ml, mr, mt = 260, 70, 36
    gaps = sum(1 for i in range(1, len(bars))
               if bars[i].get("group") != bars[i - 1].get("group"))
    ph = len(bars) * (bar_h + 4) + gaps * 10
    height = mt + ph + 44
    pw = width - ml - mr
    vals = [v for b in bars for v in (b["value"], b.get("hi"), b.get("lo"))
            if v]
    ticks, x0, x1 = _ticks(min(vals) if log_x else 0, max(vals), log_x)

    def X(v):
        if log_x:
            v = max(v, x0)
            return ml + pw * (math.log10(v) - math.log10(x0)) / (
                math.log10(x1) - math.log10(x0))
        return ml + pw * (v - x0) / (x1 - x0)
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
         f'height="{height}" viewBox="0 0 {width} {height}" {FONT}>',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="10" y="20" font-size="14" font-weight="bold">'
         f'{escape(title)}</text>']
    for t in ticks:
        o.append(f'<line x1="{X(t):.1f}" x2="{X(t):.1f}" y1="{mt}" '
                 f'y2="{mt + ph}" stroke="#ddd"/><text x="{X(t):.1f}" '
                 f'y="{mt + ph + 16}" text-anchor="middle">{_fmt(t)}</text>')
    o.append(f'<text x="{ml + pw / 2}" y="{height - 8}" text-anchor="middle">'
             f'{escape(xlabel)}{" (log scale)" if log_x else ""}</text>')
    y = mt
    groups = {}
    for i, b in enumerate(bars):
        if i and b.get("group") != bars[i - 1].get("group"):
            y += 10
        g = b.get("color_key", b.get("label"))
        c = b.get("color") or groups.setdefault(
            g, PALETTE[len(groups) % len(PALETTE)])
        x_start = X(x0) if log_x else X(0)
        o.append(f'<rect x="{x_start:.1f}" y="{y}" width='
                 f'"{max(1, X(b["value"]) - x_start):.1f}" height="{bar_h}" '
                 f'fill="{c}" opacity="0.85"/>')
        if b.get("lo") and b.get("hi") and b["hi"] > b["lo"]:
            yy = y + bar_h / 2
            o.append(f'<line x1="{X(b["lo"]):.1f}" x2="{X(b["hi"]):.1f}" '
                     f'y1="{yy}" y2="{yy}" stroke="black"/>')
        o.append(f'<text x="{ml - 6}" y="{y + bar_h - 4}" text-anchor="end">'
                 f'{escape(b["label"])}</text><text x="{X(b["value"]) + 4:.1f}'
                 f'" y="{y + bar_h - 4}" font-size="10">{_val(b["value"])}'
                 f'</text>')
        y += bar_h + 4
    o.append("</svg>")
    return "\n".join(o)
