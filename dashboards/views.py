"""The page after login: a home per role (student, parent, teacher, admin), one section per role the
person holds. The same content is `GET /api/v1/me/summary` (dashboards/api.py); the figures
(progress, attendance, credits, utilisation, earnings) come from `homes_figures`."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from . import homes_figures, selectors


@login_required
def dashboard(request):
    home = selectors.home_for(user=request.user)
    learners = ([home.student.student.pk] if home.student else []) + [
        child.student.pk for child in home.children or []
    ]
    return render(
        request,
        "dashboards/home.html",
        {
            "home": home,
            "now": timezone.now(),
            "tz_name": request.user.timezone,
            "learner_figures": (
                homes_figures.learner_figures(viewer=request.user, student_ids=learners)
                if learners
                else {}
            ),
            "teacher_figures": (
                homes_figures.teacher_figures(viewer=request.user) if home.teacher else None
            ),
        },
    )
