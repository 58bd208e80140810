"""The dashboard's SVG charts (dashboards/charts.py): pure functions, so tested without a database."""

import re
from decimal import Decimal

from dashboards.charts import HEIGHT, WIDTH, bar_chart, line_chart


def _points(svg: str) -> list[tuple[float, float]]:
    out = []
    for attr in re.findall(r'points="([^"]*)"', svg):
        out += [tuple(map(float, p.split(","))) for p in attr.split()]
    return out


def test_a_line_chart_names_itself_and_keeps_negative_days_inside_the_frame():
    svg = line_chart(
        chart_id="c1",
        title="Net <revenue>",
        desc="Per day & currency",
        labels=["2026-11-01", "2026-11-02", "2026-11-03"],
        series=[("EUR", [Decimal("100"), Decimal("-20"), 0]), ("USD", [0, 0, 30])],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Net &lt;revenue&gt;</title>' in svg
    assert '<desc id="c1-desc">Per day &amp; currency</desc>' in svg
    points = _points(svg)
    assert len(points) == 6
    assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in points)
    eur = points[:3]
    assert eur[0][1] < eur[2][1] < eur[1][1]  # 100 above 0 above -20 (SVG y grows downwards)


def test_a_bar_chart_draws_one_bar_per_item_and_no_negative_height():
    svg = bar_chart(
        chart_id="c2",
        title="By course",
        desc="Net per course",
        items=[("Algebra", Decimal("80")), ("<b>", Decimal("-5")), ("Geometry", 40)],
    )
    heights = [float(h) for h in re.findall(r'<rect[^>]*height="([^"]*)"', svg)]
    assert len(heights) == 3
    assert heights[0] == 2 * heights[2] and heights[1] == 0
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_an_empty_chart_still_draws_its_frame():
    svg = line_chart(chart_id="c3", title="Nothing", desc="No days", labels=[], series=[])
    assert '<title id="c3-title">Nothing</title>' in svg
    assert bar_chart(chart_id="c4", title="None", desc="No items", items=[]).count("<rect") == 0


def test_a_dashboard_bar_chart_keeps_the_largest_rows_in_their_order():
    from dashboards.admin.views import DASHBOARD_BARS, _largest

    few = [("a", 1), ("b", None), ("c", 3)]
    assert _largest(few, lambda r: r[1]) == few
    many = [(f"t{i:03}", (i * 37) % 101) for i in range(DASHBOARD_BARS + 30)]
    kept = _largest(many, lambda r: r[1])
    assert len(kept) == DASHBOARD_BARS
    assert kept == [r for r in many if r in kept]  # the original (name) order
    assert min(v for _n, v in kept) >= max(v for n, v in many if (n, v) not in kept)
