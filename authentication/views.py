from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cplatform.exceptions import DomainError, NotFound

from .choices import SELF_SERVICE_ROLES, Role
from .forms import GuardianInviteForm, ProfileForm, apply_domain_error
from .models import User
from .roles import has_role
from .selectors import (
    guardian_link_get_for_user,
    guardian_link_list_for_user,
    guardian_links_asking_consent,
    user_needs_date_of_birth,
    user_needs_guardian_consent,
)
from .services import guardian_accept, guardian_consent, guardian_decline_or_remove, guardian_invite


class SignupView(allauth_views.SignupView):
    """allauth's sign-up; `?role=Teacher` (the sign-up calls of landing pages) preselects the role."""

    def get_initial(self) -> dict:
        initial = super().get_initial()
        role = self.request.GET.get("role")
        if role in {r.value for r in SELF_SERVICE_ROLES}:
            initial["role"] = role
        return initial


signup = SignupView.as_view()


@login_required
def profile_view(request):
    return render(
        request,
        "authentication/profile.html",
        {
            "profile_user": request.user,
            "needs_consent": user_needs_guardian_consent(user=request.user),
            "needs_date_of_birth": user_needs_date_of_birth(user=request.user),
        },
    )


@login_required
def profile_edit(request):
    # A copy of the user: a form that fails validation must not leave bad values on request.user.
    instance = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid() and form.save() is not None:
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "authentication/profile_edit.html", {"form": form})


@login_required
def guardian_list(request):
    form = GuardianInviteForm(request.POST or None)
    invite_as = "child" if has_role(request.user, Role.PARENT) else "guardian"
    if request.method == "POST" and form.is_valid():
        try:
            guardian_invite(actor=request.user, email=form.cleaned_data["email"], as_role=invite_as)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Invitation sent. It appears here until they accept."))
            return redirect("guardians")
    # The children's profiles (classroom's, read by relation) for their date of birth.
    links = list(
        guardian_link_list_for_user(user=request.user).select_related("child__student_profile")
    )
    return render(
        request,
        "authentication/guardians.html",
        {
            "form": form,
            "links": links,
            "asks_consent": guardian_links_asking_consent(links=links, guardian=request.user),
            "invite_as": invite_as,
            "can_invite": has_role(request.user, Role.PARENT, Role.STUDENT),
        },
    )


def _guardian_action(request, link_id, service, success_message):
    link = guardian_link_get_for_user(user=request.user, link_id=link_id)
    try:
        service(link=link, actor=request.user)
    except NotFound:
        raise  # an Http404: Django answers with the 404 page
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, success_message)
    return redirect("guardians")


@login_required
@require_POST
def guardian_accept_view(request, link_id):
    return _guardian_action(request, link_id, guardian_accept, _("You are now linked."))


@login_required
@require_POST
def guardian_remove_view(request, link_id):
    return _guardian_action(
        request, link_id, guardian_decline_or_remove, _("The link has been removed.")
    )


@login_required
@require_POST
def guardian_consent_view(request, link_id):
    return _guardian_action(request, link_id, guardian_consent, _("Consent recorded."))
