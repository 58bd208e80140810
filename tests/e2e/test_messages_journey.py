"""Direct messages in a real browser: a student writes to their teacher, the teacher sees the unread
badge in the header, opens the thread and replies; the student reads the reply. axe-core and both
widths on the inbox, the new-message page and the thread."""

import re

import pytest
from playwright.sync_api import expect
from postman.models import Message

from tests.authentication.factories import StudentFactory, TeacherFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_student_writes_to_their_teacher_who_sees_the_badge_and_replies(journey):
    teacher = TeacherFactory(first_name="Tess", last_name="Moreno", email="tess@example.com")
    student = StudentFactory(first_name="Sam", last_name="Lee", email="sam@example.com")
    EnrollmentFactory(course=CourseFactory(owner=teacher, title="Algebra"), student=student)
    page = journey.page

    journey.login(student.email)
    page.locator("header").get_by_role("link", name=re.compile("^Messages")).click()
    journey.check_a11y()
    page.locator("main").get_by_role("link", name="New message").click()
    journey.check_a11y()
    page.get_by_label("To", exact=True).select_option(label="Tess Moreno")
    page.get_by_label("Subject", exact=True).fill("Homework for Thursday")
    page.get_by_label("Message", exact=True).fill("Could we go over question 3 next lesson?")
    journey.screenshot("messages-new")
    journey.submit("Send")
    expect(page.locator("main")).to_contain_text("Your message was sent.")
    journey.logout()

    journey.login(teacher.email)
    badge = page.locator("header [data-testid=unread-messages]")
    expect(badge).to_contain_text("1")
    page.locator("header").get_by_role("link", name=re.compile("^Messages")).click()
    journey.check_a11y()
    journey.screenshot("messages-inbox")
    page.locator("main").get_by_role("link", name=re.compile("Homework for Thursday")).click()
    journey.check_a11y()
    expect(page.locator("main")).to_contain_text("Could we go over question 3 next lesson?")
    expect(page.locator("header [data-testid=unread-messages]")).to_have_count(0)
    page.get_by_label("Your reply", exact=True).fill("Of course, bring your notes.")
    journey.submit("Send reply")
    expect(page.locator("main")).to_contain_text("Of course, bring your notes.")
    journey.screenshot("messages-thread")
    reply = Message.objects.get(sender=teacher)
    assert reply.recipient == student and reply.thread_id == Message.objects.get(sender=student).pk
    journey.logout()

    journey.login(student.email)
    expect(page.locator("header [data-testid=unread-messages]")).to_contain_text("1")
