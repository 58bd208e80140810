"""The payment history page: payments, refunds, invoices and credit notes, lesson credits bought
and used and the balance per teacher and currency, for a student and their parents (each child's,
family billing), filterable by child."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from authentication.roles import role_required
from authentication.selectors import children_of

from ..checkout.present import invoice_pdf_url
from . import selectors

PAGE_SIZE = 20


@role_required()
@require_GET
def payment_history(request):
    user = request.user
    children = list(children_of(guardian=user).order_by("first_name", "last_name", "pk"))
    student_id = None
    raw = request.GET.get("student", "")
    if raw.isdigit() and any(child.pk == int(raw) for child in [user, *children]):
        student_id = int(raw)
    payments = Paginator(
        selectors.payment_list_for_user(user=user, student_id=student_id), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    invoices = list(selectors.invoice_list_for_user(user=user, student_id=student_id)[:PAGE_SIZE])
    return render(
        request,
        "billing/history.html",
        {
            "payments": payments,
            "refunds": list(
                selectors.refund_list_for_user(user=user, student_id=student_id)[:PAGE_SIZE]
            ),
            "invoices": [(invoice, invoice_pdf_url(invoice)) for invoice in invoices],
            "open_orders": list(
                selectors.order_list_for_user(user=user)
                .filter(status="open")
                .filter(**({"student_id": student_id} if student_id else {}))[:PAGE_SIZE]
            ),
            "balances": selectors.credit_balance_list_for_user(user=user, student_id=student_id),
            "entries": list(
                selectors.credit_entry_list_for_user(user=user, student_id=student_id)[:PAGE_SIZE]
            ),
            "children": children,
            "student_id": student_id,
        },
    )
