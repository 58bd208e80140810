"""The teacher's lesson page: attendance shown once (the recorded marks are the form's chosen values,
no separate table beside the form), two columns, and a materials form whose file, link and text
fields say which kind they belong to (the page's script shows only the chosen kind's; without it the
hints remain, and the server decides as before)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from classroom.models import Attendance
from tests.courses.factories import CourseFactory
from tests.teaching.conftest import as_user
from tests.teaching.factories import started_lesson

pytestmark = pytest.mark.django_db


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def page(lesson) -> str:
    return reverse("lesson-detail", kwargs={"lesson_id": lesson.pk})


def test_recorded_attendance_is_shown_once_as_the_forms_chosen_mark(client, people):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    as_user(client, people.teacher)
    response = client.post(
        page(lesson),
        {
            "action": "attendance",
            f"attendance-status_{people.student_a.pk}": "late",
            f"attendance-note_{people.student_a.pk}": "Ten minutes late",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get(lesson=lesson).status == "late"

    html = soup(client.get(page(lesson)))
    section = html.select_one('section[aria-labelledby="attendance-heading"]')
    assert section.select("table") == []  # not a table beside the form
    assert section.get_text().count("Ten minutes late") == 0  # the note is in the field's value
    checked = section.select(f'input[name="attendance-status_{people.student_a.pk}"][checked]')
    assert [box["value"] for box in checked] == ["late"]
    note = section.select_one(f'input[name="attendance-note_{people.student_a.pk}"]')
    assert note["value"] == "Ten minutes late"
    # Two columns: facts and attendance in one, notes and materials in the other.
    columns = html.select(".lesson-layout > div")
    assert [c["class"][0] for c in columns] == ["lesson-layout__side", "lesson-layout__main"]
    assert columns[0].select_one("#attendance-heading") is not None
    assert columns[1].select_one("#notes-heading") is not None

    as_user(client, people.student_a)
    marks = soup(client.get(page(lesson))).select_one('[data-testid="attendance-marks"]')
    assert "Late" in marks.get_text() and "Ten minutes late" in marks.get_text()


def test_the_material_form_tags_each_kinds_field_and_the_server_still_checks_the_kind(
    client, people
):
    course = CourseFactory(owner=people.teacher, format="one_to_one", capacity=None)
    lesson = started_lesson(teacher=people.teacher, student=people.student_a, course=course)
    as_user(client, people.teacher)

    form = soup(client.get(page(lesson))).select_one('form[data-testid="material-upload"]')
    assert form.select_one("select[data-kind-switch]")["name"] == "material-kind"
    tagged = {el["name"]: el["data-kind-field"] for el in form.select("[data-kind-field]")}
    assert tagged == {"material-file": "file", "material-url": "link", "material-body": "text"}
    hints = [h.get_text() for h in form.select("[data-kind-hint]")]
    assert hints == [
        "Only for the kind “File”.",
        "Only for the kind “Link”.",
        "Only for the kind “Text”.",
    ]

    # A link without an address is refused as before, beside the field.
    response = client.post(
        page(lesson), {"action": "upload", "material-title": "Notes", "material-kind": "link"}
    )
    assert response.status_code == 200
    assert lesson.course.materials.count() == 0
