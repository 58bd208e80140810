"""Pages for progress and history: my progress (student), each child's schedule and progress
(parent), my students (teacher), an enrolment's progress, a student's lesson history, a teacher's
page on one student. Each calls the same selectors and services as the API."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from authentication.choices import Role
from authentication.forms import apply_domain_error
from authentication.roles import has_role, is_student, is_teacher, role_required
from courses.choices import EnrollmentStatus
from courses.selectors import can_manage_course
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError, NotFound

from ..choices import AttendanceStatus
from . import selectors, services

HISTORY_PAGE_SIZE = 20
UPCOMING_SHOWN = 20
STUDENTS_PAGE_SIZE = 50


class ProgressNoteForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("New progress note"),
        max_length=services.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The student and their parents read it."),
    )


def _page(request, qs, size):
    return Paginator(qs, size).get_page(request.GET.get("page"))


@role_required()
def progress_home(request):
    """Students: their courses with progress. Parents: each child's next lessons and progress.
    Teachers: their students. A person with several roles sees each part."""
    user = request.user
    context = {"tz_name": user.timezone}
    if is_student(user):
        context["own"] = list(selectors.progress_list_for_user(user=user, student_id=user.pk))
    children = selectors.children_for_progress(user=user)
    if children:
        ids = [c.pk for c in children]
        progress = selectors.progress_list_for_user(user=user).filter(student_id__in=ids)
        by_child: dict[int, list] = {pk: [] for pk in ids}
        for enrollment in progress:
            by_child[enrollment.student_id].append(enrollment)
        upcoming = selectors.upcoming_by_student(students=children)
        context["children"] = [
            {"child": c, "progress": by_child[c.pk], "upcoming": upcoming[c.pk]} for c in children
        ]
    if is_teacher(user):
        context["students"] = _page(
            request, selectors.student_list_for_teacher(teacher=user), STUDENTS_PAGE_SIZE
        )
    return render(request, "classroom/progress/progress_home.html", context)


def _detail_context(request, enrollment, note_form=None):
    user = request.user
    may_write = can_manage_course(user=user, course=enrollment.course)
    return {
        "enrollment": enrollment,
        "modules": selectors.module_progress_of(enrollment=enrollment),
        "can_mark": selectors.can_mark_modules(user=user, enrollment=enrollment)
        and enrollment.status == EnrollmentStatus.ACTIVE,
        "can_add_notes": may_write,
        "note_form": note_form or (ProgressNoteForm() if may_write else None),
        "tz_name": user.timezone,
    }


@role_required()
def enrollment_progress(request, enrollment_id: int):
    """One enrolment: figures, the modules checklist, the teachers' notes (and a form for teachers)."""
    enrollment = selectors.progress_get_for_user(user=request.user, enrollment_id=enrollment_id)
    return render(
        request,
        "classroom/progress/enrollment_progress.html",
        _detail_context(request, enrollment),
    )


@require_POST
@role_required()
def module_mark(request, enrollment_id: int, module_id: int):
    """Mark a module done (`done=1`) or not (`done=0`)."""
    enrollment = selectors.progress_get_for_user(user=request.user, enrollment_id=enrollment_id)
    module = selectors.module_get_for_enrollment(enrollment=enrollment, module_id=module_id)
    done = request.POST.get("done") != "0"
    try:
        if done:
            services.module_complete(actor=request.user, enrollment=enrollment, module=module)
            messages.success(request, _("“%(module)s” is marked done.") % {"module": module.title})
        else:
            services.module_uncomplete(actor=request.user, enrollment=enrollment, module=module)
            messages.success(
                request, _("“%(module)s” is no longer marked done.") % {"module": module.title}
            )
    except DomainError as exc:
        messages.error(request, next(iter(exc.errors.values()), [exc.detail])[0])
    return redirect("progress-enrollment", enrollment_id=enrollment.pk)


@require_POST
@role_required()
def note_add(request, enrollment_id: int):
    enrollment = selectors.progress_get_for_user(user=request.user, enrollment_id=enrollment_id)
    form = ProgressNoteForm(request.POST)
    if form.is_valid():
        try:
            services.progress_note_add(
                actor=request.user, enrollment=enrollment, body=form.cleaned_data["body"]
            )
        except DomainError as exc:
            if exc.status_code == 403:
                raise Http404 from exc
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Your note is saved."))
            return redirect("progress-enrollment", enrollment_id=enrollment.pk)
    elif not can_manage_course(user=request.user, course=enrollment.course):
        raise Http404
    return render(
        request,
        "classroom/progress/enrollment_progress.html",
        _detail_context(request, enrollment, note_form=form),
        status=400,
    )


@require_http_methods(["GET", "POST"])
@role_required()
def note_delete(request, note_id: int):
    """GET asks (saying who will no longer read it), POST deletes the note."""
    note = selectors.note_get_for_user(user=request.user, note_id=note_id)
    back = reverse("progress-enrollment", kwargs={"enrollment_id": note.enrollment_id})
    student = note.enrollment.student.name
    if request.method == "POST":
        try:
            services.progress_note_delete(actor=request.user, note=note)
        except NotFound:
            raise  # an Http404: Django answers with the 404 page
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request,
                _("The note is deleted: %(student)s and their parents no longer see it.")
                % {"student": student},
            )
        return redirect(back)
    if not selectors.progress_note_deletable_by(actor=request.user, note=note):
        raise Http404
    return confirm_page(
        request,
        Confirmation(
            title=_("Delete this note?"),
            consequences=[
                _("“%(excerpt)s”") % {"excerpt": Truncator(note.body).chars(140)},
                _(
                    "%(student)s and their parents will no longer see it on the progress page of "
                    "%(course)s. It cannot be brought back."
                )
                % {"student": student, "course": note.enrollment.course.title},
            ],
            confirm_label=_("Delete the note"),
            cancel_url=back,
        ),
    )


def _student_param(request):
    """`?student=<id>`, or a sensible default: oneself, or a parent's first child."""
    raw = request.GET.get("student")
    if raw:
        return raw
    if has_role(request.user, Role.PARENT) and not is_student(request.user):
        children = selectors.children_for_progress(user=request.user)
        if children:
            return children[0].pk
    return request.user.pk


@role_required()
def lesson_history(request):
    """A student's past lessons (newest first, with attendance, notes and homework), upcoming lessons
    and enrolment history: one's own, a child's (`?student=`), a teacher's student's."""
    student = selectors.student_get_for_viewer(
        user=request.user, student_id=_student_param(request)
    )
    user = request.user
    past = _page(
        request,
        selectors.lesson_history_for_student(user=user, student=student, when="past"),
        HISTORY_PAGE_SIZE,
    )
    upcoming = list(
        selectors.lesson_history_for_student(user=user, student=student, when="upcoming")[
            :UPCOMING_SHOWN
        ]
    )
    enrollments = list(selectors.enrollment_history_for_student(user=user, student=student))
    return render(
        request,
        "classroom/progress/lesson_history.html",
        {
            "student": student,
            "is_self": student.pk == user.pk,
            "children": selectors.children_for_progress(user=user),
            "past": past,
            "upcoming": upcoming,
            "enrollments": enrollments,
            "attendance_choices": AttendanceStatus.choices,
            "tz_name": user.timezone,
        },
    )


@role_required(Role.TEACHER)
def student_detail(request, student_id: int):
    """A teacher's page on one of their students: the lessons with this teacher and the enrolments in
    this teacher's courses, with progress."""
    user = request.user
    student = selectors.student_list_for_teacher(teacher=user).filter(pk=student_id).first()
    if student is None:
        raise Http404
    past = _page(
        request,
        selectors.lesson_history_for_student(
            user=user, student=student, when="past", teacher_only=True
        ),
        HISTORY_PAGE_SIZE,
    )
    upcoming = list(
        selectors.lesson_history_for_student(
            user=user, student=student, when="upcoming", teacher_only=True
        )[:UPCOMING_SHOWN]
    )
    progress = list(selectors.progress_list_for_teacher_student(teacher=user, student=student))
    return render(
        request,
        "classroom/progress/student_detail.html",
        {
            "student": student,
            "past": past,
            "upcoming": upcoming,
            "progress": progress,
            "attendance_choices": AttendanceStatus.choices,
            "tz_name": user.timezone,
        },
    )
