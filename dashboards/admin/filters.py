"""The dashboard's filters, read from the query string (a GET form): a date range (a preset or two
dates, in the school zone), a course and a teacher. Bad input falls back to the default (the last
30 days, everything) and the form shows why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from django import forms
from django.contrib.auth import get_user_model
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from authentication.roles import Role
from courses.models import Course
from dashboards.analytics.periods import Period, school_today

PRESETS = {
    "7": _("Last 7 days"),
    "30": _("Last 30 days"),
    "90": _("Last 90 days"),
    "365": _("Last 12 months"),
    "custom": _("Custom range"),
}
DEFAULT_PRESET = "30"
MAX_DAYS = 731  # two years: enough for a year-on-year look, bounded for the charts


@dataclass(frozen=True)
class Filters:
    period: Period
    course_id: int | None = None
    teacher_id: int | None = None  # the teacher's user id

    def query(self) -> dict[str, str]:
        """The query string that gives these filters back (exports, links)."""
        out = {"preset": "custom", "start": self.period.start.isoformat()}
        out["end"] = self.period.end.isoformat()
        if self.course_id:
            out["course"] = str(self.course_id)
        if self.teacher_id:
            out["teacher"] = str(self.teacher_id)
        return out


class ListSelect(forms.Select):
    """A <select> whose options are written in one pass in Python instead of one template include
    per option: the course and teacher filters list every course (5,000 on the large seed) and
    every teacher (1,000), which cost the dashboard more than a second to render."""

    options: list = []  # (value, label) pairs, set by the form: no choices normalisation

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {"" if v is None else str(v) for v in self.format_value(value)}
        options = []
        for v, label in self.options:
            key = "" if v is None else str(v)
            selected = " selected" if key in chosen else ""
            options.append(f'<option value="{escape(key)}"{selected}>{escape(str(label))}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 - each value and label escaped above
        )


class FilterForm(forms.Form):
    preset = forms.ChoiceField(label=_("Date range"), choices=list(PRESETS.items()), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Ids checked against the options the form lists (thousands at scale: a plain set, not a
    # ChoiceField's normalised choices).
    course = forms.IntegerField(label=_("Course"), required=False, widget=ListSelect)
    teacher = forms.IntegerField(label=_("Teacher"), required=False, widget=ListSelect)

    def __init__(self, data, *, today: date | None = None):
        super().__init__(data)
        self.today = today or school_today()
        # Two queries, whatever else the page shows.
        courses = list(Course.objects.order_by("title").values_list("pk", "title"))
        self.fields["course"].widget.options = [("", _("All courses")), *courses]
        teachers = (
            get_user_model()
            .objects.filter(groups__name=Role.TEACHER)
            .order_by("first_name", "last_name", "email")
            .values_list("pk", "first_name", "last_name", "email")
        )
        teacher_options = [
            (pk, f"{first} {last}".strip() or email) for pk, first, last, email in teachers
        ]
        self.fields["teacher"].widget.options = [("", _("All teachers")), *teacher_options]
        self.known = {
            "course": {pk for pk, _title in courses},
            "teacher": {pk for pk, _name in teacher_options},
        }

    def _listed(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and value not in self.known[name]:
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"], params={"value": value}
            )
        return value

    def clean_course(self):
        return self._listed("course")

    def clean_teacher(self):
        return self._listed("teacher")

    def clean(self):
        data = super().clean()
        if data.get("preset") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates of a custom range."))
            if end < start:
                raise forms.ValidationError(_("The range ends on or after its first day."))
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(
                    _("Choose a range of at most %(days)s days.") % {"days": MAX_DAYS}
                )
        return data

    def filters(self) -> Filters:
        """The filters asked for, or the default when the form is not valid."""
        default = Filters(Period.last_days(int(DEFAULT_PRESET), today=self.today))
        if not self.is_bound or not self.is_valid():
            return default
        data = self.cleaned_data
        preset = data.get("preset") or (
            "custom" if data.get("start") and data.get("end") else DEFAULT_PRESET
        )
        if preset == "custom":
            period = Period(data["start"], data["end"])
        else:
            period = Period.last_days(int(preset), today=self.today)
        return Filters(period, course_id=data.get("course"), teacher_id=data.get("teacher"))


def previous_label(period: Period) -> str:
    prev = period.previous()
    return f"{prev.start.isoformat()} – {prev.end.isoformat()}"
