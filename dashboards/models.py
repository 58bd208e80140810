"""dashboards' own tables: what analytics records (who was active on a day, daily counters) and the
rollups a scheduled task keeps, so the admin dashboard reads days, not raw rows. Rows are keyed by
the school day (`SCHOOL_TIME_ZONE`)."""

from django.conf import settings
from django.db import models

from cplatform.validators import validate_single_line


class DailyActive(models.Model):
    """A person was active (signed in and made a request) on a school day. Written at most once per
    person and day: a cache key guards the insert, and the unique constraint makes a race harmless."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analytics_active_days"
    )
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="dashboards_dailyactive_once")
        ]
        indexes = [models.Index(fields=["day", "user"], name="dashboards_dailyactive_day")]

    def __str__(self):
        return f"{self.user_id} on {self.day}"


class DailyCounter(models.Model):
    """A count per school day and key: "download" (material downloads), "pageview" (public page
    views, counted in the cache and flushed here every few minutes). Writes are upserts (+= n)."""

    day = models.DateField()
    key = models.CharField(validators=[validate_single_line], max_length=60)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "key"], name="dashboards_dailycounter_once")
        ]

    def __str__(self):
        return f"{self.key} {self.day}: {self.value}"


class DailyRollup(models.Model):
    """A school-wide figure for one past day, kept by the rollup task (`metric`, and `key` for its
    dimension: a role, a currency). Today's figures are computed live; `backfill_analytics` fills
    older days."""

    day = models.DateField()
    metric = models.CharField(validators=[validate_single_line], max_length=40)
    key = models.CharField(validators=[validate_single_line], max_length=40, blank=True, default="")
    value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "metric", "key"], name="dashboards_dailyrollup_once"
            )
        ]

    def __str__(self):
        return f"{self.metric}[{self.key}] {self.day}: {self.value}"


class ReportSubscription(models.Model):
    """An admin who receives the weekly summary email (dashboards/admin/services.py), in `language`.
    One row per person: unsubscribing turns it off, subscribing again turns it back on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscription"
    )
    active = models.BooleanField(default=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"weekly report for {self.user_id} ({'on' if self.active else 'off'})"


class SentReport(models.Model):
    """The weekly summary went to a subscription for an ISO week ("2026-W49"): the unique row makes
    running the schedule twice send one email."""

    subscription = models.ForeignKey(
        ReportSubscription, on_delete=models.CASCADE, related_name="sent"
    )
    iso_week = models.CharField(validators=[validate_single_line], max_length=8)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "iso_week"], name="dashboards_sentreport_once"
            )
        ]

    def __str__(self):
        return f"{self.subscription_id} {self.iso_week}"
