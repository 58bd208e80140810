from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.choices import CourseStatus, EnrollmentStatus
from courses.models import Course, Enrollment
from tests.authentication.factories import PASSWORD
from tests.conftest import login_token
from tests.courses.factories import CourseFactory, EnrollmentFactory, MaterialFactory
from tests.query_budget import assert_constant_queries, json_rows

pytestmark = pytest.mark.django_db


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def test_catalog_lists_only_published_courses(client):
    CourseFactory(title="Live")
    CourseFactory(title="Draft", status=CourseStatus.DRAFT)
    CourseFactory(title="Old", status=CourseStatus.ARCHIVED)
    assert titles(client.get("/api/v1/courses")) == ["Live"]


def test_catalog_filters_by_subject_level_language_format_price_and_teacher(client, people):
    CourseFactory(title="Maths", price=0)
    CourseFactory(
        title="Paid", price=Decimal("80"), owner=people.teacher, format="self_paced", capacity=None
    )
    assert titles(client.get("/api/v1/courses", {"subject": "mathematics"})) == ["Maths", "Paid"]
    assert titles(client.get("/api/v1/courses", {"subject": "physics"})) == []
    assert titles(client.get("/api/v1/courses", {"format": "self_paced"})) == ["Paid"]
    assert titles(client.get("/api/v1/courses", {"free": "true"})) == ["Maths"]
    assert titles(client.get("/api/v1/courses", {"min_price": 50})) == ["Paid"]
    assert titles(
        client.get("/api/v1/courses", {"teacher_id": people.teacher.teacher_profile.pk})
    ) == ["Paid"]
    assert titles(client.get("/api/v1/courses", {"level": "beginner", "language": "en"})) == [
        "Maths",
        "Paid",
    ]


def test_catalog_searches_sorts_and_finds_courses_starting_soon(client):
    today = timezone.localdate()
    CourseFactory(title="Zeta algebra", price=5, starts_on=today + timedelta(days=3))
    CourseFactory(title="Alpha geometry", price=9, starts_on=today + timedelta(days=90))
    assert titles(client.get("/api/v1/courses", {"q": "algebra"})) == ["Zeta algebra"]
    assert titles(client.get("/api/v1/courses", {"sort": "-price"})) == [
        "Alpha geometry",
        "Zeta algebra",
    ]
    assert titles(client.get("/api/v1/courses", {"sort": "title"}))[0] == "Alpha geometry"
    assert titles(client.get("/api/v1/courses", {"starting_soon": "true"})) == ["Zeta algebra"]


def test_catalog_shows_seats_left(client):
    course = CourseFactory(capacity=3)
    EnrollmentFactory(course=course)
    EnrollmentFactory(course=course, status=EnrollmentStatus.WITHDRAWN)
    item = client.get(f"/api/v1/courses/{course.pk}").json()
    assert (item["seats_taken"], item["seats_left"]) == (1, 2)


def test_catalog_makes_the_same_number_of_queries_for_20_and_200_courses(client):
    def add(n):
        for _ in range(n):
            course = CourseFactory()
            EnrollmentFactory(course=course)

    add(20)
    assert_constant_queries(
        lambda: client.get("/api/v1/courses", {"limit": 100}),
        grow=lambda: add(180),
        budget=6,
        rows=json_rows,
    )


def test_draft_course_is_not_found_in_the_public_detail(client):
    course = CourseFactory(status=CourseStatus.DRAFT)
    assert client.get(f"/api/v1/courses/{course.pk}").status_code == 404


def test_teacher_creates_and_edits_their_own_course_but_not_anothers(client, people):
    headers = auth(client, people.teacher)
    response = client.post(
        "/api/v1/courses",
        {"title": "Piano", "format": "one_to_one", "subject": "mathematics", "price": "25.00"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["owner"]["teacher_id"], body["is_free"]) == (
        "draft",
        people.teacher.teacher_profile.pk,
        False,
    )
    # A draft answers its teacher, whose answer named it.
    assert client.get(f"/api/v1/courses/{body['id']}", **headers).status_code == 200
    response = client.patch(
        f"/api/v1/courses/{body['id']}",
        {"status": "published"},
        content_type="application/json",
        **headers,
    )
    assert response.json()["status"] == "published"
    other = CourseFactory(owner=people.other_teacher)
    response = client.patch(
        f"/api/v1/courses/{other.pk}",
        {"title": "Hijacked"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    assert Course.objects.get(pk=other.pk).title != "Hijacked"


def test_group_course_without_capacity_is_a_422_on_the_field(client, people):
    response = client.post(
        "/api/v1/courses",
        {"title": "Choir", "format": "group", "subject": "mathematics"},
        content_type="application/json",
        **auth(client, people.teacher),
    )
    assert response.status_code == 422
    assert "capacity" in response.json()["errors"]


def test_student_enrols_through_the_api_and_a_full_course_answers_409_or_waitlists(client, people):
    course = CourseFactory(capacity=1)
    response = client.post(
        "/api/v1/enrollments",
        {"course_id": course.pk},
        content_type="application/json",
        **auth(client, people.student_a),
    )
    assert (response.status_code, response.json()["status"]) == (201, "active")
    headers_b = auth(client, people.student_b)
    response = client.post(
        "/api/v1/enrollments",
        {"course_id": course.pk},
        content_type="application/json",
        **headers_b,
    )
    assert response.status_code == 409
    response = client.post(
        "/api/v1/enrollments",
        {"course_id": course.pk, "waitlist": True},
        content_type="application/json",
        **headers_b,
    )
    assert response.json()["status"] == "waitlisted"


def test_parent_enrols_a_child_and_sees_the_childs_enrolments(client, people):
    course = CourseFactory(price=10)
    headers = auth(client, people.parent_of_a)
    response = client.post(
        "/api/v1/enrollments",
        {"course_id": course.pk, "student_id": people.student_a.pk},
        content_type="application/json",
        **headers,
    )
    assert (response.status_code, response.json()["status"]) == (201, "pending")
    response = client.post(
        "/api/v1/enrollments",
        {"course_id": course.pk, "student_id": people.student_b.pk},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    listed = client.get("/api/v1/enrollments", **headers).json()["items"]
    assert [e["student"]["student_id"] for e in listed] == [people.student_a.pk]


def test_teacher_sees_enrolments_of_their_courses_only(client, people):
    mine = EnrollmentFactory(course=CourseFactory(owner=people.teacher))
    EnrollmentFactory(course=CourseFactory(owner=people.other_teacher))
    listed = client.get("/api/v1/enrollments", **auth(client, people.teacher)).json()["items"]
    assert [e["id"] for e in listed] == [mine.pk]


def test_withdraw_through_the_api_promotes_the_waitlist(client, people):
    course = CourseFactory(capacity=1)
    seated = EnrollmentFactory(course=course, student=people.student_a)
    waiting = EnrollmentFactory(course=course, student=people.student_b, status="waitlisted")
    response = client.post(
        f"/api/v1/enrollments/{seated.pk}/withdraw", **auth(client, people.student_a)
    )
    assert response.json()["status"] == "withdrawn"
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.ACTIVE


def test_admin_activates_a_pending_enrolment(client, people):
    pending = EnrollmentFactory(course=CourseFactory(price=10), status="pending")
    response = client.post(
        f"/api/v1/enrollments/{pending.pk}/activate", **auth(client, people.admin)
    )
    assert response.json()["status"] == "active"
    assert Enrollment.objects.get(pk=pending.pk).activated_at is not None


def test_materials_list_hides_unreleased_materials_from_students_not_teachers(client, people):
    course = CourseFactory(owner=people.teacher)
    EnrollmentFactory(course=course, student=people.student_a)
    MaterialFactory(course=course, title="Now")
    MaterialFactory(course=course, title="Later", release_at=timezone.now() + timedelta(days=2))
    assert titles(client.get("/api/v1/materials", **auth(client, people.student_a))) == ["Now"]
    assert titles(client.get("/api/v1/materials", **auth(client, people.teacher))) == [
        "Now",
        "Later",
    ]
    assert titles(client.get("/api/v1/materials", **auth(client, people.student_b))) == []


def test_material_download_is_an_attachment_for_the_enrolled_and_404_for_others(client, people):
    course = CourseFactory(owner=people.teacher)
    EnrollmentFactory(course=course, student=people.student_a)
    material = MaterialFactory(course=course)
    url = f"/api/v1/materials/{material.pk}/download"
    response = client.get(url, **auth(client, people.student_a))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client.get(url, **auth(client, people.student_b)).status_code == 404
    assert client.get(url, **auth(client, people.other_teacher)).status_code == 404


def test_teacher_adds_a_module_and_a_file_material_through_the_api(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.courses.factories import PDF_BYTES

    course = CourseFactory(owner=people.teacher)
    headers = auth(client, people.teacher)
    response = client.post(
        f"/api/v1/courses/{course.pk}/modules",
        {"title": "Week 1"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    module_id = response.json()["id"]
    response = client.post(
        f"/api/v1/courses/{course.pk}/materials",
        {
            "title": "Slides",
            "kind": "file",
            "module_id": module_id,
            "file": SimpleUploadedFile("slides.pdf", PDF_BYTES),
        },
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["module_id"], body["file_name"]) == (module_id, "slides.pdf")
    assert body["download_url"] == f"http://testserver/api/v1/materials/{body['id']}/download"


def test_new_module_and_material_are_at_their_location_and_learners_read_them_once_released(
    client, people
):
    course = CourseFactory(owner=people.teacher)
    EnrollmentFactory(course=course, student=people.student_a)
    teacher = auth(client, people.teacher)
    created = client.post(
        f"/api/v1/courses/{course.pk}/modules",
        {"title": "Week 2"},
        content_type="application/json",
        **teacher,
    )
    module_url = f"http://testserver/api/v1/modules/{created.json()['id']}"
    assert created["Location"] == module_url
    assert client.get(module_url, **teacher).json() == created.json()
    later = (timezone.now() + timedelta(days=2)).isoformat()
    created = client.post(
        f"/api/v1/courses/{course.pk}/materials",
        {
            "title": "Reading",
            "kind": "link",
            "url": "https://example.com/r",
            "module_id": created.json()["id"],
            "release_at": later,
        },
        **teacher,
    )
    material_url = created["Location"]
    assert material_url == f"http://testserver/api/v1/materials/{created.json()['id']}"
    assert client.get(material_url, **teacher).json() == created.json()
    # As in GET /materials: learners see a material once it is released; others never.
    student = auth(client, people.student_a)
    assert client.get(material_url, **student).status_code == 404
    course.materials.update(release_at=None)
    assert client.get(material_url, **student).json()["title"] == "Reading"
    assert client.get(material_url, **auth(client, people.parent_of_a)).status_code == 200
    assert client.get(material_url, **auth(client, people.student_b)).status_code == 404
    # The syllabus of a published course is public, as on its page.
    assert client.get(module_url).json()["title"] == "Week 2"


def test_a_module_of_a_draft_course_is_read_by_its_teachers_and_learners_only(client, people):
    course = CourseFactory(owner=people.teacher, status=CourseStatus.DRAFT)
    module = course.modules.create(title="Draft week")
    url = f"/api/v1/modules/{module.pk}"
    assert client.get(url).status_code == 404
    assert client.get(url, **auth(client, people.student_a)).status_code == 404
    assert client.get(url, **auth(client, people.other_teacher)).status_code == 404
    assert client.get(url, **auth(client, people.teacher)).json()["course_id"] == course.pk
    assert client.get(url, **auth(client, people.admin)).status_code == 200
    EnrollmentFactory(course=course, student=people.student_a)
    assert client.get(url, **auth(client, people.student_a)).status_code == 200
    assert client.get(url, **auth(client, people.parent_of_a)).status_code == 200


def test_material_upload_with_content_not_matching_its_extension_is_a_422(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    course = CourseFactory(owner=people.teacher)
    response = client.post(
        f"/api/v1/courses/{course.pk}/materials",
        {"title": "Fake", "kind": "file", "file": SimpleUploadedFile("x.pdf", b"<html>")},
        **auth(client, people.teacher),
    )
    assert response.status_code == 422
    assert "file" in response.json()["errors"]


def test_link_material_and_its_deletion_by_the_teacher_only(client, people):
    course = CourseFactory(owner=people.teacher)
    EnrollmentFactory(course=course, student=people.student_a)
    response = client.post(
        f"/api/v1/courses/{course.pk}/materials",
        {"title": "Reading", "kind": "link", "url": "https://example.com/reading"},
        **auth(client, people.teacher),
    )
    material_id = response.json()["id"]
    url = f"/api/v1/materials/{material_id}"
    assert client.delete(url, **auth(client, people.student_a)).status_code == 403
    assert client.delete(url, **auth(client, people.teacher)).status_code == 204
    assert not course.materials.exists()


def test_filtering_by_teacher_counts_seats_once_for_a_course_with_several_teachers(client, people):
    course = CourseFactory(owner=people.teacher, teachers=[people.other_teacher], capacity=5)
    EnrollmentFactory(course=course)
    for teacher in (people.teacher, people.other_teacher):
        teacher_id = teacher.teacher_profile.pk
        items = client.get("/api/v1/courses", {"teacher_id": teacher_id}).json()["items"]
        assert [(i["id"], i["seats_taken"]) for i in items] == [(course.pk, 1)]


def test_a_teacher_writes_the_summary_and_a_module_in_spanish_and_readers_get_their_language(
    client, people
):
    headers = auth(client, people.teacher)
    response = client.post(
        "/api/v1/courses",
        {
            "title": "Algebra",
            "summary": "Step by step.",
            "translations": {"es": {"summary": "Paso a paso."}},
            "format": "group",
            "capacity": 5,
            "subject": "mathematics",
            "status": "published",
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    course_id = response.json()["id"]
    assert Course.objects.get(pk=course_id).translations == {"es": {"summary": "Paso a paso."}}
    response = client.post(
        f"/api/v1/courses/{course_id}/modules",
        {"title": "Fractions", "translations": {"es": {"title": "Fracciones"}}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    module_id = response.json()["id"]

    spanish = client.get(f"/api/v1/courses/{course_id}", HTTP_ACCEPT_LANGUAGE="es").json()
    assert (spanish["summary"], spanish["summary_language"]) == ("Paso a paso.", "es")
    english = client.get(f"/api/v1/courses/{course_id}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (english["summary"], english["summary_language"]) == ("Step by step.", "en")
    people.teacher.language = "es"  # a signed-in caller reads in their own language
    people.teacher.save(update_fields=["language"])
    module = client.get(f"/api/v1/modules/{module_id}", **headers)
    assert module.json()["title"] == "Fracciones"
    assert module.json()["text_languages"] == {"title": "es"}

    refused = client.patch(
        f"/api/v1/courses/{course_id}",
        {"translations": {"fr": {"summary": "Pas à pas."}}},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 422
