"""The lesson pages: the teacher runs a lesson through the page; students and parents read it."""

import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from classroom.models import Attendance, Lesson, LessonSeat
from tests.authentication.factories import StudentFactory
from tests.booking.factories import days_ahead
from tests.courses.factories import PDF_BYTES, EnrollmentFactory, MaterialFactory
from tests.query_budget import assert_constant_queries, html_rows
from tests.teaching.conftest import as_user
from tests.teaching.factories import group_course, session, started_lesson

pytestmark = pytest.mark.django_db


def wall_clock(instant, user) -> str:
    """What a person types in a datetime-local field for `instant`: their own zone's wall clock."""
    return instant.astimezone(zoneinfo.ZoneInfo(user.timezone)).strftime("%Y-%m-%dT%H:%M")


def page(lesson) -> str:
    return reverse("lesson-detail", kwargs={"lesson_id": lesson.pk})


def test_the_teacher_records_attendance_and_notes_and_the_student_and_parent_see_them(
    client, people
):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    as_user(client, people.teacher)
    response = client.get(page(lesson))
    assert response.status_code == 200
    html = response.content.decode()
    # One labelled group of radio buttons and one labelled note per student.
    assert f'<legend class="field__label">{people.student_a.name}' in html
    assert f"Note about {people.student_a.name}" in html
    response = client.post(
        page(lesson),
        {
            "action": "attendance",
            f"attendance-status_{people.student_a.pk}": "late",
            f"attendance-note_{people.student_a.pk}": "Ten minutes late",
        },
    )
    assert response.status_code == 302
    response = client.post(
        page(lesson),
        {
            "action": "details",
            "details-notes": "Quadratic equations, part 1.",
            "details-homework": "Exercises 4 to 9",
            "details-homework_due": "2030-01-15T18:00",
            "details-video_call_url": "https://meet.example/room",
            "details-title": "",
        },
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == "completed"
    assert lesson.notes == "Quadratic equations, part 1."
    assert Attendance.objects.get(lesson=lesson).status == "late"
    for viewer in (people.student_a, people.parent_of_a):
        as_user(client, viewer)
        html = client.get(page(lesson)).content.decode()
        assert "Quadratic equations, part 1." in html
        assert "Exercises 4 to 9" in html
        assert "Ten minutes late" in html
        assert "https://meet.example/room" in html
        assert 'name="action" value="attendance"' not in html  # read-only
    for outsider in (people.student_b, people.other_teacher):
        as_user(client, outsider)
        assert client.get(page(lesson)).status_code == 404
        response = client.post(page(lesson), {"action": "details", "details-notes": "Hacked"})
        assert response.status_code == 404
    lesson.refresh_from_db()
    assert lesson.notes == "Quadratic equations, part 1."


def test_bad_input_on_the_lesson_page_is_shown_beside_the_field(client, people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    as_user(client, people.teacher)
    response = client.post(
        page(lesson), {"action": "details", "details-video_call_url": "http://insecure.example"}
    )
    assert response.status_code == 200
    assert "Enter a full https:// address." in response.content.decode()
    response = client.post(page(lesson), {"action": "attendance"})
    assert "Mark at least one student." in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_student_who_is_not_the_teacher_cannot_write_through_the_page(client, people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    as_user(client, people.student_a)
    response = client.post(page(lesson), {"action": "details", "details-notes": "Mine"})
    assert response.status_code == 404
    lesson.refresh_from_db()
    assert lesson.notes == ""


def test_a_teacher_schedules_a_group_session_from_the_course_and_a_student_joins_and_leaves(
    client, people
):
    course = group_course(teacher=people.teacher, capacity=4)
    EnrollmentFactory(course=course, student=people.student_a)
    as_user(client, people.teacher)
    teach_page = client.get(reverse("teach-course", kwargs={"course_id": course.pk}))
    new_url = reverse("session-create", kwargs={"course_id": course.pk})
    assert new_url in teach_page.content.decode()
    assert '<label class="field__label" for="id_start">' in client.get(new_url).content.decode()
    response = client.post(
        new_url,
        {"start": wall_clock(days_ahead(5, hour=18), people.teacher), "length": 60, "title": "W1"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    lesson = Lesson.objects.get(course=course)
    assert lesson.kind == "group" and lesson.capacity == 4
    assert lesson.start == days_ahead(5, hour=18)
    assert list(lesson.seats.values_list("student_id", flat=True)) == [people.student_a.pk]
    # The sessions list links the session.
    sessions = client.get(reverse("course-sessions", kwargs={"course_id": course.pk}))
    assert page(lesson) in sessions.content.decode()
    as_user(client, people.student_a)
    html = client.get(page(lesson)).content.decode()
    assert "You have a seat." in html
    # Giving up the seat asks first, on its own page linked from the lesson, and says what follows.
    release = reverse(
        "lesson-seat-release", kwargs={"lesson_id": lesson.pk, "student_id": people.student_a.pk}
    )
    assert f'href="{release}"' in html
    asked = client.get(release).content.decode()
    assert "Give up your seat in the session of" in asked
    assert "someone else may take it" in asked
    assert LessonSeat.objects.filter(lesson=lesson, cancelled_at=None).exists()
    response = client.post(release, follow=True)
    assert response.redirect_chain[-1][0] == page(lesson)
    assert "is given up; it is free for someone else." in response.content.decode()
    assert not LessonSeat.objects.filter(lesson=lesson, cancelled_at=None).exists()
    assert "Take a seat" in client.get(page(lesson)).content.decode()
    assert client.post(page(lesson), {"action": "take"}).status_code == 302
    assert LessonSeat.objects.filter(lesson=lesson, cancelled_at=None).count() == 1
    # The parent sees the child's seat and may give it up.
    as_user(client, people.parent_of_a)
    html = client.get(page(lesson)).content.decode()
    assert f"{people.student_a.name} has a seat." in html
    assert f'href="{release}"' in html
    assert f"Give up {people.student_a.name}&#x27;s seat" in client.get(release).content.decode()
    assert client.post(release).status_code == 302
    assert not LessonSeat.objects.filter(lesson=lesson, cancelled_at=None).exists()
    as_user(client, people.student_b)
    assert client.get(page(lesson)).status_code == 404
    assert (
        client.get(reverse("course-sessions", kwargs={"course_id": course.pk})).status_code == 404
    )


def test_a_clashing_session_shows_the_error_on_the_form(client, people):
    course = group_course(teacher=people.teacher)
    session(course=course, day=5, hour=18)
    as_user(client, people.teacher)
    response = client.post(
        reverse("session-create", kwargs={"course_id": course.pk}),
        {"start": wall_clock(days_ahead(5, hour=18), people.teacher), "length": 30},
    )
    assert response.status_code == 200
    assert "The teacher already has a lesson at that time." in response.content.decode()
    assert Lesson.objects.count() == 1
    as_user(client, people.other_teacher)
    response = client.get(reverse("session-create", kwargs={"course_id": course.pk}))
    assert response.status_code == 404


def test_the_teacher_shares_and_uploads_materials_and_the_student_downloads_them(client, people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    lesson = session(course=course)
    existing = MaterialFactory(course=course, title="Glossary")
    as_user(client, people.teacher)
    assert (
        client.post(page(lesson), {"action": "attach", "attach-material": existing.pk}).status_code
        == 302
    )
    response = client.post(
        page(lesson),
        {
            "action": "upload",
            "material-title": "Slides",
            "material-kind": "file",
            "material-file": SimpleUploadedFile("slides.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(lesson.materials.values_list("title", flat=True)) == ["Glossary", "Slides"]
    as_user(client, people.student_a)
    html = client.get(page(lesson)).content.decode()
    slides = lesson.materials.get(title="Slides")
    download = reverse("material-download", kwargs={"material_id": slides.pk})
    assert download in html
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    as_user(client, people.student_b)
    assert client.get(download).status_code == 404
    # Stopping sharing asks first and says the course keeps the material.
    as_user(client, people.teacher)
    stop = reverse(
        "lesson-material-detach", kwargs={"lesson_id": lesson.pk, "material_id": slides.pk}
    )
    assert f'href="{stop}"' in client.get(page(lesson)).content.decode()
    asked = client.get(stop).content.decode()
    assert "Stop sharing “Slides” in this lesson?" in asked
    assert "It stays among the materials of" in asked
    assert lesson.materials.filter(pk=slides.pk).exists()
    response = client.post(stop, follow=True)
    assert "“Slides” is no longer shared in this lesson" in response.content.decode()
    assert sorted(lesson.materials.values_list("title", flat=True)) == ["Glossary"]
    as_user(client, people.student_a)
    assert client.get(stop).status_code == 404  # a student reads the lesson but does not run it


def test_each_lesson_in_my_lessons_links_to_its_page(client, people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    lesson = session(course=course)
    as_user(client, people.student_a)
    html = client.get(reverse("lesson-list")).content.decode()
    assert page(lesson) in html


def test_the_lesson_page_runs_a_constant_number_of_queries_for_2_and_30_seats(client, people):
    course = group_course(teacher=people.teacher, capacity=40)
    lesson = started_lesson(teacher=people.teacher, course=course)
    lesson.materials.add(MaterialFactory(course=course))

    def seat(n):
        for _ in range(n):
            student = StudentFactory()
            EnrollmentFactory(course=course, student=student)
            LessonSeat.objects.create(lesson=lesson, student=student)
            Attendance.objects.create(lesson=lesson, student=student, status="present")

    seat(2)
    as_user(client, people.teacher)
    assert_constant_queries(
        lambda: client.get(page(lesson)),
        grow=lambda: seat(28),
        budget=16,
        rows=html_rows("Note about"),  # one attendance row per seated student
    )
    html = client.get(page(lesson)).content.decode()
    assert html.count('name="action" value="attendance"') == 1
    assert html.count("Note about") == 30


def test_my_lessons_offers_cancelling_a_group_session_to_its_teacher_only(client, people):
    course = group_course(teacher=people.teacher, students=[people.student_a])
    group = session(course=course, title="Algebra, week 1")
    cancel_url = reverse("lesson-cancel", kwargs={"lesson_id": group.pk})

    student_page = as_user(client, people.student_a).get(reverse("lesson-list"))
    assert "Algebra, week 1" in student_page.content.decode()
    assert cancel_url not in student_page.content.decode()

    teacher_page = as_user(client, people.teacher).get(reverse("lesson-list"))
    assert cancel_url in teacher_page.content.decode()


def test_cancelling_a_group_session_says_what_happens_to_its_students_not_the_1_to_1_wording(
    client, people
):
    course = group_course(
        teacher=people.teacher, students=[people.student_a, people.student_b], title="Algebra"
    )
    lesson = session(course=course)
    assert lesson.seats.filter(cancelled_at=None).count() == 2
    cancel = reverse("lesson-cancel", kwargs={"lesson_id": lesson.pk})
    as_user(client, people.teacher)
    html = client.get(cancel).content.decode()
    assert "Cancel this group session?" in html
    assert "The session is cancelled for the 2 students who hold a seat" in html
    assert "their enrolment in Algebra and their seats in its other sessions are not changed" in (
        html
    )
    assert "free for the student" not in html
    # A seat holder cannot cancel the session for everyone: the page sends them to their seat.
    as_user(client, people.student_a)
    html = client.get(cancel).content.decode()
    assert "give up your seat on its page" in html
    assert f'href="{page(lesson)}"' in html
    as_user(client, people.teacher)
    response = client.post(cancel, follow=True)
    assert "its students see it as cancelled, and no one is charged." in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == "cancelled"
