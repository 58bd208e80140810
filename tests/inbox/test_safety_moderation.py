"""The moderation queue in the Wagtail admin: who may open it, and what each action does."""

import pytest
from postman.models import Message

from inbox.models import UserBlock
from inbox.rules import may_write, message_partners_for
from inbox.safety.models import MessageReport, MessagingSuspension, ReportStatus
from tests.inbox.safety_people import people, write

pytestmark = pytest.mark.django_db

QUEUE = "/admin/reported_messages/"


@pytest.fixture
def folks():
    return people()


@pytest.fixture
def reported(folks):
    """The student reports the teacher's second message of a thread the student began."""
    first = write(folks.student, folks.teacher, "Can you help with question 3?")
    second = write(folks.teacher, folks.student, "You are hopeless", reply_to=first)
    return MessageReport.objects.create(
        message=second, reporter=folks.student, reason="harassment", text="Not kind"
    )


def test_an_admin_sees_the_open_reports_newest_first_with_counts(client, folks, reported):
    older = MessageReport.objects.create(
        message=write(folks.teacher, folks.student, "Buy now"),
        reporter=folks.student,
        reason="spam",
    )
    MessageReport.objects.filter(pk=older.pk).update(
        created_at=reported.created_at.replace(year=2025)
    )
    MessageReport.objects.create(
        message=write(folks.student, folks.teacher, "x"),
        reporter=folks.teacher,
        reason="other",
        status=ReportStatus.DISMISSED,
    )
    client.force_login(folks.admin)
    response = client.get(QUEUE)
    assert response.status_code == 200
    reports = list(response.context["reports"])
    assert reports == [reported, older]
    assert response.context["counts"] == {"open": 2, "dismissed": 1, "actioned": 0}


def test_the_menu_offers_the_queue_to_admins_only(client, folks):
    client.force_login(folks.admin)
    assert QUEUE in client.get("/admin/").content.decode()
    client.force_login(folks.teacher)  # teachers enter the Wagtail admin for their course pages
    page = client.get("/admin/")
    assert page.status_code == 200
    assert QUEUE not in page.content.decode()


@pytest.mark.parametrize("who", ["student", "parent", "teacher"])
def test_nobody_but_admins_opens_the_queue_or_a_report(client, folks, reported, who):
    client.force_login(getattr(folks, who))
    for url in (QUEUE, f"{QUEUE}{reported.pk}/", f"{QUEUE}{reported.pk}/dismiss/"):
        response = client.get(url)
        assert response.status_code in (302, 403), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(("/admin/login/", "/admin/")), url
    response = client.post(f"{QUEUE}{reported.pk}/suspend/", {"note": "x"})
    assert response.status_code in (302, 403)
    assert not MessagingSuspension.objects.exists()
    assert MessageReport.objects.get().status == ReportStatus.OPEN


def test_the_report_page_shows_the_whole_thread_with_names_not_emails(client, folks, reported):
    client.force_login(folks.admin)
    page = client.get(f"{QUEUE}{reported.pk}/").content.decode()
    assert "Can you help with question 3?" in page and "You are hopeless" in page
    assert folks.student.name in page and folks.teacher.name in page
    assert folks.student.email not in page and folks.teacher.email not in page
    assert "Not kind" in page


def act(client, folks, report, action, note="Checked"):
    client.force_login(folks.admin)
    asked = client.get(f"{QUEUE}{report.pk}/{action}/")
    assert asked.status_code == 200  # asks first …
    assert MessageReport.objects.get(pk=report.pk).status == ReportStatus.OPEN  # … changes nothing
    done = client.post(f"{QUEUE}{report.pk}/{action}/", {"note": note})
    assert done.status_code == 302
    return MessageReport.objects.get(pk=report.pk)


def test_dismiss_records_who_when_and_the_note_and_changes_nothing_else(client, folks, reported):
    report = act(client, folks, reported, "dismiss", note="Banter between friends")
    assert report.status == ReportStatus.DISMISSED
    assert report.handled_by == folks.admin and report.handled_at is not None
    assert report.note == "Banter between friends"
    assert Message.objects.get(pk=reported.message_id).body == "You are hopeless"
    assert may_write(folks.teacher, folks.student)


def test_remove_hides_the_message_for_both_and_keeps_its_text_on_the_report(
    client, folks, reported
):
    report = act(client, folks, reported, "remove")
    assert report.status == ReportStatus.ACTIONED and report.action == "remove_message"
    assert report.removed_body == "You are hopeless"
    message = Message.objects.get(pk=reported.message_id)
    assert message.body == ""
    assert message.sender_deleted_at and message.recipient_deleted_at
    assert not Message.objects.inbox(folks.student).filter(pk=message.pk).exists()
    assert not Message.objects.sent(folks.teacher).filter(pk=message.pk).exists()


def test_block_stops_messages_between_the_sender_and_the_reporter(client, folks, reported):
    report = act(client, folks, reported, "block")
    assert report.action == "block_sender"
    assert UserBlock.objects.filter(blocker=folks.student, blocked=folks.teacher).exists()
    assert not may_write(folks.teacher, folks.student)
    assert not may_write(folks.student, folks.teacher)
    assert may_write(folks.teacher, folks.minor)  # the teacher's other students are unaffected


def test_suspend_lets_the_sender_write_to_admins_only(client, folks, reported):
    assert may_write(folks.teacher, folks.other_teacher)
    report = act(client, folks, reported, "suspend")
    assert report.action == "suspend_sender"
    assert MessagingSuspension.objects.get(user=folks.teacher).created_by == folks.admin
    assert set(message_partners_for(folks.teacher)) == {folks.admin}
    assert not may_write(folks.teacher, folks.student)
    assert not may_write(folks.teacher, folks.other_teacher)
    assert may_write(folks.teacher, folks.admin)


def test_a_handled_report_is_not_handled_twice(client, folks, reported):
    act(client, folks, reported, "dismiss")
    client.post(f"{QUEUE}{reported.pk}/suspend/", {"note": "again"})
    report = MessageReport.objects.get(pk=reported.pk)
    assert report.status == ReportStatus.DISMISSED
    assert not MessagingSuspension.objects.exists()


def test_an_admins_message_cannot_lead_to_blocking_or_suspending_them(client, folks):
    report = MessageReport.objects.create(
        message=write(folks.admin, folks.student, "Please check your settings"),
        reporter=folks.student,
        reason="other",
    )
    client.force_login(folks.admin)
    client.post(f"{QUEUE}{report.pk}/suspend/", {"note": ""})
    client.post(f"{QUEUE}{report.pk}/block/", {"note": ""})
    assert MessageReport.objects.get(pk=report.pk).status == ReportStatus.OPEN
    assert not MessagingSuspension.objects.exists() and not UserBlock.objects.exists()


def test_a_missing_report_is_404_for_an_admin(client, folks):
    client.force_login(folks.admin)
    assert client.get(f"{QUEUE}987654321/").status_code == 404
