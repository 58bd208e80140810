"""The availability editor: one line of windows per weekday ("09:00-12:00, 17:00-20:00") and the
booking settings. The form parses; `availability_replace` decides and writes."""

import re
from datetime import datetime, time

from django import forms
from django.utils.translation import gettext_lazy as _

from authentication.forms import apply_domain_error
from catalog.choices import FreeCancellationOutcome
from cplatform.exceptions import DomainError

from .services import availability_replace, time_off_add
from .wallclock import local_to_utc, zone

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]
WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")


def _parse_windows(text: str) -> list[tuple[time, time]]:
    windows = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = WINDOW.match(part)
        if not match:
            raise forms.ValidationError(_("Write times like 09:00-12:00, 17:00-20:00."))
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if (h2, m2) == (24, 0):
            h2 = 0  # until midnight (stored as 00:00, the end of the day)
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise forms.ValidationError(_("Use times from 00:00 to 24:00."))
        windows.append((time(h1, m1), time(h2, m2)))
    return windows


def window_label(start: time, end: time) -> str:
    """ "09:00-12:00"; a window that runs until midnight ends at "24:00"."""
    return f"{start:%H:%M}-{'24:00' if end == time(0, 0) else f'{end:%H:%M}'}"


class AvailabilityForm(forms.Form):
    lesson_lengths = forms.CharField(
        label=_("Lesson lengths (minutes)"), max_length=60, help_text=_("For example: 30, 45, 60")
    )
    buffer_minutes = forms.IntegerField(
        label=_("Break between lessons (minutes)"), min_value=0, max_value=240
    )
    min_notice_minutes = forms.IntegerField(
        label=_("Minimum notice (minutes)"), min_value=0, max_value=60 * 24 * 30
    )
    horizon_days = forms.IntegerField(
        label=_("Bookable up to (days ahead)"), min_value=1, max_value=366
    )
    cancellation_cutoff_hours = forms.IntegerField(
        label=_("Free cancellation until (hours before)"), min_value=0, max_value=24 * 14
    )
    free_cancellation_outcome = forms.ChoiceField(
        label=_("A free cancellation gives back"), choices=FreeCancellationOutcome.choices
    )

    def __init__(self, data=None, *, settings, rules):
        initial = {
            "lesson_lengths": ", ".join(str(n) for n in settings.lesson_lengths or []),
            "buffer_minutes": settings.buffer_minutes,
            "min_notice_minutes": settings.min_notice_minutes,
            "horizon_days": settings.horizon_days,
            "cancellation_cutoff_hours": settings.cancellation_cutoff_hours,
            "free_cancellation_outcome": settings.free_cancellation_outcome,
        }
        for day in range(7):
            initial[f"day_{day}"] = ", ".join(
                window_label(r.start_time, r.end_time) for r in rules if r.weekday == day
            )
        super().__init__(data, initial=initial)
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"day_{day}"] = forms.CharField(
                label=name,
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "09:00-12:00, 17:00-24:00"}),
            )

    def day_fields(self):
        return [self[f"day_{day}"] for day in range(7)]

    def setting_fields(self):
        return [self[name] for name in self.base_fields]

    def clean_lesson_lengths(self):
        try:
            return [int(p) for p in self.cleaned_data["lesson_lengths"].split(",") if p.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Write whole minutes separated by commas.")) from exc

    def clean(self):
        cleaned = super().clean()
        for day in range(7):
            name = f"day_{day}"
            if name in cleaned:
                try:
                    cleaned[name] = _parse_windows(cleaned[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned

    def save(self, *, teacher):
        rules = [
            {"weekday": day, "start_time": start, "end_time": end}
            for day in range(7)
            for start, end in self.cleaned_data[f"day_{day}"]
        ]
        settings = {name: self.cleaned_data[name] for name in self.base_fields}
        try:
            return availability_replace(teacher=teacher, rules=rules, settings=settings)
        except DomainError as exc:
            apply_domain_error(self, exc)
            return None


class WallClockField(forms.DateTimeField):
    """A date and time as the clock on the wall shows it, left naive: the form places it in the
    teacher's zone itself, so a time in a DST gap or overlap is resolved on purpose, not refused."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]

    def __init__(self, **kwargs):
        super().__init__(input_formats=self.input_formats, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        return forms.fields.BaseTemporalField.to_python(self, str(value).strip())


class TimeOffForm(forms.Form):
    """Time off entered on the teacher's own wall clock; `time_off_add` decides and writes."""

    start = WallClockField(label=_("From"))
    end = WallClockField(label=_("Until"))
    reason = forms.CharField(label=_("Reason"), max_length=160, required=False)

    def __init__(self, data=None, *, tz_name: str):
        super().__init__(data)
        self.tz = zone(tz_name)
        for name in ("start", "end"):
            self.fields[name].help_text = _("In your time zone (%(zone)s).") % {"zone": tz_name}

    def clean(self):
        cleaned = super().clean()
        # A start in the spring gap moves past it; an end in the autumn overlap takes the later pass.
        for name, ambiguous in (("start", "earliest"), ("end", "latest")):
            value = cleaned.get(name)
            if value is None:
                continue
            if not 2000 <= value.year <= 2100:
                self.add_error(name, _("Enter a date between the years 2000 and 2100."))
                continue
            try:
                cleaned[name] = local_to_utc(
                    value.date(), value.time(), self.tz, ambiguous=ambiguous
                )
            except (OverflowError, ValueError):
                self.add_error(name, _("Enter a date between the years 2000 and 2100."))
        return cleaned

    def save(self, *, teacher):
        """The new time off, or None with the service's refusal shown on the form."""
        try:
            return time_off_add(
                teacher=teacher,
                start=self.cleaned_data["start"],
                end=self.cleaned_data["end"],
                reason=self.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_domain_error(self, exc)
            return None
