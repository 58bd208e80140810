"""Prices as the site writes them everywhere (the booking review, course pages): the amount with the
active language's decimal and thousand separators, then the currency code: "1,240.50 EUR" in
English, "1 240,50 EUR" in Spanish. One place, so lists and pages agree with the review."""

from decimal import Decimal

from django.utils.formats import number_format


def format_money(amount: Decimal | int | float | str | None, currency: str) -> str:
    """`amount` in `currency` for the active language; "" without an amount."""
    if amount is None or amount == "":
        return ""
    number = number_format(Decimal(amount), 2, use_l10n=True, force_grouping=True)
    return f"{number} {currency}".strip()
