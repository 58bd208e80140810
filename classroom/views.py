from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from authentication.choices import Role
from authentication.roles import role_required
from catalog.selectors import filter_options

from .forms import (
    StudentDateOfBirthForm,
    StudentProfileForm,
    TeacherFilterForm,
    TeacherProfileForm,
)
from .selectors import (
    student_get_for_user,
    teacher_list_public,
)
from .services import student_profile_ensure, teacher_profile_ensure

PAGE_SIZE = 12


def teacher_directory(request):
    """The public list of teachers, filtered by the query string. Bad filter values are reported on the
    form and ignored; a bad `page` shows the nearest page."""
    options = filter_options()
    form = TeacherFilterForm(request.GET, options=options)
    form.is_valid()
    page = Paginator(teacher_list_public(filters=form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "classroom/teacher_directory.html",
        {"page": page, "form": form, "query": query.urlencode()},
    )


@role_required(Role.TEACHER)
def teacher_profile_edit(request):
    """A teacher edits their own teaching profile (the page twin of `PUT /api/v1/me/teacher-profile`)."""
    profile = teacher_profile_ensure(user=request.user)
    form = TeacherProfileForm(request.POST or None, profile=profile, options=filter_options())
    if request.method == "POST" and form.is_valid() and form.save(user=request.user) is not None:
        messages.success(request, _("Your teaching profile has been saved."))
        return redirect("teacher-profile-edit")
    return render(
        request, "classroom/teacher_profile_edit.html", {"form": form, "profile": profile}
    )


@role_required(Role.STUDENT)
def student_profile_edit(request):
    """A student edits their learning profile (the page twin of `PATCH /api/v1/me/student-profile`)."""
    profile = student_profile_ensure(user=request.user)
    form = StudentProfileForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid() and form.save(user=request.user) is not None:
        messages.success(request, _("Your learning profile has been saved."))
        return redirect("student-profile-edit")
    return render(request, "classroom/student_profile_edit.html", {"form": form})


@role_required(Role.PARENT, Role.ADMIN)
def student_date_of_birth(request, student_id: int):
    """A guardian (or an admin) sets a student's date of birth (the page twin of
    `PUT /api/v1/students/{id}/date-of-birth`). A student the visitor may not see: 404."""
    profile = student_get_for_user(user=request.user, student_id=student_id)
    form = StudentDateOfBirthForm(request.POST or None, profile=profile)
    if (
        request.method == "POST"
        and form.is_valid()
        and form.save(actor=request.user, student=profile.user) is not None
    ):
        messages.success(
            request, _("%(name)s's date of birth has been saved.") % {"name": profile.user.name}
        )
        return redirect("guardians")
    return render(
        request, "classroom/student_date_of_birth.html", {"form": form, "student": profile.user}
    )
