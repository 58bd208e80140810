"""`{{ lesson.price|money:lesson.currency }}`: a price in the page's language (catalog/money.py)."""

from django import template

from catalog.money import format_money

register = template.Library()


@register.filter
def money(amount, currency="") -> str:
    return format_money(amount, currency or "")
