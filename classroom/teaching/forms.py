"""Forms of the lesson pages. They parse and show input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import AttendanceStatus
from .services import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES

DATETIME_LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(forms.Form):
    """A new group session; times in the teacher's own zone (the middleware activates it)."""

    start = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_LOCAL)
    length = forms.IntegerField(
        label=_("Length in minutes"),
        min_value=MIN_SESSION_MINUTES,
        max_value=MAX_SESSION_MINUTES,
        initial=60,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=160,
        required=False,
        help_text=_("Empty: the course's title."),
    )
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_("Empty: the course's number of seats."),
    )
    video_call_url = forms.URLField(
        label=_("Video-call link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("An https:// address."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LessonDetailsForm(forms.Form):
    """What the teacher writes for the student: notes, homework, the video-call link."""

    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    video_call_url = forms.URLField(
        label=_("Video-call link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("An https:// address."),
    )
    notes = forms.CharField(
        label=_("Lesson notes"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The student and their parents read these."),
    )
    homework = forms.CharField(
        label=_("Homework"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    homework_due = forms.DateTimeField(
        label=_("Homework due"), required=False, widget=DATETIME_LOCAL
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "details")
        super().__init__(*args, **kwargs)


class AttendanceForm(forms.Form):
    """One status (radio buttons in a fieldset named after the student) and one note per student."""

    def __init__(self, data=None, *, roster):
        super().__init__(data, label_suffix="", prefix="attendance")
        self.roster = roster
        for student, mark in roster:
            self.fields[f"status_{student.pk}"] = forms.ChoiceField(
                label=student.name,
                choices=AttendanceStatus.choices,
                required=False,
                widget=forms.RadioSelect,
                initial=mark.status if mark else None,
            )
            self.fields[f"note_{student.pk}"] = forms.CharField(
                label=_("Note about %(name)s") % {"name": student.name},
                max_length=300,
                required=False,
                initial=mark.note if mark else "",
            )

    def rows(self):
        """(status field, note field) per student, for the template."""
        return [
            (self[f"status_{student.pk}"], self[f"note_{student.pk}"])
            for student, _mark in self.roster
        ]

    def marks(self) -> list[dict]:
        return [
            {
                "student_id": student.pk,
                "status": self.cleaned_data[f"status_{student.pk}"],
                "note": self.cleaned_data[f"note_{student.pk}"],
            }
            for student, _mark in self.roster
            if self.cleaned_data.get(f"status_{student.pk}")
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.marks():
            raise forms.ValidationError(_("Mark at least one student."))
        return cleaned


class AttachMaterialForm(forms.Form):
    material = forms.TypedChoiceField(label=_("Material of the course"), coerce=int)

    def __init__(self, data=None, *, materials):
        super().__init__(data, label_suffix="", prefix="attach")
        self.fields["material"].choices = [("", "—")] + [(m.pk, m.title) for m in materials]
