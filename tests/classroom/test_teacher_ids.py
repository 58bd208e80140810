"""One id per thing: a teacher is named by their teacher id (`/teachers/{teacher_id}`) wherever the
API names them, and that id answers for whoever was given it, listed teacher or not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from authentication.models import User
from authentication.services import guardian_accept, guardian_invite
from classroom.choices import LessonKind
from classroom.models import Lesson, TeacherProfile
from courses.choices import CourseStatus
from tests.authentication.factories import (
    PASSWORD,
    AdminFactory,
    ParentFactory,
    StudentFactory,
    TeacherFactory,
)
from tests.classroom.factories import listed_teacher
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.ids import next_id

pytestmark = pytest.mark.django_db


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


@pytest.fixture
def ben_and_chloe():
    """Ben's user id is Chloé's teacher id, as on the demo site (Ben is teacher 2, user 3)."""
    with next_id(User, 3103):
        ben = listed_teacher(first_name="Ben", last_name="Carter")
    with next_id(TeacherProfile, 3103):
        chloe = listed_teacher(first_name="Chloé", last_name="Martin")
    assert ben.user_id == chloe.pk != ben.pk
    return ben, chloe


def test_a_course_names_its_teachers_by_the_id_that_teachers_answers(client, ben_and_chloe):
    ben, chloe = ben_and_chloe
    course = CourseFactory(owner=ben.user, teachers=[chloe.user], title="Algebra")
    body = client.get(f"/api/v1/courses/{course.pk}").json()
    assert body["owner"]["teacher_id"] == ben.pk
    assert body["owner"]["name"] == "Ben Carter"
    assert sorted(t["teacher_id"] for t in body["teachers"]) == sorted([ben.pk, chloe.pk])
    for brief in [body["owner"], *body["teachers"]]:
        teacher = client.get(f"/api/v1/teachers/{brief['teacher_id']}").json()
        assert (teacher["id"], teacher["name"]) == (brief["teacher_id"], brief["name"])
        by_slug = client.get(f"/api/v1/teachers/by-slug/{brief['slug']}").json()
        assert by_slug["id"] == brief["teacher_id"]


def test_the_catalog_filters_by_teacher_id_not_by_user_id(client, ben_and_chloe):
    ben, chloe = ben_and_chloe
    CourseFactory(owner=ben.user, title="Ben's")
    CourseFactory(owner=chloe.user, title="Chloé's")
    taught = CourseFactory(owner=chloe.user, teachers=[ben.user], title="Both")

    def titles(teacher_id):
        response = client.get("/api/v1/courses", {"teacher_id": teacher_id})
        assert response.status_code == 200
        return sorted(c["title"] for c in response.json()["items"])

    assert titles(ben.pk) == ["Ben's", "Both"]
    # Ben's user id names Chloé here, as everywhere in the API.
    assert titles(ben.user_id) == ["Both", "Chloé's"]
    assert taught.pk


def test_an_unknown_teacher_and_a_bad_slug_answer_404_or_422(client):
    assert client.get("/api/v1/teachers/987654321").status_code == 404
    assert client.get("/api/v1/teachers/by-slug/nobody-here").status_code == 404
    assert client.get("/api/v1/teachers/by-slug/bad%20slug").status_code == 422


@pytest.fixture
def unlisted():
    """Dora: unlisted, teaches a published course. Eve: unlisted, a draft course and a 1:1 lesson
    with Sam (whose parent is Pat); Sol is an unrelated student."""
    dora = TeacherFactory(first_name="Dora").teacher_profile
    CourseFactory(owner=dora.user)
    eve = TeacherFactory(first_name="Eve").teacher_profile
    draft = CourseFactory(owner=eve.user, status=CourseStatus.DRAFT)
    sam = StudentFactory(first_name="Sam")
    pat = ParentFactory()
    guardian_accept(link=guardian_invite(actor=pat, email=sam.email, as_role="child"), actor=sam)
    start = timezone.now() + timedelta(days=3)
    Lesson.objects.create(
        teacher=eve,
        kind=LessonKind.PRIVATE,
        student=sam,
        booked_by=sam,
        start=start,
        end=start + timedelta(hours=1),
    )
    return {
        "dora": dora,
        "eve": eve,
        "draft": draft,
        "sam": sam,
        "pat": pat,
        "sol": StudentFactory(first_name="Sol"),
        "admin": AdminFactory(),
    }


def test_an_unlisted_teacher_of_a_published_course_answers_anyone(client, unlisted):
    dora = unlisted["dora"]
    assert not (dora.is_public and dora.is_approved)
    assert client.get(f"/api/v1/teachers/{dora.pk}").json()["id"] == dora.pk
    assert client.get(f"/api/v1/teachers/by-slug/{dora.slug}").json()["id"] == dora.pk


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 404),
        ("sol", 404),  # an unrelated student
        ("sam", 200),  # Eve's student
        ("pat", 200),  # Sam's parent
        ("eve", 200),  # herself
        ("admin", 200),
    ],
)
def test_an_unlisted_teacher_answers_those_who_see_their_lesson(client, unlisted, who, status):
    eve = unlisted["eve"]
    user = eve.user if who == "eve" else unlisted.get(who)
    headers = auth(client, user) if user is not None else {}
    assert client.get(f"/api/v1/teachers/{eve.pk}", **headers).status_code == status
    assert client.get(f"/api/v1/teachers/by-slug/{eve.slug}", **headers).status_code == status
    if status == 200:
        lessons = client.get("/api/v1/lessons", **headers).json()["items"]
        assert {lesson["teacher"]["teacher_id"] for lesson in lessons} == {eve.pk}


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 404), ("sol", 404), ("eve", 200), ("admin", 200)]
)
def test_a_draft_course_answers_its_teacher_and_admins_only(client, unlisted, who, status):
    user = unlisted["eve"].user if who == "eve" else unlisted.get(who)
    headers = auth(client, user) if user is not None else {}
    response = client.get(f"/api/v1/courses/{unlisted['draft'].pk}", **headers)
    assert response.status_code == status


def test_an_archived_course_answers_its_enrolled_student_and_their_parent(client, unlisted):
    course = CourseFactory()
    EnrollmentFactory(course=course, student=unlisted["sam"])
    course.status = CourseStatus.ARCHIVED
    course.save()
    for who, status in (("sam", 200), ("pat", 200), ("sol", 404)):
        response = client.get(f"/api/v1/courses/{course.pk}", **auth(client, unlisted[who]))
        assert response.status_code == status, who
    enrollment = client.get("/api/v1/enrollments", **auth(client, unlisted["sam"])).json()
    assert enrollment["items"][0]["course"]["course_id"] == course.pk
