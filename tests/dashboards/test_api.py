"""`GET /api/v1/me/summary`: each role's home in one call, as an app's first screen reads it."""

import pytest
from django.contrib.auth.models import Group

from authentication.choices import Role
from authentication.services import user_add_role
from cplatform.editorial import EDITORS
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
    UserFactory,
)
from tests.conftest import login_token
from tests.dashboards.scenario import (
    link,
    minor,
    ready_teacher,
    student_week,
    submit_for_review,
    teacher_week,
)
from tests.progress.factories import profile_of

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/summary"


def summary(client, user, **headers):
    token = login_token(client, user.email, PASSWORD)
    response = client.get(URL, HTTP_X_SESSION_TOKEN=token, **headers)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_the_summary_needs_a_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_students_summary_has_the_next_lesson_homework_courses_and_todos(client, at_now):
    student = StudentFactory(timezone="America/Mexico_City")
    teacher = ready_teacher()
    next_lesson, later, set_work = student_week(student, teacher)

    body = summary(client, student)

    assert body["roles"] == ["Student"] and body["timezone"] == "America/Mexico_City"
    assert body["parent"] is None and body["teacher"] is None and body["admin"] is None
    mine = body["student"]
    assert mine["student"]["student_id"] == student.pk
    nxt = mine["next_lesson"]
    assert nxt["lesson_id"] == next_lesson.pk
    assert nxt["teacher"]["teacher_id"] == profile_of(teacher).pk
    assert nxt["teacher"]["name"] == "Ana García"
    assert nxt["video_call_url"] == "https://meet.example.com/abc"
    assert nxt["url"] == f"http://testserver/lessons/{next_lesson.pk}/"
    assert [lesson["lesson_id"] for lesson in mine["upcoming_lessons"]] == [
        next_lesson.pk,
        later.pk,
    ]
    assert [h["lesson"]["lesson_id"] for h in mine["homework_due"]] == [set_work.pk]
    assert mine["homework_due"][0]["homework"] == "Exercises 1-5 on page 12"
    assert [c["course"]["title"] for c in mine["courses"]] == ["Algebra"]
    assert mine["courses"][0]["modules_released"] == 1
    (waiting,) = mine["waiting_enrollments"]
    assert waiting["status"] == "pending" and waiting["course"]["title"] == "Exam prep"
    assert [t["code"] for t in mine["todos"]] == ["enrollment_pending"]
    assert mine["todos"][0]["url"] == "http://testserver/courses/mine/"


def test_an_empty_students_summary_is_empty_not_missing(client):
    body = summary(client, StudentFactory())
    mine = body["student"]
    assert mine["next_lesson"] is None
    assert mine["upcoming_lessons"] == mine["homework_due"] == mine["courses"] == []
    assert mine["todos"] == []


def test_a_minor_students_summary_says_a_guardians_consent_is_needed(client):
    body = summary(client, minor())
    (todo,) = body["student"]["todos"]
    assert todo["code"] == "guardian_consent"
    assert todo["url"] == "http://testserver/auth/guardians/"


def test_a_parents_summary_has_each_child_with_the_same_facts_and_shortcuts(client, at_now):
    parent = ParentFactory()
    ada, young = StudentFactory(first_name="Ada"), minor(first_name="Young")
    link(parent, ada)
    link(parent, young)
    ana = ready_teacher()
    next_lesson, _later, _work = student_week(ada, ana)

    body = summary(client, parent)

    assert body["student"] is None
    children = body["parent"]["children"]
    assert [c["student"]["student_id"] for c in children] == [ada.pk, young.pk]
    ada_part, young_part = children
    assert ada_part["next_lesson"]["lesson_id"] == next_lesson.pk
    assert [c["course"]["title"] for c in ada_part["courses"]] == ["Algebra"]
    assert ada_part["progress_url"] == f"http://testserver/progress/#child-{ada.pk}-heading"
    assert ada_part["history_url"] == f"http://testserver/progress/history/?student={ada.pk}"
    assert ada_part["book_url"] == "http://testserver/teachers/"
    ana_id = profile_of(ana).pk
    assert ada_part["book_with"] == [
        {
            "teacher": {
                "teacher_id": ana_id,
                "slug": profile_of(ana).slug,
                "name": "Ana García",
                "avatar_url": None,
            },
            "book_url": f"http://testserver/lessons/book/{ana_id}/?student_id={ada.pk}",
        }
    ]
    assert young_part["book_with"] == []
    assert [t["code"] for t in young_part["todos"]] == ["guardian_consent"]
    assert young_part["next_lesson"] is None


def test_a_parent_without_children_gets_an_empty_list(client):
    body = summary(client, ParentFactory())
    assert body["parent"] == {"children": [], "todos": []}


def test_a_teachers_summary_has_the_day_the_week_and_what_needs_doing(client, at_now):
    teacher = ready_teacher()
    ada, ben = StudentFactory(first_name="Ada"), StudentFactory(first_name="Ben")
    week = teacher_week(teacher, [ada, ben])

    mine = summary(client, teacher)["teacher"]

    assert mine["teacher"]["teacher_id"] == profile_of(teacher).pk
    assert mine["listing"] == "listed" and mine["taking_bookings"] is True
    assert [lesson["lesson_id"] for lesson in mine["today"]] == [
        week["today"].pk,
        week["session"].pk,
    ]
    assert mine["today"][0]["student"]["student_id"] == ada.pk
    assert mine["today"][1]["seats_taken"] == 1 and mine["today"][1]["capacity"] == 8
    assert [lesson["lesson_id"] for lesson in mine["this_week"]] == [week["week"].pk]
    assert [lesson["lesson_id"] for lesson in mine["attendance_to_mark"]] == [week["unmarked"].pk]
    assert mine["attendance_to_mark_more"] is False
    assert [lesson["lesson_id"] for lesson in mine["new_bookings"]] == [week["week"].pk]
    assert [lesson["lesson_id"] for lesson in mine["cancellations"]] == [week["cancelled"].pk]
    (course,) = mine["courses"]
    assert course["course"]["course_id"] == week["course"].pk
    assert (course["active"], course["pending"], course["waitlisted"]) == (2, 0, 0)


def test_a_new_teachers_summary_has_the_onboarding_checklist(client):
    teacher = TeacherFactory()
    mine = summary(client, teacher)["teacher"]
    assert mine["onboarding_done"] is False
    steps = {s["code"]: s for s in mine["onboarding"]}
    assert set(steps) == {"profile", "availability", "first_course"}
    assert steps["availability"]["done"] is False
    assert steps["availability"]["url"] == "http://testserver/lessons/availability/"
    assert mine["taking_bookings"] is False and mine["listing"] == "hidden"


def test_an_admins_summary_has_approvals_reviews_and_areas(client):
    admin = AdminFactory()
    waiting = TeacherFactory()
    profile = profile_of(waiting)
    profile.is_public = True
    profile.save()
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name=EDITORS))
    page = submit_for_review(editor)

    mine = summary(client, admin)["admin"]

    assert mine["teachers_waiting_count"] == 1
    assert mine["teachers_waiting"][0]["teacher"]["teacher_id"] == profile.pk
    assert mine["pages_in_review_count"] == 1
    assert mine["pages_in_review"][0]["title"] == page.title
    assert mine["pages_in_review"][0]["requested_by"]["user_id"] == editor.pk
    assert {a["code"] for a in mine["areas"]} >= {"content", "teachers", "users", "review"}


def test_a_person_with_two_roles_gets_both_parts(client):
    person = ready_teacher()
    user_add_role(user=person, role=Role.PARENT)
    link(person, StudentFactory())
    body = summary(client, person)
    assert sorted(body["roles"]) == ["Parent", "Teacher"]
    assert body["teacher"] is not None and len(body["parent"]["children"]) == 1
    assert body["student"] is None and body["admin"] is None


def test_someone_without_a_role_gets_no_parts(client):
    body = summary(client, UserFactory())
    assert body["roles"] == []
    assert body["student"] is body["parent"] is body["teacher"] is body["admin"] is None


def test_the_summary_speaks_the_persons_language(client):
    body = summary(client, minor(language="es"))
    assert body["student"]["todos"][0]["message"].startswith("Tienes menos de 16 años")
