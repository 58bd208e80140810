"""Billing's records: what is owed (orders), what came in and went out (payments, refunds, disputes),
the papers (numbered invoices and credit notes), lesson credits (one ledger), subscriptions, coupons
and what teachers earned and were paid.

Money is a Decimal with two places in the order's currency (every currency we take has cents);
Stripe's minor units are converted at the seam (`billing/stripe/`). Rows are never deleted: a refund,
a credit note or a reversing ledger row records a change of mind. Invariants that must hold under
concurrency (one fulfilment per order, one refund per cause, gap-free invoice numbers, one ledger
row per cause) are database constraints, not checks in code."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.choices import Currency
from cplatform.validators import validate_single_line

from .choices import (
    DisputeStatus,
    InvoiceKind,
    InvoiceStatus,
    LedgerCause,
    OrderKind,
    OrderStatus,
    PaymentMethod,
    PaymentStatus,
    RefundReason,
    RefundStatus,
    ReminderStage,
    SubscriptionStatus,
)

MONEY = {"max_digits": 10, "decimal_places": 2}
USER = settings.AUTH_USER_MODEL


class Plan(models.Model):
    """A monthly subscription: `credits_per_month` lessons with `teacher`, at `price` a month; unused
    credits roll over up to `rollover_cap` (0: none carry over)."""

    name = models.CharField(max_length=120, validators=[validate_single_line])
    teacher = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="billing_plans")
    lesson_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(15), MaxValueValidator(240)]
    )
    credits_per_month = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    rollover_cap = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("How many unused credits carry over into the next month."),
    )
    price = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.50"))])
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    active = models.BooleanField(default=True)
    stripe_price_id = models.CharField(
        validators=[validate_single_line], max_length=255, blank=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="billing_plan_price_positive")
        ]

    def __str__(self):
        return self.name


class Coupon(models.Model):
    """A promotion code: a percentage or a fixed amount (in one currency) off an order."""

    code = models.CharField(max_length=40, unique=True, validators=[validate_single_line])
    percent_off = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    amount_off = models.DecimalField(**MONEY, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=Currency.choices, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(null=True, blank=True)
    times_redeemed = models.PositiveIntegerField(default=0, editable=False)
    active = models.BooleanField(default=True)
    stripe_coupon_id = models.CharField(
        validators=[validate_single_line], max_length=255, blank=True, editable=False
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(percent_off__isnull=False, amount_off__isnull=True)
                    | Q(percent_off__isnull=True, amount_off__gt=0, currency__gt="")
                ),
                name="billing_coupon_one_discount",
            )
        ]

    def __str__(self):
        return self.code


class Order(models.Model):
    """What a payer owes for one thing (a course, one or more held lessons, a package, a plan's first
    month). Paid exactly once: `order_fulfil` moves OPEN → PAID under the row lock, and a paid order is
    never fulfilled again whatever replays."""

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=OrderKind.choices)
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    payer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="billing_orders")
    student = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    teacher = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who is paid for it (earnings); empty for a course taught by several."),
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, blank=True)
    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, null=True, blank=True)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    subtotal = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    discount = models.DecimalField(**MONEY, default=Decimal("0"))
    total = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    refunded = models.DecimalField(**MONEY, default=Decimal("0"))
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    stripe_checkout_session_id = models.CharField(
        validators=[validate_single_line], max_length=255, blank=True, db_index=True
    )
    language = models.CharField(
        validators=[validate_single_line],
        max_length=10,
        default="en",
        help_text=_("The payer's language for papers and emails."),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0) & Q(refunded__lte=models.F("total")),
                name="billing_order_refund_within_total",
            ),
        ]
        indexes = [
            models.Index(fields=["payer", "-created_at"]),
            models.Index(fields=["student", "-created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference} ({self.status})"

    @property
    def refundable(self) -> Decimal:
        return self.total - self.refunded


class OrderLine(models.Model):
    """One thing an order pays for: a course, a lesson, a package or a plan's month."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(validators=[validate_single_line], max_length=300)
    quantity = models.PositiveSmallIntegerField(default=1)
    unit_price = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)
    lesson = models.ForeignKey(
        "classroom.Lesson", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson"],
                condition=Q(lesson__isnull=False),
                name="billing_orderline_lesson_once",
                violation_error_message=_("This lesson is already on an order."),
            )
        ]

    def __str__(self):
        return self.description


class Payment(models.Model):
    """Money received for an order (a card payment through Stripe, a transfer an admin recorded, or
    credits). One succeeded payment per order, one row per Stripe payment intent."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(max_length=20, choices=PaymentStatus.choices)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    received_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stripe_payment_intent_id = models.CharField(
        validators=[validate_single_line], max_length=255, blank=True
    )
    stripe_charge_id = models.CharField(
        validators=[validate_single_line], max_length=255, blank=True
    )
    note = models.CharField(max_length=300, blank=True, validators=[validate_single_line])

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=~Q(status=PaymentStatus.FAILED),
                name="billing_payment_one_per_order",
            ),
            models.UniqueConstraint(
                fields=["stripe_payment_intent_id"],
                condition=~Q(stripe_payment_intent_id=""),
                name="billing_payment_one_per_intent",
            ),
        ]
        # Money per day of a period (dashboards, reports).
        indexes = [models.Index(fields=["received_at"], name="billing_payment_received")]

    def __str__(self):
        return f"{self.amount} {self.currency} for {self.order_id} ({self.status})"


class Refund(models.Model):
    """Money given back. `cause` names why, once: "lesson:<id>" for a lesson's policy outcome,
    "order:<id>:late" for a late payment, "stripe:<re_…>" for one made in Stripe's dashboard,
    "admin:<uuid>" for one an admin made. The unique cause makes every replay a no-op."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    currency = models.CharField(max_length=3, choices=Currency.choices)
    reason = models.CharField(max_length=20, choices=RefundReason.choices)
    cause = models.CharField(validators=[validate_single_line], max_length=120, unique=True)
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    lesson = models.ForeignKey(
        "classroom.Lesson", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True, validators=[validate_single_line])
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    stripe_refund_id = models.CharField(
        validators=[validate_single_line], max_length=255, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_refund_id"],
                condition=~Q(stripe_refund_id=""),
                name="billing_refund_one_per_stripe_refund",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="billing_refund_created")]

    def __str__(self):
        return f"-{self.amount} {self.currency} ({self.reason})"


class Dispute(models.Model):
    """A chargeback the card holder's bank opened on a Stripe payment."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="disputes")
    stripe_dispute_id = models.CharField(
        validators=[validate_single_line], max_length=255, unique=True
    )
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    reason = models.CharField(validators=[validate_single_line], max_length=60, blank=True)
    status = models.CharField(max_length=10, choices=DisputeStatus.choices)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return self.stripe_dispute_id


class InvoiceSequence(models.Model):
    """The last number given per year and kind; locked (select_for_update) while a number is taken,
    in the same transaction as the invoice row, so numbers are gap-free under concurrency."""

    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="billing_sequence_per_year_kind")
        ]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class Invoice(models.Model):
    """A numbered paper: an invoice for an order, or a credit note (`kind`) for money given back,
    pointing at the invoice it corrects. One currency per paper."""

    kind = models.CharField(max_length=12, choices=InvoiceKind.choices)
    number = models.CharField(validators=[validate_single_line], max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=InvoiceStatus.choices)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="invoices")
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    refund = models.OneToOneField(
        Refund, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_note"
    )
    payer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="billing_invoices")
    payer_name = models.CharField(validators=[validate_single_line], max_length=200)
    payer_email = models.EmailField(
        validators=[validate_single_line],
    )
    currency = models.CharField(max_length=3, choices=Currency.choices)
    total = models.DecimalField(**MONEY)
    language = models.CharField(validators=[validate_single_line], max_length=10, default="en")
    issued_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    stripe_hosted_url = models.URLField(
        validators=[validate_single_line], blank=True, max_length=500
    )

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="billing_invoice_number_once"
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind=InvoiceKind.INVOICE),
                name="billing_invoice_one_per_order",
            ),
        ]
        indexes = [
            models.Index(fields=["payer", "-issued_at"]),
            # Outstanding invoices: the few open ones among every invoice ever issued.
            models.Index(
                fields=["currency"],
                condition=Q(kind=InvoiceKind.INVOICE, status=InvoiceStatus.OPEN),
                name="billing_invoice_open",
            ),
        ]

    def __str__(self):
        return self.number


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(validators=[validate_single_line], max_length=300)
    quantity = models.PositiveSmallIntegerField(default=1)
    unit_price = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.description


class InvoiceReminder(models.Model):
    """A payment reminder of an open manual invoice went to its payer (`stage`: a few days before
    the due date, or the day after it). Written in the same transaction as the reminder's email
    (the outbox row), so "at most once per invoice and stage" is the unique constraint's word."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=12, choices=ReminderStage.choices)
    due_at = models.DateTimeField(help_text=_("The due date the reminder named."))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "stage"], name="billing_invoice_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.stage} reminder of invoice {self.invoice_id}"


class CreditEntry(models.Model):
    """One movement of lesson credits for a student with a teacher in a currency: + when bought or
    granted, − when used or lapsed. The balance is the sum. `cause_key` makes each movement happen
    once ("order:<id>", "lesson:<id>:booked", "lesson:<id>:returned", "sub:<id>:<period>")."""

    student = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="credit_entries")
    teacher = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3, choices=Currency.choices)
    delta = models.SmallIntegerField()
    unit_value = models.DecimalField(
        **MONEY, default=Decimal("0"), help_text=_("What one credit was paid for.")
    )
    cause = models.CharField(max_length=20, choices=LedgerCause.choices)
    cause_key = models.CharField(validators=[validate_single_line], max_length=120, unique=True)
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, null=True, blank=True, related_name="credit_entries"
    )
    lesson = models.ForeignKey(
        "classroom.Lesson", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subscription = models.ForeignKey(
        "Subscription", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "credit entries"
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="billing_credit_delta_not_zero")
        ]
        indexes = [models.Index(fields=["student", "teacher", "currency"])]

    def __str__(self):
        return f"{self.delta:+d} {self.cause} ({self.cause_key})"


class Subscription(models.Model):
    """A payer's monthly plan for a student. Stripe bills it when Stripe is on; otherwise a manual
    invoice is issued each period. Credits are granted per paid period (`CreditEntry`)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    payer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="billing_subscriptions")
    student = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(
        max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.INCOMPLETE
    )
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    stripe_subscription_id = models.CharField(
        validators=[validate_single_line], max_length=255, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "student"],
                condition=~Q(status=SubscriptionStatus.CANCELLED),
                name="billing_subscription_one_live_per_plan_student",
                violation_error_message=_("This student already has this plan."),
            ),
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~Q(stripe_subscription_id=""),
                name="billing_subscription_one_per_stripe_id",
            ),
        ]

    def __str__(self):
        return f"{self.plan} for {self.student}"


class EarningEntry(models.Model):
    """What a teacher earned: a delivered lesson, or their share of a course payment, after the
    platform's commission (`BILLING_COMMISSION_PERCENT` at the time). A refund adds a negative entry."""

    teacher = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="earnings")
    currency = models.CharField(max_length=3, choices=Currency.choices)
    gross = models.DecimalField(**MONEY)
    commission = models.DecimalField(**MONEY)
    net = models.DecimalField(**MONEY)
    description = models.CharField(validators=[validate_single_line], max_length=300)
    cause_key = models.CharField(validators=[validate_single_line], max_length=120, unique=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True)
    lesson = models.ForeignKey(
        "classroom.Lesson", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    earned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-earned_at", "-pk"]
        verbose_name_plural = "earning entries"
        indexes = [models.Index(fields=["teacher", "currency", "earned_at"])]

    def __str__(self):
        return f"{self.net} {self.currency}: {self.description}"


class Payout(models.Model):
    """Money an admin paid a teacher (outside the platform), recorded against their earnings."""

    teacher = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="payouts")
    currency = models.CharField(max_length=3, choices=Currency.choices)
    amount = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0.01"))])
    period_start = models.DateField()
    period_end = models.DateField()
    note = models.CharField(max_length=300, blank=True, validators=[validate_single_line])
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-paid_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="billing_payout_period_order",
            )
        ]

    def __str__(self):
        return f"{self.amount} {self.currency} to {self.teacher_id}"


class ProcessedStripeEvent(models.Model):
    """Each Stripe event id we have acted on, so a replay is a no-op even when dj-stripe stores the
    event again."""

    event_id = models.CharField(validators=[validate_single_line], max_length=255, unique=True)
    type = models.CharField(validators=[validate_single_line], max_length=100)
    processed_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.event_id
