"""Course pages: the public catalog and course page, the teacher area (my courses) and the student area
(my enrolments and materials). Each view parses input, calls one selector or service, and renders."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from authentication.choices import Role
from authentication.forms import apply_domain_error
from authentication.models import User
from authentication.next_steps import NEXT_STEPS, domain_error_message
from authentication.roles import role_required
from authentication.selectors import acts_for_student, children_of
from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError, NotFound
from cplatform.validators import single_line

from .choices import EnrollmentStatus
from .forms import CourseForm, MaterialForm, ModuleForm
from .models import Material
from .page_services import PUBLISHED, course_page_publish
from .selectors import (
    can_manage_course,
    course_get_for_editor,
    course_get_for_viewer,
    course_list_for_teacher,
    course_page_get,
    enrollment_get_for_user,
    enrollment_list_for_user,
    material_get_for_user,
    material_list_for_user,
)
from .services import (
    course_create,
    course_update,
    enrollment_create,
    enrollment_remove,
    enrollment_withdraw,
    material_create,
    material_file_open,
    module_create,
)


def material_file_response(material: Material, *, user) -> FileResponse:
    """The private file as a download: never rendered inline, never sniffed into another type."""
    handle = material_file_open(user=user, material=material)
    response = FileResponse(
        handle,
        as_attachment=True,
        # Stored text goes into a header line: a name that holds a line break must not break it.
        filename=single_line(material.original_name or material.file.name.rsplit("/", 1)[-1]),
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Public -----------------------------------------------------------------------------------------


def course_catalog(request):
    """/courses/ is the CourseIndexPage. Django's patterns under /courses/ come before Wagtail's
    catch-all, so this keeps the URL name `course-catalog` and hands the request to Wagtail's page
    serving (hooks, privacy, the visitor's language) exactly as the catch-all would."""
    from wagtail.views import serve

    return serve(request, "courses/")


def course_detail(request, slug):
    """Never reached (see PageSlugConverter): the CoursePage serves /courses/<slug>/."""
    raise Http404


@require_POST
@role_required(Role.STUDENT, Role.PARENT)
def course_enrol(request, slug):
    """Enrol (or join the waitlist with `waitlist=1`); a parent posts `student_id` of a linked child."""
    course = course_get_for_viewer(viewer=request.user, slug=slug)
    student = None
    student_id = request.POST.get("student_id", "")
    if student_id:
        if not student_id.isdigit():
            raise Http404
        student = User.objects.filter(pk=int(student_id)).first()
        if student is None:
            raise Http404
    try:
        enrollment = enrollment_create(
            actor=request.user,
            course=course,
            student=student,
            waitlist=request.POST.get("waitlist") == "1",
        )
    except NotFound:
        raise  # an Http404: Django answers with the 404 page
    except DomainError as exc:
        if exc.code in NEXT_STEPS:  # a reason with a next step (the consent gate): with its link
            messages.error(request, domain_error_message(exc))
        else:
            messages.error(
                request, exc.detail if not exc.errors else _("This enrolment is not possible.")
            )
        return redirect(course.get_absolute_url())
    messages.success(
        request,
        {
            EnrollmentStatus.ACTIVE: _("You are enrolled."),
            EnrollmentStatus.PENDING: _(
                "Your place is held. Paying on this site is not open yet: the school settles the "
                "price with you directly, and your enrolment starts once they record the payment."
            ),
            EnrollmentStatus.WAITLISTED: _(
                "You are on the waitlist. We will give you a seat when one frees up."
            ),
        }[enrollment.status],
    )
    return redirect(course.get_absolute_url())


def _ending_consequences(enrollment, *, removed: bool) -> list[str]:
    """What ending an enrolment does (courses.services._end and its receivers), for its page."""
    names = {"student": enrollment.student.name, "course": enrollment.course.title}
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        lines = [_("%(student)s leaves the waitlist of %(course)s.") % names]
    elif enrollment.status == EnrollmentStatus.PENDING:
        lines = [_("The place reserved for %(student)s in %(course)s is released.") % names]
    else:
        lines = [
            _(
                "%(student)s leaves %(course)s and gives up their seats in its upcoming group "
                "sessions; the first person on the waitlist gets the seat."
            )
            % names
        ]
    if removed:
        lines.append(_("%(student)s sees the course as removed in their history.") % names)
    lines.append(
        _("Progress and teachers' notes stay in the history. Coming back means enrolling again.")
    )
    return lines


@require_http_methods(["GET", "POST"])
@role_required()
def enrollment_withdraw_view(request, enrollment_id):
    """GET asks (saying what leaving means), POST withdraws."""
    enrollment = enrollment_get_for_user(user=request.user, enrollment_id=enrollment_id)
    names = {"student": enrollment.student.name, "course": enrollment.course.title}
    if request.method == "POST":
        try:
            enrollment_withdraw(actor=request.user, enrollment=enrollment)
            messages.success(request, _("%(student)s has withdrawn from %(course)s.") % names)
        except DomainError as exc:
            messages.error(request, exc.detail)
        return redirect("my-courses")
    if not enrollment.is_live or not acts_for_student(
        user=request.user, student_id=enrollment.student_id
    ):
        raise Http404
    return confirm_page(
        request,
        Confirmation(
            title=_("Withdraw %(student)s from %(course)s?") % names,
            consequences=_ending_consequences(enrollment, removed=False),
            confirm_label=_("Withdraw"),
            cancel_url=reverse("my-courses"),
            cancel_label=_("Stay enrolled"),
        ),
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.TEACHER, Role.ADMIN)
def enrollment_remove_view(request, enrollment_id):
    """GET asks (saying what removing means), POST removes the student from the course."""
    enrollment = enrollment_get_for_user(user=request.user, enrollment_id=enrollment_id)
    names = {"student": enrollment.student.name, "course": enrollment.course.title}
    back = reverse("teach-course", kwargs={"course_id": enrollment.course_id})
    if request.method == "POST":
        try:
            enrollment_remove(actor=request.user, enrollment=enrollment)
            messages.success(request, _("%(student)s is removed from %(course)s.") % names)
        except DomainError as exc:
            messages.error(request, exc.detail)
        return redirect(back)
    if not enrollment.is_live or not can_manage_course(user=request.user, course=enrollment.course):
        raise Http404
    return confirm_page(
        request,
        Confirmation(
            title=_("Remove %(student)s from %(course)s?") % names,
            consequences=_ending_consequences(enrollment, removed=True),
            confirm_label=_("Remove from the course"),
            cancel_url=back,
        ),
    )


# Student and parent ---------------------------------------------------------------------------------


@role_required(Role.STUDENT, Role.PARENT)
def my_courses(request):
    """A student's enrolments (history included) and the materials released to them; a parent's
    children's enrolments."""
    enrollments = enrollment_list_for_user(user=request.user).filter(
        student__in=[
            request.user.pk,
            *children_of(guardian=request.user).values_list("pk", flat=True),
        ]
    )
    return render(
        request,
        "courses/my_courses.html",
        {
            "enrollments": enrollments,
            "materials": material_list_for_user(user=request.user),
        },
    )


@role_required()
def material_download(request, material_id: int):
    """The page twin of `GET /api/v1/materials/{id}/download` (session login)."""
    material = material_get_for_user(user=request.user, material_id=material_id)
    return material_file_response(material, user=request.user)


# Teacher area -----------------------------------------------------------------------------------


@role_required(Role.TEACHER)
def teach_courses(request):
    return render(
        request,
        "courses/teach_courses.html",
        {"courses": course_list_for_teacher(user=request.user)},
    )


@role_required(Role.TEACHER)
def teach_course_create(request):
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = course_create(actor=request.user, data=form.service_data())
        except DomainError as exc:
            form.show(exc)
        else:
            messages.success(request, _("The course has been created."))
            return redirect("teach-course", course_id=course.pk)
    return render(request, "courses/teach_course_form.html", {"form": form, "course": None})


@role_required(Role.TEACHER, Role.ADMIN)
def teach_course_edit(request, course_id):
    course = course_get_for_editor(user=request.user, course_id=course_id)
    form = CourseForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        try:
            course_update(actor=request.user, course=course, data=form.service_data())
        except DomainError as exc:
            form.show(exc)
        else:
            messages.success(request, _("The course has been saved."))
            return redirect("teach-course", course_id=course.pk)
    return render(request, "courses/teach_course_form.html", {"form": form, "course": course})


@require_POST
@role_required(Role.TEACHER, Role.ADMIN)
def teach_course_publish(request, course_id):
    """Publish the course's page (and the course), or submit it to the course section's
    moderation workflow when the admin has turned one on."""
    course = course_get_for_editor(user=request.user, course_id=course_id)
    try:
        outcome = course_page_publish(actor=request.user, course=course)
    except NotFound:
        raise  # an Http404: Django answers with the 404 page
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            _("The course is published.")
            if outcome == PUBLISHED
            else _("The course has been sent to a moderator; it goes live once approved."),
        )
    return redirect("teach-course", course_id=course.pk)


@role_required(Role.TEACHER, Role.ADMIN)
def teach_course(request, course_id):
    """One course for its teachers: modules, materials (upload) and the enrolled students."""
    course = course_get_for_editor(user=request.user, course_id=course_id)
    module_form = ModuleForm(request.POST if request.POST.get("add") == "module" else None)
    material_form = MaterialForm(
        request.POST if request.POST.get("add") == "material" else None,
        request.FILES or None,
        course=course,
    )
    if request.method == "POST":
        try:
            if request.POST.get("add") == "module" and module_form.is_valid():
                module_create(actor=request.user, course=course, data=module_form.service_data())
                messages.success(request, _("The module has been added."))
                return redirect("teach-course", course_id=course.pk)
            if request.POST.get("add") == "material" and material_form.is_valid():
                data = material_form.cleaned_data
                module = (
                    course.modules.filter(pk=data["module"]).first() if data["module"] else None
                )
                material_create(
                    actor=request.user,
                    course=course,
                    module=module,
                    title=data["title"],
                    kind=data["kind"],
                    upload=data["file"],
                    url=data["url"],
                    body=data["body"],
                    release_at=data["release_at"],
                )
                messages.success(request, _("The material has been added."))
                return redirect("teach-course", course_id=course.pk)
        except NotFound:
            raise  # an Http404: Django answers with the 404 page
        except DomainError as exc:
            form = module_form if request.POST.get("add") == "module" else material_form
            apply_domain_error(form, exc)
    return render(
        request,
        "courses/teach_course.html",
        {
            "course": course,
            "course_page": course_page_get(course=course),
            "modules": course.modules.all(),
            "materials": course.materials.select_related("module"),
            "enrollments": enrollment_list_for_user(user=request.user, course_id=course.pk),
            "module_form": module_form,
            "material_form": material_form,
        },
    )
