"""A teacher's monthly earnings statement (their own; an admin any teacher's with `teacher_id`)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from authentication.api_auth import auth_for
from cplatform.api_base import errors

from .selectors import current_month, earnings_statement

router = Router(tags=["earnings"])


class EarningsQuery(Schema):
    month: str | None = Field(
        None,
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="YYYY-MM (the teacher's calendar month); default: this month.",
    )
    teacher_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="Admins: whose statement (default: your own)."
    )


class EarningLineOut(Schema):
    id: int
    description: str
    currency: str
    gross: Decimal
    commission: Decimal
    net: Decimal
    earned_at: str
    lesson_id: int | None
    order_id: int | None

    @staticmethod
    def resolve_earned_at(obj):
        return obj.earned_at.isoformat()


class PayoutOut(Schema):
    id: int
    currency: str
    amount: Decimal
    period_start: date
    period_end: date
    note: str
    paid_at: str

    @staticmethod
    def resolve_paid_at(obj):
        return obj.paid_at.isoformat()


class CurrencyTotalsOut(Schema):
    currency: str
    gross: Decimal
    commission: Decimal
    net: Decimal
    payouts: Decimal
    balance: Decimal = Field(..., description="All net earned to the month's end minus payouts.")


class StatementOut(Schema):
    teacher_id: int
    month: str
    entries: list[EarningLineOut]
    payouts: list[PayoutOut]
    totals: list[CurrencyTotalsOut]


@router.get("/earnings", response={200: StatementOut, **errors(401, 403, 404)}, auth=auth_for())
def retrieve_earnings(request, query: Query[EarningsQuery]):
    """Your monthly statement (teachers): each lesson and course earned (gross, the platform's
    commission, net), the payouts recorded, and per currency the totals and the balance owed."""
    if query.month:
        year, month = (int(part) for part in query.month.split("-"))
        first = date(year, month, 1)
    else:
        first = current_month(request.auth)
    statement = earnings_statement(viewer=request.auth, month=first, teacher_id=query.teacher_id)
    return {
        "teacher_id": statement.teacher.pk,
        "month": f"{statement.month:%Y-%m}",
        "entries": statement.entries,
        "payouts": statement.payouts,
        "totals": statement.totals,
    }
