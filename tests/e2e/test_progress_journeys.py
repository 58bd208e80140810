"""Progress in a real browser: the student marks a module done, the teacher writes a note, the parent
reads it and the child's history; axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import ModuleCompletion, ProgressNote
from tests.classroom.conftest import people  # noqa: F401 - the fixture
from tests.progress import scenario

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_student_marks_a_module_teacher_adds_a_note_parent_reads_progress_and_history(
    journey,
    people,  # noqa: F811 - the fixture imported above
):
    s = scenario.build(people)
    page = journey.page

    journey.login(people.student_a.email)
    journey.page.locator("header").get_by_role("link", name="Progress").click()
    journey.check_a11y()
    expect(page.locator("h1")).to_have_text("Progress")
    page.locator("main").get_by_role("link", name="Algebra").click()
    journey.check_a11y()
    journey.submit(re.compile(r"^Mark done\W+Unit 0"))
    expect(page.locator("main")).to_contain_text("“Unit 0” is marked done.")
    assert ModuleCompletion.objects.get().module == s.modules[0]
    journey.screenshot("progress-enrolment-student")
    journey.logout()

    journey.login(people.teacher.email)
    journey.goto(f"/progress/students/{people.student_a.pk}/")
    expect(page.locator("main")).to_contain_text("Worked on fractions.")
    journey.goto(f"/progress/enrollments/{s.enrollment.pk}/")
    page.get_by_label("New progress note").fill("Ada adds fractions with ease now.")
    journey.submit("Add note")
    expect(page.locator("main")).to_contain_text("Your note is saved.")
    assert ProgressNote.objects.get().author == people.teacher
    journey.logout()

    journey.login(people.parent_of_a.email)
    journey.goto("/progress/")
    main = page.locator("main")
    expect(main).to_contain_text("Ada adds fractions with ease now.")
    expect(main).to_contain_text("Modules: 1 of 3 done")
    journey.screenshot("progress-parent")
    main.get_by_role("link", name=re.compile("^Lesson history of")).click()
    journey.check_a11y()
    expect(page.locator("main")).to_contain_text("Exercises 1-5")
    journey.screenshot("progress-history-parent")
