"""A weekly window may run until midnight (end 00:00, written and shown as 24:00), so an evening
teacher's last hour is bookable; 00:00–24:00 is the whole day, also on a 23- or 25-hour DST day."""

import zoneinfo
from datetime import time, timedelta

import pytest
from django.utils import timezone

from classroom.models import AvailabilityRule
from classroom.scheduling.selectors import SlotQuery, slots_for_teacher
from classroom.scheduling.services import availability_replace, lesson_book
from cplatform.exceptions import ValidationFailed
from tests.authentication.factories import PASSWORD
from tests.booking.factories import at, bookable_teacher, coming_dst_change, student
from tests.conftest import login_token

pytestmark = pytest.mark.django_db

MIDNIGHT = time(0, 0)


def _slots(teacher, day, tz, length=60):
    query = SlotQuery(
        start=at(day, 0, tz=tz), end=at(day + timedelta(days=1), 0, tz=tz), length=length
    )
    _length, slots = slots_for_teacher(teacher=teacher, query=query)
    zone = zoneinfo.ZoneInfo(tz)
    return [(s.astimezone(zone).time(), e.astimezone(zone)) for s, e in slots]


def test_a_window_until_midnight_offers_the_last_hour_of_the_day():
    day = timezone.localdate() + timedelta(days=10)
    teacher = bookable_teacher(rules=[(day.weekday(), time(21), MIDNIGHT)], lesson_lengths=[60])

    slots = _slots(teacher, day, "Europe/Madrid")

    assert [s for s, _e in slots] == [time(21), time(22), time(23)]
    last_end = slots[-1][1]
    assert (last_end.date(), last_end.time()) == (day + timedelta(days=1), MIDNIGHT)
    lesson = lesson_book(
        actor=(learner := student()),
        teacher=teacher,
        student=learner,
        start=at(day, 23, tz="Europe/Madrid"),
        length=60,
    )
    assert lesson.end == at(day + timedelta(days=1), 0, tz="Europe/Madrid")


@pytest.mark.parametrize(
    ("tz", "month", "hours"),
    [
        ("Europe/Madrid", 3, 23),
        ("Europe/Madrid", 10, 25),
        ("America/New_York", 3, 23),
        ("America/New_York", 11, 25),
    ],
)
def test_the_whole_day_window_covers_every_hour_of_a_dst_day(clock, tz, month, hours):
    day = coming_dst_change(clock, tz, month)
    teacher = bookable_teacher(
        tz=tz, rules=[(day.weekday(), MIDNIGHT, MIDNIGHT)], lesson_lengths=[60]
    )

    slots = _slots(teacher, day, tz)

    assert len(slots) == hours  # every real hour of the local day, none across into the next
    assert slots[-1][1] == at(day + timedelta(days=1), 0, tz=tz).astimezone(zoneinfo.ZoneInfo(tz))


def test_rules_until_midnight_are_checked_for_overlap_and_order():
    teacher = bookable_teacher(rules=[])
    with pytest.raises(ValidationFailed) as overlap:
        availability_replace(
            teacher=teacher,
            rules=[
                {"weekday": 0, "start_time": time(20), "end_time": MIDNIGHT},
                {"weekday": 0, "start_time": time(23), "end_time": MIDNIGHT},
            ],
            settings={"lesson_lengths": [60]},
        )
    assert "rules" in overlap.value.errors
    with pytest.raises(ValidationFailed):
        availability_replace(
            teacher=teacher,
            rules=[{"weekday": 0, "start_time": time(20), "end_time": time(19)}],
            settings={"lesson_lengths": [60]},
        )
    availability_replace(
        teacher=teacher,
        rules=[
            {"weekday": 0, "start_time": time(9), "end_time": time(12)},
            {"weekday": 0, "start_time": time(18), "end_time": MIDNIGHT},
        ],
        settings={"lesson_lengths": [60]},
    )
    assert list(
        AvailabilityRule.objects.filter(teacher=teacher).values_list("end_time", flat=True)
    ) == [
        time(12),
        MIDNIGHT,
    ]


def test_the_api_takes_24_00_as_the_end_of_the_day_and_answers_00_00(client):
    teacher = bookable_teacher(rules=[])
    token = login_token(client, teacher.user.email, PASSWORD)
    body = {
        "rules": [{"weekday": 4, "start_time": "18:00", "end_time": "24:00"}],
        "settings": {"lesson_lengths": [60]},
    }

    response = client.put(
        "/api/v1/availability", body, content_type="application/json", HTTP_X_SESSION_TOKEN=token
    )

    assert response.status_code == 200, response.content
    assert response.json()["rules"] == [
        {"weekday": 4, "start_time": "18:00:00", "end_time": "00:00:00"}
    ]
    assert AvailabilityRule.objects.get(teacher=teacher).end_time == MIDNIGHT


def test_the_availability_page_reads_and_shows_24_00(client):
    teacher = bookable_teacher(rules=[])
    client.force_login(teacher.user)
    page = client.get("/lessons/availability/")
    values = {name: page.context["form"][name].value() for name in page.context["form"].fields}
    form = {name: "" if value is None else value for name, value in values.items()}
    form.update({"day_4": "18:00-24:00"})

    response = client.post("/lessons/availability/", form)

    assert response.status_code == 302, response.context["form"].errors
    rule = AvailabilityRule.objects.get(teacher=teacher)
    assert (rule.weekday, rule.start_time, rule.end_time) == (4, time(18), MIDNIGHT)
    again = client.get("/lessons/availability/")
    assert 'value="18:00-24:00"' in again.content.decode()


def test_the_week_view_draws_a_window_until_midnight_to_the_bottom_of_the_day(client):
    teacher = bookable_teacher(rules=[(d, time(20), MIDNIGHT) for d in range(7)])
    client.force_login(teacher.user)

    response = client.get("/lessons/week/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "20:00–24:00" in html
    assert "--len: 240;" in html
