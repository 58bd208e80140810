import pytest

from authentication.services import guardian_accept, guardian_invite
from courses.models import ModuleCompletion, ProgressNote
from tests.authentication.factories import ParentFactory, StudentFactory
from tests.classroom.conftest import as_user
from tests.classroom.test_pages import assert_accessible_structure
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.query_budget import assert_constant_queries, html_rows

from . import scenario
from .factories import LessonFactory, ProgressNoteFactory, profile_of
from .test_api import _enrol, _lessons

pytestmark = pytest.mark.django_db


def test_a_student_sees_progress_and_marks_a_module_done_on_the_page(client, people):
    s = scenario.build(people)
    as_user(client, people.student_a)
    response = client.get("/progress/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Algebra" in html and "Sessions: 2 of 5 attended" in html
    assert "Modules: 0 of 3 done" in html
    assert_accessible_structure(response)
    page = client.get(f"/progress/enrollments/{s.enrollment.pk}/")
    assert page.status_code == 200 and b"Mark done" in page.content
    assert b"New progress note" not in page.content  # students do not write notes
    assert_accessible_structure(page)
    response = client.post(
        f"/progress/enrollments/{s.enrollment.pk}/modules/{s.modules[0].pk}/",
        {"done": "1"},
        follow=True,
    )
    assert "“Unit 0” is marked done." in response.content.decode()
    assert "Modules: 1 of 3 done" in response.content.decode()
    assert ModuleCompletion.objects.get().marked_by == people.student_a
    client.post(
        f"/progress/enrollments/{s.enrollment.pk}/modules/{s.modules[0].pk}/", {"done": "0"}
    )
    assert not ModuleCompletion.objects.exists()


def test_an_unreleased_module_cannot_be_marked_from_the_page(client, people):
    s = scenario.build(people)
    as_user(client, people.student_a)
    response = client.post(
        f"/progress/enrollments/{s.enrollment.pk}/modules/{s.unreleased.pk}/", follow=True
    )
    assert b"not released yet" in response.content
    assert b"Unit later" not in client.get(f"/progress/enrollments/{s.enrollment.pk}/").content
    assert not ModuleCompletion.objects.exists()


def test_a_teacher_adds_a_note_and_the_parent_sees_it(client, people):
    s = scenario.build(people)
    as_user(client, people.teacher)
    page = client.get(f"/progress/enrollments/{s.enrollment.pk}/")
    assert b"New progress note" in page.content
    assert_accessible_structure(page)
    response = client.post(
        f"/progress/enrollments/{s.enrollment.pk}/notes/",
        {"body": "Ada now adds fractions with ease."},
        follow=True,
    )
    assert b"Your note is saved." in response.content
    as_user(client, people.parent_of_a)
    response = client.get("/progress/")
    html = response.content.decode()
    assert "Ada now adds fractions with ease." in html
    assert people.student_a.name in html
    assert_accessible_structure(response)
    detail = client.get(f"/progress/enrollments/{s.enrollment.pk}/")
    assert b"Ada now adds fractions with ease." in detail.content
    assert b"Delete note" not in detail.content


def test_a_blank_note_shows_the_form_again_with_the_message(client, people):
    s = scenario.build(people)
    as_user(client, people.teacher)
    response = client.post(f"/progress/enrollments/{s.enrollment.pk}/notes/", {"body": "  "})
    assert response.status_code == 400
    assert b"This field is required." in response.content or b"Write the note." in response.content
    response = client.post(f"/progress/enrollments/{s.enrollment.pk}/notes/", {"body": "x" * 5001})
    assert response.status_code == 400 and b"at most 5000 characters" in response.content
    assert not ProgressNote.objects.exists()


def test_students_and_parents_cannot_add_notes_from_the_page(client, people):
    s = scenario.build(people)
    for user in (people.student_a, people.parent_of_a):
        as_user(client, user)
        response = client.post(
            f"/progress/enrollments/{s.enrollment.pk}/notes/", {"body": "Sneaky"}
        )
        assert response.status_code == 404
    assert not ProgressNote.objects.exists()


def test_the_author_deletes_a_note_from_the_page(client, people):
    s = scenario.build(people)
    note = ProgressNoteFactory(enrollment=s.enrollment, author=people.teacher)
    as_user(client, people.student_a)
    client.post(f"/progress/notes/{note.pk}/delete/")
    assert ProgressNote.objects.filter(pk=note.pk).exists()
    as_user(client, people.teacher)
    asked = client.get(f"/progress/notes/{note.pk}/delete/").content.decode()
    assert "Delete this note?" in asked and "It cannot be brought back." in asked
    assert ProgressNote.objects.filter(pk=note.pk).exists()
    response = client.post(f"/progress/notes/{note.pk}/delete/", follow=True)
    assert "The note is deleted: " in response.content.decode()
    assert not ProgressNote.objects.exists()


def test_another_parent_or_student_gets_404_like_a_missing_page(client, people):
    s = scenario.build(people)
    note = ProgressNoteFactory(enrollment=s.enrollment)
    other_parent = ParentFactory()
    for user in (other_parent, people.student_b, people.other_teacher):
        as_user(client, user)
        for url in (
            f"/progress/enrollments/{s.enrollment.pk}/",
            f"/progress/history/?student={people.student_a.pk}",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert (
            client.post(
                f"/progress/enrollments/{s.enrollment.pk}/modules/{s.modules[0].pk}/"
            ).status_code
            == 404
        )
        assert client.post(f"/progress/notes/{note.pk}/delete/").status_code == 404
    assert client.get("/progress/enrollments/987654321/").status_code == 404
    assert not ModuleCompletion.objects.exists()
    assert client.get("/progress/").status_code == 200
    as_user(client, None)
    assert client.get("/progress/").status_code == 302


def test_the_history_page_shows_attendance_notes_homework_and_enrolments(client, people):
    s = scenario.build(people)
    s.enrollment.status = "withdrawn"
    s.enrollment.save()
    EnrollmentFactory(student=people.student_a, course=CourseFactory(title="Chemistry"))
    as_user(client, people.student_a)
    response = client.get("/progress/history/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "My lesson history" in html
    assert "Worked on fractions." in html and "Exercises 1-5" in html
    assert "Attendance:</strong> Present" in html and "Absent — Ill" in html
    assert "Withdrawn" in html and "Chemistry" in html
    assert_accessible_structure(response)
    # The parent lands on their child's history.
    as_user(client, people.parent_of_a)
    response = client.get("/progress/history/")
    assert "Lesson history of" in response.content.decode()
    assert "Worked on fractions." in response.content.decode()


def test_times_are_shown_in_the_viewers_zone(client, people):
    s = scenario.build(people)
    people.student_a.timezone = "America/New_York"
    people.student_a.save()
    as_user(client, people.student_a)
    html = client.get("/progress/history/").content.decode()
    local = s.next_lesson.start.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert local.strftime("%H:%M") in html and "America/New_York" in html


def test_a_teacher_sees_my_students_and_a_students_page_with_their_lessons_only(client, people):
    s = scenario.build(people)
    LessonFactory(
        student=people.student_a,
        notes="Other teacher's lesson",
        start=scenario.hours_from_now(-400),
    )
    as_user(client, people.teacher)
    response = client.get("/progress/")
    assert f"/progress/students/{people.student_a.pk}/" in response.content.decode()
    assert_accessible_structure(response)
    page = client.get(f"/progress/students/{people.student_a.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Worked on fractions." in html and "Other teacher&#x27;s lesson" not in html
    assert "Algebra" in html and f"/progress/enrollments/{s.enrollment.pk}/" in html
    assert_accessible_structure(page)
    as_user(client, people.other_teacher)
    assert client.get(f"/progress/students/{people.student_a.pk}/").status_code == 404
    as_user(client, people.student_a)
    assert client.get(f"/progress/students/{people.student_a.pk}/").status_code == 403


def test_the_header_links_to_progress(client, people):
    as_user(client, people.student_a)
    assert b'href="/progress/"' in client.get("/lessons/").content


# --- query budgets ------------------------------------------------------------------------------------

PROGRESS_CARDS = html_rows('<article class="card progress-card"')
HISTORY_LESSONS = html_rows('<li class="card lesson history-lesson">')


def test_the_progress_page_runs_the_same_queries_for_5_and_100_enrolments(client, people):
    _enrol(people.student_a, people.teacher, 5)
    as_user(client, people.student_a)
    assert_constant_queries(
        lambda: client.get("/progress/"),
        grow=lambda: _enrol(people.student_a, people.teacher, 95),
        budget=20,
        rows=PROGRESS_CARDS,
    )


def test_the_parents_progress_page_runs_the_same_queries_for_more_children_and_lessons(
    client, people
):
    teacher = profile_of(people.teacher)
    _enrol(people.student_a, people.teacher, 5)
    _lessons(teacher, people.student_a, 5, 0)

    def grow():
        child = StudentFactory()
        guardian_accept(
            link=guardian_invite(actor=people.parent_of_a, email=child.email, as_role="child"),
            actor=child,
        )
        _enrol(child, people.teacher, 20)
        _enrol(people.student_a, people.teacher, 20)
        for h in range(30):
            LessonFactory(teacher=teacher, student=child, start=scenario.hours_from_now(5 + 2 * h))

    as_user(client, people.parent_of_a)
    assert_constant_queries(
        lambda: client.get("/progress/"),
        grow=grow,
        budget=20,
        rows=lambda r: PROGRESS_CARDS(r) + html_rows('<li><time datetime="')(r),
    )


def test_the_teachers_progress_page_runs_the_same_queries_for_5_and_100_students(client, people):
    def students(n):
        for _ in range(n):
            EnrollmentFactory(course=course, student=StudentFactory())

    course = CourseFactory(owner=people.teacher, capacity=200)
    students(5)
    as_user(client, people.teacher)
    assert_constant_queries(
        lambda: client.get("/progress/"),
        grow=lambda: students(95),
        budget=20,
        rows=html_rows('"><a href="/progress/students/'),
    )


def test_the_history_page_runs_the_same_queries_for_5_and_100_lessons(client, people):
    teacher = profile_of(people.teacher)
    _lessons(teacher, people.student_a, 5, 0)
    _enrol(people.student_a, people.teacher, 2)
    as_user(client, people.parent_of_a)

    def grow():
        _lessons(teacher, people.student_a, 95, 10)
        _enrol(people.student_a, people.teacher, 30)

    assert_constant_queries(
        lambda: client.get(f"/progress/history/?student={people.student_a.pk}"),
        grow=grow,
        budget=20,
        rows=HISTORY_LESSONS,
    )


def test_the_teachers_student_page_runs_the_same_queries_for_5_and_100_lessons(client, people):
    teacher = profile_of(people.teacher)
    _lessons(teacher, people.student_a, 5, 0)
    _enrol(people.student_a, people.teacher, 2)
    as_user(client, people.teacher)

    def grow():
        _lessons(teacher, people.student_a, 95, 10)
        _enrol(people.student_a, people.teacher, 30)

    assert_constant_queries(
        lambda: client.get(f"/progress/students/{people.student_a.pk}/"),
        grow=grow,
        budget=20,
        rows=HISTORY_LESSONS,
    )


@pytest.mark.parametrize(
    ("value", "status"),
    [("abc", 404), ("99999999999999999999", 404), ("-1", 404), ("1\x00", 400)],
)
def test_a_bad_student_parameter_is_a_clean_4xx(client, people, value, status):
    as_user(client, people.admin)
    assert client.get("/progress/history/", {"student": value}).status_code == status
