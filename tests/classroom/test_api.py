from datetime import date, timedelta

import pytest

from classroom.models import StudentProfile, TeacherProfile
from tests.authentication.factories import ADULT_BIRTHDAY, PASSWORD
from tests.classroom.conftest import as_user
from tests.classroom.factories import TeacherProfileFactory, listed_teacher

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "student_a", "student_b", "parent_of_a", "teacher", "other_teacher", "admin")


def principal(people, role):
    return None if role == "anonymous" else getattr(people, role)


def get(client, people, role, url, **extra):
    return as_user(client, principal(people, role)).get(url, **extra)


def send(client, method, url, payload):
    return getattr(client, method)(url, payload, content_type="application/json")


# --- GET /teachers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_everyone_lists_the_same_listed_teachers(client, people, role):
    ana = listed_teacher(first_name="Ana", subjects=("mathematics", "physics"), languages=("es",))
    TeacherProfileFactory(user=people.teacher, is_public=True, is_approved=False)

    response = get(client, people, role, "/api/v1/teachers")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [t["id"] for t in body["items"]] == [ana.pk]
    item = body["items"][0]
    assert item["name"] == ana.user.name
    assert item["subjects"] == [
        {"code": "mathematics", "name": "Mathematics"},
        {"code": "physics", "name": "Physics"},
    ]
    assert item["languages"] == [{"code": "es", "name": "Spanish"}]
    assert item["hourly_rate"] == "30.00" and item["currency"] == "EUR"
    assert item["url"] == f"http://testserver/teachers/{ana.slug}/"
    assert "is_approved" not in item and "email" not in item


def test_the_teacher_list_takes_the_directory_filters(client):
    listed_teacher(first_name="Ana", subjects=("mathematics",), levels=("beginner",), rate="20")
    listed_teacher(
        first_name="Ben", subjects=("english",), levels=("advanced",), languages=("fr",), rate="45"
    )

    def names(query):
        return [
            t["name"].split()[0] for t in client.get(f"/api/v1/teachers?{query}").json()["items"]
        ]

    assert names("subject=mathematics") == ["Ana"]
    assert names("language=fr") == ["Ben"]
    assert names("level=beginner") == ["Ana"]
    assert names("min_price=21") == ["Ben"]
    assert names("max_price=20") == ["Ana"]
    assert names("min_price=20&max_price=45") == ["Ana", "Ben"]
    assert names("q=english") == ["Ben"]


def test_the_teacher_list_is_paginated_with_limit_and_offset(client):
    for i in range(7):
        listed_teacher(first_name=f"T{i}")

    body = client.get("/api/v1/teachers?limit=3&offset=5").json()

    assert (body["count"], body["limit"], body["offset"]) == (7, 3, 5)
    assert [t["name"].split()[0] for t in body["items"]] == ["T5", "T6"]


@pytest.mark.parametrize(
    "query",
    [
        "limit=101",
        "limit=0",
        "offset=-1",
        "limit=abc",
        "min_price=-1",
        "max_price=abc",
        "min_price=1000000",
        "q=" + "x" * 101,
        "subject=" + "s" * 81,
    ],
)
def test_bad_list_parameters_answer_422_in_the_error_shape(client, query):
    response = client.get(f"/api/v1/teachers?{query}")
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "errors", "code", "error_codes"}


def test_the_teacher_list_follows_accept_language(client):
    listed_teacher(
        first_name="Ana",
        subjects=("mathematics",),
        translations={"es": {"headline": "Profesora", "bio": "Bio ES"}},
    )

    item = client.get("/api/v1/teachers", HTTP_ACCEPT_LANGUAGE="es").json()["items"][0]

    assert (item["headline"], item["bio"]) == ("Profesora", "Bio ES")
    assert item["subjects"] == [{"code": "mathematics", "name": "Matemáticas"}]
    assert item["url"].startswith("http://testserver/es/teachers/")
    english = client.get("/api/v1/teachers", HTTP_ACCEPT_LANGUAGE="en").json()["items"][0]
    assert english["headline"] == "Ana teaches mathematics"


# --- GET /teachers/{id} ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_a_listed_teacher_is_public_and_an_unrelated_unlisted_one_is_not_found(
    client, people, role
):
    """An unlisted teacher with no course or lesson answers only themself and admins (a teacher of
    a course or lesson the caller sees answers them too: tests/classroom/test_teacher_ids.py)."""
    listed = listed_teacher(first_name="Ana")
    unlisted = TeacherProfileFactory(user=people.teacher, is_public=True, is_approved=False)

    ok = get(client, people, role, f"/api/v1/teachers/{listed.pk}")
    hidden = get(client, people, role, f"/api/v1/teachers/{unlisted.pk}")
    missing = get(client, people, role, "/api/v1/teachers/999999")

    assert ok.status_code == 200 and ok.json()["id"] == listed.pk
    assert missing.status_code == 404
    if role in ("teacher", "admin"):
        assert hidden.status_code == 200 and hidden.json()["id"] == unlisted.pk
    else:
        assert hidden.status_code == 404
        assert hidden.json() == missing.json()


@pytest.mark.parametrize("teacher_id", ["abc", "99999999999999999999999", "-1"])
def test_a_bad_teacher_id_never_fails_the_server(client, teacher_id):
    assert client.get(f"/api/v1/teachers/{teacher_id}").status_code in (404, 422)


# --- /me/teacher-profile ---------------------------------------------------------------------------

ME_TEACHER = "/api/v1/me/teacher-profile"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("student_a", 403),
        ("student_b", 403),
        ("parent_of_a", 403),
        ("teacher", 200),
        ("other_teacher", 200),
        ("admin", 403),
    ],
)
def test_only_teachers_read_their_teacher_profile(client, people, role, status):
    response = get(client, people, role, ME_TEACHER)
    assert response.status_code == status
    if status == 200:
        assert response.json()["slug"] == principal(people, role).teacher_profile.slug


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("student_a", 403), ("parent_of_a", 403), ("admin", 403)],
)
def test_non_teachers_cannot_write_a_teacher_profile(client, people, method, role, status):
    response = send(as_user(client, principal(people, role)), method, ME_TEACHER, {"headline": "x"})
    assert response.status_code == status
    assert TeacherProfile.objects.filter(headline="x").count() == 0


def test_a_teacher_replaces_their_profile_with_put(client, people):
    client.force_login(people.teacher)
    send(client, "patch", ME_TEACHER, {"bio": "Old bio", "location": "Madrid"})

    response = send(
        client,
        "put",
        ME_TEACHER,
        {
            "headline": "Maths",
            "translations": {"es": {"headline": "Matemáticas"}},
            "subjects": ["mathematics"],
            "levels": ["beginner"],
            "languages": ["es"],
            "hourly_rate": "25.50",
            "currency": "MXN",
            "is_public": True,
        },
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["headline"] == "Maths" and body["bio"] == "" and body["location"] == ""
    assert body["translations"] == {"es": {"headline": "Matemáticas"}}
    assert body["subjects"] == [{"code": "mathematics", "name": "Mathematics"}]
    assert (body["hourly_rate"], body["currency"]) == ("25.50", "MXN")
    assert (body["is_public"], body["is_approved"]) == (True, False)
    assert TeacherProfile.objects.get(user=people.teacher).hourly_rate is not None


def test_a_teacher_patches_only_some_fields(client, people):
    client.force_login(people.teacher)
    send(client, "put", ME_TEACHER, {"headline": "Keep", "bio": "Keep too", "subjects": ["piano"]})

    response = send(client, "patch", ME_TEACHER, {"bio": "New bio"})

    body = response.json()
    assert (body["headline"], body["bio"]) == ("Keep", "New bio")
    assert [s["code"] for s in body["subjects"]] == ["piano"]


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize(
    "crafted",
    [
        {"is_approved": True},
        {"approved_at": "2026-01-01T00:00:00Z"},
        {"user": 1},
        {"user_id": 1},
        {"slug": "mine"},
        {"id": 5},
        {"translations": {"es": {"is_approved": True}}},
    ],
)
def test_crafted_teacher_payloads_are_refused_and_change_nothing(client, people, method, crafted):
    client.force_login(people.teacher)
    before = TeacherProfile.objects.get(user=people.teacher)

    response = send(client, method, ME_TEACHER, {"headline": "Sneaky", **crafted})

    assert response.status_code == 422
    after = TeacherProfile.objects.get(user=people.teacher)
    assert (after.headline, after.is_approved, after.slug, after.user_id, after.pk) == (
        "",
        False,
        before.slug,
        people.teacher.pk,
        before.pk,
    )


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"subjects": ["alchemy"]}, 422, "subjects"),
        ({"teaches_in_person": True}, 422, "location"),
        ({"teaches_online": False, "teaches_in_person": False}, 422, "teaches_online"),
        ({"hourly_rate": "-1"}, 422, "hourly_rate"),
        ({"hourly_rate": "1.001"}, 422, "hourly_rate"),
        ({"currency": "BTC"}, 422, "currency"),
        ({"headline": "x" * 161}, 422, "headline"),
        ({"translations": {"fr": {"headline": "Salut"}}}, 422, "translations.fr"),
        ({"subjects": "mathematics"}, 422, "subjects"),
    ],
)
def test_invalid_teacher_payloads_answer_field_errors(client, people, payload, status, field):
    client.force_login(people.teacher)

    response = send(client, "patch", ME_TEACHER, payload)

    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail", "errors", "code", "error_codes"}
    assert any(key == field or key.startswith(field + ".") for key in body["errors"]), body


def test_a_teacher_profile_written_through_the_api_is_listed_after_approval(client, people):
    from classroom.services import teacher_profile_approve

    client.force_login(people.teacher)
    send(
        client,
        "put",
        ME_TEACHER,
        {"headline": "EN", "translations": {"es": {"headline": "ES"}}, "is_public": True},
    )
    assert client.get("/api/v1/teachers").json()["count"] == 0

    teacher_profile_approve(profile=people.teacher.teacher_profile, actor=people.admin)

    # The signed-in teacher's profile says English, which comes before Accept-Language.
    items = client.get("/api/v1/teachers", HTTP_ACCEPT_LANGUAGE="es").json()["items"]
    assert [i["headline"] for i in items] == ["EN"]
    client.logout()
    items = client.get("/api/v1/teachers", HTTP_ACCEPT_LANGUAGE="es").json()["items"]
    assert [i["headline"] for i in items] == ["ES"]


def test_the_teacher_profile_api_works_with_an_app_session_token(client, people):
    login = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": people.teacher.email, "password": PASSWORD},
        content_type="application/json",
    )
    token = login.json()["meta"]["session_token"]
    client.logout()

    response = client.patch(
        ME_TEACHER,
        {"headline": "Token"},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )

    assert response.status_code == 200
    assert TeacherProfile.objects.get(user=people.teacher).headline == "Token"


# --- /me/student-profile ---------------------------------------------------------------------------

ME_STUDENT = "/api/v1/me/student-profile"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("student_a", 200),
        ("student_b", 200),
        ("parent_of_a", 403),
        ("teacher", 403),
        ("other_teacher", 403),
        ("admin", 403),
    ],
)
def test_only_students_read_their_student_profile(client, people, role, status):
    response = get(client, people, role, ME_STUDENT)
    assert response.status_code == status
    if status == 200:
        assert response.json()["id"] == principal(people, role).pk


@pytest.mark.parametrize("role", ["anonymous", "parent_of_a", "teacher", "admin"])
def test_non_students_cannot_patch_a_student_profile(client, people, role):
    response = send(
        as_user(client, principal(people, role)), "patch", ME_STUDENT, {"learning_goals": "x"}
    )
    assert response.status_code in (401, 403)
    assert StudentProfile.objects.filter(learning_goals="x").count() == 0


def test_a_student_patches_their_profile(client, people):
    client.force_login(people.student_a)

    response = send(
        client,
        "patch",
        ME_STUDENT,
        {"date_of_birth": "2009-02-03", "level": "elementary", "learning_goals": "Read novels"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["date_of_birth"] == "2009-02-03"
    assert body["level"] == {"code": "elementary", "name": "Elementary"}
    assert body["learning_goals"] == "Read novels"
    assert StudentProfile.objects.get(user=people.student_a).level.code == "elementary"
    assert StudentProfile.objects.get(user=people.student_b).level is None


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        # two days ahead: tomorrow in UTC is already today east of it (the check uses the
        # student's own date)
        ({"date_of_birth": (date.today() + timedelta(days=2)).isoformat()}, 422),
        ({"date_of_birth": "1800-01-01"}, 422),
        ({"date_of_birth": "not a date"}, 422),
        ({"level": "wizard"}, 422),
        ({"learning_goals": "x" * 2001}, 422),
        ({"user": 1}, 422),
        ({"id": 99}, 422),
        ({"email": "new@example.com"}, 422),
    ],
)
def test_invalid_or_crafted_student_payloads_are_refused(client, people, payload, status):
    client.force_login(people.student_a)

    response = send(client, "patch", ME_STUDENT, payload)

    assert response.status_code == status
    assert set(response.json()) == {"detail", "errors", "code", "error_codes"}
    profile = StudentProfile.objects.get(user=people.student_a)
    assert (profile.date_of_birth, profile.level, profile.learning_goals) == (
        ADULT_BIRTHDAY,
        None,
        "",
    )


# --- /students -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("student_a", ["student.a@example.com"]),
        ("student_b", ["student.b@example.com"]),
        ("parent_of_a", ["student.a@example.com"]),
        ("teacher", []),
        ("other_teacher", []),
        ("admin", ["student.a@example.com", "student.b@example.com"]),
    ],
)
def test_each_role_lists_the_students_it_may_see(client, people, role, expected):
    response = get(client, people, role, "/api/v1/students")

    assert response.status_code == 200
    body = response.json()
    assert [s["email"] for s in body["items"]] == expected
    assert body["count"] == len(expected)


def test_anonymous_visitors_cannot_list_students(client):
    response = client.get("/api/v1/students")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors", "code", "error_codes"}


def test_the_student_list_is_paginated(client, people):
    client.force_login(people.admin)
    body = client.get("/api/v1/students?limit=1&offset=1").json()
    assert (body["count"], [s["email"] for s in body["items"]]) == (2, ["student.b@example.com"])
    assert client.get("/api/v1/students?limit=101").status_code == 422


# --- /students/{id} --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sees_a", "sees_b"),
    [
        ("anonymous", 401, 401),
        ("student_a", 200, 404),
        ("student_b", 404, 200),
        ("parent_of_a", 200, 404),
        ("teacher", 404, 404),
        ("other_teacher", 404, 404),
        ("admin", 200, 200),
    ],
)
def test_each_role_reads_only_the_students_it_may_see(client, people, role, sees_a, sees_b):
    a = get(client, people, role, f"/api/v1/students/{people.student_a.pk}")
    b = get(client, people, role, f"/api/v1/students/{people.student_b.pk}")
    missing = get(client, people, role, "/api/v1/students/999999")

    assert (a.status_code, b.status_code) == (sees_a, sees_b)
    if sees_a == 200:
        assert a.json()["email"] == "student.a@example.com"
    for forbidden in (r for r in (a, b) if r.status_code == 404):
        assert forbidden.json() == missing.json()  # forbidden answers exactly like missing


def test_a_student_id_that_is_not_a_student_is_not_found_even_for_admins(client, people):
    client.force_login(people.admin)
    assert client.get(f"/api/v1/students/{people.teacher.pk}").status_code == 404
    assert client.get("/api/v1/students/99999999999999999999").status_code in (404, 422)
