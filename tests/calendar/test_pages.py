"""The schedule pages, as each role uses them: the teacher's week, time off, moving a lesson and the
calendar-feed page. Other roles get 403 (role pages) or 404 (someone else's lesson)."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from authentication.choices import Role
from authentication.services import guardian_accept, guardian_invite
from classroom.calendar.selectors import week_monday
from classroom.choices import LessonStatus
from classroom.models import AvailabilityException, CalendarFeed, Lesson
from classroom.scheduling.services import lesson_book, time_off_add
from tests.authentication.factories import UserFactory
from tests.booking.factories import bookable_teacher, days_ahead, next_transition, student
from tests.calendar.factories import cancelled, group_session, private_lesson
from tests.courses.factories import CourseFactory
from tests.query_budget import assert_constant_queries, html_rows

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


def madrid(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MADRID).astimezone(UTC)


def html(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def text(response) -> str:
    """What a reader sees: the page without its tags, whitespace collapsed."""
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def parent_of(child):
    parent = UserFactory(roles=[Role.PARENT])
    guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    return parent


# Week schedule


def test_teacher_sees_their_week_with_lessons_groups_time_off_and_availability(client):
    teacher = bookable_teacher(
        tz="Europe/Madrid", rules=[(d, time(9, 0), time(13, 0)) for d in range(5)]
    )
    other = bookable_teacher(tz="Europe/Madrid")
    learner = student(first_name="Lucía", last_name="Ortega")
    monday = week_monday(timezone.now().astimezone(MADRID).date() + timedelta(days=7))
    private_lesson(teacher=teacher, student=learner, start=madrid(monday, 10))
    course = CourseFactory(owner=teacher.user, title="Conversation club")
    group_session(
        teacher=teacher,
        course=course,
        start=madrid(monday + timedelta(days=2), 18, 30),
        seats=[learner, student()],
        capacity=6,
    )
    time_off_add(
        teacher=teacher,
        start=madrid(monday + timedelta(days=4), 0),
        end=madrid(monday + timedelta(days=5), 0),
        reason="Dentist",
    )
    stranger = student(first_name="Zebedee", last_name="Outsider")
    private_lesson(teacher=other, student=stranger, start=madrid(monday, 10))
    private_lesson(teacher=teacher, student=learner, start=madrid(monday + timedelta(days=7), 10))

    client.force_login(teacher.user)
    response = client.get(f"/lessons/week/?week={(monday + timedelta(days=3)).isoformat()}")
    assert response.status_code == 200
    page = text(response)
    assert "10:00–11:00 Lucía Ortega" in page
    assert "18:30–19:30 Conversation club" in page
    assert "2/6 seats" in page
    assert "Dentist" in page and "00:00–24:00" in page
    assert "09:00–13:00" in page  # availability
    assert "Zebedee" not in page  # another teacher's lesson
    assert page.count("Lucía Ortega") == 1  # next week's lesson is not in this week
    links = html(response)
    assert f"?week={(monday - timedelta(days=7)).isoformat()}" in links
    assert f"?week={(monday + timedelta(days=7)).isoformat()}" in links


def test_today_is_marked(client):
    teacher = bookable_teacher(tz="Asia/Tokyo")
    client.force_login(teacher.user)
    page = html(client.get("/lessons/week/"))
    today = timezone.now().astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).date()
    assert page.count('aria-current="date"') == 1
    marked = re.search(r'aria-current="date"> (\w+)', page).group(1)
    assert marked == today.strftime("%A")


def test_a_week_with_a_dst_change_shows_every_lesson_at_its_wall_clock_time(client):
    teacher = bookable_teacher(tz="Europe/Madrid")
    learner = student()
    change = next_transition("Europe/Madrid", 3)  # a Sunday: 02:00 becomes 03:00
    saturday, monday_after = change - timedelta(days=1), change + timedelta(days=1)
    private_lesson(teacher=teacher, student=learner, start=madrid(saturday, 17))
    private_lesson(teacher=teacher, student=learner, start=madrid(change, 1, 15), minutes=30)
    private_lesson(teacher=teacher, student=learner, start=madrid(change, 3, 0), minutes=30)
    private_lesson(teacher=teacher, student=learner, start=madrid(change, 17))
    client.force_login(teacher.user)
    page = text(client.get(f"/lessons/week/?week={change.isoformat()}"))
    assert page.count(f"17:00–18:00 {learner.name}") == 2  # same clock time both sides
    assert f"01:15–01:45 {learner.name}" in page
    assert f"03:00–03:30 {learner.name}" in page
    # The Monday after is in the next grid week (the change is on a Sunday).
    next_week = text(client.get(f"/lessons/week/?week={monday_after.isoformat()}"))
    assert learner.name not in next_week


def test_cancelled_lessons_are_hidden_until_asked_for_then_struck(client):
    teacher = bookable_teacher(tz="Europe/Madrid")
    learner = student(first_name="Nadia", last_name="Vidal")
    monday = week_monday(timezone.now().astimezone(MADRID).date() + timedelta(days=7))
    cancelled(private_lesson(teacher=teacher, student=learner, start=madrid(monday, 10)))
    client.force_login(teacher.user)
    week = f"/lessons/week/?week={monday.isoformat()}"
    assert "Nadia Vidal" not in text(client.get(week))
    page = html(client.get(week + "&cancelled=1"))
    assert re.search(r"<del>.*Nadia Vidal.*</del>", page)
    assert "Cancelled" in page


def test_week_ignores_a_bad_week_parameter(client):
    teacher = bookable_teacher()
    client.force_login(teacher.user)
    for value in ("junk", "0001-01-01", "9999-12-31", "2026-02-30"):
        assert client.get(f"/lessons/week/?week={value}").status_code == 200


@pytest.mark.parametrize("role", [Role.STUDENT, Role.PARENT, Role.ADMIN])
def test_only_teachers_have_a_week_schedule_and_time_off(client, role):
    client.force_login(UserFactory(roles=[role]))
    # An admin reaches the page, but names no teacher and teaches nothing: no week to show.
    assert client.get("/lessons/week/").status_code == (404 if role == Role.ADMIN else 403)
    assert client.get("/lessons/time-off/").status_code == 403


def test_an_admin_looks_at_a_teachers_week_and_teachers_only_see_their_own(client):
    teacher = bookable_teacher(tz="Asia/Tokyo")
    other = bookable_teacher(tz="Europe/Madrid")
    learner = student(first_name="Kenji", last_name="Sato")
    monday = week_monday(timezone.now().date() + timedelta(days=7))
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    start = datetime.combine(monday, time(9, 0), tzinfo=tokyo)
    private_lesson(teacher=teacher, student=learner, start=start)
    client.force_login(UserFactory(roles=[Role.ADMIN]))
    response = client.get(f"/lessons/week/?week={monday}&teacher={teacher.pk}")
    page = text(response)
    assert f"Week schedule of {teacher.user.name}" in page
    assert "Asia/Tokyo" in page
    assert "09:00–10:00 Kenji Sato" in page  # the teacher's wall clock, not the admin's
    assert f"teacher={teacher.pk}" in html(response)  # week links keep the teacher
    for bad in ("987654321", "junk", "99999999999999999999999"):
        assert client.get(f"/lessons/week/?teacher={bad}").status_code == 404
    client.force_login(other.user)  # a teacher naming another teacher sees their own week
    page = text(client.get(f"/lessons/week/?week={monday}&teacher={teacher.pk}"))
    assert "Kenji Sato" not in page
    assert "Week schedule of" not in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (
        "/lessons/week/",
        "/lessons/time-off/",
        "/lessons/calendar/",
        "/lessons/1/reschedule/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_week_queries_do_not_grow_with_the_teachers_lessons(client):
    teacher = bookable_teacher(tz="Europe/Madrid")
    learners = [student() for _ in range(3)]
    course = CourseFactory(owner=teacher.user)
    monday = week_monday(timezone.now().astimezone(MADRID).date())
    week_start = madrid(monday, 0)

    def add(count: int, first: int):
        # Up to 600 ten-minute lessons inside the shown week, the rest in the weeks after it.
        lessons = []
        for n in range(first, first + count):
            offset = timedelta(minutes=15 * n) if n < 600 else timedelta(days=8, minutes=15 * n)
            learner = learners[n % 3]
            lessons.append(
                Lesson(
                    teacher=teacher,
                    student=learner,
                    booked_by=learner,
                    start=week_start + offset,
                    end=week_start + offset + timedelta(minutes=10),
                )
            )
        Lesson.objects.bulk_create(lessons)

    add(9, 300)
    group_session(
        teacher=teacher, course=course, start=week_start + timedelta(hours=164), seats=learners
    )
    client.force_login(teacher.user)
    url = f"/lessons/week/?week={monday.isoformat()}"

    # The page's own reads are 7 (session, user, roles, profile, rules, time off, lessons); the site
    # header adds its own few (permissions for the editor link).
    assert_constant_queries(
        lambda: client.get(url),
        grow=lambda: add(990, 309),
        budget=12,
        rows=html_rows('<li class="week-item week-item--lesson'),
    )
    assert Lesson.objects.filter(teacher=teacher).count() == 1000


# Time off


def test_teacher_adds_time_off_in_their_zone_sees_it_and_removes_it(client):
    teacher = bookable_teacher(tz="America/New_York")
    client.force_login(teacher.user)
    day = timezone.now().date() + timedelta(days=20)
    response = client.post(
        "/lessons/time-off/",
        {"start": f"{day}T09:00", "end": f"{day}T17:30", "reason": "Conference"},
    )
    assert response.status_code == 302
    off = AvailabilityException.objects.get(teacher=teacher)
    ny = zoneinfo.ZoneInfo("America/New_York")
    assert off.start == datetime.combine(day, time(9, 0), tzinfo=ny)
    assert off.end == datetime.combine(day, time(17, 30), tzinfo=ny)
    page = text(client.get("/lessons/time-off/"))
    assert "Conference" in page and "09:00" in page and "17:30" in page

    other = bookable_teacher()
    client.force_login(other.user)
    assert client.post(f"/lessons/time-off/{off.pk}/delete/").status_code == 404
    assert client.get(f"/lessons/time-off/{off.pk}/delete/").status_code == 404
    client.force_login(teacher.user)
    asked = text(client.get(f"/lessons/time-off/{off.pk}/delete/"))
    assert "Remove this time off?" in asked and "09:00" in asked  # in the teacher's zone
    assert AvailabilityException.objects.exists()
    assert client.post(f"/lessons/time-off/{off.pk}/delete/").status_code == 302
    assert not AvailabilityException.objects.exists()


def test_time_off_form_errors_are_shown_and_nothing_is_saved(client):
    teacher = bookable_teacher()
    client.force_login(teacher.user)
    day = timezone.now().date() + timedelta(days=20)
    cases = [
        ({"start": f"{day}T17:00", "end": f"{day}T09:00"}, "The end must be after the start."),
        ({"start": "not a date", "end": f"{day}T09:00"}, "Enter a valid date/time."),
        ({"start": "", "end": ""}, "This field is required."),
        (
            {"start": f"{day}T09:00", "end": f"{day.replace(year=day.year + 3)}T09:00"},
            "at most a year",
        ),
        ({"start": "1200-01-01T09:00", "end": f"{day}T09:00"}, "between the years 2000 and 2100"),
    ]
    for data, message in cases:
        response = client.post("/lessons/time-off/", data)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert 'role="alert"' in response.content.decode()
    assert not AvailabilityException.objects.exists()


def test_time_off_over_a_booked_lesson_warns_that_the_lesson_stays(client):
    teacher = bookable_teacher(tz="Europe/Madrid")
    learner = student()
    lesson = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(10), length=60
    )
    client.force_login(teacher.user)
    day = lesson.start.astimezone(MADRID).date()
    response = client.post(
        "/lessons/time-off/", {"start": f"{day}T00:00", "end": f"{day}T23:00"}, follow=True
    )
    page = text(response)
    assert "1 lesson is already booked in that time and stays booked" in page
    assert Lesson.objects.get(pk=lesson.pk).status == LessonStatus.SCHEDULED


def test_time_off_in_the_spring_gap_starts_when_the_clock_jumps(client):
    teacher = bookable_teacher(tz="Europe/Madrid")
    change = next_transition("Europe/Madrid", 3)
    client.force_login(teacher.user)
    client.post("/lessons/time-off/", {"start": f"{change}T02:30", "end": f"{change}T12:00"})
    off = AvailabilityException.objects.get(teacher=teacher)
    assert off.start == madrid(change, 3, 30)  # 02:30 does not exist that night


# Moving a lesson


def booked(teacher, learner, days=5, **kwargs):
    return lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(days, **kwargs), length=60
    )


def test_student_moves_a_lesson_to_a_free_time_shown_in_their_zone(client):
    teacher = bookable_teacher(tz="Europe/Madrid", lesson_lengths=[60])
    learner = student(tz="America/New_York")
    lesson = booked(teacher, learner)
    client.force_login(learner)
    page = client.get(f"/lessons/{lesson.pk}/reschedule/")
    assert page.status_code == 200
    new_start = days_ahead(6, hour=12)
    offered = new_start.astimezone(zoneinfo.ZoneInfo("America/New_York")).isoformat()
    assert offered in page.content.decode()
    response = client.post(f"/lessons/{lesson.pk}/reschedule/", {"start": offered})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.start == new_start
    assert lesson.end - lesson.start == timedelta(minutes=60)
    assert lesson.sequence == 1


def test_a_taken_time_is_refused_on_the_page_and_the_lesson_stays(client):
    teacher = bookable_teacher(tz="Europe/Madrid", lesson_lengths=[60])
    learner, other = student(), student()
    lesson = booked(teacher, learner)
    taken = booked(teacher, other, days=6, hour=12)
    client.force_login(learner)
    response = client.post(
        f"/lessons/{lesson.pk}/reschedule/", {"start": taken.start.isoformat()}, follow=True
    )
    assert response.status_code == 200
    assert "already has a lesson" in response.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).start == lesson.start


def test_too_late_to_move_is_refused_for_the_student_but_not_the_teacher(client):
    teacher = bookable_teacher(
        tz="Europe/Madrid", lesson_lengths=[60], cancellation_cutoff_hours=24 * 7
    )
    learner = student()
    lesson = booked(teacher, learner, days=3)
    target = days_ahead(4, hour=12).isoformat()
    client.force_login(learner)
    response = client.post(f"/lessons/{lesson.pk}/reschedule/", {"start": target}, follow=True)
    assert "too late to reschedule" in response.content.decode()
    assert Lesson.objects.get(pk=lesson.pk).start == lesson.start
    client.force_login(teacher.user)
    response = client.post(f"/lessons/{lesson.pk}/reschedule/", {"start": target})
    assert response.status_code == 302
    assert Lesson.objects.get(pk=lesson.pk).start.isoformat() == days_ahead(4, hour=12).isoformat()


def test_a_parent_can_move_their_childs_lesson_and_outsiders_get_404(client):
    teacher = bookable_teacher(tz="Europe/Madrid", lesson_lengths=[60])
    learner = student()
    parent = parent_of(learner)
    lesson = booked(teacher, learner)
    target = days_ahead(7, hour=9).isoformat()
    for outsider in (student(), bookable_teacher().user, UserFactory(roles=[Role.PARENT])):
        client.force_login(outsider)
        assert client.get(f"/lessons/{lesson.pk}/reschedule/").status_code == 404
        assert (
            client.post(f"/lessons/{lesson.pk}/reschedule/", {"start": target}).status_code == 404
        )
    assert Lesson.objects.get(pk=lesson.pk).sequence == 0
    client.force_login(parent)
    assert client.get(f"/lessons/{lesson.pk}/reschedule/").status_code == 200
    assert client.post(f"/lessons/{lesson.pk}/reschedule/", {"start": target}).status_code == 302
    assert Lesson.objects.get(pk=lesson.pk).sequence == 1


def test_bad_input_and_unmovable_lessons_on_the_reschedule_page(client):
    teacher = bookable_teacher(tz="Europe/Madrid", lesson_lengths=[60])
    learner = student()
    lesson = booked(teacher, learner)
    client.force_login(learner)
    for start in ("", "junk", "2030-01-01T10:00"):  # the last has no offset
        response = client.post(f"/lessons/{lesson.pk}/reschedule/", {"start": start}, follow=True)
        assert "Choose one of the times offered." in response.content.decode()
    assert client.get(f"/lessons/{lesson.pk}/reschedule/?week=junk").status_code == 200
    cancelled(lesson)
    page = client.get(f"/lessons/{lesson.pk}/reschedule/").content.decode()
    assert "can no longer be moved" in page
    response = client.post(
        f"/lessons/{lesson.pk}/reschedule/", {"start": days_ahead(8).isoformat()}, follow=True
    )
    assert "Only a scheduled lesson can be changed." in response.content.decode()
    course = CourseFactory(owner=teacher.user)
    group = group_session(teacher=teacher, course=course, start=days_ahead(9), seats=[learner])
    assert client.get(f"/lessons/{group.pk}/reschedule/").status_code == 404
    assert client.get("/lessons/987654321/reschedule/").status_code == 404


def test_the_lesson_list_links_to_moving_a_lesson_and_teacher_pages(client):
    teacher = bookable_teacher(tz="Europe/Madrid", lesson_lengths=[60])
    learner = student()
    lesson = booked(teacher, learner)
    client.force_login(learner)
    page = client.get("/lessons/").content.decode()
    assert f"/lessons/{lesson.pk}/reschedule/" in page
    assert "/lessons/calendar/" in page
    assert "/lessons/week/" not in page
    client.force_login(teacher.user)
    page = client.get("/lessons/").content.decode()
    assert "/lessons/week/" in page and "/lessons/time-off/" in page


# Calendar feed page


@pytest.mark.parametrize("role", [Role.STUDENT, Role.TEACHER, Role.PARENT])
def test_each_role_creates_regenerates_and_revokes_a_feed_on_the_page(client, role, settings):
    # The page shows the feed on the host it was served from.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "school.example.com"]
    client.defaults.update(HTTP_HOST="school.example.com")
    person = UserFactory(roles=[role])
    client.force_login(person)
    page = client.get("/lessons/calendar/").content.decode()
    assert "You have no calendar feed yet." in page
    response = client.post("/lessons/calendar/", {"action": "create"}, follow=True)
    assert "Your calendar feed is ready." in response.content.decode()
    token = CalendarFeed.objects.get(user=person).token
    page = client.get("/lessons/calendar/", secure=True).content.decode()
    assert f'href="webcal://school.example.com/calendar/{token}.ics"' in page
    assert f'value="https://school.example.com/calendar/{token}.ics"' in page
    assert client.get(f"/calendar/{token}.ics").status_code == 200

    page = client.get("/lessons/calendar/").content.decode()
    assert 'href="/lessons/calendar/new-address/"' in page
    assert 'href="/lessons/calendar/turn-off/"' in page
    asked = client.get("/lessons/calendar/new-address/").content.decode()
    assert "The current address stops working at once." in asked
    assert CalendarFeed.objects.get(user=person).token == token  # asking changes nothing
    response = client.post("/lessons/calendar/new-address/", follow=True)
    assert "the old one no longer works" in response.content.decode()
    new_token = CalendarFeed.objects.get(user=person).token
    assert new_token != token
    assert client.get(f"/calendar/{token}.ics").status_code == 404

    asked = client.get("/lessons/calendar/turn-off/").content.decode()
    assert "Its address stops working at once." in asked
    assert client.get(f"/calendar/{new_token}.ics").status_code == 200
    response = client.post("/lessons/calendar/turn-off/", follow=True)
    assert "turned off" in response.content.decode()
    assert client.get(f"/calendar/{new_token}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(user=person).exists()


def test_the_feed_page_shows_only_ones_own_feed(client):
    a, b = student(), student()
    client.force_login(a)
    client.post("/lessons/calendar/", {"action": "create"})
    token = CalendarFeed.objects.get(user=a).token
    client.force_login(b)
    page = client.get("/lessons/calendar/").content.decode()
    assert token not in page
    client.post("/lessons/calendar/turn-off/")
    client.post("/lessons/calendar/new-address/")
    assert CalendarFeed.objects.filter(user=a, token=token).exists()
    client.post("/lessons/calendar/", {"action": "nonsense"})
    assert not CalendarFeed.objects.filter(user=b).exists()
