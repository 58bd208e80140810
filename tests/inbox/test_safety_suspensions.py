"""Messaging suspensions in the Wagtail admin: the current ones listed (reached from the moderation
queue), "Lift suspension" asks first and records who lifted it and when; admins only. A lifted
suspension is history: the person writes again, and can be suspended anew."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inbox.rules import may_write
from inbox.safety.models import MessageReport, MessagingSuspension
from inbox.safety.services import report_suspend_sender
from tests.authentication.factories import StudentFactory
from tests.inbox.safety_people import people, write

pytestmark = pytest.mark.django_db

QUEUE = "/admin/reported_messages/"
SUSPENSIONS = "/admin/messaging_suspensions/"


@pytest.fixture
def folks():
    return people()


@pytest.fixture
def suspended(folks):
    """The teacher, suspended through a report's action."""
    message = write(folks.teacher, folks.student, "You are hopeless")
    report = MessageReport.objects.create(message=message, reporter=folks.student, reason="spam")
    report_suspend_sender(actor=folks.admin, report_id=report.pk, note="Rude")
    return MessagingSuspension.objects.current().get(user=folks.teacher)


def test_the_queue_links_to_the_current_suspensions_and_the_list_shows_them(
    client, folks, suspended
):
    client.force_login(folks.admin)
    queue = client.get(QUEUE).content.decode()
    assert SUSPENSIONS in queue and "Messaging suspensions: 1 current" in queue
    page = client.get(SUSPENSIONS)
    assert page.status_code == 200
    html = page.content.decode()
    assert folks.teacher.name in html and folks.admin.name in html
    assert f"{SUSPENSIONS}{suspended.pk}/lift/" in html
    assert folks.teacher.email not in html


def test_lifting_asks_first_then_records_who_and_when_and_the_person_writes_again(
    client, folks, suspended
):
    client.force_login(folks.admin)
    url = f"{SUSPENSIONS}{suspended.pk}/lift/"
    asked = client.get(url)
    assert asked.status_code == 200 and b'data-testid="confirm-button"' in asked.content
    assert not may_write(folks.teacher, folks.student)  # asking changed nothing
    done = client.post(url)
    assert done.status_code == 302 and done["Location"].endswith(SUSPENSIONS)
    suspended.refresh_from_db()
    assert suspended.lifted_by == folks.admin and suspended.lifted_at is not None
    assert may_write(folks.teacher, folks.student)
    assert b'data-testid="suspensions"' not in client.get(SUSPENSIONS).content  # none current
    assert client.post(url).status_code == 404  # lifted: no longer a current suspension


def test_a_lifted_suspension_stays_as_history_and_a_new_one_can_follow(client, folks, suspended):
    client.force_login(folks.admin)
    client.post(f"{SUSPENSIONS}{suspended.pk}/lift/")
    again = write(folks.teacher, folks.student, "Still rude")
    report = MessageReport.objects.create(message=again, reporter=folks.student, reason="spam")
    report_suspend_sender(actor=folks.admin, report_id=report.pk)
    assert MessagingSuspension.objects.filter(user=folks.teacher).count() == 2
    assert MessagingSuspension.objects.current().filter(user=folks.teacher).count() == 1
    assert not may_write(folks.teacher, folks.student)


@pytest.mark.parametrize("who", ["student", "parent", "teacher"])
def test_nobody_but_admins_sees_or_lifts_a_suspension(client, folks, suspended, who):
    client.force_login(getattr(folks, who))
    for url in (SUSPENSIONS, f"{SUSPENSIONS}{suspended.pk}/lift/"):
        assert client.get(url).status_code in (302, 403), url
    assert client.post(f"{SUSPENSIONS}{suspended.pk}/lift/").status_code in (302, 403)
    suspended.refresh_from_db()
    assert suspended.lifted_at is None


def test_the_list_costs_the_same_for_1_and_20_suspensions(client, folks, suspended):
    client.force_login(folks.admin)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(SUSPENSIONS).status_code == 200
        return len(queries)

    few = count()
    for _ in range(19):
        MessagingSuspension.objects.create(user=StudentFactory(), created_by=folks.admin)
    assert count() == few
