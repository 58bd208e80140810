"""The weekly summary email: admins subscribe on the dashboard (in a language) and unsubscribe after
being asked; the schedule sends each active admin subscriber one email per ISO week through the
outbox, in their language, with the KPIs in the body and a CSV attached — run twice, one email."""

import csv
import io
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django_q.models import Schedule

from cplatform.models import OutboundEmail
from dashboards.admin.schedule import WEEKLY_FUNC, WEEKLY_SCHEDULE, weekly_schedule_ensure
from dashboards.admin.tasks import weekly_reports
from dashboards.admin.weekly import iso_week, report_subscribe, weekly_reports_send
from dashboards.analytics.periods import Period
from dashboards.analytics.selectors import money_summary
from dashboards.models import ReportSubscription, SentReport
from tests.authentication.factories import AdminFactory, TeacherFactory
from tests.classroom.conftest import as_user
from tests.dashboards.analytics_data import build
from tests.outbox import send_outbox

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)  # ISO week 2026-W50; the email covers 30 Nov – 6 Dec


def url(name):
    return reverse(f"school_dashboard:{name}")


def test_an_admin_subscribes_in_a_language_and_unsubscribes_after_being_asked(client):
    admin = AdminFactory()
    client = as_user(client, admin)
    assert "Subscribe to the weekly summary" in client.get(url("index")).content.decode()
    asked = client.get(url("subscribe"))
    assert asked.status_code == 200 and not ReportSubscription.objects.exists()
    response = client.post(url("subscribe"), {"language": "es"})
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get(user=admin)
    assert (subscription.active, subscription.language) == (True, "es")
    assert "Stop the weekly summary" in client.get(url("index")).content.decode()

    question = client.get(url("unsubscribe"))
    assert question.status_code == 200
    assert "You will no longer receive the weekly summary email." in question.content.decode()
    subscription.refresh_from_db()
    assert subscription.active  # asking changed nothing
    client.post(url("unsubscribe"))
    subscription.refresh_from_db()
    assert not subscription.active
    # Subscribing again turns the same row back on; an unknown language falls back to English.
    client.post(url("subscribe"), {"language": "xx"})
    subscription.refresh_from_db()
    assert (subscription.active, subscription.language) == (True, "en")
    assert ReportSubscription.objects.count() == 1


def test_others_cannot_subscribe(client):
    teacher = TeacherFactory()
    response = as_user(client, teacher).post(url("subscribe"), {"language": "en"})
    assert response.status_code in (302, 403)
    assert not ReportSubscription.objects.exists()


def test_the_schedule_run_twice_sends_one_email_per_subscriber_in_their_language(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    build()
    english = AdminFactory(email="owner@example.com")
    spanish = AdminFactory(email="duena@example.com")
    stopped = AdminFactory(email="stopped@example.com")
    report_subscribe(actor=english, language="en")
    report_subscribe(actor=spanish, language="es")
    report_subscribe(actor=stopped, language="en")
    ReportSubscription.objects.filter(user=stopped).update(active=False)
    # Someone who is no longer an admin keeps the row but gets nothing.
    former = TeacherFactory(email="former@example.com")
    ReportSubscription.objects.create(user=former, language="en")
    mail.outbox.clear()

    assert weekly_reports_send(today=MONDAY) == 2
    assert weekly_reports_send(today=MONDAY) == 0
    assert OutboundEmail.objects.count() == 2
    delivered = send_outbox()
    assert sorted(m.to[0] for m in delivered) == ["duena@example.com", "owner@example.com"]
    assert SentReport.objects.filter(iso_week="2026-W50").count() == 2

    by_to = {m.to[0]: m for m in delivered}
    en, es = by_to["owner@example.com"], by_to["duena@example.com"]
    assert en.subject == "Weekly school summary, 2026-11-30 – 2026-12-06"
    assert es.subject == "Resumen semanal de la escuela, 2026-11-30 – 2026-12-06"
    assert "Net revenue (EUR)" in en.body
    assert "Ingresos netos (EUR)" in es.body
    name, content, mimetype = en.attachments[0]
    assert (name, mimetype) == ("school-summary-2026-W50.csv", "text/csv")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[0] == [
        "Group",
        "Figure",
        "Currency",
        "This period",
        "Previous period",
        "Change (%)",
    ]
    # The figures of the week (30 Nov – 6 Dec in Madrid) and the week before, per currency.
    week = money_summary(viewer=english, period=Period(date(2026, 11, 30), date(2026, 12, 6)))
    net = {row.currency: row.net for row in week.totals}
    before = {row.currency: row.net for row in week.previous_totals}
    assert net["EUR"] > 0
    eur = next(r for r in rows if r[1] == "Net revenue" and r[2] == "EUR")
    assert eur[3:5] == [str(net["EUR"]), str(before["EUR"]) if "EUR" in before else ""]
    assert f"Net revenue (EUR): {net['EUR']:.2f} EUR" in en.body
    es_rows = list(csv.reader(io.StringIO(es.attachments[0][1].lstrip("\ufeff"))))
    assert es_rows[0][1] == "Dato"

    # Next week: one more each.
    assert weekly_reports_send(today=date(2026, 12, 14)) == 2


def test_the_task_sends_for_today(clock):
    admin = AdminFactory()
    report_subscribe(actor=admin, language="en")
    clock.move_to("2026-12-07T08:00:00Z")
    weekly_reports()
    weekly_reports()
    assert list(SentReport.objects.values_list("iso_week", flat=True)) == [iso_week(MONDAY)]


def test_the_migration_schedules_the_weekly_email_once():
    Schedule.objects.filter(name=WEEKLY_SCHEDULE).delete()  # a flushed database after live tests
    weekly_schedule_ensure(Schedule)
    weekly_schedule_ensure(Schedule)
    schedule = Schedule.objects.get(name=WEEKLY_SCHEDULE)
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (WEEKLY_FUNC, "W", -1)
    assert schedule.next_run.weekday() == 0 and schedule.next_run.hour == 7
