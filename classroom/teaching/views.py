"""Lesson pages: one lesson (attendance, notes, homework, video link, materials; seats of a group
session), a group course's sessions, and a new group session. Each calls the same selectors and
services as the API; a lesson or course the person may not see is a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from authentication.choices import Role
from authentication.forms import apply_domain_error
from authentication.next_steps import domain_error_message
from authentication.roles import role_required
from courses.forms import MaterialForm
from courses.selectors import can_manage_course, course_get_for_editor
from courses.services import material_create
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError, NotFound

from ..choices import NOT_CONFIRMED, LessonKind, LessonStatus
from ..scheduling.selectors import student_get_for_booking
from ..scheduling.wallclock import zone
from . import selectors, services
from .forms import AttachMaterialForm, AttendanceForm, LessonDetailsForm, SessionForm

SESSIONS_SHOWN = 100


@role_required()
def lesson_detail(request, lesson_id: int):
    """Everyone who may see the lesson reads its notes, homework, attendance, materials and video link;
    its teacher (or an admin) also gets the forms to write them."""
    lesson = selectors.lesson_get_for_viewer(user=request.user, lesson_id=lesson_id)
    can_run = selectors.can_run_lesson(user=request.user, lesson=lesson)
    action = request.POST.get("action") if request.method == "POST" else None
    roster = selectors.lesson_roster(lesson=lesson)
    attendance_form = details_form = attach_form = upload_form = None
    if can_run:
        attendance_form = AttendanceForm(
            request.POST if action == "attendance" else None, roster=roster
        )
        details_form = LessonDetailsForm(
            request.POST if action == "details" else None,
            initial={
                "title": lesson.title,
                "video_call_url": lesson.video_call_url,
                "notes": lesson.notes,
                "homework": lesson.homework,
                "homework_due": lesson.homework_due,
            },
        )
        if lesson.course_id is not None:
            attach_form = AttachMaterialForm(
                request.POST if action == "attach" else None,
                materials=selectors.material_choices_for_lesson(user=request.user, lesson=lesson),
            )
            upload_form = MaterialForm(
                request.POST if action == "upload" else None,
                request.FILES if action == "upload" else None,
                course=lesson.course,
            )
    if action:
        done = _act(
            request, lesson, action, attendance_form, details_form, attach_form, upload_form
        )
        if done:
            messages.success(request, done)
            return redirect("lesson-detail", lesson_id=lesson.pk)
    tz = zone(request.user.timezone)
    return render(
        request,
        "classroom/teaching/lesson_detail.html",
        {
            "lesson": lesson,
            "can_run": can_run,
            "tz": tz,
            "tz_name": request.user.timezone,
            "roster": roster,
            "attendance": getattr(lesson, "visible_attendance", []),
            "materials": getattr(lesson, "visible_materials", []),
            "seats": getattr(lesson, "visible_seats", []),
            "learners": selectors.seat_takers_for(user=request.user, lesson=lesson),
            "is_lesson_student": selectors.is_lesson_student(user=request.user, lesson=lesson),
            "homework_done": selectors.homework_done_for(user=request.user, lesson=lesson),
            "homework_done_by": selectors.homework_done_by(lesson),
            "is_upcoming": selectors.is_upcoming(lesson),
            "is_full": lesson.kind == LessonKind.GROUP and lesson.seats_taken >= lesson.capacity,
            "can_mark": lesson.status not in NOT_CONFIRMED and not selectors.is_upcoming(lesson),
            "attendance_form": attendance_form,
            "details_form": details_form,
            "attach_form": attach_form,
            "upload_form": upload_form,
        },
    )


def _act(request, lesson, action, attendance_form, details_form, attach_form, upload_form):
    """Run the posted action; the success message, or None (errors are on the forms or in messages)."""
    user = request.user
    try:
        # Giving up a seat and stopping sharing a material ask first, on their own routes.
        if action == "take":
            student = student_get_for_booking(
                user=user, student_id=_int(request.POST.get("student_id"))
            )
            services.seat_take(actor=user, lesson=lesson, student=student)
            return _("The seat is taken.")
        if action in ("homework_done", "homework_undo"):
            # The lesson's student marks their homework; for anyone else there is no such form.
            if not selectors.is_lesson_student(user=user, lesson=lesson):
                raise Http404
            if action == "homework_done":
                services.homework_done_mark(actor=user, lesson=lesson)
                return _("Your homework is marked as done.")
            services.homework_done_undo(actor=user, lesson=lesson)
            return _("Your homework is no longer marked as done.")
        if not selectors.can_run_lesson(user=user, lesson=lesson):
            raise Http404
        if action == "attendance" and attendance_form.is_valid():
            services.attendance_record(actor=user, lesson=lesson, marks=attendance_form.marks())
            return _("Attendance has been saved.")
        if action == "details" and details_form.is_valid():
            data = dict(details_form.cleaned_data)
            services.lesson_update(actor=user, lesson=lesson, data=data)
            return _("The lesson has been updated.")
        if action == "attach" and attach_form is not None and attach_form.is_valid():
            services.lesson_material_attach(
                actor=user, lesson=lesson, material_id=attach_form.cleaned_data["material"]
            )
            return _("The material is shared in this lesson.")
        if action == "upload" and upload_form is not None and upload_form.is_valid():
            data = upload_form.cleaned_data
            module = (
                lesson.course.modules.filter(pk=data["module"]).first() if data["module"] else None
            )
            material = material_create(
                actor=user,
                course=lesson.course,
                module=module,
                title=data["title"],
                kind=data["kind"],
                upload=data["file"],
                url=data["url"],
                body=data["body"],
                release_at=data["release_at"],
            )
            services.lesson_material_attach(actor=user, lesson=lesson, material=material)
            return _("The material has been added and shared in this lesson.")
    except NotFound:
        raise  # an Http404: Django answers with the 404 page
    except DomainError as exc:
        form = {
            "attendance": attendance_form,
            "details": details_form,
            "attach": attach_form,
            "upload": upload_form,
        }.get(action)
        if form is not None:
            apply_domain_error(form, exc, aliases={"material_id": "material", "marks": None})
        else:
            messages.error(request, domain_error_message(exc))
    return None


def _session_when(request, lesson) -> str:
    return date_format(
        timezone.localtime(lesson.start, zone(request.user.timezone)), "DATETIME_FORMAT"
    )


@require_http_methods(["GET", "POST"])
@role_required()
def lesson_material_detach(request, lesson_id: int, material_id: int):
    """GET asks (the lesson's students no longer see the material here; the course keeps it), POST
    stops sharing it. The lesson's teacher and admins; anyone else meets a 404."""
    lesson = selectors.lesson_get_for_viewer(user=request.user, lesson_id=lesson_id)
    if not selectors.can_run_lesson(user=request.user, lesson=lesson):
        raise Http404
    material = next((m for m in lesson.visible_materials if m.pk == material_id), None)
    if material is None:
        raise Http404
    if request.method == "POST":
        services.lesson_material_detach(actor=request.user, lesson=lesson, material_id=material.pk)
        messages.success(
            request,
            _(
                "“%(title)s” is no longer shared in this lesson; it stays among the course's materials."
            )
            % {"title": material.title},
        )
        return redirect("lesson-detail", lesson_id=lesson.pk)
    return confirm_page(
        request,
        Confirmation(
            title=_("Stop sharing “%(title)s” in this lesson?") % {"title": material.title},
            consequences=[
                _("The lesson's students no longer find it on the lesson's page."),
                _(
                    "It stays among the materials of %(course)s: students of the course still see "
                    "it there, and you can share it in this lesson again."
                )
                % {"course": lesson.course.title},
            ],
            confirm_label=_("Stop sharing"),
            cancel_url=reverse("lesson-detail", args=[lesson.pk]),
        ),
    )


@require_http_methods(["GET", "POST"])
@role_required()
def seat_release(request, lesson_id: int, student_id: int):
    """GET asks (the seat goes back to the session; the enrolment stays), POST gives it up. The
    student themself or their guardian; anyone else meets a 404."""
    lesson = selectors.lesson_get_for_viewer(user=request.user, lesson_id=lesson_id)
    if lesson.kind != LessonKind.GROUP:
        raise Http404
    try:
        student = student_get_for_booking(user=request.user, student_id=student_id)
    except DomainError as exc:  # not someone the user takes seats for: as missing
        raise Http404 from exc
    back = reverse("lesson-detail", args=[lesson.pk])
    seated = any(seat.student_id == student.pk for seat in lesson.visible_seats)
    is_self = student.pk == request.user.pk
    when = _session_when(request, lesson)
    if not seated:
        messages.info(
            request,
            _("You hold no seat in this session.")
            if is_self
            else _("%(name)s holds no seat in this session.") % {"name": student.name},
        )
        return redirect(back)
    if request.method == "POST":
        try:
            services.seat_release(actor=request.user, lesson=lesson, student=student)
        except DomainError as exc:
            messages.error(request, domain_error_message(exc))
        else:
            messages.success(
                request,
                (
                    _(
                        "Your seat in the session of %(when)s is given up; it is free for someone else."
                    )
                    if is_self
                    else _(
                        "%(name)s's seat in the session of %(when)s is given up; it is free for "
                        "someone else."
                    )
                )
                % {"when": when, "name": student.name},
            )
        return redirect(back)
    if not selectors.is_upcoming(lesson) or lesson.status != LessonStatus.SCHEDULED:
        messages.error(request, _("The session has already started or is no longer scheduled."))
        return redirect(back)
    course = lesson.course.title
    return confirm_page(
        request,
        Confirmation(
            title=(
                _("Give up your seat in the session of %(when)s?")
                if is_self
                else _("Give up %(name)s's seat in the session of %(when)s?")
            )
            % {"when": when, "name": student.name},
            consequences=[
                (
                    _(
                        "The seat goes back to the session: someone else may take it, and the "
                        "teacher no longer counts you among its students."
                    )
                    if is_self
                    else _(
                        "The seat goes back to the session: someone else may take it, and the "
                        "teacher no longer counts %(name)s among its students."
                    )
                    % {"name": student.name}
                ),
                _(
                    "The enrolment in %(course)s is not changed, nor the seats in its other "
                    "sessions; nothing is charged or refunded."
                )
                % {"course": course},
                _(
                    "While a seat is free, it can be taken again on the session's page until it starts."
                ),
            ],
            confirm_label=_("Give up the seat"),
            cancel_url=back,
            cancel_label=_("Keep the seat"),
        ),
    )


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return -1


@role_required()
def session_list(request, course_id: int):
    """A group course's sessions: for its teachers, admins, and its enrolled students and parents."""
    course = selectors.course_get_for_sessions(user=request.user, course_id=course_id)
    upcoming = selectors.session_list_for_course(user=request.user, course=course, when="upcoming")
    past = selectors.session_list_for_course(user=request.user, course=course, when="past")
    return render(
        request,
        "classroom/teaching/session_list.html",
        {
            "course": course,
            "upcoming": list(upcoming[:SESSIONS_SHOWN]),
            "past": list(past[:SESSIONS_SHOWN]),
            "can_manage": can_manage_course(user=request.user, course=course),
            "tz": zone(request.user.timezone),
            "tz_name": request.user.timezone,
        },
    )


@role_required(Role.TEACHER, Role.ADMIN)
def session_create(request, course_id: int):
    """A teacher of a group course schedules a session: the page twin of
    `POST /api/v1/courses/{id}/sessions`."""
    course = course_get_for_editor(user=request.user, course_id=course_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start, length = data["start"], data["length"]
        try:
            lesson = services.group_session_create(
                actor=request.user,
                course=course,
                start=start,
                length=length,
                title=data["title"],
                capacity=data["capacity"],
                video_call_url=data["video_call_url"],
            )
        except NotFound:
            raise  # an Http404: Django answers with the 404 page
        except DomainError as exc:
            apply_domain_error(form, exc, aliases={"course_id": None})
        else:
            messages.success(request, _("The session is scheduled."))
            held = selectors.session_students_held_by_consent(lesson=lesson)
            if held:
                messages.warning(
                    request,
                    ngettext(
                        "%(n)d enrolled student was not given a seat: they need a guardian's "
                        "consent (or their date of birth) first, then they can take a free seat.",
                        "%(n)d enrolled students were not given a seat: they need a guardian's "
                        "consent (or their date of birth) first, then they can take a free seat.",
                        held,
                    )
                    % {"n": held},
                )
            return redirect("lesson-detail", lesson_id=lesson.pk)
    return render(
        request,
        "classroom/teaching/session_form.html",
        {"course": course, "form": form, "tz_name": request.user.timezone},
    )
