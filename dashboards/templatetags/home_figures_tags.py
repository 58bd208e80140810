"""The figures on the role homes: look-ups, percentages and the small SVG charts (homes_figures)."""

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..homes_figures import sparkline

register = template.Library()


@register.filter
def figures_of(figures: dict, student_id):
    """One learner's figures from the home's `learner_figures` (None when not theirs to see)."""
    return figures.get(student_id) if figures else None


@register.filter
def as_percent(rate) -> str:
    """0.8 → "80%" (in the active language's number format); "–" for no figure."""
    if rate is None:
        return "–"
    return f"{number_format(round(100 * rate))}%"


@register.simple_tag
def attended_chart(figures):
    """Lessons attended per week, as bars; its name says the figures (its text alternative)."""
    values = [n for _start, n in figures.weekly_attended]
    label = _("Lessons attended per week, oldest first: %(values)s") % {
        "values": ", ".join(str(v) for v in values)
    }
    return sparkline(values, label=label)


@register.simple_tag
def enrolments_chart(series):
    """Enrolments per day of the period, as bars named by their figures."""
    values = [p.value for p in series.points]
    label = _("Enrolments per day, oldest first: %(values)s") % {
        "values": ", ".join(str(v) for v in values)
    }
    return sparkline(values, label=label)
