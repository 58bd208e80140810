from django.db import models
from django.utils.translation import gettext_lazy as _


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    USD = "USD", "USD"
    GBP = "GBP", "GBP"
    MXN = "MXN", "MXN"


class FreeCancellationOutcome(models.TextChoices):
    """What a student gets back for a cancellation before the cut-off (or a teacher's cancellation)."""

    REFUND = "refund", _("Refund")
    CREDIT = "credit", _("Credit")
