"""Safeguarding minors: the consent notice on the inbox's pages, a guardian's read-only view of their
children's threads with teachers, and the note teachers see on such a thread."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from inbox.safety.selectors import (
    guardian_thread_list,
    messaging_hold_for,
    thread_has_guardian_readers,
)
from tests.authentication.consent import born_years_ago, child, set_birthday
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.inbox.safety_people import people, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def folks():
    return people()


def test_a_student_under_16_without_consent_is_told_why_and_what_to_do(client):
    kid, _parent = child(age=13, consent=False)
    hold = messaging_hold_for(user=kid)
    assert hold is not None and hold.needs_consent
    client.force_login(kid)
    page = client.get("/inbox/blocked/").content.decode()
    assert 'data-testid="consent-notice"' in page
    assert "consent" in page and "/auth/guardians/" in page


def test_a_student_without_a_date_of_birth_is_asked_for_it(client):
    kid, _parent = child(age=13, consent=False)
    set_birthday(kid, None)
    hold = messaging_hold_for(user=kid)
    assert hold is not None and not hold.needs_consent
    html = render_to_string("inbox/includes/consent_notice.html", {"messaging_hold": hold})
    assert "date of birth" in html


def test_nobody_else_sees_the_consent_notice(client, folks):
    for user in (folks.minor, folks.student, folks.teacher, folks.parent, folks.admin):
        assert messaging_hold_for(user=user) is None
        client.force_login(user)
        assert 'data-testid="consent-notice"' not in client.get("/inbox/blocked/").content.decode()


def test_the_guardian_page_lists_exactly_the_minors_threads_with_teachers(client, folks):
    with_teacher = write(folks.teacher, folks.minor, "Well done today", subject="Fractions")
    write(folks.minor, folks.teacher, "Thanks!", subject="Fractions", reply_to=with_teacher)
    write(folks.admin, folks.minor, "Welcome", subject="From the admins")  # not a teacher
    write(folks.teacher, folks.student, "Adult's thread", subject="Someone else's child")
    # Another child of the same parent, 17: their threads are their own.
    older = child(age=17, consent=True)[0]
    from tests.authentication.consent import link

    link(folks.parent, older)
    EnrollmentFactory(course=CourseFactory(owner=folks.teacher), student=older)
    write(folks.teacher, older, "For the 17-year-old", subject="Older")

    threads = guardian_thread_list(guardian=folks.parent)

    assert [t.thread_id for t in threads] == [with_teacher.pk]
    assert threads[0].count == 2
    assert threads[0].child == folks.minor and threads[0].teacher == folks.teacher
    client.force_login(folks.parent)
    page = client.get("/inbox/children/").content.decode()
    assert "Fractions" in page and "From the admins" not in page and "Older" not in page
    assert 'data-testid="guardian-reads"' in page
    thread = client.get(f"/inbox/children/{with_teacher.pk}/").content.decode()
    assert "Well done today" in thread and "Thanks!" in thread
    assert folks.teacher.email not in thread and folks.minor.email not in thread


def test_another_guardians_and_an_admins_thread_answer_404(client, folks):
    admin_thread = write(folks.admin, folks.minor, "Welcome")
    other_kid, other_parent = child(age=11, consent=True)
    EnrollmentFactory(course=CourseFactory(owner=folks.teacher), student=other_kid)
    theirs = write(folks.teacher, other_kid, "Hello")
    client.force_login(folks.parent)
    assert client.get(f"/inbox/children/{admin_thread.pk}/").status_code == 404
    assert client.get(f"/inbox/children/{theirs.pk}/").status_code == 404
    assert client.get("/inbox/children/987654321/").status_code == 404
    client.force_login(other_parent)
    assert [t.thread_id for t in guardian_thread_list(guardian=other_parent)] == [theirs.pk]


def test_once_the_child_turns_16_the_guardian_no_longer_reads_their_threads(client, folks, clock):
    thread = write(folks.teacher, folks.minor, "Before the birthday")
    set_birthday(folks.minor, born_years_ago(16) + timedelta(days=40))  # 16 in 10 days
    assert [t.thread_id for t in guardian_thread_list(guardian=folks.parent)] == [thread.pk]
    clock.move_to(timezone.now() + timedelta(days=11))
    assert guardian_thread_list(guardian=folks.parent) == []
    client.force_login(folks.parent)
    assert client.get(f"/inbox/children/{thread.pk}/").status_code == 404


def test_the_page_is_for_parents(client, folks):
    client.force_login(folks.teacher)
    assert client.get("/inbox/children/").status_code == 403


def test_teachers_are_told_when_guardians_read_the_thread(folks):
    with_minor = write(folks.teacher, folks.minor, "Hi")
    with_adult = write(folks.teacher, folks.student, "Hi")
    assert thread_has_guardian_readers(message=with_minor)
    assert not thread_has_guardian_readers(message=with_adult)
    html = render_to_string("inbox/includes/guardian_notice.html", {"guardian_reads": True})
    assert "parents or guardians can read this conversation" in html
