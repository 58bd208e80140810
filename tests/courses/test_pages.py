from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses.choices import CourseStatus, EnrollmentStatus
from courses.models import Course, Enrollment, Material
from tests.classroom.conftest import as_user
from tests.classroom.test_pages import assert_accessible_structure
from tests.courses.factories import PDF_BYTES, CourseFactory, EnrollmentFactory, MaterialFactory
from tests.courses.page_helpers import catalog, live_course, translate_page

pytestmark = pytest.mark.django_db


def test_catalog_lists_published_courses_and_filters_them(client):
    live_course(title="Algebra", price=0)
    live_course(title="Calculus", price=30)
    live_course(title="Secret draft", status=CourseStatus.DRAFT)
    response = client.get("/courses/")
    assert response.status_code == 200
    assert b"Algebra" in response.content and b"Calculus" in response.content
    assert b"Secret draft" not in response.content
    assert_accessible_structure(response)
    response = client.get("/courses/", {"price": "free"})
    assert b"Algebra" in response.content and b"Calculus" not in response.content
    assert client.get("/courses/", {"level": "no-such-level"}).status_code == 200


def test_catalog_answers_in_spanish_under_es_with_our_spanish_strings(client):
    live_course(title="Álgebra")
    translate_page(catalog(), title="Cursos")
    response = client.get("/es/courses/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="es"' in html and "Álgebra" in html
    assert "<h1>Cursos</h1>" in html and "1 curso encontrado" in html
    assert "Show courses" not in html


def test_course_page_offers_enrolment_to_a_student_and_enrols(client, people):
    course = live_course()
    as_user(client, people.student_a)
    response = client.get(f"/courses/{course.slug}/")
    assert b"Enrol for free" in response.content
    assert_accessible_structure(response)
    response = client.post(f"/courses/{course.slug}/enrol/", follow=True)
    assert b"You are enrolled" in response.content
    assert Enrollment.objects.get(course=course, student=people.student_a).status == "active"


def test_full_course_page_offers_the_waitlist(client, people):
    course = live_course(capacity=1)
    EnrollmentFactory(course=course)
    as_user(client, people.student_a)
    assert b"Join the waitlist" in client.get(f"/courses/{course.slug}/").content
    client.post(f"/courses/{course.slug}/enrol/", {"waitlist": "1"})
    assert Enrollment.objects.get(student=people.student_a).status == EnrollmentStatus.WAITLISTED


def test_parent_enrols_a_child_from_the_course_page(client, people):
    course = live_course()
    as_user(client, people.parent_of_a)
    assert b"Enrol Ada" in client.get(f"/courses/{course.slug}/").content
    client.post(f"/courses/{course.slug}/enrol/", {"student_id": people.student_a.pk})
    assert Enrollment.objects.get(course=course).student == people.student_a
    response = client.post(f"/courses/{course.slug}/enrol/", {"student_id": people.student_b.pk})
    assert response.status_code == 404


def test_draft_course_page_is_404_except_for_its_teacher(client, people):
    course = live_course(status=CourseStatus.DRAFT, owner=people.teacher)
    assert client.get(f"/courses/{course.slug}/").status_code == 404
    assert as_user(client, people.other_teacher).get(f"/courses/{course.slug}/").status_code == 404
    assert as_user(client, people.teacher).get(f"/courses/{course.slug}/").status_code == 200


def test_student_sees_and_withdraws_their_enrolments_on_my_courses(client, people):
    enrollment = EnrollmentFactory(student=people.student_a, course=CourseFactory(title="Algebra"))
    MaterialFactory(course=enrollment.course, title="Week 1 notes")
    MaterialFactory(
        course=enrollment.course, title="Exam", release_at=timezone.now() + timedelta(days=3)
    )
    as_user(client, people.student_a)
    response = client.get("/courses/mine/")
    assert b"Algebra" in response.content and b"Week 1 notes" in response.content
    assert b"Exam" not in response.content
    assert_accessible_structure(response)
    client.post(f"/courses/enrollments/{enrollment.pk}/withdraw/")
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.WITHDRAWN


def test_another_student_cannot_withdraw_someone_elses_enrolment(client, people):
    enrollment = EnrollmentFactory(student=people.student_a)
    response = as_user(client, people.student_b).post(
        f"/courses/enrollments/{enrollment.pk}/withdraw/"
    )
    assert response.status_code == 404


def test_teacher_creates_a_course_through_the_teacher_area(client, people):
    as_user(client, people.teacher)
    response = client.get("/courses/teach/new/")
    assert_accessible_structure(response)
    response = client.post(
        "/courses/teach/new/",
        {
            "title": "Statistics",
            "format": "group",
            "subject": "mathematics",
            "price": "0",
            "currency": "EUR",
            "capacity": "",
            "status": "published",
        },
    )
    assert response.status_code == 200  # a group course needs seats: shown on the form
    assert b"A group course needs a number of seats" in response.content
    response = client.post(
        "/courses/teach/new/",
        {
            "title": "Statistics",
            "format": "group",
            "subject": "mathematics",
            "price": "0",
            "currency": "EUR",
            "capacity": "5",
            "status": "published",
        },
    )
    course = Course.objects.get(title="Statistics")
    assert response.status_code == 302 and course.owner == people.teacher
    assert b"Statistics" in client.get("/courses/teach/").content
    # Saved as published: its page went live with it (no moderation workflow on the catalog).
    assert course.status == CourseStatus.PUBLISHED and course.pages.get().live
    assert client.get(f"/courses/{course.slug}/").status_code == 200


def test_teacher_cannot_open_or_edit_another_teachers_course(client, people):
    course = CourseFactory(owner=people.other_teacher)
    as_user(client, people.teacher)
    assert client.get(f"/courses/teach/{course.pk}/").status_code == 404
    response = client.post(f"/courses/teach/{course.pk}/edit/", {"title": "Mine"})
    assert response.status_code == 404
    assert as_user(client, people.student_a).get("/courses/teach/").status_code == 403


def test_teacher_adds_a_module_and_uploads_a_material_file(client, people):
    course = CourseFactory(owner=people.teacher)
    as_user(client, people.teacher)
    client.post(f"/courses/teach/{course.pk}/", {"add": "module", "title": "Week 1"})
    module = course.modules.get()
    response = client.post(
        f"/courses/teach/{course.pk}/",
        {
            "add": "material",
            "material-title": "Slides",
            "material-kind": "file",
            "material-module": module.pk,
            "material-file": SimpleUploadedFile("slides.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get(title="Slides")
    assert material.module == module and material.original_name == "slides.pdf"
    page = client.get(f"/courses/teach/{course.pk}/")
    assert b"Slides" in page.content
    assert_accessible_structure(page)


def test_upload_whose_content_does_not_match_its_extension_is_refused(client, people):
    course = CourseFactory(owner=people.teacher)
    as_user(client, people.teacher)
    response = client.post(
        f"/courses/teach/{course.pk}/",
        {
            "add": "material",
            "material-title": "Fake",
            "material-kind": "file",
            "material-file": SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 200
    assert b"is not a .pdf file" in response.content
    assert not Material.objects.exists()


def test_upload_of_a_forbidden_type_and_an_oversized_file_are_refused(client, people, settings):
    course = CourseFactory(owner=people.teacher)
    as_user(client, people.teacher)
    data = {"add": "material", "material-title": "X", "material-kind": "file"}
    response = client.post(
        f"/courses/teach/{course.pk}/",
        {**data, "material-file": SimpleUploadedFile("run.exe", b"MZ\x90\x00")},
    )
    assert b"Upload a file of one of these types" in response.content
    settings.COURSE_MATERIAL_MAX_BYTES = 10
    response = client.post(
        f"/courses/teach/{course.pk}/",
        {**data, "material-file": SimpleUploadedFile("big.pdf", PDF_BYTES)},
    )
    assert b"The file is larger than" in response.content
    assert not Material.objects.exists()


def test_material_file_is_stored_outside_public_media_and_downloaded_only_by_the_enrolled(
    client, people, settings
):
    course = CourseFactory(owner=people.teacher)
    EnrollmentFactory(course=course, student=people.student_a)
    material = MaterialFactory(course=course)
    path = material.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    url = f"/courses/materials/{material.pk}/download/"
    for user in (people.student_a, people.parent_of_a, people.teacher, people.admin):
        response = as_user(client, user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Disposition"].startswith('attachment; filename="notes.pdf"')
        assert response["X-Content-Type-Options"] == "nosniff"
    for user in (people.student_b, people.other_teacher):
        assert as_user(client, user).get(url).status_code == 404


def test_unreleased_material_is_404_for_an_enrolled_student(client, people):
    course = CourseFactory()
    EnrollmentFactory(course=course, student=people.student_a)
    material = MaterialFactory(course=course, release_at=timezone.now() + timedelta(hours=1))
    response = as_user(client, people.student_a).get(f"/courses/materials/{material.pk}/download/")
    assert response.status_code == 404


def test_pending_enrolment_does_not_open_the_materials(client, people):
    course = CourseFactory(price=20)
    EnrollmentFactory(course=course, student=people.student_a, status="pending")
    material = MaterialFactory(course=course)
    response = as_user(client, people.student_a).get(f"/courses/materials/{material.pk}/download/")
    assert response.status_code == 404


def test_catalog_page_and_teacher_list_make_the_same_number_of_queries_for_more_courses(
    client, people
):
    from tests.query_budget import assert_constant_queries, html_rows

    def add(n):
        for _ in range(n):
            EnrollmentFactory(course=live_course(owner=people.teacher))

    # Publishing pages drops the cached header and footer: the growth ends with a warm-up request.
    add(3)
    assert_constant_queries(
        lambda: client.get("/courses/"),
        grow=lambda: (add(20), client.get("/courses/")),
        rows=html_rows('<li class="card course-card"'),
    )
    as_user(client, people.teacher)
    assert_constant_queries(
        lambda: client.get("/courses/teach/"),
        grow=lambda: (add(20), client.get("/courses/teach/")),
        rows=html_rows("<tr>"),
    )
