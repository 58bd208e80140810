"""The teacher's monthly earnings statement page and its CSV."""

import csv
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from authentication.choices import Role
from authentication.roles import role_required
from cplatform.exceptions import NotFound

from .selectors import current_month, earnings_statement


def _month(request) -> date:
    raw = request.GET.get("month") or ""
    if not raw:
        return current_month(request.user)
    try:
        year, month = (int(part) for part in raw.split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise NotFound() from None


def _teacher_id(request) -> int | None:
    raw = request.GET.get("teacher") or ""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound()
    return int(raw)


def _shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


@role_required(Role.TEACHER, Role.ADMIN)
@require_GET
def earnings_page(request):
    """Each lesson and course of the month, gross, commission, net; payouts; balance per currency.
    A teacher's own; an admin any teacher's (`?teacher=`); anyone else 403."""
    month = _month(request)
    statement = earnings_statement(
        viewer=request.user, month=month, teacher_id=_teacher_id(request)
    )
    return render(
        request,
        "billing/earnings/statement.html",
        {
            "statement": statement,
            "previous": f"{_shift(statement.month, -1):%Y-%m}",
            "next": f"{_shift(statement.month, 1):%Y-%m}",
            "teacher_param": request.GET.get("teacher") or "",
        },
    )


@role_required(Role.TEACHER, Role.ADMIN)
@require_GET
def earnings_csv(request):
    statement = earnings_statement(
        viewer=request.user, month=_month(request), teacher_id=_teacher_id(request)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="earnings-{statement.month:%Y-%m}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [_("Date"), _("Description"), _("Currency"), _("Gross"), _("Commission"), _("Net")]
    )
    for entry in statement.entries:
        writer.writerow(
            [
                entry.earned_at.date().isoformat(),
                _csv_safe(entry.description),
                entry.currency,
                entry.gross,
                entry.commission,
                entry.net,
            ]
        )
    for payout in statement.payouts:
        writer.writerow(
            [
                payout.paid_at.date().isoformat(),
                _csv_safe(_("Payout") + (f": {payout.note}" if payout.note else "")),
                payout.currency,
                "",
                "",
                -payout.amount,
            ]
        )
    for total in statement.totals:
        writer.writerow(["", _("Balance"), total.currency, "", "", total.balance])
    return response


def _csv_safe(text: str) -> str:
    """A spreadsheet never reads a description as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
