"""Students mark a lesson's homework done (and undo it), per student, through the page and the API; the
teacher sees who did, a parent sees their child's mark; nobody else may set it."""

import pytest
from django.urls import reverse

from classroom.models import HomeworkDone, Lesson
from classroom.teaching.services import homework_done_mark
from tests.authentication.factories import PASSWORD
from tests.conftest import login_token
from tests.teaching.conftest import as_user
from tests.teaching.factories import group_course, session, started_lesson

pytestmark = pytest.mark.django_db


def auth(client, user) -> dict:
    return {"HTTP_X_SESSION_TOKEN": login_token(client, user.email, PASSWORD)}


def page(lesson) -> str:
    return reverse("lesson-detail", kwargs={"lesson_id": lesson.pk})


def with_homework(lesson, text="Exercises 1-5") -> Lesson:
    Lesson.objects.filter(pk=lesson.pk).update(homework=text)
    lesson.refresh_from_db()
    return lesson


def marked(lesson) -> set[int]:
    return set(HomeworkDone.objects.filter(lesson=lesson).values_list("student_id", flat=True))


def test_a_student_marks_homework_done_and_undoes_it_on_the_lesson_page(client, people):
    lesson = with_homework(started_lesson(teacher=people.teacher, student=people.student_a))
    as_user(client, people.student_a)
    html = client.get(page(lesson)).content.decode()
    assert "Mark as done" in html and "Done ✓" not in html

    response = client.post(page(lesson), {"action": "homework_done"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your homework is marked as done." in html
    assert "Done ✓" in html and "(undo)" in html and "Mark as done" not in html
    assert marked(lesson) == {people.student_a.pk}
    # Marking again keeps the first mark.
    first = HomeworkDone.objects.get(lesson=lesson).done_at
    client.post(page(lesson), {"action": "homework_done"})
    assert HomeworkDone.objects.get(lesson=lesson).done_at == first

    response = client.post(page(lesson), {"action": "homework_undo"}, follow=True)
    html = response.content.decode()
    assert "Your homework is no longer marked as done." in html
    assert "Mark as done" in html and "Done ✓" not in html
    assert marked(lesson) == set()


def test_the_teacher_and_the_parent_see_the_mark_but_only_the_student_sets_it(client, people):
    lesson = with_homework(started_lesson(teacher=people.teacher, student=people.student_a))
    for viewer in (people.teacher, people.parent_of_a):
        as_user(client, viewer)
        html = client.get(page(lesson)).content.decode()
        assert "Not marked as done yet." in html and "Mark as done" not in html
    homework_done_mark(actor=people.student_a, lesson=lesson)
    for viewer in (people.teacher, people.parent_of_a):
        as_user(client, viewer)
        html = client.get(page(lesson)).content.decode()
        assert "Marked as done" in html and f"{people.student_a.name} · <time" in html
        # No form for them: posting it is a 404 and changes nothing.
        assert client.post(page(lesson), {"action": "homework_undo"}).status_code == 404
    assert marked(lesson) == {people.student_a.pk}
    # Another student may not even see the lesson; a visitor is sent to sign in.
    as_user(client, people.student_b)
    assert client.post(page(lesson), {"action": "homework_done"}).status_code == 404
    as_user(client, None)
    assert client.post(page(lesson), {"action": "homework_done"}).status_code == 302
    assert marked(lesson) == {people.student_a.pk}


def test_without_homework_there_is_nothing_to_mark(client, people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    as_user(client, people.student_a)
    html = client.get(page(lesson)).content.decode()
    assert "No homework." in html and "Mark as done" not in html
    response = client.post(page(lesson), {"action": "homework_done"}, follow=True)
    assert "This lesson has no homework to mark as done." in response.content.decode()
    path = f"/api/v1/lessons/{lesson.pk}/homework/done"
    response = client.post(path, **auth(client, people.student_a))
    assert response.status_code == 409
    assert response.json()["code"] == "no_homework"
    assert marked(lesson) == set()


def test_a_student_marks_and_undoes_homework_through_the_api(client, people):
    lesson = with_homework(started_lesson(teacher=people.teacher, student=people.student_a))
    path = f"/api/v1/lessons/{lesson.pk}/homework/done"
    student = auth(client, people.student_a)
    body = client.get(f"/api/v1/lessons/{lesson.pk}", **student).json()
    assert body["homework_done"] is False and body["homework_done_by"] == []

    response = client.post(path, **student)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["homework_done"] is True
    assert [m["student"]["student_id"] for m in body["homework_done_by"]] == [people.student_a.pk]

    # The teacher and the parent read who did it, but the mark is not theirs to set (403);
    # another student does not see the lesson (404); a visitor signs in first (401).
    for viewer in (people.teacher, people.parent_of_a):
        headers = auth(client, viewer)
        body = client.get(f"/api/v1/lessons/{lesson.pk}", **headers).json()
        assert body["homework_done"] is False
        assert [m["student"]["student_id"] for m in body["homework_done_by"]] == [
            people.student_a.pk
        ]
        assert client.delete(path, **headers).status_code == 403
    assert client.post(path, **auth(client, people.student_b)).status_code == 404
    assert client.delete(path, **auth(client, people.student_b)).status_code == 404
    assert client.post(path).status_code == 401
    assert marked(lesson) == {people.student_a.pk}

    assert client.delete(path, **student).status_code == 204
    assert client.delete(path, **student).status_code == 204  # nothing left to undo: the same
    assert marked(lesson) == set()
    assert client.get(f"/api/v1/lessons/{lesson.pk}", **student).json()["homework_done"] is False


def test_in_a_group_session_each_seat_holder_marks_their_own(client, people):
    course = group_course(teacher=people.teacher, students=[people.student_a, people.student_b])
    lesson = with_homework(session(course=course))
    for learner in (people.student_a, people.student_b):
        assert learner.pk in set(
            lesson.seats.filter(cancelled_at__isnull=True).values_list("student_id", flat=True)
        )
    path = f"/api/v1/lessons/{lesson.pk}/homework/done"
    assert client.post(path, **auth(client, people.student_a)).status_code == 200
    as_user(client, people.student_b)
    html = client.get(page(lesson)).content.decode()
    assert "Mark as done" in html  # A's mark is A's
    assert client.post(page(lesson), {"action": "homework_done"}).status_code == 302
    assert marked(lesson) == {people.student_a.pk, people.student_b.pk}

    # Each student reads their own mark only; the teacher reads both.
    body = client.get(f"/api/v1/lessons/{lesson.pk}", **auth(client, people.student_b)).json()
    assert body["homework_done"] is True
    assert [m["student"]["student_id"] for m in body["homework_done_by"]] == [people.student_b.pk]
    body = client.get(f"/api/v1/lessons/{lesson.pk}", **auth(client, people.teacher)).json()
    assert {m["student"]["student_id"] for m in body["homework_done_by"]} == {
        people.student_a.pk,
        people.student_b.pk,
    }
    as_user(client, people.teacher)
    html = client.get(page(lesson)).content.decode()
    assert f"{people.student_a.name} · <time" in html and f"{people.student_b.name} · <time" in html

    # A seat given up: no longer the lesson's student.
    client.delete(f"/api/v1/lessons/{lesson.pk}/seat", **auth(client, people.student_b))
    response = client.delete(path, **auth(client, people.student_b))
    assert response.status_code == 404
