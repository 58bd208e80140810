import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from cplatform.admin_site import acts_as_superuser
from cplatform.exceptions import DomainError
from cplatform.validators import validate_single_line

from .choices import SELF_SERVICE_ROLES
from .models import User
from .permissions import NOT_MANAGEABLE, groups_after_change, groups_grantable_by, user_may_manage
from .services import (
    PROFILE_FIELDS,
    avatar_remove,
    avatar_set,
    profile_update,
    user_signup_complete,
)

WAGTAIL_USER_EXTRA_FIELDS = ("display_name", "timezone", "language", "phone")


@functools.cache
def known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def timezone_choices():
    return [
        (tz, tz.replace("_", " "))
        for tz in sorted(zoneinfo.available_timezones())
        if "/" in tz or tz == "UTC"
    ]


def apply_domain_error(form: forms.Form, exc: DomainError, aliases: dict | None = None) -> None:
    """Show a service's refusal on the form: field messages where the field exists (`aliases` maps a
    service's field name to the form's), else on top."""
    if not exc.errors:
        form.add_error(None, exc.detail)
    for field, messages in exc.errors.items():
        name = (aliases or {}).get(field, field)
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class SignupExtraForm(forms.Form):
    """Fields allauth adds to sign-up, on the page and in the headless API (`role`, names)."""

    first_name = forms.CharField(
        label=_("First name"), max_length=150, required=False, validators=[validate_single_line]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, required=False, validators=[validate_single_line]
    )
    # The browser's zone (static/js/timezone.js fills it from Intl), or an app's; without either,
    # the site's default. An unknown name is refused (a 400 naming `timezone` in the headless API).
    timezone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        required=False,
        widget=forms.HiddenInput(attrs={"data-browser-timezone": ""}),
    )
    role = forms.ChoiceField(
        label=_("I am joining as"),
        choices=[(r.value, r.label) for r in SELF_SERVICE_ROLES],
        required=False,
        initial="Student",
        widget=forms.RadioSelect,
        help_text=_("You can add another role later."),
    )

    def clean_timezone(self) -> str:
        value = (self.cleaned_data.get("timezone") or "").strip()
        if not value:
            return settings.TIME_ZONE
        if value not in known_timezones():
            raise forms.ValidationError(
                _("%(value)s is not a known time zone.") % {"value": value[:64]},
                code="invalid",
            )
        return value

    def signup(self, request, user):
        user.first_name = self.cleaned_data.get("first_name", "")
        user.last_name = self.cleaned_data.get("last_name", "")
        user.language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        user.timezone = self.cleaned_data.get("timezone") or settings.TIME_ZONE
        user.save(update_fields=["first_name", "last_name", "language", "timezone"])
        user_signup_complete(user=user, role=self.cleaned_data.get("role") or None)


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)
    # A plain file field: `avatar_process` is the one validator, with the same messages as the API.
    avatar_upload = forms.FileField(
        label=_("New avatar"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, up to 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove the current avatar"), required=False)

    class Meta:
        model = User
        fields = list(PROFILE_FIELDS)
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def save(self, commit=True):
        """Writes go through the services, which validate again; their refusals land on the form."""
        data = {field: self.cleaned_data.get(field) for field in PROFILE_FIELDS}
        user = User.objects.get(pk=self.instance.pk)
        try:
            with transaction.atomic():
                profile_update(user=user, data=data)
                if self.cleaned_data.get("avatar_upload"):
                    avatar_set(user=user, upload=self.cleaned_data["avatar_upload"])
                elif self.cleaned_data.get("remove_avatar"):
                    avatar_remove(user=user)
        except DomainError as exc:
            apply_domain_error(self, exc, aliases={"avatar": "avatar_upload"})
            return None
        return user


class GuardianInviteForm(forms.Form):
    email = forms.EmailField(label=_("Their email address"))


class _WagtailUserFormMixin:
    """The profile fields admins manage in the Wagtail admin. `is_superuser` ("Administrator") is only
    changeable by superusers: an Admin-role account must not be able to mint superusers. The groups
    offered are those the requester may grant; the person's other groups stay as they were. A
    person the requester may not manage is never saved through it, whichever view shows it
    (`authentication.permissions`)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["timezone"] = forms.ChoiceField(
            label=_("Time zone"), choices=timezone_choices, initial="UTC"
        )
        if "is_superuser" in self.fields and not acts_as_superuser(for_user):
            # Disabled: shown, but whatever is posted for it is ignored.
            self.fields["is_superuser"].disabled = True
        if "groups" in self.fields:
            self.fields["groups"].queryset = groups_grantable_by(for_user)

    def clean_groups(self):
        return groups_after_change(
            actor=self.for_user, user=self.instance, chosen=self.cleaned_data.get("groups") or []
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None and not user_may_manage(self.for_user, self.instance):
            raise forms.ValidationError(NOT_MANAGEABLE, code="not_manageable")
        return cleaned_data


class WagtailUserEditForm(_WagtailUserFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(WAGTAIL_USER_EXTRA_FIELDS)


class WagtailUserCreationForm(_WagtailUserFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(WAGTAIL_USER_EXTRA_FIELDS)
