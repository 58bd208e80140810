"""Every API operation in the OpenAPI schema × every principal, each with a declared answer.

A new operation without a row here fails `test_every_operation_has_a_declared_expectation`.
Forbidden objects must answer exactly like missing ones (same status, same body).
"""

import io

import pytest
from PIL import Image

from authentication.choices import Role
from authentication.services import guardian_accept, guardian_invite
from classroom.scheduling.services import (
    availability_replace,
    lesson_book,
    series_book,
    time_off_add,
)
from tests.api.matrix import AREA_BUILDERS, AREA_ROWS
from tests.api.matrix.base import (
    ALL_SIGNED_IN,
    EVERYONE,
    MISSING_ID,
    ONLY_ADMIN,
    ONLY_STUDENTS,
    ONLY_TEACHERS,
    PRINCIPALS,
    Call,
)
from tests.authentication.factories import PASSWORD, UserFactory
from tests.booking.factories import EVERY_DAY, days_ahead
from tests.classroom.factories import listed_teacher
from tests.conftest import login_token


def png_bytes(size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


OWN_LESSON = {
    "anonymous": 401,
    "student_a": 200,  # the lesson's student
    "student_b": 404,
    "parent_of_a": 200,  # the student's parent
    "teacher": 200,  # the lesson's teacher
    "other_teacher": 404,
    "admin": 200,
}
BOOKING = {
    "anonymous": 401,
    "student_a": 201,  # for themself
    "student_b": 404,  # student_id names someone who is not theirs
    "parent_of_a": 201,  # for the linked child
    "teacher": 403,
    "other_teacher": 403,
    "admin": 403,
}
SCHEDULING: dict[str, Call] = {
    "GET /api/v1/availability": Call(ONLY_TEACHERS),
    "PUT /api/v1/availability": Call(
        ONLY_TEACHERS,
        json={
            "rules": [{"weekday": 0, "start_time": "17:00", "end_time": "20:00"}],
            "settings": {"lesson_lengths": [30, 60]},
        },
    ),
    "POST /api/v1/availability/time-off": Call(
        {**ONLY_TEACHERS, "teacher": 201, "other_teacher": 201},
        json=lambda w: {"start": days_ahead(20).isoformat(), "end": days_ahead(21).isoformat()},
    ),
    "DELETE /api/v1/availability/time-off/{time_off_id}": Call(
        {**ONLY_TEACHERS, "teacher": 204, "other_teacher": 404},
        path_params={"time_off_id": "time_off_id"},
    ),
    "GET /api/v1/slots": Call(EVERYONE, query=lambda w: {"teacher_id": w.teacher_profile_id}),
    "GET /api/v1/lessons": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "POST /api/v1/lessons": Call(
        BOOKING,
        json=lambda w: {
            "teacher_id": w.teacher_profile_id,
            "start": days_ahead(4).isoformat(),
            "length": 60,
            "student_id": w.student_a_id,
        },
    ),
    "GET /api/v1/lessons/{lesson_id}": Call(OWN_LESSON, path_params={"lesson_id": "lesson_id"}),
    "POST /api/v1/lessons/{lesson_id}/cancel": Call(
        OWN_LESSON, path_params={"lesson_id": "lesson_id"}, json={"reason": "Ill"}
    ),
    "POST /api/v1/lessons/{lesson_id}/reschedule": Call(
        OWN_LESSON,
        path_params={"lesson_id": "lesson_id"},
        json=lambda w: {"start": days_ahead(8, hour=15).isoformat()},
    ),
    "POST /api/v1/series": Call(
        BOOKING,
        json=lambda w: {
            "teacher_id": w.teacher_profile_id,
            "start": days_ahead(7, hour=12).isoformat(),
            "length": 60,
            "count": 2,
            "student_id": w.student_a_id,
        },
    ),
    "GET /api/v1/series/{series_id}": Call(OWN_LESSON, path_params={"series_id": "series_id"}),
    "POST /api/v1/series/{series_id}/cancel": Call(
        OWN_LESSON, path_params={"series_id": "series_id"}, json={"reason": "Moving away"}
    ),
}

OWN_ENROLLMENT = {
    "anonymous": 401,
    "student_a": 200,  # the enrolled student
    "student_b": 404,
    "parent_of_a": 200,  # the student's parent
    "teacher": 403,  # the course's teacher sees it, but removes rather than withdraws
    "other_teacher": 404,
    "admin": 403,
}
COURSE_MATERIAL = {
    "anonymous": 401,
    "student_a": 200,  # actively enrolled
    "student_b": 404,
    "parent_of_a": 200,  # parent of an enrolled student
    "teacher": 200,  # teaches the course
    "other_teacher": 404,
    "admin": 200,
}
COURSES: dict[str, Call] = {
    "GET /api/v1/courses": Call(EVERYONE),
    "GET /api/v1/courses/{course_id}": Call(EVERYONE, path_params={"course_id": "course_id"}),
    "POST /api/v1/courses": Call(
        {**ONLY_TEACHERS, "teacher": 201, "other_teacher": 201},
        json={"title": "Geometry", "format": "group", "capacity": 6, "subject": "mathematics"},
    ),
    "PATCH /api/v1/courses/{course_id}": Call(
        {**ONLY_TEACHERS, "other_teacher": 404, "admin": 200},
        path_params={"course_id": "course_id"},
        json={"title": "Algebra II"},
    ),
    "GET /api/v1/enrollments": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "POST /api/v1/enrollments": Call(
        {
            "anonymous": 401,
            "student_a": 201,
            "student_b": 201,
            "parent_of_a": 400,  # a parent names the child to enrol (student_id)
            "teacher": 403,
            "other_teacher": 403,
            "admin": 403,
        },
        json=lambda w: {"course_id": w.open_course_id},
    ),
    "POST /api/v1/enrollments/{enrollment_id}/withdraw": Call(
        OWN_ENROLLMENT, path_params={"enrollment_id": "enrollment_id"}
    ),
    "POST /api/v1/enrollments/{enrollment_id}/remove": Call(
        {**OWN_ENROLLMENT, "student_a": 403, "parent_of_a": 403, "teacher": 200, "admin": 200},
        path_params={"enrollment_id": "enrollment_id"},
    ),
    "POST /api/v1/enrollments/{enrollment_id}/activate": Call(
        ONLY_ADMIN, path_params={"enrollment_id": "pending_enrollment_id"}
    ),
    "POST /api/v1/courses/{course_id}/modules": Call(
        {**ONLY_TEACHERS, "teacher": 201, "other_teacher": 404, "admin": 201},
        path_params={"course_id": "course_id"},
        json={"title": "Week 1"},
    ),
    "POST /api/v1/courses/{course_id}/materials": Call(
        {**ONLY_TEACHERS, "teacher": 201, "other_teacher": 404, "admin": 201},
        path_params={"course_id": "course_id"},
        multipart=lambda w: {"title": "Notes", "kind": "file", "file": w.pdf_upload()},
    ),
    "DELETE /api/v1/materials/{material_id}": Call(
        {**COURSE_MATERIAL, "student_a": 403, "parent_of_a": 403, "teacher": 204, "admin": 204},
        path_params={"material_id": "material_id"},
    ),
    "GET /api/v1/materials": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "GET /api/v1/materials/{material_id}/download": Call(
        COURSE_MATERIAL, path_params={"material_id": "material_id"}
    ),
}

MATRIX: dict[str, Call] = {
    "GET /api/v1/me": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "PATCH /api/v1/me": Call(
        {"anonymous": 401, **ALL_SIGNED_IN}, json={"display_name": "New name"}
    ),
    "POST /api/v1/me/avatar": Call({"anonymous": 401, **ALL_SIGNED_IN}, multipart=True),
    "DELETE /api/v1/me/avatar": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "GET /api/v1/guardians": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "POST /api/v1/guardians": Call(
        {
            "anonymous": 401,
            "student_a": 403,  # a student invites a guardian, not a child
            "student_b": 403,
            "parent_of_a": 201,
            "teacher": 403,
            "other_teacher": 403,
            "admin": 403,
        },
        json={"email": "new.child@example.com", "invite_as": "child"},
    ),
    "POST /api/v1/guardians/{link_id}/accept": Call(
        {
            "anonymous": 401,
            "student_a": 200,  # the invited child
            "student_b": 404,
            "parent_of_a": 404,  # another parent's invitation to their child is not theirs
            "teacher": 404,
            "other_teacher": 404,
            "admin": 404,
        },
        path_params={"link_id": "pending_link_id"},
    ),
    "DELETE /api/v1/guardians/{link_id}": Call(
        {
            "anonymous": 401,
            "student_a": 204,
            "student_b": 404,
            "parent_of_a": 204,
            "teacher": 404,
            "other_teacher": 404,
            "admin": 404,
        },
        path_params={"link_id": "active_link_id"},
    ),
    "POST /api/v1/guardians/{link_id}/consent": Call(
        {
            "anonymous": 401,
            "student_a": 403,  # the child cannot consent for themselves
            "student_b": 404,
            "parent_of_a": 200,
            "teacher": 404,
            "other_teacher": 404,
            "admin": 404,
        },
        path_params={"link_id": "active_link_id"},
    ),
    "GET /api/v1/admin/users": Call(ONLY_ADMIN),
    "POST /api/v1/admin/users": Call(
        {**ONLY_ADMIN, "admin": 201}, json={"email": "created@example.com", "roles": ["Teacher"]}
    ),
    "GET /api/v1/admin/users/{user_id}": Call(ONLY_ADMIN, path_params={"user_id": "student_a_id"}),
    "PATCH /api/v1/admin/users/{user_id}": Call(
        ONLY_ADMIN, path_params={"user_id": "student_a_id"}, json={"is_active": True}
    ),
    "GET /api/v1/teachers": Call(EVERYONE),
    "GET /api/v1/teachers/{teacher_id}": Call(
        EVERYONE, path_params={"teacher_id": "teacher_profile_id"}
    ),
    "GET /api/v1/me/teacher-profile": Call(ONLY_TEACHERS),
    "PUT /api/v1/me/teacher-profile": Call(
        ONLY_TEACHERS,
        json={"headline": "Maths tutor", "subjects": ["mathematics"], "is_public": True},
    ),
    "PATCH /api/v1/me/teacher-profile": Call(ONLY_TEACHERS, json={"headline": "Physics tutor"}),
    "GET /api/v1/me/student-profile": Call(ONLY_STUDENTS),
    "PATCH /api/v1/me/student-profile": Call(
        ONLY_STUDENTS, json={"learning_goals": "Pass the exam"}
    ),
    "GET /api/v1/students": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    **COURSES,
    **SCHEDULING,
    **AREA_ROWS,
    "GET /api/v1/students/{student_id}": Call(
        {
            "anonymous": 401,
            "student_a": 200,
            "student_b": 404,
            "parent_of_a": 200,
            "teacher": 200,  # student A has lessons with them: their student
            "other_teacher": 404,
            "admin": 200,
        },
        path_params={"student_id": "student_a_id"},
    ),
}


class World:
    """Seven principals and the objects the operations address."""

    def __init__(self):
        self.users = {
            "student_a": UserFactory(roles=[Role.STUDENT], email="student.a@example.com"),
            "student_b": UserFactory(roles=[Role.STUDENT], email="student.b@example.com"),
            "parent_of_a": UserFactory(roles=[Role.PARENT], email="parent.a@example.com"),
            "admin": UserFactory(roles=[Role.ADMIN], email="admin@example.com", is_staff=True),
        }
        self.users["teacher"] = listed_teacher(email="teacher@example.com").user
        self.users["other_teacher"] = listed_teacher(email="other.teacher@example.com").user
        parent, child = self.users["parent_of_a"], self.users["student_a"]
        active = guardian_invite(actor=parent, email=child.email, as_role="child")
        self.active_link_id = guardian_accept(link=active, actor=child).pk
        # A second parent's pending invitation to student A (a child may have two guardians).
        self.second_parent = UserFactory(roles=[Role.PARENT], email="second.parent@example.com")
        pending = guardian_invite(actor=self.second_parent, email=child.email, as_role="child")
        self.pending_link_id = pending.pk
        self.student_a_id = child.pk
        self.teacher_profile_id = self.users["teacher"].teacher_profile.pk
        self._courses(self.users["teacher"], child)
        self._schedule(self.users["teacher"].teacher_profile, child)
        for build in AREA_BUILDERS:
            build(self)

    def _schedule(self, teacher, child):
        """Availability every day, a lesson and a weekly series of student A, and time off."""
        availability_replace(
            teacher=teacher,
            rules=[{"weekday": d, "start_time": s, "end_time": e} for d, s, e in EVERY_DAY],
            settings={"lesson_lengths": [60], "min_notice_minutes": 0},
        )
        self.lesson_id = lesson_book(
            actor=child, teacher=teacher, student=child, start=days_ahead(5), length=60
        ).pk
        self.series_id = series_book(
            actor=child,
            teacher=teacher,
            student=child,
            first_start=days_ahead(6),
            length=60,
            count=2,
        ).pk
        self.time_off_id = time_off_add(
            teacher=teacher, start=days_ahead(30), end=days_ahead(31)
        ).pk

    def _courses(self, teacher, child):
        """A free course of the teacher with student A enrolled and a file; a paid one where student A
        waits for payment; an open course nobody is in yet."""
        from tests.courses.factories import CourseFactory, EnrollmentFactory, MaterialFactory

        course = CourseFactory(owner=teacher, title="Algebra")
        self.course_id = course.pk
        self.enrollment_id = EnrollmentFactory(course=course, student=child).pk
        self.material_id = MaterialFactory(course=course).pk
        paid = CourseFactory(owner=teacher, price=30)
        self.pending_enrollment_id = EnrollmentFactory(
            course=paid, student=child, status="pending"
        ).pk
        self.open_course_id = CourseFactory(owner=teacher).pk

    @staticmethod
    def pdf_upload():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.courses.factories import PDF_BYTES

        return SimpleUploadedFile("notes.pdf", PDF_BYTES, content_type="application/pdf")

    def headers(self, client, principal: str) -> dict:
        if principal == "anonymous":
            return {}
        return {"HTTP_X_SESSION_TOKEN": login_token(client, self.users[principal].email, PASSWORD)}


def schema_operations(client) -> set[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def call(client, world: World, key: str, principal: str, **override_params):
    method, template = key.split(" ", 1)
    spec = MATRIX[key]
    path = template
    for name, attribute in spec.path_params.items():
        value = override_params.get(name, getattr(world, attribute))
        path = path.replace("{" + name + "}", str(value))
    headers = world.headers(client, principal)
    if spec.multipart:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
        # A row may build its own form (files included) from the World.
        form = spec.multipart(world) if callable(spec.multipart) else {"avatar": upload}
        return client.post(path, form, **headers)
    kwargs = {"content_type": "application/json"} if spec.json is not None else {}
    data = spec.json(world) if callable(spec.json) else spec.json
    if spec.query is not None:
        data = spec.query(world)
    return (
        getattr(client, method.lower())(path, data, **kwargs, **headers)
        if data is not None
        else getattr(client, method.lower())(path, **headers)
    )


@pytest.mark.django_db
def test_every_operation_has_a_declared_expectation(client):
    operations = schema_operations(client)
    undeclared = sorted(operations - MATRIX.keys())
    stale = sorted(MATRIX.keys() - operations)
    assert not undeclared, f"declare who may call these operations in MATRIX: {undeclared}"
    assert not stale, f"these MATRIX rows name operations that no longer exist: {stale}"
    for key, spec in MATRIX.items():
        assert set(spec.expect) == set(PRINCIPALS), f"{key} must declare every principal"


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_operation_answers_each_principal_as_declared(client, key, principal):
    world = World()
    response = call(client, world, key, principal)
    expected = MATRIX[key].expect[principal]
    assert response.status_code == expected, (
        key,
        principal,
        response.status_code,
        response.content[:300],
    )
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"detail", "errors"}, body


OBJECT_OPERATIONS = [key for key, spec in MATRIX.items() if spec.path_params]


@pytest.mark.django_db
@pytest.mark.parametrize("key", OBJECT_OPERATIONS)
def test_a_forbidden_object_answers_exactly_like_a_missing_one(client, key):
    world = World()
    spec = MATRIX[key]
    # Someone who gets 404 for the real object (or any non-admin for admin operations).
    outsiders = [p for p, status in spec.expect.items() if status == 404] or []
    for principal in outsiders:
        forbidden = call(client, world, key, principal)
        missing = call(client, world, key, principal, **dict.fromkeys(spec.path_params, MISSING_ID))
        assert forbidden.status_code == missing.status_code == 404, (key, principal)
        assert forbidden.json() == missing.json(), (key, principal)
    # The principals that may reach the object get 404 for a missing one too.
    insiders = [p for p, status in spec.expect.items() if status < 300]
    for principal in insiders:
        missing = call(client, world, key, principal, **dict.fromkeys(spec.path_params, MISSING_ID))
        assert missing.status_code == 404, (key, principal, missing.status_code)


@pytest.mark.django_db
def test_the_inviter_cannot_accept_their_own_invitation(client):
    world = World()
    response = call(client, world, "POST /api/v1/guardians/{link_id}/accept", "anonymous")
    assert response.status_code == 401
    token = login_token(client, world.second_parent.email, PASSWORD)
    response = client.post(
        f"/api/v1/guardians/{world.pending_link_id}/accept", HTTP_X_SESSION_TOKEN=token
    )
    assert response.status_code == 409
