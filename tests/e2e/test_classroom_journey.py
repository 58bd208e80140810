"""The school day in a real browser, end to end: a student finds a free course in the catalog, enrols,
books a 1:1 lesson from the teacher's availability and sees it under upcoming lessons; after the lesson
the teacher marks attendance and writes notes; the student and the parent read them. axe-core checks
every page (the `journey` fixture fails on any page left unchecked)."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from authentication.services import guardian_accept, guardian_invite
from classroom.choices import LessonStatus
from classroom.models import Attendance, Lesson
from courses.choices import EnrollmentStatus
from courses.models import Enrollment
from tests.authentication.factories import ParentFactory, StudentFactory
from tests.booking.factories import bookable_teacher
from tests.courses.page_helpers import live_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORKING_DAY = [(day, time(8, 0), time(20, 0)) for day in range(7)]


def test_student_enrols_books_a_lesson_and_the_teacher_reports_to_student_and_parent(
    journey, settings
):
    # A school that takes no payments for lessons: the review ends in Confirm (a priced lesson's
    # Pay, and its hold, are tests/booking/test_holds.py).
    settings.LESSON_PAYMENT_REQUIRED = False
    teacher = bookable_teacher(
        tz="Europe/Madrid",
        rules=WORKING_DAY,
        lesson_lengths=(60,),
        min_notice_minutes=60,
        email="tom.teacher@example.com",
        first_name="Tom",
        last_name="Teacher",
    )
    live_course(
        owner=teacher.user,
        title="Algebra for beginners",
        summary="Equations without fear.",
        price=0,
        capacity=None,
        format="self_paced",
    )
    live_course(owner=teacher.user, title="Piano for adults", price=0, format="self_paced")
    student = StudentFactory(
        email="ada.student@example.com", first_name="Ada", timezone="America/New_York"
    )
    parent = ParentFactory(email="pat.parent@example.com", first_name="Pat")
    guardian_accept(
        link=guardian_invite(actor=parent, email=student.email, as_role="child"), actor=student
    )
    page = journey.page
    main = page.locator("main")

    # The student finds the course by searching the catalog and enrols for free.
    journey.login(student.email)
    journey.goto("/courses/")
    main.get_by_label("Search").fill("algebra")
    journey.submit("Show courses")
    expect(main.locator(".course-card")).to_have_count(1)
    with page.expect_navigation():
        main.get_by_role("link", name="Algebra for beginners").click()
    journey.check_a11y()
    journey.submit("Enrol for free")
    expect(main).to_contain_text(re.compile("enrolled", re.I))
    enrolment = Enrollment.objects.get(student=student, course__title="Algebra for beginners")
    assert enrolment.status == EnrollmentStatus.ACTIVE

    # From the course page to the teacher, and a 1:1 lesson at the first free time offered.
    with page.expect_navigation():
        main.get_by_role("link", name="Tom Teacher").click()
    journey.check_a11y()
    with page.expect_navigation():
        main.get_by_test_id("book-button").click()
    journey.check_a11y()
    first_slot = main.locator("button[name=start]").first
    chosen_start = first_slot.get_attribute("value")
    with page.expect_navigation():  # the review: price and cancellation policy, then Confirm
        first_slot.click()
    journey.check_a11y()
    journey.submit("Confirm booking")
    page.wait_for_url(re.compile(r"/lessons/$"))
    expect(main).to_contain_text("Your lesson with Tom Teacher is booked for")
    lesson = Lesson.objects.get(student=student)
    assert lesson.teacher == teacher and lesson.status == LessonStatus.SCHEDULED
    assert lesson.start == datetime.fromisoformat(chosen_start)
    upcoming = main.locator("h2", has_text="Upcoming").locator("xpath=following-sibling::*[1]")
    expect(upcoming).to_contain_text("Tom Teacher")
    journey.screenshot("classroom-journey-upcoming")
    journey.logout()

    # The lesson takes place: move it so it started 30 minutes ago (time passing, not a shortcut
    # around a rule: attendance is only accepted once a lesson has started).
    now = timezone.now()
    Lesson.objects.filter(pk=lesson.pk).update(
        start=now - timedelta(minutes=30), end=now + timedelta(minutes=30)
    )

    # The teacher marks the student present and writes notes and homework on the lesson page.
    journey.login(teacher.user.email)
    journey.goto("/lessons/")
    journey.goto(f"/lessons/{lesson.pk}/")
    page.get_by_role("group", name=student.name).get_by_label("Present").check()
    journey.submit("Save attendance")
    expect(main).to_contain_text("Attendance has been saved.")
    page.get_by_label("Lesson notes").fill("Solved linear equations; ready for fractions.")
    page.get_by_label(re.compile(r"^Homework(?! due)")).fill("Worksheet 2, exercises 1-5")
    journey.submit("Save notes and homework")
    expect(main).to_contain_text("The lesson has been updated.")
    assert Attendance.objects.get(lesson=lesson, student=student).status == "present"
    journey.logout()

    # The student reads them on the lesson page and in the lesson history.
    journey.login(student.email)
    journey.goto(f"/lessons/{lesson.pk}/")
    expect(main).to_contain_text("Solved linear equations; ready for fractions.")
    expect(main).to_contain_text("Worksheet 2, exercises 1-5")
    expect(main).to_contain_text("Present")
    journey.goto("/progress/history/")
    expect(main).to_contain_text("Solved linear equations; ready for fractions.")
    journey.logout()

    # So does the parent, through their child's history.
    journey.login(parent.email)
    journey.goto(f"/progress/history/?student={student.pk}")
    expect(main).to_contain_text("Solved linear equations; ready for fractions.")
    expect(main).to_contain_text("Present")
    journey.goto(f"/lessons/{lesson.pk}/")
    expect(main).to_contain_text("Worksheet 2, exercises 1-5")
    journey.screenshot("classroom-journey-parent")
