"""Pages for lessons: my lessons (student, parent, teacher), book a lesson with a teacher, cancel.
Each calls the same selectors and services as the API."""

from datetime import datetime, timedelta
from itertools import groupby

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from authentication.choices import Role
from authentication.roles import has_role, role_required
from authentication.selectors import children_of
from cplatform.exceptions import DomainError, NotFound

from ..services import teacher_profile_ensure
from . import selectors, services
from .forms import AvailabilityForm
from .wallclock import zone

UPCOMING_SHOWN = 50
PAST_SHOWN = 20


@role_required()
def lesson_list(request):
    """Upcoming and recent lessons the person teaches, takes, or (a parent) their children take."""
    tz = zone(request.user.timezone)
    upcoming = list(
        selectors.lesson_list_for_user(user=request.user, when="upcoming")[:UPCOMING_SHOWN]
    )
    past = list(selectors.lesson_list_for_user(user=request.user, when="past")[:PAST_SHOWN])
    return render(
        request,
        "classroom/schedule/lesson_list.html",
        {"upcoming": upcoming, "past": past, "tz": tz, "tz_name": request.user.timezone},
    )


@role_required(Role.STUDENT, Role.PARENT)
def lesson_book(request, teacher_id: int):
    """The teacher's free slots for a week, in the visitor's zone; choosing one books it."""
    try:
        teacher = selectors.teacher_get_bookable(teacher_id=teacher_id, viewer=request.user)
    except NotFound as exc:
        raise Http404 from exc
    children = (
        list(children_of(guardian=request.user)) if has_role(request.user, Role.PARENT) else []
    )
    tz_name = request.user.timezone
    tz = zone(tz_name)
    if request.method == "POST":
        try:
            start = datetime.fromisoformat(request.POST.get("start", ""))
            length = int(request.POST.get("length", ""))
            raw_student = request.POST.get("student_id") or None
            student_id = int(raw_student) if raw_student else None
            if start.tzinfo is None:
                raise ValueError
        except (TypeError, ValueError):
            messages.error(request, _("Choose one of the times offered."))
            return redirect("lesson-book", teacher_id=teacher.pk)
        try:
            student = services.student_for_booking(actor=request.user, student_id=student_id)
            services.lesson_book(
                actor=request.user, teacher=teacher, student=student, start=start, length=length
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
            return redirect("lesson-book", teacher_id=teacher.pk)
        messages.success(request, _("Your lesson is booked."))
        return redirect("lesson-list")
    try:
        week = max(0, min(int(request.GET.get("week", 0)), 52))
    except ValueError:
        week = 0
    start = timezone.now() + timedelta(weeks=week)
    length, slots = selectors.slots_for_teacher(
        teacher=teacher,
        query=selectors.SlotQuery(start=start, end=start + timedelta(days=7)),
    )
    local = [(s.astimezone(tz), e.astimezone(tz)) for s, e in slots]
    days = [(day, list(items)) for day, items in groupby(local, key=lambda pair: pair[0].date())]
    return render(
        request,
        "classroom/schedule/lesson_book.html",
        {
            "teacher": teacher,
            "days": days,
            "length": length,
            "children": children,
            "books_for_self": has_role(request.user, Role.STUDENT),
            "tz_name": tz_name,
            "week": week,
        },
    )


@require_POST
@role_required()
def lesson_cancel(request, lesson_id: int):
    try:
        lesson = selectors.lesson_get_for_user(user=request.user, lesson_id=lesson_id)
        lesson = services.lesson_cancel(lesson=lesson, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("lesson-list")
    if lesson.cancelled_late:
        messages.warning(request, _("The lesson is cancelled; it was late, so it counts as taken."))
    else:
        messages.success(request, _("The lesson is cancelled."))
    return redirect("lesson-list")


@role_required(Role.TEACHER)
def availability_edit(request):
    """A teacher's weekly availability (in their own zone) and booking settings: the page twin of
    `PUT /api/v1/availability`."""
    teacher = teacher_profile_ensure(user=request.user)
    form = AvailabilityForm(
        request.POST or None,
        settings=selectors.scheduling_settings_of(teacher=teacher),
        rules=selectors.availability_rules_of(teacher=teacher),
    )
    if request.method == "POST" and form.is_valid() and form.save(teacher=teacher) is not None:
        messages.success(request, _("Your availability has been saved."))
        return redirect("availability-edit")
    return render(
        request,
        "classroom/schedule/availability_edit.html",
        {"form": form, "tz_name": request.user.timezone},
    )
