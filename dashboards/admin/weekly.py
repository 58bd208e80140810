"""The weekly summary email: admins subscribe on the dashboard; a django-q2 schedule
(`weekly_reports_send`, created by dashboards' migration) sends each active subscriber who is still
an admin one email per ISO week, through the outbox (cplatform/mail.py), in their language, with
the last seven days' KPIs in the body and as a CSV attachment. A `SentReport` row (unique per
subscription and week) is written in the same transaction as the outbox row: running the schedule
twice, or two workers at once, sends one email."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from authentication.roles import is_admin
from cplatform.exceptions import NotFound
from dashboards.analytics.periods import Period, school_today
from dashboards.models import ReportSubscription, SentReport

from .exports import csv_text
from .filters import Filters
from .kpis import TILE_COLUMNS, dashboard_figures, tile_rows


def report_subscription_get(*, user) -> ReportSubscription | None:
    return ReportSubscription.objects.filter(user=user).first()


def report_subscribe(*, actor, language: str | None = None) -> ReportSubscription:
    """Turn the actor's weekly summary on (admins only), in `language` (default: their own)."""
    if not is_admin(actor):
        raise NotFound()
    language = language or getattr(actor, "language", "") or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    subscription, _created = ReportSubscription.objects.update_or_create(
        user=actor, defaults={"active": True, "language": language}
    )
    return subscription


def report_unsubscribe(*, actor) -> None:
    """Turn the actor's weekly summary off (nothing to do when they never subscribed)."""
    ReportSubscription.objects.filter(user=actor).update(active=False)


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def weekly_reports_send(*, today: date | None = None) -> int:
    """Send this ISO week's summary to every active admin subscriber who has not had it. Returns
    how many were sent."""
    today = today or school_today()
    week = iso_week(today)
    filters = Filters(Period(today - timedelta(days=7), today - timedelta(days=1)))
    subscriptions = (
        ReportSubscription.objects.filter(active=True, user__is_active=True)
        .exclude(sent__iso_week=week)
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    figures = None
    for subscription in subscriptions:
        user = subscription.user
        if not is_admin(user):
            continue
        if figures is None:  # every admin sees the same figures: computed once
            figures = dashboard_figures(viewer=user, filters=filters)
        try:
            with transaction.atomic():
                SentReport.objects.create(subscription=subscription, iso_week=week)
                _send(subscription, figures, week)
        except IntegrityError:
            continue  # another run sent it
        sent += 1
    return sent


def _send(subscription: ReportSubscription, figures, week: str) -> None:
    with translation.override(subscription.language):
        period = figures.filters.period
        context = {
            "user": subscription.user,
            "week": week,
            "period": period,
            "tiles": figures.tiles,
        }
        subject = _("Weekly school summary, %(start)s – %(end)s") % {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        }
        body = render_to_string("dashboards/admin/weekly_email.txt", context)
        html = render_to_string("dashboards/admin/weekly_email.html", context)
        attachment = csv_text([str(c) for c in TILE_COLUMNS], tile_rows(figures))
    message = EmailMultiAlternatives(subject, body, None, [subscription.user.email])
    message.attach_alternative(html, "text/html")
    message.attach(f"school-summary-{week}.csv", attachment, "text/csv")
    message.send()
