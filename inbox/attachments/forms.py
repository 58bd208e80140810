"""The files field of the message forms (direct messages, replies, room messages). It only
collects the uploads; `attachments_check` in the service decides (one rule for pages and API)."""

from django import forms
from django.utils.translation import gettext_lazy as _

ACCEPT = ".pdf,.png,.jpg,.jpeg,.webp,.txt,.md,.csv,.docx,.xlsx,.pptx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attach files"))
        kwargs.setdefault(
            "help_text",
            _("Up to 3 files of 10 MB each: PDF, images, text, Word, Excel or PowerPoint."),
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"multiple": True, "accept": ACCEPT})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
