"""The availability page's weekly grid: its cells become the weekly rules (neighbours merged), the
plain form (one line per weekday) still works without the script, and notice and break are typed
in hours and minutes."""

import zoneinfo
from datetime import time, timedelta

import pytest

from classroom.models import AvailabilityRule
from classroom.scheduling.forms import cells_to_windows, parse_grid
from classroom.scheduling.selectors import SlotQuery, slots_for_teacher
from tests.booking.factories import at, bookable_teacher, coming_dst_change
from tests.query_budget import assert_constant_queries
from tests.seo.conftest import soup

pytestmark = pytest.mark.django_db

URL = "/lessons/availability/"
SETTINGS = {
    "lesson_lengths": "30, 60",
    "buffer_minutes_h": 0,
    "buffer_minutes_m": 15,
    "min_notice_minutes_h": 2,
    "min_notice_minutes_m": 0,
    "horizon_days": 60,
    "cancellation_cutoff_hours": 24,
    "free_cancellation_outcome": "refund",
}


def rules_of(teacher):
    return [
        (d, f"{s:%H:%M}", f"{e:%H:%M}")
        for d, s, e in AvailabilityRule.objects.filter(teacher=teacher)
        .order_by("weekday", "start_time")
        .values_list("weekday", "start_time", "end_time")
    ]


def cells(day, start, end):
    """The grid's cell keys from `start` to `end` ("09:00", "12:00") on `day`."""
    h, m = (int(x) for x in start.split(":"))
    eh, em = (int(x) for x in end.split(":"))
    return [f"{day}-{t // 60:02d}:{t % 60:02d}" for t in range(h * 60 + m, eh * 60 + em, 30)]


def test_adjacent_cells_merge_into_one_window_and_the_last_cell_ends_at_midnight():
    starts = [9 * 60, 9 * 60 + 30, 10 * 60, 14 * 60, 23 * 60 + 30, 23 * 60]
    assert cells_to_windows(starts) == [
        (time(9), time(10, 30)),
        (time(14), time(14, 30)),
        (time(23), time(0)),
    ]
    assert cells_to_windows([]) == []


@pytest.mark.parametrize("bad", ["0-09:15", "7-09:00", "0-24:00", "monday", "0-9:00", "0-09:60"])
def test_a_cell_off_the_grid_is_refused(bad):
    from django import forms

    with pytest.raises(forms.ValidationError):
        parse_grid(f"0-08:00 {bad}")


def test_a_teacher_saves_the_grid_and_gets_merged_rules(client):
    teacher = bookable_teacher(rules=[(1, time(8), time(9))])
    client.force_login(teacher.user)
    grid = cells(0, "09:00", "12:00") + cells(0, "13:00", "14:00") + cells(6, "22:00", "24:00")
    data = {**SETTINGS, "editor": "grid", "grid": " ".join(grid), "day_1": "08:00-09:00"}

    response = client.post(URL, data)

    assert response.status_code == 302
    # The grid is the editor: what it leaves out (Tuesday) is gone, whatever the text fields say.
    assert rules_of(teacher) == [
        (0, "09:00", "12:00"),
        (0, "13:00", "14:00"),
        (6, "22:00", "00:00"),
    ]
    settings = teacher.scheduling_settings
    settings.refresh_from_db()
    assert (settings.buffer_minutes, settings.min_notice_minutes) == (15, 120)


def test_without_the_script_the_text_fields_are_the_form_and_the_grid_is_ignored(client):
    teacher = bookable_teacher(rules=[])
    client.force_login(teacher.user)
    # The page's grid inputs are disabled until the script enables them, so a plain form posts
    # no `editor`; a stray `grid` value alone changes nothing.
    data = {**SETTINGS, "grid": " ".join(cells(2, "10:00", "11:00")), "day_3": "10:00-11:30"}

    assert client.post(URL, data).status_code == 302
    assert rules_of(teacher) == [(3, "10:00", "11:30")]


def test_an_unreadable_grid_saves_nothing_and_says_so(client):
    teacher = bookable_teacher(rules=[(0, time(9), time(10))])
    client.force_login(teacher.user)

    response = client.post(URL, {**SETTINGS, "editor": "grid", "grid": "0-14:00 0-09:10"})

    assert response.status_code == 200
    assert "The weekly grid could not be read" in response.content.decode()
    assert rules_of(teacher) == [(0, "09:00", "10:00")]
    page = soup(response)  # the grid shows what is saved
    assert page.select_one('[data-cell="0-09:00"]')["aria-pressed"] == "true"
    assert page.select_one('[data-cell="0-14:00"]')["aria-pressed"] == "false"


def test_a_refused_setting_keeps_the_cells_the_teacher_marked(client):
    teacher = bookable_teacher(rules=[(0, time(9), time(10))])
    client.force_login(teacher.user)
    data = {**SETTINGS, "lesson_lengths": "5", "editor": "grid", "grid": "0-14:00 0-14:30"}

    response = client.post(URL, data)

    assert response.status_code == 200
    assert rules_of(teacher) == [(0, "09:00", "10:00")]
    page = soup(response)
    assert [b["data-cell"] for b in page.select('.avail-cell[aria-pressed="true"]')] == [
        "0-14:00",
        "0-14:30",
    ]


def test_the_page_draws_the_saved_rules_on_the_grid_with_labels(client):
    teacher = bookable_teacher(rules=[(0, time(9), time(10)), (4, time(23), time(0))])
    client.force_login(teacher.user)

    page = soup(client.get(URL))

    grid = page.select_one("[data-avail-grid]")
    assert grid["data-fits"] == "true"
    assert grid.select_one("input[name=editor]").has_attr("disabled")
    assert grid.select_one("input[name=grid]").has_attr("disabled")
    on = [b["data-cell"] for b in grid.select('.avail-cell[aria-pressed="true"]')]
    assert on == ["0-09:00", "0-09:30", "4-23:00", "4-23:30"]
    assert len(grid.select(".avail-cell[data-cell]")) == 7 * 48
    monday_nine = grid.select_one('[data-cell="0-09:00"]')
    assert monday_nine["aria-label"] == "Monday 09:00–09:30, available"
    assert grid.select_one('[data-cell="0-10:00"]')["aria-label"] == (
        "Monday 10:00–10:30, not available"
    )
    assert grid.select_one('[data-cell="6-23:30"]')["data-label"] == "Sunday 23:30–24:00"
    # The plain form is still on the page, filled, for browsers without the script.
    assert page.select_one("#id_day_0")["value"] == "09:00-10:00"


def test_hours_off_the_half_hour_open_the_text_fields_instead_of_the_grid(client):
    teacher = bookable_teacher(rules=[(2, time(9, 15), time(11))])
    client.force_login(teacher.user)

    page = soup(client.get(URL))

    assert page.select_one("[data-avail-grid]")["data-fits"] == "false"
    assert "between half hours" in page.get_text()


def test_the_grid_speaks_spanish_on_the_spanish_page(client):
    teacher = bookable_teacher(rules=[(0, time(9), time(10))])
    teacher.user.language = "es"
    teacher.user.save(update_fields=["language"])
    client.force_login(teacher.user)

    page = soup(client.get("/es" + URL))

    assert page.select_one('[data-cell="0-09:00"]')["aria-label"] == "Lunes 09:00–09:30, disponible"
    assert "horas" in page.select_one("fieldset.duration").get_text()


def test_notice_and_break_show_as_hours_and_minutes(client):
    teacher = bookable_teacher(rules=[], buffer_minutes=75, min_notice_minutes=60 * 26)
    client.force_login(teacher.user)

    page = soup(client.get(URL))

    values = {
        name: page.select_one(f"#id_{name}")["value"]
        for name in ("buffer_minutes_h", "buffer_minutes_m", "min_notice_minutes_h")
    }
    assert values == {
        "buffer_minutes_h": "1",
        "buffer_minutes_m": "15",
        "min_notice_minutes_h": "26",
    }
    legends = [legend.get_text(strip=True) for legend in page.select("fieldset.duration legend")]
    assert legends == ["Break between lessons", "Minimum notice before a lesson"]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"buffer_minutes_h": 4, "buffer_minutes_m": 30}, "Enter at most 4 hours."),
        ({"buffer_minutes_m": 75}, "less than or equal to 59"),
        ({"min_notice_minutes_h": "soon"}, "Enter a whole number."),
    ],
)
def test_a_duration_out_of_range_is_refused_and_saves_nothing(client, fields, error):
    teacher = bookable_teacher(rules=[], buffer_minutes=10)
    client.force_login(teacher.user)

    response = client.post(URL, {**SETTINGS, **fields})

    assert response.status_code == 200
    assert error in response.content.decode()
    teacher.scheduling_settings.refresh_from_db()
    assert teacher.scheduling_settings.buffer_minutes == 10


@pytest.mark.parametrize(("tz", "month"), [("Europe/Madrid", 3), ("America/New_York", 11)])
def test_grid_hours_keep_their_wall_clock_time_across_a_dst_change(client, clock, tz, month):
    day = coming_dst_change(clock, tz, month)
    teacher = bookable_teacher(tz=tz, rules=[], lesson_lengths=[60])
    client.force_login(teacher.user)
    grid = cells(day.weekday(), "09:00", "12:00")

    assert (
        client.post(
            URL, {**SETTINGS, "lesson_lengths": "60", "editor": "grid", "grid": " ".join(grid)}
        ).status_code
        == 302
    )

    zone = zoneinfo.ZoneInfo(tz)
    for when in (day - timedelta(days=7), day, day + timedelta(days=7)):
        query = SlotQuery(
            start=at(when, 0, tz=tz), end=at(when + timedelta(days=1), 0, tz=tz), length=60
        )
        _length, slots = slots_for_teacher(teacher=teacher, query=query)
        assert [s.astimezone(zone).time() for s, _e in slots] == [time(9), time(10), time(11)]


def test_the_availability_page_costs_the_same_queries_for_few_or_many_rules(client):
    teacher = bookable_teacher(rules=[(0, time(9), time(10))])
    client.force_login(teacher.user)

    def more_rules():
        AvailabilityRule.objects.bulk_create(
            AvailabilityRule(teacher=teacher, weekday=day, start_time=time(h), end_time=time(h, 30))
            for day in range(1, 7)
            for h in (8, 12, 16)
        )

    assert_constant_queries(
        lambda: client.get(URL),
        grow=more_rules,
        rows=lambda response: len(soup(response).select('.avail-cell[aria-pressed="true"]')),
        budget=12,
    )
