"""Billing in the Wagtail admin (Admin role only), a "Billing" menu of five screens: Payments
(filtered by status, method and currency; each with its order, refunds and papers, and "Refund…"),
Outstanding invoices ("Mark paid"), Refunds, Disputes and Teacher payouts ("Record payout"). Every
money action asks first: its GET is the question (what will happen, the fields it needs), its POST
does it through billing's services. Lists are one query each, however long (tests count them)."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup

from authentication.admin_menu import AdminsOnlyViewSet
from authentication.choices import Role
from authentication.models import User
from authentication.roles import is_admin
from catalog.choices import Currency
from cplatform.admin_confirm import AdminConfirmMixin, AdminObjectMixin
from cplatform.exceptions import ValidationFailed

from ..choices import PaymentMethod, PaymentStatus
from ..models import Dispute, Invoice, Payment, Payout, Refund
from .selectors import (
    REFUNDABLE,
    invoice_get_for_admin,
    outstanding_invoice_list_for_admin,
    payment_get_for_admin,
    payment_list_for_admin,
)
from .services import admin_invoice_mark_paid, admin_refund_create

PAGE_SIZE = 100


class _BillingView(WagtailAdminTemplateMixin, TemplateView):
    """Admins only (others: 403, as the admin's other refusals); the breadcrumbs lead back to the
    screen's list."""

    url_namespace = ""
    header_icon = "form"
    index_label = ""

    def may_enter(self, user) -> bool:
        return user.is_authenticated and is_admin(user)

    def dispatch(self, request, *args, **kwargs):
        if not self.may_enter(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.index_label and self.url_namespace:
            items.append({"url": reverse(f"{self.url_namespace}:index"), "label": self.index_label})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs_items"] = self.get_breadcrumbs_items()
        context["url_namespace"] = self.url_namespace
        return context


# --- payments ------------------------------------------------------------------------------------


def _choice(value: str, choices) -> str:
    return value if value in choices.values else ""


class PaymentIndexView(_BillingView):
    template_name = "billing/admin/payment_index.html"
    page_title = gettext_lazy("Payments")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        filters = {
            "status": _choice(get.get("status", ""), PaymentStatus),
            "method": _choice(get.get("method", ""), PaymentMethod),
            "currency": _choice(get.get("currency", ""), Currency),
        }
        payments = payment_list_for_admin(actor=self.request.user, **filters)
        context.update(
            {
                "payments": payments.prefetch_related("order__invoices")[:PAGE_SIZE],
                "filters": filters,
                "filter_fields": [
                    ("status", _("Status"), PaymentStatus.choices),
                    ("method", _("Method"), PaymentMethod.choices),
                    ("currency", _("Currency"), Currency.choices),
                ],
            }
        )
        return context


class _PaymentView(AdminObjectMixin, _BillingView):
    index_label = gettext_lazy("Payments")

    def get_object(self):
        return payment_get_for_admin(actor=self.request.user, payment_id=self.pk)


class PaymentDetailView(_PaymentView):
    template_name = "billing/admin/payment_detail.html"

    def get_page_title(self):
        return _("Payment %(id)s") % {"id": self.object.pk}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        payment = self.object
        context.update(
            {
                "payment": payment,
                "order": payment.order,
                "lines": list(payment.order.lines.all()),
                "refunds": list(payment.refunds.select_related("credit_note", "created_by")),
                "papers": list(payment.order.invoices.order_by("issued_at", "pk")),
                "refundable": payment.status in REFUNDABLE and payment.order.refundable > 0,
            }
        )
        return context


class PaymentRefundView(AdminConfirmMixin, _PaymentView):
    """GET: the question (what will happen) with the amount and the reason; POST: the refund. A
    refusal shows the form again as it was sent, with the same idempotency key."""

    template_name = "billing/admin/payment_refund.html"
    back_to_object = True
    success_message = gettext_lazy("Refund recorded; its credit note is issued.")

    def get_page_title(self):
        return _("Refund part of payment %(id)s?") % {"id": self.object.pk}

    def submitted(self) -> dict[str, str]:
        post = self.request.POST
        return {
            "amount": post.get("amount", ""),
            "note": post.get("note", "")[:300],
            "key": post.get("key", ""),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object.order
        values = self.submitted() if self.refusal is not None else {}
        context.update(
            {
                "payment": self.object,
                "order": order,
                "key": values.get("key") or uuid.uuid4(),
                "amount": values.get("amount", order.refundable),
                "note": values.get("note", ""),
            }
        )
        return context

    def act(self):
        admin_refund_create(actor=self.request.user, payment=self.object, **self.submitted())


class PaymentViewSet(AdminsOnlyViewSet):
    model = Payment
    name = "billing_payments"
    icon = "form"
    menu_label = gettext_lazy("Payments")

    def get_urlpatterns(self):
        common = {"url_namespace": self.url_namespace}
        return [
            path("", PaymentIndexView.as_view(**common), name="index"),
            path("<int:pk>/", PaymentDetailView.as_view(**common), name="detail"),
            path("<int:pk>/refund/", PaymentRefundView.as_view(**common), name="refund"),
        ]


# --- outstanding invoices -----------------------------------------------------------------------


class InvoiceIndexView(_BillingView):
    template_name = "billing/admin/invoice_index.html"
    page_title = gettext_lazy("Outstanding invoices")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoices = outstanding_invoice_list_for_admin(actor=self.request.user)
        context["invoices"] = invoices.select_related("order__student")[:PAGE_SIZE]
        return context


class InvoiceMarkPaidView(AdminConfirmMixin, AdminObjectMixin, _BillingView):
    template_name = "billing/admin/invoice_mark_paid.html"
    index_label = gettext_lazy("Outstanding invoices")

    def get_object(self):
        return invoice_get_for_admin(actor=self.request.user, invoice_id=self.pk)

    def get_page_title(self):
        return _("Mark invoice %(number)s paid?") % {"number": self.object.number}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invoice"] = self.object
        return context

    def act(self):
        admin_invoice_mark_paid(
            actor=self.request.user, invoice=self.object, note=self.request.POST.get("note", "")
        )

    def get_success_message(self):
        return _("Invoice %(number)s is paid.") % {"number": self.object.number}


class InvoiceViewSet(AdminsOnlyViewSet):
    model = Invoice
    name = "billing_invoices"
    icon = "doc-full"
    menu_label = gettext_lazy("Outstanding invoices")

    def get_urlpatterns(self):
        common = {"url_namespace": self.url_namespace}
        return [
            path("", InvoiceIndexView.as_view(**common), name="index"),
            path("<int:pk>/mark-paid/", InvoiceMarkPaidView.as_view(**common), name="mark_paid"),
        ]


# --- refunds and disputes -----------------------------------------------------------------------


class RefundIndexView(_BillingView):
    template_name = "billing/admin/refund_index.html"
    page_title = gettext_lazy("Refunds")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refunds"] = Refund.objects.select_related(
            "payment__order__payer", "credit_note", "created_by"
        ).order_by("-created_at", "-pk")[:PAGE_SIZE]
        return context


class DisputeIndexView(_BillingView):
    template_name = "billing/admin/dispute_index.html"
    page_title = gettext_lazy("Disputes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["disputes"] = Dispute.objects.select_related("payment__order__payer").order_by(
            "-opened_at", "-pk"
        )[:PAGE_SIZE]
        return context


def _list_viewset(view, *, model, name, icon, label):
    class ListViewSet(AdminsOnlyViewSet):
        def get_urlpatterns(self):
            return [path("", view.as_view(url_namespace=self.url_namespace), name="index")]

    ListViewSet.__name__ = f"{view.__name__.removesuffix('IndexView')}ViewSet"
    return ListViewSet(model=model, name=name, icon=icon, menu_label=label)


# --- teacher payouts ----------------------------------------------------------------------------


def _payout_record(**kwargs) -> Payout:
    """The policy engineer's service (billing/earnings/services.py): one rule for payouts."""
    from ..earnings.services import payout_record

    return payout_record(**kwargs)


def _teachers():
    return User.objects.filter(groups__name=Role.TEACHER, is_active=True).order_by("email")


class PayoutIndexView(_BillingView):
    template_name = "billing/admin/payout_index.html"
    page_title = gettext_lazy("Teacher payouts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["payouts"] = Payout.objects.select_related("teacher", "recorded_by").order_by(
            "-paid_at", "-pk"
        )[:PAGE_SIZE]
        return context


class PayoutRecordView(AdminConfirmMixin, _BillingView):
    """GET: the form and what recording does; POST: records it (payout_record). A field the form
    cannot read refuses as the service would (ValidationFailed with the field's message)."""

    template_name = "billing/admin/payout_record.html"
    page_title = gettext_lazy("Record a payout")
    index_label = gettext_lazy("Teacher payouts")
    success_message = gettext_lazy("Payout recorded.")

    def submitted(self) -> dict[str, str]:
        fields = ("teacher", "currency", "amount", "note", "period_start", "period_end")
        return {k: self.request.POST.get(k, "") for k in fields}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "teachers": _teachers(),
                "currencies": Currency.choices,
                "values": self.submitted() if self.refusal is not None else {},
            }
        )
        return context

    def act(self):
        values = self.submitted()
        errors: dict[str, list[str]] = {}
        teacher = (
            _teachers().filter(pk=values["teacher"]).first()
            if values["teacher"].isdigit()
            else None
        )
        if teacher is None:
            errors["teacher"] = [_("Choose a teacher.")]
        dates = {}
        for field in ("period_start", "period_end"):
            try:
                dates[field] = date.fromisoformat(values[field])
            except ValueError:
                errors[field] = [_("Enter a date (YYYY-MM-DD).")]
        if errors:
            raise ValidationFailed(errors=errors)
        _payout_record(
            actor=self.request.user,
            teacher=teacher,
            currency=values["currency"],
            amount=values["amount"].replace(",", "."),
            note=values["note"][:300],
            **dates,
        )


class PayoutViewSet(AdminsOnlyViewSet):
    model = Payout
    name = "billing_payouts"
    icon = "user"
    menu_label = gettext_lazy("Teacher payouts")

    def get_urlpatterns(self):
        common = {"url_namespace": self.url_namespace}
        return [
            path("", PayoutIndexView.as_view(**common), name="index"),
            path("record/", PayoutRecordView.as_view(**common), name="record"),
        ]


class BillingViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Billing")
    menu_icon = "form"
    menu_order = 260
    items = (
        PaymentViewSet,
        InvoiceViewSet,
        _list_viewset(
            RefundIndexView,
            model=Refund,
            name="billing_refunds",
            icon="undo",
            label=gettext_lazy("Refunds"),
        ),
        _list_viewset(
            DisputeIndexView,
            model=Dispute,
            name="billing_disputes",
            icon="warning",
            label=gettext_lazy("Disputes"),
        ),
        PayoutViewSet,
    )
