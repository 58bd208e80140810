"""The availability editor: one line of windows per weekday ("09:00-12:00, 17:00-20:00") and the
booking settings. The form parses; `availability_replace` decides and writes."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from authentication.forms import apply_domain_error
from catalog.choices import FreeCancellationOutcome
from cplatform.exceptions import DomainError

from ..models import minutes_of_day
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


GRID_STEP = 30  # minutes per cell of the weekly grid
GRID_CELL = re.compile(r"^([0-6])-(\d{2}):(\d{2})$")
DAY_MINUTES = 24 * 60


def cells_to_windows(starts: Iterable[int]) -> list[tuple[time, time]]:
    """The windows that cover the given grid cells (minutes of the day each cell starts at),
    adjacent cells merged into one window; a window that reaches the end of the day ends at 00:00."""
    windows: list[list[int]] = []
    for start in sorted(set(starts)):
        if windows and windows[-1][1] == start:
            windows[-1][1] = start + GRID_STEP
        else:
            windows.append([start, start + GRID_STEP])
    return [(time(a // 60, a % 60), time((b // 60) % 24, b % 60)) for a, b in windows]


def parse_grid(text: str) -> dict[int, list[int]]:
    """The cells a grid submission marks ("0-09:00 0-09:30 3-14:00": weekday 0-6, start of the
    cell), by weekday. Refuses a cell that is not on the grid."""
    cells: dict[int, list[int]] = {day: [] for day in range(7)}
    for token in text.split()[: 7 * DAY_MINUTES // GRID_STEP]:
        match = GRID_CELL.match(token)
        if not match:
            raise forms.ValidationError(_("The weekly grid could not be read; reload the page."))
        day, hours, minutes = (int(g) for g in match.groups())
        at = hours * 60 + minutes
        if at >= DAY_MINUTES or minutes >= 60 or at % GRID_STEP:
            raise forms.ValidationError(_("The weekly grid could not be read; reload the page."))
        cells[day].append(at)
    return cells


def rules_fit_grid(rules) -> bool:
    """Whether every window starts and ends on a cell boundary (else the page opens the text
    fields, which can say 09:15)."""
    return all(
        minutes_of_day(r.start_time) % GRID_STEP == 0
        and minutes_of_day(r.end_time, end=True) % GRID_STEP == 0
        for r in rules
    )


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class GridCell:
    day: int
    start: int  # minutes of the day
    on: bool
    label: str  # "Monday 09:00–09:30"

    @property
    def key(self) -> str:
        return f"{self.day}-{_hhmm(self.start)}"


@dataclass(frozen=True)
class GridRow:
    start: int
    cells: list[GridCell]

    @property
    def time_label(self) -> str:
        return _hhmm(self.start)

    @property
    def on_the_hour(self) -> bool:
        return self.start % 60 == 0


class DurationField:
    """Hours and minutes typed in two boxes, stored as whole minutes under `name`."""

    def __init__(self, name: str, label, *, max_minutes: int):
        self.name, self.label, self.max_minutes = name, label, max_minutes

    def fields(self) -> dict[str, forms.Field]:
        return {
            f"{self.name}_h": forms.IntegerField(
                label=_("hours"),
                min_value=0,
                max_value=self.max_minutes // 60,
                widget=forms.NumberInput(attrs={"class": "duration__input"}),
            ),
            f"{self.name}_m": forms.IntegerField(
                label=_("minutes"),
                min_value=0,
                max_value=59,
                widget=forms.NumberInput(attrs={"class": "duration__input"}),
            ),
        }


DURATIONS = [
    DurationField("buffer_minutes", _("Break between lessons"), max_minutes=240),
    DurationField(
        "min_notice_minutes", _("Minimum notice before a lesson"), max_minutes=60 * 24 * 30
    ),
]


class AvailabilityForm(forms.Form):
    """The weekly hours, as the grid's cells (`editor=grid`, sent by the page's script) or as one line
    of windows per weekday (the plain form), and the booking settings. Notice and break are typed
    in hours and minutes and stored as minutes."""

    lesson_lengths = forms.CharField(
        label=_("Lesson lengths (minutes)"), max_length=60, help_text=_("For example: 30, 45, 60")
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
    editor = forms.CharField(required=False, widget=forms.HiddenInput)
    grid = forms.CharField(required=False, widget=forms.HiddenInput, max_length=20000)

    SETTINGS = (
        "lesson_lengths",
        "horizon_days",
        "cancellation_cutoff_hours",
        "free_cancellation_outcome",
    )

    def __init__(self, data=None, *, settings, rules):
        self.rules = list(rules)
        initial = {
            "lesson_lengths": ", ".join(str(n) for n in settings.lesson_lengths or []),
            "horizon_days": settings.horizon_days,
            "cancellation_cutoff_hours": settings.cancellation_cutoff_hours,
            "free_cancellation_outcome": settings.free_cancellation_outcome,
        }
        for duration in DURATIONS:
            total = getattr(settings, duration.name) or 0
            initial[f"{duration.name}_h"], initial[f"{duration.name}_m"] = divmod(total, 60)
        for day in range(7):
            initial[f"day_{day}"] = ", ".join(
                window_label(r.start_time, r.end_time) for r in self.rules if r.weekday == day
            )
        if data is not None:
            data = self._with_split_minutes(data)
        super().__init__(data, initial=initial)
        for duration in DURATIONS:
            self.fields.update(duration.fields())
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"day_{day}"] = forms.CharField(
                label=capfirst(name),  # a label starts with a capital ("lunes" in a sentence)
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"placeholder": "09:00-12:00, 17:00-24:00"}),
            )

    @staticmethod
    def _with_split_minutes(data):
        """A post that gives a duration as plain minutes (`buffer_minutes=90`, the form before hours
        and minutes) reads as 1 h 30 min."""
        if not any(d.name in data and f"{d.name}_h" not in data for d in DURATIONS):
            return data
        data = data.copy()
        for d in DURATIONS:
            if d.name in data and f"{d.name}_h" not in data:
                try:
                    data[f"{d.name}_h"], data[f"{d.name}_m"] = divmod(int(data[d.name]), 60)
                except (TypeError, ValueError):
                    data[f"{d.name}_h"], data[f"{d.name}_m"] = data[d.name], 0
        return data

    def day_fields(self):
        return [self[f"day_{day}"] for day in range(7)]

    def setting_fields(self):
        return [self["lesson_lengths"]]

    def later_setting_fields(self):
        return [self[name] for name in self.SETTINGS[1:]]

    def duration_fields(self):
        """(name, legend, hours field, minutes field) of each duration, for a fieldset each."""
        return [(d.name, d.label, self[f"{d.name}_h"], self[f"{d.name}_m"]) for d in DURATIONS]

    def uses_grid(self) -> bool:
        return self.is_bound and self.data.get("editor") == "grid"

    def grid_fits(self) -> bool:
        """Whether the grid can show the weekly hours (every window on half hours)."""
        return self.uses_grid() or rules_fit_grid(self.rules)

    def grid_rows(self) -> list[GridRow]:
        """The weekly grid: a row per half hour, a cell per weekday, marked from the submitted cells
        after a refused grid submission, else from the saved rules."""
        marked: set[tuple[int, int]] = set()
        submitted = self.uses_grid() and getattr(self, "_grid_cells", None)
        if submitted:
            marked = {(day, at) for day, starts in submitted.items() for at in starts}
        else:
            for r in self.rules:
                start = minutes_of_day(r.start_time)
                end = minutes_of_day(r.end_time, end=True)
                first = start - start % GRID_STEP
                marked |= {(r.weekday, at) for at in range(first, end, GRID_STEP)}
        return [
            GridRow(
                start=at,
                cells=[
                    GridCell(
                        day=day,
                        start=at,
                        on=(day, at) in marked,
                        label=f"{capfirst(WEEKDAYS[day])} {_hhmm(at)}–{_hhmm(at + GRID_STEP)}",
                    )
                    for day in range(7)
                ],
            )
            for at in range(0, DAY_MINUTES, GRID_STEP)
        ]

    def clean_lesson_lengths(self):
        try:
            return [int(p) for p in self.cleaned_data["lesson_lengths"].split(",") if p.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Write whole minutes separated by commas.")) from exc

    def clean(self):
        cleaned = super().clean()
        for duration in DURATIONS:
            hours = cleaned.get(f"{duration.name}_h")
            minutes = cleaned.get(f"{duration.name}_m")
            if hours is None or minutes is None:
                continue
            total = hours * 60 + minutes
            if total > duration.max_minutes:
                self.add_error(
                    f"{duration.name}_h",
                    _("Enter at most %(hours)d hours.") % {"hours": duration.max_minutes // 60},
                )
            cleaned[duration.name] = total
        if self.uses_grid():
            try:
                self._grid_cells = parse_grid(cleaned.get("grid") or "")
            except forms.ValidationError as exc:
                self.add_error(None, exc)
                return cleaned
            for day, starts in self._grid_cells.items():
                cleaned[f"day_{day}"] = cells_to_windows(starts)
            return cleaned
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
        settings = {name: self.cleaned_data[name] for name in self.SETTINGS}
        settings.update({d.name: self.cleaned_data[d.name] for d in DURATIONS})
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
