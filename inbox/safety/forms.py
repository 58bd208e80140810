from django import forms
from django.utils.translation import gettext_lazy as _

from cplatform.validators import validate_multiline_text

from .models import REPORT_TEXT_MAX_LENGTH, ReportReason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you reporting it?"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("What happened (optional)"),
        help_text=_("Only the admins read this. The sender is not told who reported the message."),
        required=False,
        max_length=REPORT_TEXT_MAX_LENGTH,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
