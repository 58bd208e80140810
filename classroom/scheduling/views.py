"""Pages for lessons: my lessons (student, parent, teacher), book a lesson with a teacher, cancel.
Each calls the same selectors and services as the API."""

from datetime import datetime, timedelta
from itertools import groupby

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from authentication.choices import Role
from authentication.next_steps import consent_notice, domain_error_message
from authentication.roles import has_role, is_admin, role_required
from authentication.selectors import children_of
from courses.selectors import course_list_for_teacher_page
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError, NotFound

from ..choices import LessonKind, LessonStatus
from ..selectors import is_taking_bookings, teacher_get_for_viewer
from ..services import teacher_profile_ensure
from . import selectors, services
from .forms import WEEKDAYS, AvailabilityForm, TimeOffForm
from .wallclock import zone

UPCOMING_SHOWN = 50
PAST_SHOWN = 20
TIME_OFF_SHOWN = 100


def teacher_detail(request, slug):
    """A teacher's public page: the profile, their next free times (in the viewer's zone, or the
    teacher's for a visitor who is not signed in), each leading to booking, and their courses. A
    teacher without weekly availability is "not taking bookings yet": no Book button, no times."""
    profile = teacher_get_for_viewer(viewer=request.user, slug=slug)
    signed_in = request.user.is_authenticated
    tz_name = request.user.timezone if signed_in else profile.user.timezone
    tz = zone(tz_name)
    taking_bookings = is_taking_bookings(profile)
    length, slots = selectors.next_free_slots(teacher=profile) if taking_bookings else (None, [])
    return render(
        request,
        "classroom/teacher_detail.html",
        {
            "teacher": profile,
            "is_owner": signed_in and profile.user_id == request.user.pk,
            "viewer_is_admin": is_admin(request.user),
            "taking_bookings": taking_bookings,
            "next_slots": [start.astimezone(tz) for start, _end in slots],
            "slot_length": length,
            "tz_name": tz_name,
            "zone_is_teachers": not signed_in,
            "courses": course_list_for_teacher_page(teacher_id=profile.pk, request=request),
        },
    )


@role_required()
def lesson_list(request):
    """Upcoming and recent lessons the person teaches, takes, or (a parent) their children take."""
    tz = zone(request.user.timezone)
    # `?student=<id>`: one person's lessons, for a parent with several children (oneself or a
    # linked child; anyone else is a 404, as in the API's `student_id`).
    student = None
    raw_student = request.GET.get("student")
    if raw_student:
        student = children_of(guardian=request.user).filter(pk=_int_or_none(raw_student)).first()
        if student is None:
            raise Http404

    def lessons(when):
        qs = selectors.lesson_list_for_user(user=request.user, when=when)
        return qs.filter(student=student) if student is not None else qs

    upcoming = list(lessons("upcoming")[:UPCOMING_SHOWN])
    past = list(lessons("past")[:PAST_SHOWN])
    return render(
        request,
        "classroom/schedule/lesson_list.html",
        {
            "upcoming": upcoming,
            "past": past,
            "tz": tz,
            "tz_name": request.user.timezone,
            "for_student": student,
        },
    )


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 18 else None


@role_required(Role.STUDENT, Role.PARENT)
def lesson_book(request, teacher_id: int):
    """The teacher's free slots for a week, in the visitor's zone; choosing one books it."""
    teacher = selectors.teacher_get_bookable(teacher_id=teacher_id, viewer=request.user)
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
            raw_course = request.POST.get("course_id") or None
            course_id = int(raw_course) if raw_course else None
            if start.tzinfo is None:
                raise ValueError
        except (TypeError, ValueError):
            messages.error(request, _("Choose one of the times offered."))
            return redirect("lesson-book", teacher_id=teacher.pk)
        try:
            student = selectors.student_get_for_booking(user=request.user, student_id=student_id)
            services.lesson_book(
                actor=request.user,
                teacher=teacher,
                student=student,
                start=start,
                length=length,
                course_id=course_id,
            )
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
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
    booker_ids = [child.pk for child in children]
    if has_role(request.user, Role.STUDENT):
        booker_ids.append(request.user.pk)
    # Said before a time is chosen: whom the consent gate would refuse, and what to do about it.
    consent_notices = [
        (person, notice)
        for person in ([request.user] if has_role(request.user, Role.STUDENT) else []) + children
        if (notice := consent_notice(student=person, actor=request.user)) is not None
    ]
    courses = selectors.private_courses_for_booking(teacher=teacher, student_ids=booker_ids)
    return render(
        request,
        "classroom/schedule/lesson_book.html",
        {
            "courses": courses,
            "chosen_course": request.GET.get("course", ""),
            "teacher": teacher,
            "days": days,
            "length": length,
            "children": children,
            "books_for_self": has_role(request.user, Role.STUDENT),
            "consent_notices": consent_notices,
            "nobody_bookable": bool(booker_ids) and len(consent_notices) == len(booker_ids),
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
    except NotFound:
        raise  # an Http404: Django answers with the 404 page
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
    `PUT /api/v1/availability`. The weekly grid (availability.js) submits its cells, the form
    without the script one line of windows per weekday; both become the same rules."""
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
        {
            "form": form,
            "tz_name": request.user.timezone,
            "weekdays": [(WEEKDAYS_ABBR[day], WEEKDAYS[day]) for day in range(7)],
        },
    )


@role_required(Role.TEACHER)
def time_off(request):
    """The teacher's current and coming time off, and a form to add some (on their own clock)."""
    teacher = teacher_profile_ensure(user=request.user)
    tz_name = request.user.timezone
    form = TimeOffForm(request.POST or None, tz_name=tz_name)
    if request.method == "POST" and form.is_valid():
        added = form.save(teacher=teacher)
        if added is not None:
            messages.success(request, _("Your time off has been added."))
            booked = len(
                selectors.busy_intervals(teacher=teacher, start=added.start, end=added.end)
            )
            if booked:
                # time_off_add keeps lessons already booked: say so, the teacher decides.
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d lesson is already booked in that time and stays booked: "
                        "cancel it from your lessons if you will not teach it.",
                        "%(count)d lessons are already booked in that time and stay booked: "
                        "cancel them from your lessons if you will not teach them.",
                        booked,
                    )
                    % {"count": booked},
                )
            return redirect("time-off")
    upcoming = list(
        selectors.time_off_of(teacher=teacher).filter(end__gt=timezone.now())[:TIME_OFF_SHOWN]
    )
    return render(
        request,
        "classroom/schedule/time_off.html",
        {"form": form, "time_off": upcoming, "tz": zone(tz_name), "tz_name": tz_name},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.TEACHER)
def time_off_delete(request, time_off_id: int):
    """GET asks (saying the time becomes bookable again), POST removes the time off."""
    exception = selectors.time_off_get_for_teacher(user=request.user, exception_id=time_off_id)
    tz = zone(request.user.timezone)
    span = _("%(start)s to %(end)s") % {
        "start": date_format(timezone.localtime(exception.start, tz), "l j F Y, H:i"),
        "end": date_format(timezone.localtime(exception.end, tz), "l j F Y, H:i"),
    }
    if request.method == "POST":
        services.time_off_delete(actor=request.user, exception=exception)
        messages.success(
            request,
            _("Your time off from %(span)s is removed: students can book you then again.")
            % {"span": span},
        )
        return redirect("time-off")
    return confirm_page(
        request,
        Confirmation(
            title=_("Remove this time off?"),
            consequences=[
                _(
                    "%(span)s becomes bookable again wherever your weekly availability is open "
                    "(times in %(zone)s)."
                )
                % {"span": span, "zone": request.user.timezone},
                _("Lessons already booked are not changed."),
            ],
            confirm_label=_("Remove the time off"),
            cancel_url=reverse("time-off"),
        ),
    )


def _reschedulable(request, lesson_id: int):
    lesson = selectors.lesson_get_for_user(user=request.user, lesson_id=lesson_id)
    if lesson.kind != LessonKind.PRIVATE:
        raise Http404  # group sessions move with their course, not from this page
    return lesson


@role_required()
def lesson_reschedule(request, lesson_id: int):
    """Free times of the lesson's teacher, of the same length, in the viewer's zone; choosing one
    moves the lesson (the page twin of `POST /api/v1/lessons/{id}/reschedule`)."""
    lesson = _reschedulable(request, lesson_id)
    tz_name = request.user.timezone
    tz = zone(tz_name)
    try:
        week = max(0, min(int(request.GET.get("week", 0)), 52))
    except ValueError:
        week = 0
    here = redirect(f"{reverse('lesson-reschedule', args=[lesson.pk])}?week={week}")
    if request.method == "POST":
        try:
            start = datetime.fromisoformat(request.POST.get("start", ""))
            if start.tzinfo is None:
                raise ValueError
        except (TypeError, ValueError):
            messages.error(request, _("Choose one of the times offered."))
            return here
        try:
            services.lesson_reschedule(lesson=lesson, actor=request.user, start=start)
        except DomainError as exc:
            messages.error(request, exc.detail)
            return here
        messages.success(request, _("The lesson has been moved."))
        return redirect("lesson-list")
    movable = lesson.status == LessonStatus.SCHEDULED and lesson.start > timezone.now()
    length = int((lesson.end - lesson.start).total_seconds() // 60)
    days = []
    if movable:
        start = timezone.now() + timedelta(weeks=week)
        _length, slots = selectors.slots_for_teacher(
            teacher=lesson.teacher,
            query=selectors.SlotQuery(start=start, end=start + timedelta(days=7), length=length),
            exclude_lesson_id=lesson.pk,
        )
        local = [(s.astimezone(tz), e.astimezone(tz)) for s, e in slots]
        days = [(d, list(items)) for d, items in groupby(local, key=lambda pair: pair[0].date())]
    return render(
        request,
        "classroom/schedule/reschedule.html",
        {
            "lesson": lesson,
            "movable": movable,
            "days": days,
            "length": length,
            "week": week,
            "tz": tz,
            "tz_name": tz_name,
        },
    )
