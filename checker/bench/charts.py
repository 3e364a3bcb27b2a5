"""Hand-rolled SVG charts for the benchmark report: no plotting library, no network.

Two kinds, enough for ``reports/benchmarks.md``: :func:`line_chart` (series of (x, y) points,
y on a log scale) and :func:`bar_chart` (groups of bars, log scale). A point or bar marked
*capped* (the measurement hit its cap, so the true value is at least that) is drawn hollow.
Output is deterministic for the same input.

>>> svg = line_chart({"p=1": [(1, 0.01, False), (2, 0.1, True)]}, title="t", xlabel="x",
...                  ylabel="y")
>>> svg.startswith("<svg") and "p=1" in svg and "http://www.w3.org/2000/svg" in svg
True
"""

from __future__ import annotations

import math
from html import escape

__all__ = ["bar_chart", "line_chart"]

W, H = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 70, 150, 40, 50
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")
FONT = 'font-family="sans-serif" font-size="12"'


def _log_range(values: list[float]) -> tuple[float, float]:
    positive = [v for v in values if v > 0] or [1.0]
    lo = 10 ** math.floor(math.log10(min(positive)))
    hi = 10 ** math.ceil(math.log10(max(positive)))
    return lo, hi if hi > lo else lo * 10


def _frame(title: str, xlabel: str, ylabel: str, lo: float, hi: float, below: int = 0) -> list[str]:
    """Title, axis labels, log gridlines and the plot box; ``below``: extra room under it."""
    plot_h = H - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H + below}" width="{W}" '
        f'height="{H + below}" role="img" aria-label="{escape(title)}">',
        f'<rect width="{W}" height="{H + below}" fill="white"/>',
        f'<text x="{W / 2:.0f}" y="22" text-anchor="middle" {FONT} font-weight="bold">'
        f"{escape(title)}</text>",
        f'<text x="{(LEFT + W - RIGHT) / 2:.0f}" y="{H - 10}" text-anchor="middle" {FONT}>'
        f"{escape(xlabel)}</text>",
        f'<text transform="translate(16 {TOP + plot_h / 2:.0f}) rotate(-90)" '
        f'text-anchor="middle" {FONT}>{escape(ylabel)}</text>',
    ]
    decade = lo
    while decade <= hi * 1.0001:
        y = _y(decade, lo, hi)
        parts.append(
            f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{decade:g}</text>'
        )
        decade *= 10
    parts.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{W - LEFT - RIGHT}" height="{plot_h}" '
        'fill="none" stroke="#444"/>'
    )
    return parts


def _y(value: float, lo: float, hi: float) -> float:
    value = max(value, lo)
    frac = (math.log10(value) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))
    return H - BOTTOM - frac * (H - TOP - BOTTOM)


def _legend(names: list[str], note: str) -> list[str]:
    parts = []
    for k, name in enumerate(names):
        y = TOP + 10 + 18 * k
        colour = COLOURS[k % len(COLOURS)]
        parts.append(
            f'<rect x="{W - RIGHT + 12}" y="{y - 9}" width="12" height="12" fill="{colour}"/>'
        )
        parts.append(f'<text x="{W - RIGHT + 30}" y="{y + 1}" {FONT}>{escape(name)}</text>')
    y = TOP + 10 + 18 * len(names) + 10
    parts.append(f'<text x="{W - RIGHT + 12}" y="{y}" {FONT} fill="#555">{escape(note)}</text>')
    return parts


def line_chart(
    series: dict[str, list[tuple[float, float, bool]]],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
) -> str:
    """Lines of (x, y, capped) points; y on a log scale; x on a linear one."""
    xs = [x for points in series.values() for x, _, _ in points] or [0, 1]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    lo, hi = _log_range([y for points in series.values() for _, y, _ in points])
    parts = _frame(title, xlabel, ylabel, lo, hi)

    def px(x: float) -> float:
        return LEFT + 20 + (x - x0) / (x1 - x0) * (W - LEFT - RIGHT - 40)

    for x in sorted(set(xs)):
        parts.append(
            f'<text x="{px(x):.1f}" y="{H - BOTTOM + 16}" text-anchor="middle" {FONT}>{x:g}</text>'
        )
    for k, (name, points) in enumerate(series.items()):
        colour = COLOURS[k % len(COLOURS)]
        coords = [(px(x), _y(y, lo, hi), capped) for x, y, capped in sorted(points)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2">'
            f"<title>{escape(name)}</title></polyline>"
        )
        for x, y, capped in coords:
            fill = "white" if capped else colour
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{colour}" '
                'stroke-width="2"/>'
            )
    parts += _legend(list(series), "hollow: hit the cap")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def bar_chart(
    groups: list[tuple[str, list[tuple[float, bool]]]],
    names: list[str],
    *,
    title: str,
    ylabel: str,
) -> str:
    """Groups of bars ``(label, [(value, capped) per name])``; values on a log scale."""
    lo, hi = _log_range([v for _, bars in groups for v, _ in bars])
    lo = min(lo, 1.0)
    longest = max((len(label) for label, _ in groups), default=0)
    parts = _frame(title, "", ylabel, lo, hi, below=max(0, int(longest * 5.5 * 0.5) - 30))
    width = (W - LEFT - RIGHT) / max(1, len(groups))
    bar = width * 0.8 / max(1, len(names))
    base = H - BOTTOM
    for g, (label, bars) in enumerate(groups):
        gx = LEFT + g * width + width * 0.1
        for k, (value, capped) in enumerate(bars):
            colour = COLOURS[k % len(COLOURS)]
            top = min(_y(max(value, lo), lo, hi), base - 3)  # a bar of the minimum shows
            fill = "white" if capped else colour
            x = gx + k * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{bar - 1:.1f}" '
                f'height="{base - top:.1f}" fill="{fill}" stroke="{colour}" stroke-width="1.5">'
                f"<title>{escape(label)}: {escape(names[k])} {value:g}</title></rect>"
            )
            shown = f"{'>=' if capped else ''}{value:,.0f}"
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{top - 3:.1f}" text-anchor="middle" '
                f'font-family="sans-serif" font-size="9">{shown}</text>'
            )
        cx = gx + width * 0.4
        parts.append(
            f'<text transform="translate({cx:.1f} {base + 12}) rotate(30)" '
            f'font-family="sans-serif" font-size="10">{escape(label)}</text>'
        )
    parts += _legend(names, "hollow: hit the cap")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
