"""Calendar feeds, read back with the `icalendar` parser: the instants the database holds (across the
March and October DST changes), VTIMEZONE data, stable UIDs, SEQUENCE, cancellations, the owner's
language, exactly the owner's lessons, dead tokens, and a constant number of queries."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from authentication.choices import Role
from authentication.services import guardian_accept, guardian_invite
from classroom.calendar import services as feed_services
from classroom.calendar.ics import lesson_uid
from classroom.models import CalendarFeed, Lesson, LessonSeat
from classroom.scheduling.services import lesson_book, lesson_cancel, lesson_reschedule
from tests.authentication.factories import UserFactory
from tests.booking.factories import bookable_teacher, days_ahead, next_transition, student
from tests.calendar.factories import cancelled, group_session, private_lesson
from tests.classroom.factories import listed_teacher
from tests.courses.factories import CourseFactory
from tests.query_budget import assert_constant_queries

pytestmark = pytest.mark.django_db


def feed_url(user) -> str:
    feed = feed_services.calendar_feed_regenerate(user=user)
    return f"/calendar/{feed.token}.ics"


def fetch(client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, object]:
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def wall(day, hour, minute, tz_name, fold=0) -> datetime:
    """An instant from a wall-clock time; `fold=1` is the second 02:30 of an autumn night."""
    local = datetime.combine(day, time(hour, minute), tzinfo=zoneinfo.ZoneInfo(tz_name))
    return local.replace(fold=fold).astimezone(UTC)


def parent_of(child):
    parent = UserFactory(roles=[Role.PARENT])
    guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    return parent


# DST: what the feed says is what the database holds


def dst_lessons(teacher, learner, tz_name) -> list[Lesson]:
    """Lessons on both sides of the spring and autumn changes in `tz_name`, and in both occurrences
    of the repeated autumn hour (looked for from 89 days ago on, so all fall in the feed window)."""
    since = timezone.now().date() - timedelta(days=89)
    spring = next_transition(tz_name, 3, after=since)
    autumn = next_transition(tz_name, 11 if tz_name == "America/New_York" else 10, after=since)
    repeated = 1 if tz_name == "America/New_York" else 2  # the hour the clocks go back to
    starts = [
        (wall(spring - timedelta(days=1), 17, 0, tz_name), 60),
        (wall(spring, 0, 30, tz_name), 60),  # before the jump
        (wall(spring, 4, 0, tz_name), 60),  # after it
        (wall(spring + timedelta(days=1), 17, 0, tz_name), 60),
        (wall(autumn - timedelta(days=1), 17, 0, tz_name), 60),
        (wall(autumn, repeated, 0, tz_name), 30),  # the first time the clock shows it
        (wall(autumn, repeated, 0, tz_name, fold=1), 30),  # the second time
        (wall(autumn, 17, 0, tz_name), 60),
    ]
    return [
        private_lesson(teacher=teacher, student=learner, start=start, minutes=minutes)
        for start, minutes in starts
    ]


@pytest.mark.parametrize(
    ("teacher_zone", "owner_zone"),
    [
        ("Europe/Madrid", "Europe/Madrid"),
        ("America/New_York", "America/New_York"),
        ("Europe/Madrid", "Australia/Sydney"),  # the owner's zone changes in other months
        ("America/New_York", "Asia/Kolkata"),  # no DST at all, half-hour offset
    ],
)
def test_feed_instants_equal_the_database_across_dst_changes(client, teacher_zone, owner_zone):
    teacher = listed_teacher(timezone=teacher_zone)
    learner = student(tz=owner_zone)
    lessons = dst_lessons(teacher, learner, teacher_zone)
    for owner in (learner, teacher.user):
        cal = fetch(client, feed_url(owner))
        found = events(cal)
        assert len(found) == len(lessons)
        tz_components = {str(tz["TZID"]): tz for tz in cal.walk("VTIMEZONE")}
        assert owner.timezone in tz_components, "a VTIMEZONE for the owner's zone"
        assert str(cal["X-WR-TIMEZONE"]) == owner.timezone
        # The VTIMEZONE's own rules (not the parser's zone database) give the same instants.
        from_vtimezone = tz_components[owner.timezone].to_tz(lookup_tzid=False)
        for lesson in lessons:
            ev = found[lesson_uid(lesson)]
            start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
            assert start.astimezone(UTC) == lesson.start
            assert end.astimezone(UTC) == lesson.end
            tzid = ev["DTSTART"].params.get("TZID")
            if tzid:  # written as the owner's wall clock
                assert tzid == owner.timezone
                naive = ev["DTSTART"].dt.replace(tzinfo=None)
                assert naive.replace(tzinfo=from_vtimezone).astimezone(UTC) == lesson.start
            else:  # only a wall time that happens twice is written in UTC
                assert lesson.start.astimezone(zoneinfo.ZoneInfo(owner.timezone)).fold == 1


def test_the_second_occurrence_of_a_repeated_hour_keeps_its_instant(client):
    teacher = listed_teacher(timezone="Europe/Madrid")
    since = timezone.now().date() - timedelta(days=89)
    autumn = next_transition("Europe/Madrid", 10, after=since)
    learner = student(tz="Europe/Madrid")
    first = private_lesson(
        teacher=teacher, student=learner, start=wall(autumn, 2, 0, "Europe/Madrid"), minutes=30
    )
    second = private_lesson(
        teacher=teacher,
        student=learner,
        start=wall(autumn, 2, 0, "Europe/Madrid", fold=1),
        minutes=30,
    )
    assert second.start - first.start == timedelta(hours=1)
    found = events(fetch(client, feed_url(learner)))
    assert found[lesson_uid(first)].decoded("DTSTART").astimezone(UTC) == first.start
    assert found[lesson_uid(second)].decoded("DTSTART").astimezone(UTC) == second.start


def test_calendar_headers_and_event_fields(client, settings):
    settings.SITE_URL = "https://school.example.com"
    teacher = listed_teacher(timezone="Europe/Madrid", first_name="Ana", last_name="García")
    learner = student(tz="America/New_York", first_name="Bob", last_name="Lee")
    lesson = private_lesson(
        teacher=teacher,
        student=learner,
        start=days_ahead(3),
        video_call_url="https://meet.example.com/abc",
    )
    # The lesson's link is on the address the feed is fetched at (tests/test_site_links.py).
    response = client.get(feed_url(learner), HTTP_HOST="school.example.com", secure=True)
    assert response["Content-Disposition"].startswith("inline")
    assert "private" in response["Cache-Control"]
    cal = Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["PRODID"]).startswith("-//cplatform//")
    assert "Bob Lee" in str(cal["X-WR-CALNAME"])
    ev = events(cal)[f"lesson-{lesson.pk}@school.example.com"]
    assert str(ev["SUMMARY"]) == "Lesson with Ana García"  # the student's feed names the teacher
    assert str(ev["STATUS"]) == "CONFIRMED"
    assert int(ev["SEQUENCE"]) == 0
    assert str(ev["LOCATION"]) == "https://meet.example.com/abc"
    assert str(ev["URL"]) == "https://meet.example.com/abc"
    assert f"https://school.example.com/lessons/{lesson.pk}/" in str(ev["DESCRIPTION"])
    assert ev.decoded("DTSTAMP") == lesson.updated_at.replace(microsecond=0)
    assert ev.decoded("LAST-MODIFIED") == lesson.updated_at.replace(microsecond=0)


def test_uid_is_stable_across_a_reschedule_and_sequence_grows_then_cancel_says_cancelled(client):
    teacher = bookable_teacher(lesson_lengths=[60])
    learner = student()
    lesson = lesson_book(
        actor=learner, teacher=teacher, student=learner, start=days_ahead(5), length=60
    )
    url = feed_url(learner)
    before = events(fetch(client, url))[lesson_uid(lesson)]
    assert int(before["SEQUENCE"]) == 0

    moved = lesson_reschedule(lesson=lesson, actor=learner, start=days_ahead(6, hour=12))
    after = events(fetch(client, url))
    assert list(after) == [lesson_uid(lesson)]  # the same event, moved
    ev = after[lesson_uid(lesson)]
    assert int(ev["SEQUENCE"]) == 1
    assert ev.decoded("DTSTART").astimezone(UTC) == moved.start
    assert ev.decoded("DTSTAMP") >= before.decoded("DTSTAMP")

    lesson_cancel(lesson=moved, actor=teacher.user)
    ev = events(fetch(client, url))[lesson_uid(lesson)]
    assert str(ev["STATUS"]) == "CANCELLED"
    assert int(ev["SEQUENCE"]) == 2


def test_summaries_and_calendar_name_are_in_the_owners_language(client):
    teacher = listed_teacher(timezone="Europe/Madrid", first_name="Ana", last_name="García")
    learner = student(tz="Europe/Madrid", first_name="Luis", last_name="Pérez", language="es")
    lesson = private_lesson(teacher=teacher, student=learner, start=days_ahead(2))
    english = student(first_name="Bob", last_name="Lee")
    other = private_lesson(teacher=teacher, student=english, start=days_ahead(3))

    ev = events(fetch(client, feed_url(learner)))[lesson_uid(lesson)]
    assert str(ev["SUMMARY"]) == "Clase con Ana García"
    assert f"/es/lessons/{lesson.pk}/" in str(ev["DESCRIPTION"])
    ev = events(fetch(client, feed_url(english)))[lesson_uid(other)]
    assert str(ev["SUMMARY"]) == "Lesson with Ana García"
    assert f"/es/lessons/{other.pk}/" not in str(ev["DESCRIPTION"])


# Whose lessons


def test_each_role_sees_exactly_their_lessons_and_never_another_students(client):
    teacher = listed_teacher(timezone="Europe/Madrid")
    other_teacher = listed_teacher(timezone="Europe/Madrid")
    a, b, c = student(), student(), student()
    parent = parent_of(a)
    course = CourseFactory(owner=teacher.user, title="Algebra group")
    a_private = private_lesson(teacher=teacher, student=a, start=days_ahead(2))
    b_private = private_lesson(teacher=teacher, student=b, start=days_ahead(3))
    a_elsewhere = private_lesson(teacher=other_teacher, student=a, start=days_ahead(4))
    c_elsewhere = private_lesson(teacher=other_teacher, student=c, start=days_ahead(4, hour=14))
    group = group_session(teacher=teacher, course=course, start=days_ahead(5), seats=[a, b])
    b_only_group = group_session(teacher=teacher, course=course, start=days_ahead(6), seats=[b])
    left_group = group_session(teacher=teacher, course=course, start=days_ahead(7), seats=[a])
    LessonSeat.objects.filter(lesson=left_group, student=a).update(cancelled_at=timezone.now())
    too_old = private_lesson(teacher=teacher, student=a, start=days_ahead(-120))
    too_far = private_lesson(teacher=teacher, student=a, start=days_ahead(400))

    def uids(user):
        return set(events(fetch(client, feed_url(user))))

    def of(*lessons):
        return {lesson_uid(lesson) for lesson in lessons}

    assert uids(a) == of(a_private, a_elsewhere, group)
    assert uids(parent) == of(a_private, a_elsewhere, group)
    assert uids(b) == of(b_private, group, b_only_group)
    assert uids(teacher.user) == of(a_private, b_private, group, b_only_group, left_group)
    assert uids(other_teacher.user) == of(a_elsewhere, c_elsewhere)
    assert uids(c) == of(c_elsewhere)
    assert not of(too_old, too_far) & uids(teacher.user)
    # A group session's summary is its course's title (with the session's own title when it has one).
    group.title = "Fractions"
    group.save()
    assert str(events(fetch(client, feed_url(a)))[lesson_uid(group)]["SUMMARY"]) == (
        "Algebra group: Fractions"
    )


def test_a_person_with_several_roles_gets_the_union(client):
    teacher = listed_teacher(timezone="Europe/Madrid")
    child = student()
    both = parent_of(child)
    from authentication.services import user_add_role

    user_add_role(user=both, role=Role.STUDENT)
    own = private_lesson(teacher=teacher, student=both, start=days_ahead(2))
    childs = private_lesson(teacher=teacher, student=child, start=days_ahead(3))
    assert set(events(fetch(client, feed_url(both)))) == {lesson_uid(own), lesson_uid(childs)}


def test_a_revoked_link_no_longer_counts_for_the_parent(client):
    teacher = listed_teacher(timezone="Europe/Madrid")
    child = student()
    parent = parent_of(child)
    private_lesson(teacher=teacher, student=child, start=days_ahead(2))
    url = feed_url(parent)
    assert len(events(fetch(client, url))) == 1
    from authentication.models import GuardianLink

    GuardianLink.objects.filter(guardian=parent).update(status="revoked")
    assert events(fetch(client, url)) == {}


def test_cancelled_lessons_stay_in_the_feed_as_cancelled(client):
    teacher = listed_teacher(timezone="Europe/Madrid")
    learner = student()
    lesson = cancelled(private_lesson(teacher=teacher, student=learner, start=days_ahead(2)))
    ev = events(fetch(client, feed_url(learner)))[lesson_uid(lesson)]
    assert str(ev["STATUS"]) == "CANCELLED"


# Tokens


def test_regenerated_and_revoked_tokens_answer_404(client):
    learner = student()
    first = feed_url(learner)
    assert client.get(first).status_code == 200
    second = feed_url(learner)  # regenerate
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert feed_services.calendar_feed_revoke(user=learner)
    assert client.get(second).status_code == 404
    assert not CalendarFeed.objects.filter(user=learner).exists()
    assert client.get("/calendar/not-a-real-token-at-all.ics").status_code == 404
    assert client.get("/calendar/short.ics").status_code == 404


def test_an_inactive_owners_feed_answers_404(client):
    learner = student()
    url = feed_url(learner)
    learner.is_active = False
    learner.save()
    assert client.get(url).status_code == 404


def test_tokens_are_long_and_random():
    a, b = student(), student()
    ta = feed_services.calendar_feed_regenerate(user=a).token
    tb = feed_services.calendar_feed_regenerate(user=b).token
    assert ta != tb
    assert len(ta) >= 43


def test_a_fetch_is_noted_at_most_once_an_hour(client):
    learner = student()
    url = feed_url(learner)
    client.get(url)
    feed = CalendarFeed.objects.get(user=learner)
    first = feed.last_fetched_at
    assert first is not None
    client.get(url)
    assert CalendarFeed.objects.get(user=learner).last_fetched_at == first
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=first - timedelta(hours=2))
    client.get(url)
    assert CalendarFeed.objects.get(user=learner).last_fetched_at > first - timedelta(hours=1)


def test_only_get_and_head_are_allowed(client):
    url = feed_url(student())
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


# Query budget


@pytest.mark.parametrize("role", ["teacher", "student", "parent"])
def test_feed_queries_do_not_grow_with_the_lessons(client, role):
    teacher = listed_teacher(timezone="Europe/Madrid")
    learner = student(tz="America/New_York")
    parent = parent_of(learner)
    course = CourseFactory(owner=teacher.user)
    base = timezone.now().replace(microsecond=0) + timedelta(days=1)

    def add(first: int, count: int):
        for n in range(first, first + count):
            start = base + timedelta(hours=2 * n)
            if n % 2:
                group_session(teacher=teacher, course=course, start=start, seats=[learner])
            else:
                private_lesson(teacher=teacher, student=learner, start=start)

    add(0, 5)
    owner = {"teacher": teacher.user, "student": learner, "parent": parent}[role]
    url = feed_url(owner)

    def events(response) -> int:
        return len(Calendar.from_ical(response.content).walk("VEVENT"))

    queries = assert_constant_queries(
        lambda: client.get(url), grow=lambda: add(5, 195), budget=3, rows=events
    )
    assert events(client.get(url)) == 200
    assert queries <= 3


def test_an_unchanged_feed_answers_304_and_a_changed_one_the_new_calendar(client):
    teacher = listed_teacher(timezone="Europe/Madrid")
    learner = student()
    lesson = private_lesson(teacher=teacher, student=learner, start=days_ahead(3))
    url = feed_url(learner)
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert "private" in again["Cache-Control"]
    cancelled(lesson)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "STATUS:CANCELLED" in changed.content.decode()


def test_a_steady_feed_fetch_is_two_reads_and_no_write(client):
    from tests.query_budget import capture_queries

    teacher = listed_teacher(timezone="Europe/Madrid")
    learner = student()
    for n in range(3):
        private_lesson(teacher=teacher, student=learner, start=days_ahead(3 + n))
    url = feed_url(learner)
    client.get(url)  # notes the fetch
    with capture_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 3  # the answer, not an error
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 2, sql
    assert all(statement.lstrip().upper().startswith("SELECT") for statement in sql)


def test_each_feed_names_the_other_person_of_the_lesson(client):
    """Read with the real iCalendar parser: the student's and the booking parent's feeds name the
    teacher, the teacher's names the student, a group session names its course."""
    teacher = listed_teacher(timezone="Europe/Madrid", first_name="Ana", last_name="García")
    learner = student(first_name="Leo", last_name="Ruiz")
    parent = parent_of(learner)
    booked = lesson_book(
        actor=parent,
        teacher=bookable_teacher(lesson_lengths=[60], first_name="Marta", last_name="Sol"),
        student=learner,
        start=days_ahead(4),
        length=60,
    )
    own = private_lesson(teacher=teacher, student=learner, start=days_ahead(2))
    course = CourseFactory(title="Algebra", owner=teacher.user)
    group = group_session(teacher=teacher, course=course, start=days_ahead(3), title="Week 2")

    def summary(user, lesson):
        return str(events(fetch(client, feed_url(user)))[lesson_uid(lesson)]["SUMMARY"])

    assert summary(learner, own) == "Lesson with Ana García"
    assert summary(teacher.user, own) == "Lesson with Leo Ruiz"
    assert summary(parent, booked) == "Lesson with Marta Sol for Leo Ruiz"
    assert summary(booked.teacher.user, booked) == "Lesson with Leo Ruiz"
    assert summary(teacher.user, group) == "Algebra: Week 2"
