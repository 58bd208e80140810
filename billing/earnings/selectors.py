"""A teacher's monthly statement: each lesson and course earned (gross, commission, net), the payouts
recorded, and the balance owed per currency. A teacher sees their own; an admin any teacher's; nobody
else sees a teacher's money (forbidden == missing)."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from authentication.models import User
from authentication.roles import is_admin, is_teacher
from cplatform.exceptions import NotFound, PermissionDenied

from ..models import EarningEntry, Payout

ZERO = Decimal("0.00")


@dataclass
class CurrencyTotals:
    currency: str
    gross: Decimal = ZERO
    commission: Decimal = ZERO
    net: Decimal = ZERO
    payouts: Decimal = ZERO
    balance: Decimal = ZERO  # all net earned up to the month's end minus all payouts up to then


@dataclass
class Statement:
    teacher: User
    month: date  # the first day of the month (the teacher's local calendar)
    start: datetime
    end: datetime
    entries: list[EarningEntry] = field(default_factory=list)
    payouts: list[Payout] = field(default_factory=list)
    totals: list[CurrencyTotals] = field(default_factory=list)


def earnings_teacher_for(*, viewer: User, teacher_id: int | None) -> User:
    """Whose statement the viewer may read: a teacher their own (naming another → 404), an admin
    anyone's who teaches (`teacher_id` required, else their own); anyone else → PermissionDenied."""
    if is_admin(viewer):
        if teacher_id is None or teacher_id == viewer.pk:
            return viewer
        teacher = User.objects.filter(pk=teacher_id).first()
        if teacher is None or not is_teacher(teacher):
            raise NotFound()
        return teacher
    if not is_teacher(viewer):
        raise PermissionDenied()
    if teacher_id is not None and teacher_id != viewer.pk:
        raise NotFound()
    return viewer


def month_bounds(month: date, tz_name: str) -> tuple[datetime, datetime]:
    try:
        tz = zoneinfo.ZoneInfo(tz_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    first = month.replace(day=1)
    following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return (
        datetime.combine(first, time(0, 0), tzinfo=tz),
        datetime.combine(following, time(0, 0), tzinfo=tz),
    )


def current_month(user: User) -> date:
    try:
        tz = zoneinfo.ZoneInfo(user.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(tz).date().replace(day=1)


def earnings_statement(*, viewer: User, month: date, teacher_id: int | None = None) -> Statement:
    """The month's statement of the teacher the viewer may read (see `earnings_teacher_for`). Four
    queries whatever the number of lessons."""
    teacher = earnings_teacher_for(viewer=viewer, teacher_id=teacher_id)
    start, end = month_bounds(month, teacher.timezone)
    entries = list(
        EarningEntry.objects.filter(teacher=teacher, earned_at__gte=start, earned_at__lt=end)
        .select_related("lesson", "order")
        .order_by("earned_at", "pk")
    )
    payouts = list(
        Payout.objects.filter(teacher=teacher, paid_at__gte=start, paid_at__lt=end).order_by(
            "paid_at", "pk"
        )
    )
    earned_until = {
        row["currency"]: row["net"] or ZERO
        for row in EarningEntry.objects.filter(teacher=teacher, earned_at__lt=end)
        .values("currency")
        .annotate(net=Sum("net"))
    }
    paid_until = {
        row["currency"]: row["amount"] or ZERO
        for row in Payout.objects.filter(teacher=teacher, paid_at__lt=end)
        .values("currency")
        .annotate(amount=Sum("amount"))
    }
    totals: dict[str, CurrencyTotals] = {}
    for entry in entries:
        t = totals.setdefault(entry.currency, CurrencyTotals(entry.currency))
        t.gross += entry.gross
        t.commission += entry.commission
        t.net += entry.net
    for payout in payouts:
        totals.setdefault(payout.currency, CurrencyTotals(payout.currency)).payouts += payout.amount
    for currency in set(earned_until) | set(paid_until):
        t = totals.setdefault(currency, CurrencyTotals(currency))
        t.balance = earned_until.get(currency, ZERO) - paid_until.get(currency, ZERO)
    return Statement(
        teacher=teacher,
        month=month.replace(day=1),
        start=start,
        end=end,
        entries=entries,
        payouts=payouts,
        totals=[totals[c] for c in sorted(totals)],
    )
