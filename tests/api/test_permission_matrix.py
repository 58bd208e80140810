"""Every API operation in the OpenAPI schema × every principal, each with a declared answer.

A new operation without a row here fails `test_every_operation_has_a_declared_expectation`.
Forbidden objects must answer exactly like missing ones (same status, same body).

The World (users and the objects the rows address) is built once per test module, inside a
transaction that is rolled back at the end; every call runs in a savepoint of its own that is
rolled back too, so each call meets the World as built, writes included. Every object a row
addresses by id has an id of its own, and the principals that must get 404 on it hold objects of the
other types with that same id (see `tests/api/matrix/collisions.py`), so an access filter written
for one model and applied to another lets them through and fails a row.

A row's key is the operation ("METHOD /path"), optionally followed by " #variant" for a second row
of the same operation on another object (`PATCH /api/v1/admin/users/{user_id} #superuser`).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from PIL import Image

from authentication.choices import Role
from authentication.models import GuardianLink
from authentication.services import guardian_accept, guardian_invite
from classroom.models import Lesson
from classroom.scheduling.services import (
    availability_replace,
    lesson_book,
    series_book,
    time_off_add,
)
from courses.models import Enrollment, Material
from cplatform.editorial import EDITORS, MODERATORS
from inbox.models import RoomMember
from tests.api.matrix import AREA_BUILDERS, AREA_ROWS
from tests.api.matrix.base import (
    ALL_SIGNED_IN,
    EVERYONE,
    MISSING_ID,
    ONLY_ADMIN,
    ONLY_STUDENTS,
    ONLY_TEACHERS,
    PRINCIPALS,
    SIGNED_IN,
    Call,
    expect,
)
from tests.api.matrix.collisions import (
    DECOYS_SEEN_BY,
    MODELS,
    IdPlan,
    decoys,
    incidental_ids_from_scratch,
    sees,
)
from tests.authentication.factories import PASSWORD, UserFactory
from tests.booking.factories import EVERY_DAY, days_ahead
from tests.classroom.factories import listed_teacher
from tests.conftest import login_token


def png_bytes(size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


ANON = {"anonymous": 401}
NOT_FOUND = {**ANON, **dict.fromkeys(SIGNED_IN, 404)}
ROLE_REFUSED = {**ANON, **dict.fromkeys(SIGNED_IN, 403)}

# Student A's 1:1 lesson with the teacher (and, alike, student A's weekly series).
OWN_LESSON = expect(
    NOT_FOUND,
    student_a=200,  # the lesson's student
    parent_of_a=200,  # the student's parent
    teacher=200,  # the lesson's teacher
    admin=200,
    superuser=200,
)
BOOKING = expect(
    ROLE_REFUSED,  # students and parents book; nobody else has a student to book for
    student_a=201,  # for themself
    student_b=404,  # student_id names someone who is not theirs
    parent_of_a=201,  # for the linked child
    second_parent=404,  # invited student A, who has not accepted: not theirs
)
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
        expect(ONLY_TEACHERS, teacher=201, other_teacher=201),
        json=lambda w: {"start": days_ahead(20).isoformat(), "end": days_ahead(21).isoformat()},
    ),
    # The teacher's own time off; another teacher's answers 404 (shown only in GET /availability).
    "GET /api/v1/availability/time-off/{time_off_id}": Call(
        expect(ONLY_TEACHERS, other_teacher=404),
        path_params={"time_off_id": "time_off_id"},
    ),
    "DELETE /api/v1/availability/time-off/{time_off_id}": Call(
        expect(ONLY_TEACHERS, teacher=204, other_teacher=404),
        path_params={"time_off_id": "time_off_id"},
    ),
    "GET /api/v1/slots": Call(EVERYONE, query_params={"teacher_id": "teacher_profile_id"}),
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
    # Student B holds a seat in lesson N and series N of their own: neither opens A's series N.
    "GET /api/v1/series/{series_id}": Call(OWN_LESSON, path_params={"series_id": "series_id"}),
    "POST /api/v1/series/{series_id}/cancel": Call(
        OWN_LESSON, path_params={"series_id": "series_id"}, json={"reason": "Moving away"}
    ),
}

OWN_ENROLLMENT = expect(
    NOT_FOUND,
    student_a=200,  # the enrolled student
    parent_of_a=200,  # the student's parent
    teacher=403,  # the course's teacher sees it, but removes rather than withdraws
    admin=403,
    superuser=403,
)
COURSE_MATERIAL = expect(
    NOT_FOUND,
    student_a=200,  # actively enrolled
    parent_of_a=200,  # parent of an enrolled student
    teacher=200,  # teaches the course
    admin=200,
    superuser=200,
)
# Teachers and admins write courses (editors and moderators run the public pages, not courses).
COURSE_WRITE = expect(ROLE_REFUSED, teacher=201, other_teacher=404, admin=201, superuser=201)
COURSES: dict[str, Call] = {
    "GET /api/v1/courses": Call(EVERYONE),
    "GET /api/v1/courses/{course_id}": Call(EVERYONE, path_params={"course_id": "course_id"}),
    "POST /api/v1/courses": Call(
        expect(ONLY_TEACHERS, teacher=201, other_teacher=201),
        json={"title": "Geometry", "format": "group", "capacity": 6, "subject": "mathematics"},
    ),
    "PATCH /api/v1/courses/{course_id}": Call(
        expect(COURSE_WRITE, teacher=200, admin=200, superuser=200),
        path_params={"course_id": "course_id"},
        json={"title": "Algebra II"},
    ),
    "GET /api/v1/enrollments": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "POST /api/v1/enrollments": Call(
        expect(
            ROLE_REFUSED,  # students enrol, parents enrol a child
            student_a=201,
            student_b=201,
            parent_of_a=422,  # a parent names the child to enrol (student_id)
            second_parent=422,
        ),
        json=lambda w: {"course_id": w.open_course_id},
    ),
    "GET /api/v1/enrollments/{enrollment_id}": Call(
        expect(NOT_FOUND, student_a=200, parent_of_a=200, teacher=200, admin=200, superuser=200),
        path_params={"enrollment_id": "enrollment_id"},
    ),
    "POST /api/v1/enrollments/{enrollment_id}/withdraw": Call(
        OWN_ENROLLMENT, path_params={"enrollment_id": "enrollment_id"}
    ),
    "POST /api/v1/enrollments/{enrollment_id}/remove": Call(
        expect(
            OWN_ENROLLMENT,
            student_a=403,
            parent_of_a=403,
            teacher=200,
            admin=200,
            superuser=200,
        ),
        path_params={"enrollment_id": "enrollment_id"},
    ),
    "POST /api/v1/enrollments/{enrollment_id}/activate": Call(
        ONLY_ADMIN, path_params={"enrollment_id": "pending_enrollment_id"}
    ),
    "POST /api/v1/courses/{course_id}/modules": Call(
        COURSE_WRITE, path_params={"course_id": "course_id"}, json={"title": "Week 1"}
    ),
    # A module of the published course: its syllabus is public, as on the course page.
    "GET /api/v1/modules/{module_id}": Call(
        EVERYONE, path_params={"module_id": "progress_module_id"}
    ),
    # A module of an archived course student A was enrolled in: its readers are the course's.
    "GET /api/v1/modules/{module_id} #archived": Call(
        expect(
            NOT_FOUND,
            anonymous=404,  # a public operation: nobody's to see, as a missing module
            student_a=200,  # enrolled
            parent_of_a=200,  # their child is enrolled
            teacher=200,  # teaches the course
            admin=200,
            superuser=200,
        ),
        path_params={"module_id": "archived_module_id"},
    ),
    "POST /api/v1/courses/{course_id}/materials": Call(
        COURSE_WRITE,
        path_params={"course_id": "course_id"},
        multipart=lambda w: {"title": "Notes", "kind": "file", "file": w.pdf_upload()},
    ),
    "DELETE /api/v1/materials/{material_id}": Call(
        expect(
            COURSE_MATERIAL,
            student_a=403,
            parent_of_a=403,
            teacher=204,
            admin=204,
            superuser=204,
        ),
        path_params={"material_id": "material_id"},
    ),
    "GET /api/v1/materials": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "GET /api/v1/materials/{material_id}": Call(
        COURSE_MATERIAL, path_params={"material_id": "material_id"}
    ),
    "GET /api/v1/materials/{material_id}/download": Call(
        COURSE_MATERIAL, path_params={"material_id": "material_id"}
    ),
}

FAMILY: dict[str, Call] = {
    "GET /api/v1/guardians": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "POST /api/v1/guardians": Call(
        expect(
            ROLE_REFUSED,  # a student invites a guardian, not a child; others have no family here
            parent_of_a=201,
            second_parent=201,  # a parent may have several children
        ),
        json={"email": "new.child@example.com", "invite_as": "child"},
    ),
    # Parent A ↔ student A: its two sides see it. Admins manage links in the admin (404 here, as
    # in their GET /guardians, which holds only their own).
    "GET /api/v1/guardians/{link_id}": Call(
        expect(NOT_FOUND, student_a=200, parent_of_a=200),
        path_params={"link_id": "active_link_id"},
    ),
    # The second parent's invitation to student A: the inviter and the invited see it.
    "GET /api/v1/guardians/{link_id} #pending": Call(
        expect(NOT_FOUND, student_a=200, second_parent=200),
        path_params={"link_id": "pending_link_id"},
    ),
    # The second parent's invitation to student A.
    "POST /api/v1/guardians/{link_id}/accept": Call(
        expect(
            NOT_FOUND,  # another parent's invitation to their child is not the first parent's
            student_a=200,  # the invited child
            second_parent=409,  # the inviter sees it, and cannot accept their own invitation
        ),
        path_params={"link_id": "pending_link_id"},
    ),
    # Parent A ↔ student A. Admins manage links in the admin, not through these operations.
    "DELETE /api/v1/guardians/{link_id}": Call(
        expect(NOT_FOUND, student_a=204, parent_of_a=204),
        path_params={"link_id": "active_link_id"},
    ),
    "POST /api/v1/guardians/{link_id}/consent": Call(
        expect(
            NOT_FOUND,
            student_a=403,  # the child cannot consent for themselves
            parent_of_a=200,
        ),
        path_params={"link_id": "active_link_id"},
    ),
}

ADMIN_USERS: dict[str, Call] = {
    "GET /api/v1/admin/users": Call(ONLY_ADMIN),
    "POST /api/v1/admin/users": Call(
        expect(ONLY_ADMIN, admin=201, superuser=201),
        json={"email": "created@example.com", "roles": ["Teacher"]},
    ),
    "GET /api/v1/admin/users/{user_id}": Call(ONLY_ADMIN, path_params={"user_id": "student_a_id"}),
    "PATCH /api/v1/admin/users/{user_id}": Call(
        ONLY_ADMIN, path_params={"user_id": "student_a_id"}, json={"is_active": True}
    ),
    # Any admin may look a superuser up (the Wagtail admin lists them too) …
    "GET /api/v1/admin/users/{user_id} #superuser": Call(
        ONLY_ADMIN, path_params={"user_id": "superuser_id"}
    ),
    # … but only a superuser changes one (roles, active): as in the Wagtail admin, an Admin who is
    # not a superuser cannot take the account over. 403, not 404: the Admin sees the account.
    "PATCH /api/v1/admin/users/{user_id} #superuser": Call(
        expect(ONLY_ADMIN, admin=403),
        path_params={"user_id": "superuser_id"},
        json={"is_active": True, "roles": ["Admin", "Teacher"]},
    ),
    # The same for anyone with rights beyond the roles an Admin grants (here a Moderator, who
    # publishes and approves): seen by any admin, changed only by a superuser.
    "GET /api/v1/admin/users/{user_id} #moderator": Call(
        ONLY_ADMIN, path_params={"user_id": "moderator_id"}
    ),
    "PATCH /api/v1/admin/users/{user_id} #moderator": Call(
        expect(ONLY_ADMIN, admin=403),
        path_params={"user_id": "moderator_id"},
        json={"is_active": False, "roles": ["Teacher"]},
    ),
}

MATRIX: dict[str, Call] = {
    "GET /api/v1/me": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    "PATCH /api/v1/me": Call(
        {"anonymous": 401, **ALL_SIGNED_IN}, json={"display_name": "New name"}
    ),
    "POST /api/v1/me/avatar": Call({"anonymous": 401, **ALL_SIGNED_IN}, multipart=True),
    "DELETE /api/v1/me/avatar": Call({"anonymous": 401, **ALL_SIGNED_IN}),
    **FAMILY,
    **ADMIN_USERS,
    "GET /api/v1/teachers": Call(EVERYONE),
    "GET /api/v1/teachers/{teacher_id}": Call(
        EVERYONE, path_params={"teacher_id": "teacher_profile_id"}
    ),
    "GET /api/v1/teachers/by-slug/{slug}": Call(EVERYONE, path_params={"slug": "teacher_slug"}),
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
        expect(
            NOT_FOUND,
            student_a=200,
            parent_of_a=200,
            teacher=200,  # student A has lessons with them: their student
            admin=200,
            superuser=200,
        ),
        path_params={"student_id": "student_a_id"},
    ),
    "PUT /api/v1/students/{student_id}/date-of-birth": Call(
        expect(
            ROLE_REFUSED,  # guardians and admins set it; the child cannot once it gates them
            parent_of_a=200,
            second_parent=404,  # a pending invitation makes nobody a guardian
            admin=200,
            superuser=200,
        ),
        path_params={"student_id": "student_a_id"},
        json={"date_of_birth": "2001-02-03"},
    ),
}


def operation(key: str) -> str:
    """The schema operation a row is about (a row key may add " #variant")."""
    return key.split(" #", 1)[0]


class World:
    """The eleven principals and the objects the operations address, each object with an id of its
    own that collides with objects of other types the outsiders legitimately reach."""

    def __init__(self, client):
        incidental_ids_from_scratch()
        self.ids = IdPlan()
        child = self.make(
            "student_a_id",
            "user",
            lambda: UserFactory(roles=[Role.STUDENT], email="student.a@example.com"),
        )
        self.users = {
            "student_a": child,
            "student_b": UserFactory(roles=[Role.STUDENT], email="student.b@example.com"),
            "parent_of_a": UserFactory(roles=[Role.PARENT], email="parent.a@example.com"),
            "second_parent": UserFactory(roles=[Role.PARENT], email="second.parent@example.com"),
            "editor": self._member_of(EDITORS, email="editor@example.com"),
            "moderator": self.make(
                "moderator_id",
                "user",
                lambda: self._member_of(MODERATORS, email="moderator@example.com"),
            ),
            "admin": UserFactory(roles=[Role.ADMIN], email="admin@example.com", is_staff=True),
            "superuser": self.make(
                "superuser_id",
                "user",
                lambda: UserFactory(email="root@example.com", is_staff=True, is_superuser=True),
            ),
        }
        self.users["teacher"] = self.make(
            "teacher_profile_id",
            "teacher_profile",
            lambda: listed_teacher(email="teacher@example.com"),
        ).user
        self.teacher_slug = self.users["teacher"].teacher_profile.slug
        self.users["other_teacher"] = listed_teacher(email="other.teacher@example.com").user
        self._families()
        self._courses(self.users["teacher"], child)
        self._schedule(self.users["teacher"].teacher_profile, child)
        for build in AREA_BUILDERS:
            build(self)
        for slot, (kind, pk) in enumerate(self.ids.of.values()):
            decoys(self, pk=pk, skip=kind, slot=slot)
        self.tokens = {
            principal: login_token(client, user.email, PASSWORD)
            for principal, user in self.users.items()
        }

    def make(self, attribute: str, kind: str, create):
        """Create the object an operation addresses as `attribute`, with the next planned id."""
        made = self.ids.make(attribute, kind, create)
        setattr(self, attribute, made.pk)
        return made

    @staticmethod
    def _member_of(group: str, **kwargs):
        from django.contrib.auth.models import Group

        user = UserFactory(**kwargs)
        user.groups.add(Group.objects.get(name=group))
        return user

    def _families(self):
        """Parent A ↔ student A (active); the second parent ↔ student B (active), and the second
        parent's invitation to student A, not accepted."""
        parent, child = self.users["parent_of_a"], self.users["student_a"]
        second, other_child = self.users["second_parent"], self.users["student_b"]
        active = self.make(
            "active_link_id",
            "guardian_link",
            lambda: guardian_invite(actor=parent, email=child.email, as_role="child"),
        )
        guardian_accept(link=active, actor=child)
        theirs = guardian_invite(actor=second, email=other_child.email, as_role="child")
        guardian_accept(link=theirs, actor=other_child)
        self.make(
            "pending_link_id",
            "guardian_link",
            lambda: guardian_invite(actor=second, email=child.email, as_role="child"),
        )

    def _schedule(self, teacher, child):
        """Availability every day, a lesson and a weekly series of student A, and time off."""
        availability_replace(
            teacher=teacher,
            rules=[{"weekday": d, "start_time": s, "end_time": e} for d, s, e in EVERY_DAY],
            settings={"lesson_lengths": [60], "min_notice_minutes": 0},
        )
        self.make(
            "lesson_id",
            "lesson",
            lambda: lesson_book(
                actor=child, teacher=teacher, student=child, start=days_ahead(5), length=60
            ),
        )
        self.make(
            "series_id",
            "series",
            lambda: series_book(
                actor=child,
                teacher=teacher,
                student=child,
                first_start=days_ahead(6),
                length=60,
                count=2,
            ),
        )
        self.make(
            "time_off_id",
            "time_off",
            lambda: time_off_add(teacher=teacher, start=days_ahead(30), end=days_ahead(31)),
        )

    def _courses(self, teacher, child):
        """A free course of the teacher with student A enrolled and a file; a paid one where student A
        waits for payment; an open course nobody is in yet; an archived one student A withdrew from,
        with a module."""
        from tests.courses.factories import (
            CourseFactory,
            EnrollmentFactory,
            MaterialFactory,
            ModuleFactory,
        )

        course = self.make(
            "course_id", "course", lambda: CourseFactory(owner=teacher, title="Algebra")
        )
        self.make(
            "enrollment_id",
            "enrollment",
            lambda: EnrollmentFactory(course=course, student=child),
        )
        self.make("material_id", "material", lambda: MaterialFactory(course=course))
        paid = CourseFactory(owner=teacher, price=30)
        self.make(
            "pending_enrollment_id",
            "enrollment",
            lambda: EnrollmentFactory(course=paid, student=child, status="pending"),
        )
        self.open_course_id = CourseFactory(owner=teacher).pk
        archived = CourseFactory(owner=teacher, status="archived", title="Old algebra")
        EnrollmentFactory(course=archived, student=child, status="withdrawn")
        self.make(
            "archived_module_id",
            "module",
            lambda: ModuleFactory(course=archived, title="Equations"),
        )

    @staticmethod
    def pdf_upload():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.courses.factories import PDF_BYTES

        return SimpleUploadedFile("notes.pdf", PDF_BYTES, content_type="application/pdf")

    def headers(self, principal: str) -> dict:
        if principal == "anonymous":
            return {}
        return {"HTTP_X_SESSION_TOKEN": self.tokens[principal]}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One World for the module, rolled back at its end (pytest-django nests each test's
    transaction inside this one; `call` adds a savepoint per call)."""
    from django.test import Client

    with django_db_blocker.unblock(), transaction.atomic():
        built = World(Client())
        yield built
        transaction.set_rollback(True)


def schema_operations(client) -> set[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def call(client, world: World, key: str, principal: str, **override_params):
    """Make the row's request as `principal` in a savepoint that is rolled back: every call meets
    the World as it was built."""
    with transaction.atomic():
        response = _request(client, world, key, principal, **override_params)
        transaction.set_rollback(True)
    return response


def _request(client, world: World, key: str, principal: str, **override_params):
    method, template = operation(key).split(" ", 1)
    spec = MATRIX[key]
    path = template
    for name, attribute in spec.path_params.items():
        value = override_params.get(name, getattr(world, attribute))
        path = path.replace("{" + name + "}", str(value))
    headers = world.headers(principal)
    if spec.multipart:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
        # A row may build its own form (files included) from the World.
        form = spec.multipart(world) if callable(spec.multipart) else {"avatar": upload}
        return client.post(path, form, **headers)
    kwargs = {"content_type": "application/json"} if spec.json is not None else {}
    data = spec.json(world) if callable(spec.json) else spec.json
    if spec.query is not None or spec.query_params:
        data = spec.query(world) if spec.query is not None else {}
        for name, attribute in spec.query_params.items():
            data[name] = override_params.get(name, getattr(world, attribute))
    return (
        getattr(client, method.lower())(path, data, **kwargs, **headers)
        if data is not None
        else getattr(client, method.lower())(path, **headers)
    )


@pytest.mark.django_db
def test_every_operation_has_a_declared_expectation(client):
    operations = schema_operations(client)
    declared = {operation(key) for key in MATRIX}
    undeclared = sorted(operations - declared)
    stale = sorted(declared - operations)
    assert not undeclared, f"declare who may call these operations in MATRIX: {undeclared}"
    assert not stale, f"these MATRIX rows name operations that no longer exist: {stale}"
    for key, spec in MATRIX.items():
        assert set(spec.expect) == set(PRINCIPALS), f"{key} must declare every principal"


@pytest.mark.django_db
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_operation_answers_each_principal_as_declared(world, client, key, principal):
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
        # `code` where the project gives one (the consent gate, …), so clients branch on it.
        assert set(body) == {"detail", "errors", "code", "error_codes"}, body


OBJECT_OPERATIONS = [key for key, spec in MATRIX.items() if spec.addressed]


@pytest.mark.django_db
@pytest.mark.parametrize("key", OBJECT_OPERATIONS)
def test_a_forbidden_object_answers_exactly_like_a_missing_one(world, client, key):
    spec = MATRIX[key]
    missing_ids = dict.fromkeys(spec.addressed, MISSING_ID)
    # Someone who gets 404 for the real object (or any non-admin for admin operations).
    outsiders = [p for p, status in spec.expect.items() if status == 404] or []
    for principal in outsiders:
        forbidden = call(client, world, key, principal)
        missing = call(client, world, key, principal, **missing_ids)
        assert forbidden.status_code == missing.status_code == 404, (key, principal)
        assert forbidden.json() == missing.json(), (key, principal)
    # The principals that may reach the object get 404 for a missing one too.
    insiders = [p for p, status in spec.expect.items() if status < 300]
    for principal in insiders:
        missing = call(client, world, key, principal, **missing_ids)
        assert missing.status_code == 404, (key, principal, missing.status_code)


@pytest.mark.django_db
def test_ids_collide_across_types_for_everyone_refused(world):
    """The World's construction, checked: every object a row addresses has its own id N, and each
    principal that must get 404 on it reaches, by the project's own selectors, objects of the other
    types with id N (`DECOYS_SEEN_BY`), so a filter meant for one model but applied to another
    would let them through."""
    ids = [pk for _kind, pk in world.ids.of.values()]
    assert len(ids) == len(set(ids)), "each addressed object has an id of its own"
    problems, refused_on = [], {}  # attribute → principals that must get 404 on it, from any row
    for key, spec in sorted(MATRIX.items()):
        for name, attribute in spec.addressed.items():
            if not attribute.endswith("_id"):
                continue  # a slug: no id to collide
            if attribute not in world.ids.of:
                problems.append(f"{key}: {name} → {attribute} was not made with World.make")
                continue
            refused = {p for p, status in spec.expect.items() if status == 404}
            refused_on.setdefault(attribute, set()).update(refused)
    for attribute, refused in sorted(refused_on.items()):
        kind, pk = world.ids.of[attribute]
        assert MODELS[kind].objects.filter(pk=pk).exists(), (attribute, kind, pk)
        for principal in sorted(refused):
            user = world.users.get(principal)  # None: anonymous
            seen = {other for other in MODELS if other != kind and sees(user, other, pk)}
            lacking = DECOYS_SEEN_BY[principal] - {kind} - seen
            if lacking or not seen:
                problems.append(
                    f"{attribute}={pk} ({kind}): {principal} reaches {sorted(seen)} there, "
                    f"not {sorted(lacking)}"
                )
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_inviter_cannot_accept_their_own_invitation(world, client):
    response = call(client, world, "POST /api/v1/guardians/{link_id}/accept", "anonymous")
    assert response.status_code == 401
    response = call(client, world, "POST /api/v1/guardians/{link_id}/accept", "second_parent")
    assert response.status_code == 409


# --- what each principal's LIST holds ------------------------------------------------------------
#
# A list answers 200 to every signed-in principal (rows above); what it holds is the access rule.
# Student A's rows (`a_rows`: what the World made for A) are in the list of everyone who may see
# them ("all"); an outsider's list holds none of them ("none"), and only rows of the outsider's own
# (`theirs`, written here independently of the selectors): nothing at all for the editor and the
# moderator, their own, their children's or their courses' rows for student B, the second parent and
# the other teacher (the World gives those the decoys of collisions.py).


def _children(user) -> list[int]:
    from authentication.choices import GuardianLinkStatus
    from authentication.models import GuardianLink

    return list(
        GuardianLink.objects.filter(guardian=user, status=GuardianLinkStatus.ACTIVE).values_list(
            "child_id", flat=True
        )
    )


def _lessons_of(user) -> set[int]:
    from django.db.models import Q

    from classroom.models import Lesson

    people = [user.pk, *_children(user)]
    return set(
        Lesson.objects.filter(
            Q(student__in=people) | Q(seats__student__in=people) | Q(teacher__user=user)
        ).values_list("pk", flat=True)
    )


def _enrollments_of(user) -> set[int]:
    from django.db.models import Q

    from courses.models import Enrollment

    people = [user.pk, *_children(user)]
    return set(
        Enrollment.objects.filter(
            Q(student__in=people) | Q(course__owner=user) | Q(course__teachers=user)
        ).values_list("pk", flat=True)
    )


def _materials_of(user) -> set[int]:
    from django.db.models import Q

    from courses.models import Material

    people = [user.pk, *_children(user)]
    return set(
        Material.objects.filter(
            Q(course__enrollments__student__in=people)
            | Q(course__owner=user)
            | Q(course__teachers=user)
        ).values_list("pk", flat=True)
    )


def _links_of(user) -> set[int]:
    from django.db.models import Q

    from authentication.models import GuardianLink

    return set(
        GuardianLink.objects.filter(
            Q(child=user) | Q(guardian=user) | Q(initiated_by=user) | Q(invited_email=user.email)
        ).values_list("pk", flat=True)
    )


def _students_of(user) -> set[int]:
    from django.db.models import Q

    from classroom.models import Lesson
    from courses.models import Enrollment

    taught = set(
        Lesson.objects.filter(teacher__user=user)
        .filter(Q(student__isnull=False) | Q(seats__isnull=False))
        .values_list("student_id", "seats__student_id")
    )
    enrolled = Enrollment.objects.filter(Q(course__owner=user) | Q(course__teachers=user))
    return (
        {user.pk, *_children(user)}
        | {pk for pair in taught for pk in pair if pk}
        | set(enrolled.values_list("student_id", flat=True))
    )


@dataclass
class ListRows:
    item_id: str  # the key of an item's id in the answer
    a_rows: Callable  # (world) → ids of student A's rows the World made
    theirs: Callable  # (user) → ids of the rows that user may have in the list
    sees_a: tuple[str, ...]  # the principals whose list holds all of A's rows


INSIDERS = ("student_a", "parent_of_a", "teacher", "admin", "superuser")


def _a(world):
    return world.users["student_a"]


def _notifications_of(user) -> set[int]:
    from inbox.notifications.models import Notification

    return set(Notification.objects.filter(recipient=user).values_list("pk", flat=True))


LISTS: dict[str, ListRows] = {
    # Notifications are their recipient's alone, admins included.
    "GET /api/v1/notifications": ListRows(
        "id", lambda w: _notifications_of(_a(w)), _notifications_of, ("student_a",)
    ),
    "GET /api/v1/lessons": ListRows(
        "id",
        lambda w: set(Lesson.objects.filter(student=_a(w)).values_list("pk", flat=True)),
        _lessons_of,
        INSIDERS,
    ),
    "GET /api/v1/enrollments": ListRows(
        "id",
        lambda w: set(Enrollment.objects.filter(student=_a(w)).values_list("pk", flat=True)),
        _enrollments_of,
        INSIDERS,
    ),
    "GET /api/v1/materials": ListRows(
        "id",
        lambda w: set(
            Material.objects.filter(
                course__enrollments__student=_a(w), course__enrollments__status="active"
            ).values_list("pk", flat=True)
        ),
        _materials_of,
        INSIDERS,
    ),
    # Admins manage family links in the admin, not through the API: their list is their own.
    "GET /api/v1/guardians": ListRows(
        "id",
        lambda w: set(GuardianLink.objects.filter(child=_a(w)).values_list("pk", flat=True)),
        _links_of,
        ("student_a", "parent_of_a"),
    ),
    "GET /api/v1/students": ListRows("id", lambda w: {_a(w).pk}, _students_of, INSIDERS),
    # Rooms are their members': student A's are the course room and the group room.
    "GET /api/v1/rooms": ListRows(
        "id",
        lambda w: set(RoomMember.objects.filter(user=_a(w)).values_list("room_id", flat=True)),
        lambda user: set(RoomMember.objects.filter(user=user).values_list("room_id", flat=True)),
        ("student_a", "teacher"),
    ),
    "GET /api/v1/progress": ListRows(
        "enrollment_id",
        lambda w: set(
            Enrollment.objects.filter(student=_a(w), status="active").values_list("pk", flat=True)
        ),
        _enrollments_of,
        INSIDERS,
    ),
}


# Inbox safety: one's own blocks; one's own reports (admins: every report).
def _blocks_of(user) -> set[int]:
    from inbox.models import UserBlock

    return set(UserBlock.objects.filter(blocker=user).values_list("pk", flat=True))


def _reports_of(user) -> set[int]:
    from inbox.safety.models import MessageReport

    return set(MessageReport.objects.filter(reporter=user).values_list("pk", flat=True))


LISTS["GET /api/v1/blocks"] = ListRows(
    "id", lambda w: _blocks_of(_a(w)), _blocks_of, ("student_a",)
)
LISTS["GET /api/v1/reports"] = ListRows(
    "id", lambda w: _reports_of(_a(w)), _reports_of, ("student_a", "admin", "superuser")
)


def _messages_received_by(user) -> set[int]:
    from postman.models import Message

    return set(Message.objects.filter(recipient=user).values_list("pk", flat=True))


# A person's inbox (the default folder) holds what they received: student A's holds the teacher's
# reply; nobody else's, a guardian's or an admin's included, holds it (A is an adult).
LISTS["GET /api/v1/messages"] = ListRows(
    "id", lambda w: _messages_received_by(_a(w)), _messages_received_by, ("student_a",)
)


def _subscriptions_of(user) -> set[int]:
    from django.db.models import Q

    from billing.models import Subscription

    return set(
        Subscription.objects.filter(Q(payer=user) | Q(student=user)).values_list("pk", flat=True)
    )


# billing (policy): A's subscription (A pays it) is A's alone to list.
LISTS["GET /api/v1/subscriptions"] = ListRows(
    "id", lambda w: _subscriptions_of(_a(w)), _subscriptions_of, ("student_a",)
)


# Billing, front (issue 14): payments, invoices and credits are the payer's, the student's, their
# guardians' and admins'; a teacher's list never holds what a student paid (student A's teacher
# included), and the outsiders (with no money of their own in the World) list nothing of A's.
def _money_people(user) -> list[int]:
    return [user.pk, *_children(user)]


def _payments_of(user) -> set[int]:
    from django.db.models import Q

    from billing.models import Payment

    people = _money_people(user)
    return set(
        Payment.objects.filter(Q(order__payer=user) | Q(order__student__in=people)).values_list(
            "pk", flat=True
        )
    )


def _invoices_of(user) -> set[int]:
    from django.db.models import Q

    from billing.models import Invoice

    people = _money_people(user)
    return set(
        Invoice.objects.filter(Q(order__payer=user) | Q(order__student__in=people)).values_list(
            "pk", flat=True
        )
    )


def _credit_entries_of(user) -> set[int]:
    from billing.models import CreditEntry

    return set(
        CreditEntry.objects.filter(student__in=_money_people(user)).values_list("pk", flat=True)
    )


def _credit_students_of(user) -> set[int]:
    from billing.models import CreditEntry

    return set(
        CreditEntry.objects.filter(student__in=_money_people(user)).values_list(
            "student_id", flat=True
        )
    )


_PAYER_SIDE = ("student_a", "parent_of_a", "admin", "superuser")
LISTS["GET /api/v1/payments"] = ListRows(
    "id", lambda w: _payments_of(_a(w)), _payments_of, _PAYER_SIDE
)
LISTS["GET /api/v1/invoices"] = ListRows(
    "id", lambda w: _invoices_of(_a(w)), _invoices_of, _PAYER_SIDE
)
LISTS["GET /api/v1/credits/entries"] = ListRows(
    "id", lambda w: _credit_entries_of(_a(w)), _credit_entries_of, _PAYER_SIDE
)
LISTS["GET /api/v1/credits"] = ListRows(
    "student_id", lambda w: {_a(w).pk}, _credit_students_of, _PAYER_SIDE
)


def test_every_list_row_names_an_operation_of_the_matrix():
    assert set(LISTS) <= set(MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize("principal", SIGNED_IN)
@pytest.mark.parametrize("key", sorted(LISTS))
def test_a_list_holds_what_the_principal_may_see_and_nothing_of_others(
    world, client, key, principal
):
    spec = LISTS[key]
    with transaction.atomic():
        response = client.get(
            operation(key).split(" ", 1)[1], {"limit": 100}, **world.headers(principal)
        )
        transaction.set_rollback(True)
    assert response.status_code == 200, (key, principal, response.status_code)
    body = response.json()
    assert body["count"] == len(body["items"]), "the World fits in one page"
    listed = {item[spec.item_id] for item in body["items"]}
    a_rows = spec.a_rows(world)
    assert a_rows, f"{key}: the World made no rows of student A"
    if principal in spec.sees_a:
        assert a_rows <= listed, (key, principal, sorted(a_rows - listed))
        return
    user = world.users[principal]
    assert not listed & a_rows, (key, principal, "sees student A's", sorted(listed & a_rows))
    foreign = listed - spec.theirs(user)
    assert not foreign, (key, principal, "sees rows not theirs", sorted(foreign))
    if principal in ("editor", "moderator"):
        assert listed == set(), (key, principal, sorted(listed))


# --- what each principal's analytics table holds (issue 15) ---------------------------------------
#
# The analytics tables answer admins and teachers only (rows in tests/api/matrix/analytics.py); what
# a teacher's table holds is their own: the World teacher's course (student A is enrolled in it) is in
# the course-progress table of the teacher and the admins, never in the other teacher's, whose rows
# are all courses they own or teach; in the capacity table a teacher is alone with themself.


def _courses_taught_by(user) -> set[int]:
    from django.db.models import Q

    from courses.models import Course

    return set(Course.objects.filter(Q(owner=user) | Q(teachers=user)).values_list("pk", flat=True))


ANALYTICS_TABLES = {
    "course_progress": ListRows(
        "id", lambda w: {w.course_id}, _courses_taught_by, ("teacher", "admin", "superuser")
    ),
    "capacity": ListRows(
        "id",
        lambda w: {w.users["teacher"].pk},
        lambda user: {user.pk},
        ("teacher", "admin", "superuser"),
    ),
}
ANALYSTS = ("teacher", "other_teacher", "admin", "superuser")


@pytest.mark.django_db
@pytest.mark.parametrize("principal", ANALYSTS)
@pytest.mark.parametrize("table", sorted(ANALYTICS_TABLES))
def test_an_analytics_table_holds_what_the_principal_may_see(world, client, table, principal):
    spec = ANALYTICS_TABLES[table]
    with transaction.atomic():
        response = client.get(f"/api/v1/analytics/tables/{table}", **world.headers(principal))
        transaction.set_rollback(True)
    assert response.status_code == 200, (table, principal, response.content[:300])
    listed = {item[spec.item_id] for item in response.json()["items"]}
    a_rows = spec.a_rows(world)
    if principal in spec.sees_a:
        assert a_rows <= listed, (table, principal, sorted(a_rows - listed))
        return
    user = world.users[principal]
    assert not listed & a_rows, (table, principal, "sees the teacher's", sorted(listed & a_rows))
    assert not listed - spec.theirs(user), (table, principal, "sees rows not theirs")
