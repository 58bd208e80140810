from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderKind(models.TextChoices):
    """What an order pays for."""

    COURSE = "course", _("Course")
    LESSON = "lesson", _("Lesson")
    PACKAGE = "package", _("Lesson package")
    PLAN = "plan", _("Subscription")


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Awaiting payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")


class PaymentMethod(models.TextChoices):
    STRIPE = "stripe", _("Card (Stripe)")
    MANUAL = "manual", _("Bank transfer or cash")
    CREDIT = "credit", _("Lesson credit")


class PaymentStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Received")
    FAILED = "failed", _("Failed")
    REFUNDED = "refunded", _("Refunded")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
    DISPUTED = "disputed", _("Disputed")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed")


class RefundReason(models.TextChoices):
    CANCELLED_IN_TIME = "cancelled_in_time", _("Lesson cancelled in time")
    TEACHER_CANCELLED = "teacher_cancelled", _("Lesson cancelled by the teacher")
    HOLD_EXPIRED = "hold_expired", _("Paid after the booking expired")
    ENROLLMENT_EXPIRED = "enrollment_expired", _("Paid after the enrolment expired")
    ADMIN = "admin", _("Refunded by an administrator")
    STRIPE = "stripe", _("Refunded in Stripe")


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Outstanding")
    PAID = "paid", _("Paid")
    VOID = "void", _("Void")


class LedgerCause(models.TextChoices):
    """Why a credit balance moved; each movement is one ledger row."""

    PACKAGE_BOUGHT = "package_bought", _("Package bought")
    SUBSCRIPTION_GRANT = "subscription_grant", _("Monthly subscription credits")
    ROLLOVER_CAP = "rollover_cap", _("Unused credits above the rollover cap")
    LESSON_BOOKED = "lesson_booked", _("Lesson booked with a credit")
    LESSON_RETURNED = "lesson_returned", _("Credit returned for a cancelled lesson")
    REFUNDED = "refunded", _("Credits refunded")
    ADMIN = "admin", _("Adjusted by an administrator")


class SubscriptionStatus(models.TextChoices):
    INCOMPLETE = "incomplete", _("Awaiting first payment")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    PAST_DUE = "past_due", _("Payment overdue")
    CANCELLED = "cancelled", _("Cancelled")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class ReminderStage(models.TextChoices):
    """Which payment reminder of an open manual invoice went: each at most once per invoice."""

    BEFORE_DUE = "before_due", _("Before the due date")
    OVERDUE = "overdue", _("Overdue")
