"""The django-q2 schedules the apps keep (a sweep, a reminder run, a weekly email): made by each app's
migration, which passes its historical `Schedule` model, and by the tests' base data after a flush,
which passes the real one. One way to make them: forever, the first run now (or when given), and
running it again changes nothing but the schedule's settings."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def schedule_ensure(
    schedule_model,
    *,
    name: str,
    func: str,
    schedule_type: str = "I",
    minutes: int | None = None,
    first_run: datetime | None = None,
) -> None:
    """The schedule `name` calling `func` ("I": every `minutes` minutes; "H", "D", "W", …)."""
    fields = {"func": func, "schedule_type": schedule_type, "minutes": minutes, "repeats": -1}
    schedule_model.objects.update_or_create(
        name=name,
        defaults=fields,
        create_defaults={**fields, "next_run": first_run or timezone.now()},
    )


def schedule_remove(schedule_model, *names: str) -> None:
    schedule_model.objects.filter(name__in=names).delete()
