"""The page after login: a home per role (student, parent, teacher, admin), one section per role the
person holds. The same content is `GET /api/v1/me/summary` (dashboards/api.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from billing.history.selectors import billing_summary_for_user

from . import selectors


@login_required
def dashboard(request):
    home = selectors.home_for(user=request.user)
    # Billing's card, for those who pay (a student, a parent): what to pay, credits, history.
    pays = home.student is not None or home.children is not None
    billing = billing_summary_for_user(user=request.user) if pays else None
    return render(
        request,
        "dashboards/home.html",
        {"home": home, "now": timezone.now(), "tz_name": request.user.timezone, "billing": billing},
    )
