from django import forms
from django.utils.translation import gettext_lazy as _

from authentication.choices import Role

from ..attachments.forms import AttachmentsField
from .services import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH

ROLE_GROUPS = (
    (Role.TEACHER, _("Teachers")),
    (Role.STUDENT, _("Students")),
    (Role.PARENT, _("Parents")),
    (Role.ADMIN, _("Admins")),
)


def partner_choices(partners) -> list:
    """The people one may write to, by name (never an email), grouped by their first role."""
    groups: dict[str, list] = {str(role): [] for role, _label in ROLE_GROUPS}
    others = []
    for person in partners:
        roles = {g.name for g in person.groups.all()} | (
            {"admin"} if person.is_superuser else set()
        )
        role = next((str(r) for r, _label in ROLE_GROUPS if str(r) in roles), None)
        (groups[role] if role else others).append((person.pk, person.name))
    choices: list = [("", _("Choose a person"))]
    for role, label in ROLE_GROUPS:
        if groups[str(role)]:
            choices.append((label, groups[str(role)]))
    if others:
        choices.append((_("Others"), others))
    return choices


class MessageForm(forms.Form):
    # Only the people one may write to are offered; any other id is the service's to refuse (the
    # same answer for someone not allowed and for nobody).
    recipient = forms.IntegerField(label=_("To"), min_value=1, widget=forms.Select())
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX_LENGTH)
    body = forms.CharField(
        label=_("Message"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachments = AttachmentsField()

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].widget.choices = partner_choices(partners)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = AttachmentsField()
