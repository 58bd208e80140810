"""Availability and series keep the teacher's wall-clock time across DST; the UTC instants shift."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest

from classroom.scheduling.selectors import SlotQuery, slots_for_teacher
from classroom.scheduling.services import series_book
from classroom.scheduling.wallclock import local_to_utc
from tests.authentication.factories import PASSWORD
from tests.booking.factories import (
    at,
    bookable_teacher,
    coming_dst_change,
    next_transition,
    student,
)
from tests.conftest import login_token

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def _week_around(change: date) -> tuple[date, date]:
    """The same weekday one week apart, the first before the DST change and the second after it."""
    before = change - timedelta(days=3)
    return before, before + timedelta(days=7)


def test_a_nonexistent_local_time_moves_forward_by_the_gap():
    spring = next_transition("Europe/Madrid", 3)
    instant = local_to_utc(spring, time(2, 30), MADRID, ambiguous="earliest")
    assert instant.astimezone(MADRID).time() == time(3, 30)


def test_an_ambiguous_local_time_takes_the_first_or_the_second_occurrence_as_asked():
    autumn = next_transition("Europe/Madrid", 10)
    first = local_to_utc(autumn, time(2, 30), MADRID, ambiguous="earliest")
    second = local_to_utc(autumn, time(2, 30), MADRID, ambiguous="latest")
    assert second - first == timedelta(hours=1)
    assert first.astimezone(MADRID).time() == second.astimezone(MADRID).time() == time(2, 30)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("teacher_tz", "month"),
    [
        ("Europe/Madrid", 3),
        ("Europe/Madrid", 10),
        ("America/New_York", 3),
        ("America/New_York", 11),
    ],
)
def test_a_17_00_rule_stays_17_00_in_the_teachers_zone_across_the_dst_change(
    clock, teacher_tz, month
):
    tz = zoneinfo.ZoneInfo(teacher_tz)
    before, after = _week_around(coming_dst_change(clock, teacher_tz, month))
    teacher = bookable_teacher(
        tz=teacher_tz, rules=[(before.weekday(), time(17), time(18))], lesson_lengths=[60]
    )
    query = SlotQuery(
        start=at(before, 0, tz=teacher_tz), end=at(after, 23, tz=teacher_tz), length=60
    )

    _length, slots = slots_for_teacher(teacher=teacher, query=query)

    assert [s.astimezone(tz).time() for s, _e in slots] == [time(17), time(17)]
    assert [s.astimezone(tz).date() for s, _e in slots] == [before, after]
    shift = slots[1][0] - slots[0][0] - timedelta(days=7)
    assert abs(shift) == timedelta(hours=1)  # the UTC instant moved, the wall clock did not


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("teacher_tz", "student_tz", "month"),
    [
        ("Europe/Madrid", "America/New_York", 3),
        ("Europe/Madrid", "America/New_York", 10),
        ("America/New_York", "Europe/Madrid", 3),
        ("America/New_York", "Asia/Tokyo", 11),
    ],
)
def test_the_slots_api_answers_in_the_viewers_zone_with_the_teachers_wall_clock_kept(
    client, clock, teacher_tz, student_tz, month
):
    before, after = _week_around(coming_dst_change(clock, teacher_tz, month))
    teacher = bookable_teacher(
        tz=teacher_tz, rules=[(before.weekday(), time(17), time(18))], lesson_lengths=[60]
    )
    viewer = student(tz=student_tz)
    token = login_token(client, viewer.email, PASSWORD)

    response = client.get(
        "/api/v1/slots",
        {
            "teacher_id": teacher.pk,
            "from": at(before, 0, tz=teacher_tz).isoformat(),
            "to": at(after, 23, tz=teacher_tz).isoformat(),
        },
        HTTP_X_SESSION_TOKEN=token,
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["timezone"] == student_tz
    starts = [datetime.fromisoformat(s["start"]) for s in body["slots"]]
    assert len(starts) == 2
    viewer_zone = zoneinfo.ZoneInfo(student_tz)
    assert all(s.utcoffset() == s.astimezone(viewer_zone).utcoffset() for s in starts)
    teacher_zone = zoneinfo.ZoneInfo(teacher_tz)
    assert [s.astimezone(teacher_zone).time() for s in starts] == [time(17), time(17)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("teacher_tz", "month"),
    [
        ("Europe/Madrid", 3),
        ("Europe/Madrid", 10),
        ("America/New_York", 3),
        ("America/New_York", 11),
    ],
)
def test_a_weekly_series_keeps_the_teachers_wall_clock_across_the_dst_change(
    clock, teacher_tz, month
):
    tz = zoneinfo.ZoneInfo(teacher_tz)
    before, _after = _week_around(coming_dst_change(clock, teacher_tz, month))
    first = before - timedelta(days=7)
    teacher = bookable_teacher(
        tz=teacher_tz, rules=[(before.weekday(), time(17), time(18))], lesson_lengths=[60]
    )
    learner = student(tz="Asia/Tokyo")

    series = series_book(
        actor=learner,
        teacher=teacher,
        student=learner,
        first_start=at(first, 17, tz=teacher_tz),
        length=60,
        count=4,
    )

    lessons = list(series.lessons.order_by("start"))
    assert len(lessons) == 4
    assert {lesson.start.astimezone(tz).time() for lesson in lessons} == {time(17)}
    offsets = [lesson.start.astimezone(tz).utcoffset() for lesson in lessons]
    assert len(set(offsets)) == 2  # the UTC instants shift by the change
    assert all(lesson.end - lesson.start == timedelta(hours=1) for lesson in lessons)
    assert all(lesson.start.tzinfo is not None for lesson in lessons)
    assert lessons[0].start.astimezone(UTC).date() <= lessons[-1].start.astimezone(UTC).date()
