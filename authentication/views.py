from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cplatform.confirm import Confirmation, confirm_page
from cplatform.exceptions import DomainError, NotFound

from .choices import SELF_SERVICE_ROLES, GuardianLinkStatus, Role
from .forms import GuardianInviteForm, ProfileForm, apply_domain_error
from .models import User
from .roles import has_role
from .selectors import (
    email_address_get_for_user,
    guardian_link_get_for_user,
    guardian_link_list_for_user,
    guardian_link_locked_for,
    guardian_links_asking_consent,
    user_needs_date_of_birth,
    user_needs_guardian_consent,
)
from .services import (
    guardian_accept,
    guardian_consent,
    guardian_decline_or_remove,
    guardian_invite,
    profile_update,
)


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
@require_POST
def profile_timezone(request):
    """The profile's one-click offer of the device's zone (static/js/timezone.js)."""
    zone = request.POST.get("timezone", "")
    try:
        profile_update(user=User.objects.get(pk=request.user.pk), data={"timezone": zone})
    except DomainError as exc:
        messages.error(request, next(iter(exc.errors.values()), [exc.detail])[0])
    else:
        messages.success(request, _("Times are now shown in %(zone)s.") % {"zone": zone})
    return redirect("profile")


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
            "consent_scope": consent_scope(_("Your child")),
            "children": [
                link
                for link in links
                if link.status == GuardianLinkStatus.ACTIVE and link.guardian_id == request.user.pk
            ],
            "locked": {
                link.pk for link in links if guardian_link_locked_for(user=request.user, link=link)
            },
            "invite_as": invite_as,
            "can_invite": has_role(request.user, Role.PARENT, Role.STUDENT),
        },
    )


def _guardian_action(request, link_id, service, success_message):
    link = guardian_link_get_for_user(user=request.user, link_id=link_id)
    try:
        link = service(link=link, actor=request.user)
    except NotFound:
        raise  # an Http404: Django answers with the 404 page
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, success_message(link) if callable(success_message) else success_message
        )
    return redirect("guardians")


@login_required
@require_POST
def guardian_accept_view(request, link_id):
    return _guardian_action(request, link_id, guardian_accept, _("You are now linked."))


def _other_side(link, user) -> str:
    """The other person of a link, as `user` sees it (the email while an invitation is open)."""
    other = link.child if link.guardian_id == user.pk else link.guardian
    return other.name if other is not None else link.invited_email


def _removal_text(link, user) -> dict:
    """What ending `link` means for `user`: the page's question, what will happen, and the message
    after it. Only what the product does: a guardian sees a child's lessons, progress and teachers'
    notes, books lessons and enrols them, and gives the consent a child under 16 needs."""
    other = _other_side(link, user)
    if link.status == GuardianLinkStatus.PENDING:
        if link.initiated_by_id == user.pk:
            return {
                "title": _("Cancel your invitation to %(name)s?") % {"name": other},
                "consequences": [
                    _("The invitation we emailed stops working: %(name)s can no longer accept it.")
                    % {"name": other},
                    _("You can invite them again later."),
                ],
                "confirm": _("Cancel the invitation"),
                "done": _("Your invitation to %(name)s is cancelled.") % {"name": other},
            }
        return {
            "title": _("Decline the invitation from %(name)s?") % {"name": other},
            "consequences": [
                _("You and %(name)s will not be linked, and they are not told why.")
                % {"name": other},
                _("They can invite you again later."),
            ],
            "confirm": _("Decline the invitation"),
            "done": _("You declined the invitation from %(name)s.") % {"name": other},
        }
    if link.guardian_id == user.pk:
        consequences = [
            _(
                "You will no longer see %(name)s's lessons, progress and teachers' notes, and you "
                "can no longer book lessons or enrol them in courses."
            )
            % {"name": other},
        ]
        done = _(
            "The link with %(name)s has ended: you no longer see their lessons and progress."
        ) % {"name": other}
    else:
        consequences = [
            _(
                "%(name)s will no longer see your lessons, progress and teachers' notes, and can "
                "no longer book lessons or enrol you in courses."
            )
            % {"name": other},
        ]
        done = _(
            "%(name)s is no longer your guardian: they no longer see your lessons and progress."
        ) % {"name": other}
    if link.consent_given_at:
        consequences.append(
            _(
                "The consent given through this link ends with it: a student under 16 without "
                "another guardian's consent cannot book lessons or enrol in courses until a "
                "guardian consents again."
            )
        )
    consequences.append(_("Lessons already booked stay booked."))
    return {
        "title": _("End the link with %(name)s?") % {"name": other},
        "consequences": consequences,
        "confirm": _("End the link"),
        "done": done,
    }


@login_required
@require_http_methods(["GET", "POST"])
def guardian_remove_view(request, link_id):
    """GET asks (saying what ending the link means), POST ends it or declines the invitation."""
    link = guardian_link_get_for_user(user=request.user, link_id=link_id)
    if link.status not in (GuardianLinkStatus.PENDING, GuardianLinkStatus.ACTIVE):
        raise Http404
    text = _removal_text(link, request.user)
    if request.method == "POST":
        return _guardian_action(request, link_id, guardian_decline_or_remove, text["done"])
    if guardian_link_locked_for(user=request.user, link=link):
        messages.error(
            request,
            _(
                "Under 16, a link with a guardian is ended by the guardian or by an admin. Ask them if it should end."
            ),
        )
        return redirect("guardians")
    return confirm_page(
        request,
        Confirmation(
            title=text["title"],
            consequences=text["consequences"],
            confirm_label=text["confirm"],
            cancel_url=reverse("guardians"),
        ),
    )


def consent_scope(child_name: str) -> list[str]:
    """What a guardian consents to, in the words the consent page and the Family links page use:
    only what the product does with it today (the consent gate in `guardian_consent_require`)."""
    return [
        _(
            "%(name)s may book 1:1 lessons with teachers, take seats in group sessions and enrol "
            "in courses that have a teacher or a price."
        )
        % {"name": child_name},
        _(
            "Your name and the date and time are kept with your consent. It lasts while you are "
            "linked: ending the link ends it."
        ),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def guardian_consent_view(request, link_id):
    """GET says what is consented to, POST records the consent."""
    link = guardian_link_get_for_user(user=request.user, link_id=link_id)
    name = _other_side(link, request.user)
    if request.method == "POST":
        return _guardian_action(
            request,
            link_id,
            guardian_consent,
            _("Consent recorded: %(name)s may now book lessons and enrol in courses.")
            % {"name": name},
        )
    if link.status != GuardianLinkStatus.ACTIVE or link.guardian_id != request.user.pk:
        raise Http404
    return confirm_page(
        request,
        Confirmation(
            title=_("Give your consent for %(name)s?") % {"name": name},
            consequences=consent_scope(name),
            confirm_label=_("I give my consent"),
            cancel_url=reverse("guardians"),
            cancel_label=_("Not now"),
            danger=False,
        ),
    )


@login_required
@require_GET
def email_remove_view(request):
    """Asks before an email address leaves the account (allauth's email page removed it on one
    click): the confirmation posts allauth's own `action_remove` to its email page, which does it
    and says so. The primary address cannot be removed; the page says what to do instead."""
    address = email_address_get_for_user(user=request.user, email=request.GET.get("email", ""))
    if address.primary:
        messages.error(
            request,
            _(
                "%(email)s is your primary address: make another address primary first, then "
                "remove this one."
            )
            % {"email": address.email},
        )
        return redirect("account_email")
    return confirm_page(
        request,
        Confirmation(
            title=_("Remove %(email)s from your account?") % {"email": address.email},
            consequences=[
                _("You can no longer sign in with %(email)s.") % {"email": address.email},
                _("Messages from the site stop going to it; your other addresses stay."),
                _("You can add it again later (it must be confirmed again)."),
            ],
            confirm_label=_("Remove the address"),
            cancel_url=reverse("account_email"),
            cancel_label=_("Keep it"),
            action=reverse("account_email"),
            hidden={"email": address.email, "action_remove": "1"},
        ),
    )
