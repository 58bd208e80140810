"""The admin side of issue 11: an admin looks up lessons, group sessions and availability in the Wagtail
admin (read-only), sees people's roles in the users list, finds the teachers waiting for approval
there and approves them with a visible button; the Django admin's index is not buried under
dj-stripe's tables. Who else may open these views: tests/security/test_admin_views.py."""

from datetime import time, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from classroom.models import AvailabilityException, AvailabilityRule, Lesson, TeacherProfile
from tests.authentication.factories import StudentFactory, TeacherFactory, UserFactory
from tests.classroom.factories import TeacherProfileFactory, listed_teacher
from tests.query_budget import assert_constant_queries, html_rows
from tests.teaching.factories import group_course, session

pytestmark = pytest.mark.django_db

LESSONS = "/admin/lessons/"
GROUP_SESSIONS = "/admin/group-sessions/"
AVAILABILITY = "/admin/availability/"
TIME_OFF = "/admin/time-off/"
USERS = "/admin/users/"


def lesson(*, teacher, student, days=3, **kwargs) -> Lesson:
    start = timezone.now() + timedelta(days=days)
    return Lesson.objects.create(
        teacher=teacher.teacher_profile,
        student=student,
        booked_by=student,
        start=start,
        end=start + timedelta(hours=1),
        **kwargs,
    )


def rows(html: str) -> list[str]:
    """The text of each row of the listing table."""
    soup = BeautifulSoup(html, "html.parser")
    return [" ".join(tr.get_text(" ").split()) for tr in soup.select("table.listing tbody tr")]


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def test_an_admin_looks_up_lessons_by_teacher_student_status_and_date(admin_client, people):
    ana = TeacherFactory(first_name="Ana", last_name="García")
    ben = TeacherFactory(first_name="Ben", last_name="Carter")
    lucia = StudentFactory(first_name="Lucía", last_name="Ruiz", email="lucia@example.com")
    marco = StudentFactory(first_name="Marco", last_name="Polo")
    lesson(teacher=ana, student=lucia, days=2)
    lesson(teacher=ben, student=marco, days=9, status="cancelled")
    ana_profile = TeacherProfile.objects.get(user=ana)
    soon = (timezone.now() + timedelta(days=2)).date()

    everything = rows(admin_client.get(LESSONS).content.decode())
    by_teacher = rows(admin_client.get(LESSONS, {"teacher": ana_profile.pk}).content.decode())
    by_student = rows(admin_client.get(LESSONS, {"student": marco.pk}).content.decode())
    by_status = rows(admin_client.get(LESSONS, {"status": "cancelled"}).content.decode())
    by_date = rows(
        admin_client.get(
            LESSONS, {"start_from": soon.isoformat(), "start_to": soon.isoformat()}
        ).content.decode()
    )
    by_search = rows(admin_client.get(LESSONS, {"q": "lucia@example"}).content.decode())

    assert len(everything) == 2
    assert len(by_teacher) == 1 and "Lucía" in by_teacher[0]
    assert len(by_student) == 1 and "Marco" in by_student[0] and "Cancelled" in by_student[0]
    assert by_status == by_student
    assert len(by_date) == 1 and "Ana" in by_date[0]
    assert len(by_search) == 1 and "Ana" in by_search[0]


def test_a_lesson_is_inspected_but_never_edited_added_or_deleted_here(admin_client, people):
    booked = lesson(teacher=people.teacher, student=people.student_a)
    before = Lesson.objects.filter(pk=booked.pk).values().get()

    inspect = admin_client.get(f"{LESSONS}inspect/{booked.pk}/")
    edit = admin_client.post(f"{LESSONS}edit/{booked.pk}/", {"status": "cancelled"})
    delete = admin_client.post(f"{LESSONS}delete/{booked.pk}/")
    add = admin_client.get(f"{LESSONS}new/")
    listing = admin_client.get(LESSONS).content.decode()

    assert inspect.status_code == 200 and people.student_a.email in inspect.content.decode()
    assert edit.status_code in (302, 403) and delete.status_code in (302, 403)
    assert add.status_code in (302, 403)
    assert Lesson.objects.filter(pk=booked.pk).values().get() == before
    assert f"{LESSONS}edit/" not in listing and f"{LESSONS}new/" not in listing
    assert f"{LESSONS}inspect/{booked.pk}/" in listing


def test_group_sessions_show_their_course_and_the_seats_taken(admin_client, people):
    course = group_course(
        teacher=people.teacher, students=[people.student_a, people.student_b], capacity=8
    )
    course.title = "Conversation club"
    course.save()
    held = session(course=course)
    lesson(teacher=people.teacher, student=people.student_a, days=12)  # a 1:1: not listed here

    listing = rows(admin_client.get(GROUP_SESSIONS).content.decode())
    holding_a_seat = rows(
        admin_client.get(GROUP_SESSIONS, {"student": people.student_a.pk}).content.decode()
    )
    nobody = rows(
        admin_client.get(GROUP_SESSIONS, {"student": StudentFactory().pk}).content.decode()
    )

    seats = held.seats.filter(cancelled_at__isnull=True).count()
    assert len(listing) == 1
    assert "Conversation club" in listing[0] and f"{seats} / 8" in listing[0]
    assert holding_a_seat == listing and nobody == []


def test_availability_and_time_off_are_listed_per_teacher(admin_client, people):
    profile = TeacherProfile.objects.get(user=people.teacher)
    other = TeacherProfile.objects.get(user=people.other_teacher)
    AvailabilityRule.objects.create(
        teacher=profile, weekday=0, start_time=time(9), end_time=time(0)
    )
    AvailabilityRule.objects.create(
        teacher=other, weekday=3, start_time=time(14), end_time=time(16)
    )
    start = timezone.now() + timedelta(days=4)
    AvailabilityException.objects.create(
        teacher=other, start=start, end=start + timedelta(days=2), reason="Conference"
    )

    mine = rows(admin_client.get(AVAILABILITY, {"teacher": profile.pk}).content.decode())
    thursdays = rows(admin_client.get(AVAILABILITY, {"weekday": 3}).content.decode())
    time_off = rows(admin_client.get(TIME_OFF, {"teacher": other.pk}).content.decode())
    none_off = rows(admin_client.get(TIME_OFF, {"teacher": profile.pk}).content.decode())

    assert len(mine) == 1 and "Monday" in mine[0] and "09:00–24:00" in mine[0]
    assert len(thursdays) == 1 and "14:00–16:00" in thursdays[0]
    assert len(time_off) == 1 and "Conference" in time_off[0]
    assert none_off == []


@pytest.mark.parametrize("who", ["student_a", "parent_of_a", "teacher"])
def test_people_who_are_not_admins_cannot_open_the_look_ups(client, people, who):
    booked = lesson(teacher=people.teacher, student=people.student_a)
    client.force_login(getattr(people, who))
    for url in (
        LESSONS,
        GROUP_SESSIONS,
        AVAILABILITY,
        TIME_OFF,
        f"{LESSONS}inspect/{booked.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] in ("/admin/", f"/admin/login/?next={url}"), url


def test_the_lessons_listing_costs_the_same_for_few_and_many_lessons(admin_client, people):
    def grow():
        for n in range(12):
            lesson(teacher=TeacherFactory(), student=StudentFactory(), days=3 + n)

    lesson(teacher=people.teacher, student=people.student_a)
    assert_constant_queries(
        lambda: admin_client.get(LESSONS), grow, rows=html_rows(f'href="{LESSONS}inspect/')
    )


# --- the users list ------------------------------------------------------------------------------


def test_the_users_list_shows_each_persons_roles(admin_client, people):
    page = admin_client.get(USERS, {"q": "student.a@example.com"}).content.decode()
    both = UserFactory(email="both@example.com", roles=["Student", "Teacher"])
    both_row = rows(admin_client.get(USERS, {"q": both.email}).content.decode())

    assert "Roles" in page
    assert len(both_row) == 1 and "Student, Teacher" in both_row[0]
    assert "Student" in rows(page)[0]


def test_an_admin_filters_teachers_waiting_for_approval_and_approves_one_from_the_list(
    admin_client, people
):
    waiting = TeacherProfileFactory(user__first_name="Quincy", is_public=True, is_approved=False)
    TeacherProfileFactory(user__first_name="Rupert", is_public=False, is_approved=False)
    listed_teacher(first_name="Sigrid")

    listing = admin_client.get(USERS, {"teacher_approval": "waiting"}).content.decode()
    approved = rows(admin_client.get(USERS, {"teacher_approval": "approved"}).content.decode())
    found = rows(listing)
    soup = BeautifulSoup(listing, "html.parser")
    button = next((a for a in soup.find_all("a") if a.get_text(strip=True) == "Approve"), None)

    assert len(found) == 1 and "Quincy" in found[0]
    assert len(approved) == 1 and "Sigrid" in approved[0]
    assert button is not None  # a visible button on the row, not inside the "more" menu
    assert button["href"].startswith(
        f"/admin/snippets/classroom/teacherprofile/approve/{waiting.pk}/"
    )

    confirm = admin_client.get(button["href"])
    done = admin_client.post(button["href"], {"approved": "true"})

    assert confirm.status_code == 200
    assert done.status_code == 302 and done["Location"] == USERS
    waiting.refresh_from_db()
    assert waiting.is_approved and waiting.approved_by == people.admin
    assert rows(admin_client.get(USERS, {"teacher_approval": "waiting"}).content.decode()) == []


def test_the_users_list_costs_the_same_for_few_and_many_teachers(admin_client, people):
    def grow():
        for _ in range(10):
            TeacherProfileFactory(is_public=True, is_approved=False)

    TeacherProfileFactory(is_public=True, is_approved=False)
    assert_constant_queries(
        lambda: admin_client.get(USERS, {"teacher_approval": "waiting"}),
        grow,
        rows=html_rows("/admin/snippets/classroom/teacherprofile/approve/"),
    )


# --- the Django admin's index --------------------------------------------------------------------


def test_the_django_admin_index_folds_dj_stripes_tables_behind_one_link(client):
    from django.contrib import admin

    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    stripe_tables = [m for m in admin.site._registry if m._meta.app_label == "djstripe"]

    index = BeautifulSoup(client.get("/django-admin/").content.decode(), "html.parser")
    stripe = index.select_one("div.app-djstripe")
    app_page = client.get("/django-admin/djstripe/").content.decode()
    listed_on_app_page = [
        m for m in stripe_tables if f"/django-admin/djstripe/{m._meta.model_name}/" in app_page
    ]

    shown = stripe.select("tr[class^=model-]")
    assert 0 < len(shown) <= 6
    more = stripe.select_one("tr.folded-tables a")
    assert more["href"] == "/django-admin/djstripe/"
    assert f"{len(stripe_tables) - len(shown)} more tables" in more.get_text()
    assert listed_on_app_page == stripe_tables  # every table still one click away
    assert client.get("/django-admin/djstripe/customer/").status_code == 200
    # Our own apps keep every table on the index.
    assert index.select_one("div.app-courses tr.model-enrollment") is not None
