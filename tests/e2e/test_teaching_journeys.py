"""Running lessons in a real browser: the teacher marks attendance and writes notes and homework on the
lesson page; the student and the parent read them; the student gives up and takes back a seat in a
group session. axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

from classroom.models import Attendance, LessonSeat
from tests.classroom.conftest import people  # noqa: F401 - the fixture
from tests.teaching.factories import group_course, session, started_lesson

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_teacher_runs_a_lesson_and_the_student_and_parent_see_it(
    journey,
    people,  # noqa: F811 - the fixture imported above
):
    lesson = started_lesson(teacher=people.teacher, student=people.student_a)
    course = group_course(teacher=people.teacher, students=[people.student_a], title="Algebra")
    group = session(course=course, title="Algebra, week 1")
    page = journey.page

    journey.login(people.teacher.email)
    journey.goto("/lessons/")
    page.locator("main").get_by_role("link", name=re.compile("with")).first.click()
    journey.check_a11y()
    journey.goto(f"/lessons/{lesson.pk}/")
    page.get_by_role("group", name=people.student_a.name).get_by_label("Absent").check()
    page.get_by_label(f"Note about {people.student_a.name}").fill("Did not come")
    journey.submit("Save attendance")
    expect(page.locator("main")).to_contain_text("Attendance has been saved.")
    expect(page.locator("main")).to_contain_text("No-show")
    page.get_by_role("group", name=people.student_a.name).get_by_label("Late").check()
    page.get_by_label(f"Note about {people.student_a.name}").fill("Ten minutes late")
    journey.submit("Save attendance")
    page.get_by_label("Lesson notes").fill("Quadratic equations, part 1.")
    page.get_by_label(re.compile(r"^Homework(?! due)")).fill("Exercises 4 to 9")
    page.get_by_label("Video-call link").fill("https://meet.example/room")
    journey.submit("Save notes and homework")
    expect(page.locator("main")).to_contain_text("The lesson has been updated.")
    assert Attendance.objects.get(lesson=lesson).status == "late"
    journey.screenshot("lesson-teacher")
    journey.logout()

    journey.login(people.student_a.email)
    journey.goto(f"/lessons/{lesson.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("Quadratic equations, part 1.")
    expect(main).to_contain_text("Exercises 4 to 9")
    expect(main).to_contain_text("Ten minutes late")
    expect(main.get_by_role("link", name="Join the video call")).to_have_attribute(
        "href", "https://meet.example/room"
    )
    journey.goto(f"/lessons/{group.pk}/")
    expect(page.locator("main")).to_contain_text("You have a seat.")
    with page.expect_navigation():  # giving up the seat asks first
        page.locator("main").get_by_role("link", name="Give up the seat").click()
    journey.check_a11y()
    expect(page.get_by_test_id("confirm-consequence")).to_be_visible()
    journey.submit("Give up the seat")
    expect(page.locator("main")).to_contain_text("is given up; it is free for someone else")
    journey.submit("Take a seat")
    expect(page.locator("main")).to_contain_text("You have a seat.")
    assert LessonSeat.objects.filter(lesson=group, cancelled_at=None).count() == 1
    journey.screenshot("lesson-group-student")
    journey.logout()

    journey.login(people.parent_of_a.email)
    journey.goto(f"/lessons/{lesson.pk}/")
    expect(page.locator("main")).to_contain_text("Quadratic equations, part 1.")
    expect(page.locator("main")).to_contain_text("Late")
    journey.goto(f"/lessons/{group.pk}/")
    expect(page.locator("main")).to_contain_text(f"{people.student_a.name} has a seat.")
    journey.goto(f"/lessons/course/{course.pk}/sessions/")
    expect(page.locator("main")).to_contain_text("Algebra, week 1")
