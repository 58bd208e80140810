"""Pages for lessons: my lessons (student, parent, teacher), book a lesson with a teacher, cancel.
Each calls the same selectors and services as the API."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from authentication.choices import Role
from authentication.next_steps import consent_notice, domain_error_message
from authentication.roles import has_role, is_admin, role_required
from authentication.selectors import children_of
from courses.selectors import course_list_for_teacher_page
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import Conflict, DomainError, NotFound, ValidationFailed

from ..choices import BillingOutcome, LessonKind, LessonMode, LessonStatus
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
    is_owner = signed_in and profile.user_id == request.user.pk
    return render(
        request,
        "classroom/teacher_detail.html",
        {
            "teacher": profile,
            "is_owner": is_owner,
            "viewer_is_admin": is_admin(request.user),
            "taking_bookings": taking_bookings,
            # Who may book here (lesson-book's roles): a visitor (asked to log in), a student or
            # a parent; never the teacher themself, an admin or another teacher.
            "can_book": taking_bookings
            and profile.is_listed
            and not is_owner
            and (not signed_in or has_role(request.user, Role.STUDENT, Role.PARENT)),
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


@dataclass
class BookingChoice:
    """What the booking pages carry from step to step in their query (and the confirm form): the
    length, the mode, whom it is for, the course, the week shown and, once picked, the start."""

    length: int | None = None
    mode: str | None = None
    student_id: int | None = None
    course_id: int | None = None
    week: int = 0
    start: datetime | None = None

    @classmethod
    def read(cls, data) -> BookingChoice:
        """Parse leniently: a value that does not parse is left out (the page then offers the
        default again) rather than refused; the service judges what is left."""

        def number(name):
            try:
                value = int(data.get(name) or "")
            except ValueError:
                return None
            return value if 0 < value < 2**31 else None

        try:
            start = datetime.fromisoformat(data.get("start") or "")
            if start.tzinfo is None:
                start = None
        except ValueError:
            start = None
        mode = data.get("mode")
        return cls(
            length=number("length"),
            mode=mode if mode in LessonMode.values else None,
            student_id=number("student_id"),
            course_id=number("course_id") or number("course"),
            week=max(0, min(number("week") or 0, 52)),
            start=start,
        )

    def query(self, *, with_start: bool = False) -> str:
        parts = {
            "length": self.length,
            "mode": self.mode,
            "student_id": self.student_id,
            "course_id": self.course_id,
            "week": self.week or None,
            "start": self.start.isoformat() if with_start and self.start else None,
        }
        return urlencode({k: v for k, v in parts.items() if v is not None})


def _booking_page(teacher, choice: BookingChoice) -> str:
    query = choice.query()
    return reverse("lesson-book", args=[teacher.pk]) + (f"?{query}" if query else "")


def _bookers(user) -> tuple[list, list[int], bool]:
    """(children, ids of everyone the user books for, whether they book for themself)."""
    children = list(children_of(guardian=user)) if has_role(user, Role.PARENT) else []
    for_self = has_role(user, Role.STUDENT)
    return children, [c.pk for c in children] + ([user.pk] if for_self else []), for_self


@role_required(Role.STUDENT, Role.PARENT)
def lesson_book(request, teacher_id: int):
    """Step 1 and 2 of booking: the length (and mode, person, course), then the teacher's free times
    of that length for a week in the visitor's zone. A time leads to the review (step 3)."""
    teacher = selectors.teacher_get_bookable(teacher_id=teacher_id, viewer=request.user)
    choice = BookingChoice.read(request.POST if request.method == "POST" else request.GET)
    if request.method == "POST":
        # A form of an older page that booked on one click: it now goes through the review.
        review = reverse("lesson-book-review", args=[teacher.pk])
        return redirect(f"{review}?{choice.query(with_start=True)}", permanent=False)
    children, booker_ids, books_for_self = _bookers(request.user)
    tz_name = request.user.timezone
    tz = zone(tz_name)
    lengths = selectors.lesson_lengths_of(teacher=teacher)
    if choice.length not in lengths:
        choice.length = selectors.default_lesson_length(teacher=teacher)
    modes = selectors.modes_offered(teacher=teacher)
    if choice.mode not in modes:
        choice.mode = modes[0]
    start = timezone.now() + timedelta(weeks=choice.week)
    length, slots = selectors.slots_for_teacher(
        teacher=teacher,
        query=selectors.SlotQuery(start=start, end=start + timedelta(days=7), length=choice.length),
    )
    local = [(s.astimezone(tz), e.astimezone(tz)) for s, e in slots]
    days = [(day, list(items)) for day, items in groupby(local, key=lambda pair: pair[0].date())]
    # Said before a time is chosen: whom the consent gate would refuse, and what to do about it.
    consent_notices = [
        (person, notice)
        for person in ([request.user] if books_for_self else []) + children
        if (notice := consent_notice(student=person, actor=request.user)) is not None
    ]
    courses = selectors.private_courses_for_booking(teacher=teacher, student_ids=booker_ids)
    return render(
        request,
        "classroom/schedule/lesson_book.html",
        {
            "teacher": teacher,
            "choice": choice,
            "lengths": lengths,
            "modes": [(m, LessonMode(m).label) for m in modes],
            "courses": courses,
            "days": days,
            "length": length,
            "children": children,
            "books_for_self": books_for_self,
            "consent_notices": consent_notices,
            "nobody_bookable": bool(booker_ids) and len(consent_notices) == len(booker_ids),
            "tz_name": tz_name,
            "week": choice.week,
            "previous_week_query": replace(choice, week=choice.week - 1).query(),
            "next_week_query": replace(choice, week=choice.week + 1).query(),
        },
    )


def _slot_free(*, teacher, start: datetime, length: int) -> bool:
    _length, slots = selectors.slots_for_teacher(
        teacher=teacher,
        query=selectors.SlotQuery(
            start=start, end=start + timedelta(microseconds=1), length=length
        ),
    )
    return any(s == start for s, _e in slots)


def _shown(data) -> tuple[Decimal | None, str] | None:
    """The (price, currency) the review showed, from its confirm form; None when it sent none."""
    if "shown_price" not in data:
        return None
    raw = data.get("shown_price") or ""
    try:
        price = Decimal(raw) if raw else None
    except InvalidOperation:
        return (Decimal("-1"), "")  # matches no price: the review is shown again
    return price, data.get("shown_currency") or ""


@role_required(Role.STUDENT, Role.PARENT)
def lesson_book_review(request, teacher_id: int):
    """Step 3: the booking as it will be stored (time in the viewer's and the teacher's zone, length,
    price, cancellation policy with its cut-off, mode, course), then Confirm. The confirm sends the
    price shown: a different price now shows the review again with the new price, booking nothing.
    A time taken meanwhile goes back to the times (choices kept) with the fresh ones."""
    teacher = selectors.teacher_get_bookable(teacher_id=teacher_id, viewer=request.user)
    data = request.POST if request.method == "POST" else request.GET
    choice = BookingChoice.read(data)
    back = _booking_page(teacher, choice)
    if choice.start is None or choice.length is None:
        messages.error(request, _("Choose one of the times offered."))
        return redirect(back)
    tz_name = request.user.timezone
    try:
        student = selectors.student_get_for_booking(user=request.user, student_id=choice.student_id)
        course = None
        if choice.course_id is not None:
            course = next(
                (
                    c
                    for c in selectors.private_courses_for_booking(
                        teacher=teacher, student_ids=[student.pk]
                    )
                    if c.pk == choice.course_id
                ),
                None,
            )
            if course is None:
                raise ValidationFailed(
                    _("The student is not actively enrolled in this course."),
                    code="course_not_bookable",
                )
        if request.method == "POST":
            # Payment is due as the review showed it: the price it sent (the service refuses a
            # booking whose price changed since, so this is the price the lesson stores).
            shown = _shown(data)
            hold = shown is not None and selectors.lesson_payment_due(
                quote_or_lesson=_Shown(price=shown[0])
            )
            if shown is None:
                hold = selectors.lesson_payment_due(
                    quote_or_lesson=selectors.booking_quote(
                        teacher=teacher, length=choice.length, mode=choice.mode, course=course
                    )
                )
            lesson = services.lesson_book(
                actor=request.user,
                teacher=teacher,
                student=student,
                start=choice.start,
                length=choice.length,
                course_id=choice.course_id,
                mode=choice.mode,
                expected=shown,
                hold=hold,
            )
            if hold:
                until = date_format(
                    lesson.hold_expires_at.astimezone(zone(tz_name)), "DATETIME_FORMAT"
                )
                messages.info(
                    request,
                    _(
                        "Your lesson with %(teacher)s is held for you until %(until)s: pay by "
                        "then to confirm it, or the time is freed again."
                    )
                    % {"teacher": teacher.user.name, "until": until},
                )
                return redirect(lesson_payment_url(lesson))
            when = date_format(lesson.start.astimezone(zone(tz_name)), "DATETIME_FORMAT")
            messages.success(
                request,
                _("Your lesson with %(teacher)s is booked for %(when)s.")
                % {"teacher": teacher.user.name, "when": when},
            )
            return redirect("lesson-list")
        quote = selectors.booking_quote(
            teacher=teacher, length=choice.length, mode=choice.mode, course=course
        )
        if choice.length not in selectors.lesson_lengths_of(teacher=teacher) or not _slot_free(
            teacher=teacher, start=choice.start, length=choice.length
        ):
            messages.error(request, _("That time is no longer free. Here are the free times now."))
            return redirect(back)
    except NotFound:
        raise
    except Conflict as exc:
        if exc.code != "price_changed":
            messages.error(request, domain_error_message(exc))
            return redirect(back)
        messages.error(request, exc.detail)
        quote = selectors.booking_quote(
            teacher=selectors.teacher_get_bookable(teacher_id=teacher.pk, viewer=request.user),
            length=choice.length,
            mode=choice.mode,
            course=course,
        )
    except DomainError as exc:
        messages.error(request, domain_error_message(exc))
        return redirect(back)
    notice = consent_notice(student=student, actor=request.user)
    teacher_tz = teacher.user.timezone
    end = choice.start + timedelta(minutes=choice.length)
    return render(
        request,
        "classroom/schedule/lesson_book_review.html",
        {
            "teacher": teacher,
            "student": student,
            "for_self": student.pk == request.user.pk,
            "choice": choice,
            "start": choice.start,
            "end": end,
            "quote": quote,
            "payment_due": selectors.lesson_payment_due(quote_or_lesson=quote),
            "hold_minutes": services.hold_minutes(),
            "cutoff": quote.cutoff_before(choice.start),
            "mode_label": LessonMode(quote.mode).label,
            "consent_notice": notice,
            "tz_name": tz_name,
            "teacher_tz": teacher_tz if teacher_tz != tz_name else None,
            "change_url": back,
        },
    )


@dataclass(frozen=True)
class _Shown:
    """The price a review showed, as `lesson_payment_due` reads a quote."""

    price: Decimal | None


def lesson_payment_url(lesson, *, series=None) -> str:
    """Where a held booking is paid: the page `settings.LESSON_PAYMENT_URL_NAME` names (billing's,
    with the lesson's id; `?series=<id>` for a series booked at once), or the lesson's own page
    (which says it awaits payment) while no such page exists."""
    try:
        url = reverse(settings.LESSON_PAYMENT_URL_NAME, args=[lesson.pk])
    except NoReverseMatch:
        url = reverse("lesson-detail", kwargs={"lesson_id": lesson.pk})
    return f"{url}?series={series.pk}" if series is not None else url


def _consequence_text(consequence, lesson, tz) -> str:
    """The consequence of cancelling in plain words, with the cut-off in the viewer's zone."""
    if lesson.kind == LessonKind.GROUP:
        return _group_consequence_text(lesson)
    cutoff = date_format(consequence.cutoff.astimezone(tz), "DATETIME_FORMAT")
    price = f"{number_format(lesson.price, 2)} {lesson.currency}" if lesson.price else None
    if consequence.teacher_side:
        text = _("Cancelling is free for the student: the lesson is not charged.")
    elif consequence.late:
        text = _("The free cancellation ended on %(cutoff)s: the lesson counts as taken.") % {
            "cutoff": cutoff
        }
        if price:
            text += " " + _("Its price (%(price)s) stays due.") % {"price": price}
    else:
        text = _("Free to cancel until %(cutoff)s: the lesson is not charged.") % {"cutoff": cutoff}
        if consequence.outcome == BillingOutcome.CREDIT:
            text += " " + _("You keep it as a credit for another lesson with this teacher.")
    if consequence.package_size is not None:
        if consequence.late and not consequence.teacher_side:
            text += " " + _("It counts as one of the %(size)d lessons of your package.") % {
                "size": consequence.package_size
            }
        else:
            text += " " + ngettext(
                "It goes back to your package: %(left)d lesson of %(size)d left after this.",
                "It goes back to your package: %(left)d lessons of %(size)d left after this.",
                consequence.package_left_after,
            ) % {"left": consequence.package_left_after, "size": consequence.package_size}
    return text


def _group_consequence_text(lesson) -> str:
    """Cancelling a group session (only its teacher or an admin may): it ends for every seat holder."""
    taken = lesson.seats.filter(cancelled_at__isnull=True).count()
    if taken:
        text = ngettext(
            "The session is cancelled for the %(n)d student who holds a seat: it shows as "
            "cancelled in their lessons and their calendar feed.",
            "The session is cancelled for the %(n)d students who hold a seat: it shows as "
            "cancelled in their lessons and their calendar feeds.",
            taken,
        ) % {"n": taken}
    else:
        text = _("Nobody holds a seat in this session yet, so no student is affected.")
    course = lesson.course.title if lesson.course_id else ""
    return (
        text
        + " "
        + _(
            "No one is charged for it, and their enrolment in %(course)s and their seats in its "
            "other sessions are not changed."
        )
        % {"course": course}
    )


@role_required()
def lesson_cancel(request, lesson_id: int):
    """Asks first (GET: the lesson and what cancelling it now means), then cancels (POST) and says
    what happened."""
    lesson = selectors.lesson_get_for_user(user=request.user, lesson_id=lesson_id)
    tz = zone(request.user.timezone)
    if request.method == "POST":
        try:
            lesson = services.lesson_cancel(
                lesson=lesson, actor=request.user, reason=request.POST.get("reason", "")
            )
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
            return redirect("lesson-list")
        when = date_format(lesson.start.astimezone(tz), "DATETIME_FORMAT")
        if lesson.kind == LessonKind.GROUP:
            messages.success(
                request,
                _(
                    "The session of %(when)s is cancelled; its students see it as cancelled, "
                    "and no one is charged."
                )
                % {"when": when},
            )
        elif lesson.cancelled_late:
            messages.warning(
                request,
                _(
                    "The lesson of %(when)s is cancelled. It was after the free cancellation, "
                    "so it counts as taken."
                )
                % {"when": when},
            )
        else:
            messages.success(
                request,
                _("The lesson of %(when)s is cancelled, free of charge.") % {"when": when},
            )
        return redirect("lesson-list")
    cancellable = (
        lesson.status in (LessonStatus.SCHEDULED, LessonStatus.HELD)
        and lesson.start > timezone.now()
    )
    may_change = selectors.lesson_may_change(user=request.user, lesson=lesson)
    consequence = (
        selectors.cancellation_consequence(lesson=lesson, actor=request.user)
        if cancellable and may_change
        else None
    )
    if consequence is not None and lesson.status == LessonStatus.HELD:
        consequence_text = _(
            "This booking has not been paid: cancelling it costs nothing and frees the time."
        )
    else:
        consequence_text = _consequence_text(consequence, lesson, tz) if consequence else None
    return render(
        request,
        "classroom/schedule/lesson_cancel.html",
        {
            "lesson": lesson,
            "tz": tz,
            "tz_name": request.user.timezone,
            "cancellable": cancellable,
            "may_change": may_change,
            "consequence": consequence,
            "consequence_text": consequence_text,
        },
    )


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
        "start": date_format(timezone.localtime(exception.start, tz), "DATETIME_FORMAT"),
        "end": date_format(timezone.localtime(exception.end, tz), "DATETIME_FORMAT"),
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
            # The student's side moves for free until the cut-off (after it the service refuses).
            "consequence": (
                selectors.cancellation_consequence(lesson=lesson, actor=request.user)
                if movable
                else None
            ),
            "days": days,
            "length": length,
            "week": week,
            "tz": tz,
            "tz_name": tz_name,
        },
    )
