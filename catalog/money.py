"""Prices as a reader of the page's language writes them: "€40.00" in English, "40,00 €" in Spanish.

The amount uses the active language's decimal and thousand separators (Django's formats); the symbol
goes before the amount in English and after it, with a space, in the other languages we serve."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language

from .choices import Currency

SYMBOLS = {Currency.EUR: "€", Currency.USD: "US$", Currency.GBP: "£", Currency.MXN: "MX$"}
SYMBOL_FIRST = {"en"}


def format_money(amount: Decimal | int | float | None, currency: str, *, language: str = "") -> str:
    """`amount` in `currency` for the language (the active one when not given); "" without an amount."""
    if amount is None or amount == "":
        return ""
    language = (language or get_language() or "en").split("-")[0]
    number = number_format(Decimal(amount), 2, use_l10n=True, force_grouping=True)
    symbol = SYMBOLS.get(currency, currency or "")
    if not symbol:
        return number
    if language in SYMBOL_FIRST:
        return f"{symbol}{number}"
    return f"{number}\N{NO-BREAK SPACE}{symbol}"
