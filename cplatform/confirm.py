"""Asking before a destructive action: the GET of the action's URL answers a confirmation page
saying what will happen (`confirm_page`), the POST does it. One template
(`components/confirm.html`) for every app, so every "remove", "withdraw" or "turn off" reads alike.
tests/test_confirmations.py walks the URL resolver and holds every destructive route to it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass
class Confirmation:
    """What the page says: a question as its title, what will happen (one sentence each), the
    button that does it and where "Keep it" leads back to."""

    title: str
    consequences: Sequence[str]
    confirm_label: str
    cancel_url: str
    cancel_label: str = ""
    danger: bool = True
    # Fields the POST carries besides the CSRF token (e.g. {"action": "revoke"}).
    hidden: dict[str, str] = field(default_factory=dict)
    # Where the form posts, when not to the page's own address (a view of a package that does it).
    action: str = ""
    # Why the action cannot be done (a refused domain rule): shown as the form's error, and the
    # page offers only the way back.
    refusal: str = ""


def confirm_page(
    request: HttpRequest, confirmation: Confirmation, status: int = 200
) -> HttpResponse:
    """The confirmation page; its form posts to the address it was asked at."""
    return render(request, "components/confirm_page.html", {"confirm": confirmation}, status=status)
