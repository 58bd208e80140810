"""Charts drawn on the server as SVG markup: pure functions, no JavaScript, no CDN. Each chart has a
<title> and a <desc> (`role="img"`, `aria-labelledby`) and is shown beside a table of the same
figures (the alternative for screen readers and for copying)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 240
PAD_LEFT = 56
PAD_RIGHT = 16
PAD_TOP = 16
PAD_BOTTOM = 40
# Distinct on white and for the common colour-vision deficiencies (Okabe–Ito).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def _num(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, Decimal):
        return float(value)
    return float(value)


def _fmt(value: float) -> str:
    return f"{value:.0f}" if abs(value) >= 10 or value == int(value) else f"{value:.1f}"


def _nice_max(top: float) -> float:
    """A round upper bound for the axis (1, 2, 5 × 10ⁿ)."""
    if top <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(top))) - 1)
    for step in (1, 2, 5, 10):
        if top <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _frame(chart_id: str, title: str, desc: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 — every text below went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _axis(top: float, bottom: float = 0.0) -> list[str]:
    """Five grid lines from `bottom` (0, or a round negative bound) to `top`."""
    out = []
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    steps = 5
    for i in range(steps + 1):
        value = bottom + (top - bottom) * i / steps
        y = PAD_TOP + plot_h - plot_h * i / steps
        out.append(
            f'<line x1="{PAD_LEFT}" y1="{y:.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{y:.1f}" '
            'class="chart-grid" stroke="#d0d0d0" stroke-width="1"/>'
            f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#333">{escape(_fmt(value))}</text>'
        )
    return out


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
) -> SafeString:
    """One line per (name, values) over the same `labels` (days). Up to six series."""
    values = [_num(v) for _, vals in series for v in vals]
    top = _nice_max(max(values, default=0))
    # Net money can be negative on a day of refunds: the axis then goes below zero.
    low = min(values, default=0)
    bottom = -_nice_max(-low) if low < 0 else 0.0
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    n = max(len(labels), 1)
    step = plot_w / (n - 1) if n > 1 else 0

    def xy(i: int, v) -> tuple[float, float]:
        x = PAD_LEFT + (step * i if n > 1 else plot_w / 2)
        return x, PAD_TOP + plot_h - plot_h * (_num(v) - bottom) / (top - bottom)

    body = _axis(top, bottom)
    # A few labels along the x axis: the first, the last and some between.
    every = max(1, n // 6)
    for i, label in enumerate(labels):
        # …leaving out one that would crowd the last.
        if (i % every == 0 and n - 1 - i >= every * 0.75) or i == n - 1:
            x, _ = xy(i, 0)
            anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"
            body.append(
                f'<text x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="{anchor}" '
                f'font-size="11" fill="#333">{escape(label)}</text>'
            )
    for k, (name, vals) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(vals)))
        body.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}" '
            f'data-series="{escape(name)}"/>'
        )
        body.append(
            f'<text x="{PAD_LEFT + 120 * k}" y="{HEIGHT - 6}" font-size="12" fill="{colour}">'
            f"■ {escape(name)}</text>"
        )
    return _frame(chart_id, title, desc, body)


def bar_chart(
    *, chart_id: str, title: str, desc: str, items: Sequence[tuple[str, object]]
) -> SafeString:
    """One bar per (label, value)."""
    values = [_num(v) for _, v in items]
    top = _nice_max(max(values, default=0))
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    n = max(len(items), 1)
    slot = plot_w / n
    bar = max(2.0, slot * 0.7)
    body = _axis(top)
    for i, (label, value) in enumerate(items):
        h = plot_h * max(0.0, _num(value)) / top  # a negative figure shows as no bar (see table)
        x = PAD_LEFT + slot * i + (slot - bar) / 2
        y = PAD_TOP + plot_h - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {escape(_fmt(_num(value)))}</title></rect>'
            f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" '
            f'font-size="11" fill="#333">{escape(label[:14])}</text>'
        )
    return _frame(chart_id, title, desc, body)
