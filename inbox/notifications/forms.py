from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationKind


def _field(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class NotificationSettingsForm(forms.Form):
    """A checkbox per kind × channel, the digest, quiet hours and (parents) children's changes."""

    daily_digest = forms.BooleanField(
        label=_("Send me one email a day (at 07:00) instead of an email each time"), required=False
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    children_lesson_changes = forms.BooleanField(
        label=_("Tell me when my children's lessons are booked, moved or cancelled"),
        required=False,
    )

    def __init__(self, *args, is_parent: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = []
        for kind, label in NotificationKind.choices:
            in_app = forms.BooleanField(required=False, label=_("On the site: %s") % label)
            email = forms.BooleanField(required=False, label=_("By email: %s") % label)
            self.fields[_field(kind, "in_app")] = in_app
            self.fields[_field(kind, "email")] = email
            self.kinds.append((kind, label))
        if not is_parent:
            del self.fields["children_lesson_changes"]

    @staticmethod
    def initial_from(found: dict) -> dict:
        initial = {key: found[key] for key in ("daily_digest", "quiet_start", "quiet_end")}
        initial["children_lesson_changes"] = found["children_lesson_changes"]
        for kind, (in_app, email) in found["channels"].items():
            initial[_field(kind, "in_app")] = in_app
            initial[_field(kind, "email")] = email
        return initial

    def rows(self):
        """(label, in-app field, email field) per kind, for the table."""
        return [
            (label, self[_field(kind, "in_app")], self[_field(kind, "email")])
            for kind, label in self.kinds
        ]

    def channels(self) -> dict[str, dict[str, bool]]:
        data = self.cleaned_data
        return {
            kind: {
                "in_app": data[_field(kind, "in_app")],
                "email": data[_field(kind, "email")],
            }
            for kind, _label in self.kinds
        }
