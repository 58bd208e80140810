"""The page after login: a home per role (student, parent, teacher, admin), one section per role the
person holds. The same content is `GET /api/v1/me/summary` (dashboards/api.py)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from . import selectors


@login_required
def dashboard(request):
    home = selectors.home_for(user=request.user)
    return render(
        request,
        "dashboards/home.html",
        {"home": home, "now": timezone.now(), "tz_name": request.user.timezone},
    )
