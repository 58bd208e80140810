"""Forms of the classroom pages. They parse and show input; the services decide and write."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from authentication.forms import apply_domain_error
from catalog.choices import Currency
from catalog.models import Level
from cplatform.exceptions import DomainError

from .models import TRANSLATABLE_FIELDS, StudentProfile, TeacherProfile
from .selectors import TeacherFilters
from .services import student_date_of_birth_set, student_profile_update, teacher_profile_update

MAX_PRICE = Decimal("999999.99")


def _choices(objects, code_attr: str) -> list[tuple[str, str]]:
    return [(getattr(obj, code_attr), obj.label) for obj in objects]


class TeacherFilterForm(forms.Form):
    """The directory's filters. An invalid value is reported next to its field and ignored."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    min_price = forms.DecimalField(
        label=_("Min. price per hour"),
        required=False,
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "decimal"}),
    )
    max_price = forms.DecimalField(
        label=_("Max. price per hour"),
        required=False,
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": 1, "inputmode": "decimal"}),
    )

    def __init__(self, data, *, options: dict):
        super().__init__(data, auto_id="f-%s", label_suffix="")
        anything = [("", _("Any"))]
        self.fields["subject"].choices = anything + _choices(options["subjects"], "slug")
        self.fields["language"].choices = anything + _choices(options["languages"], "code")
        self.fields["level"].choices = anything + _choices(options["levels"], "code")
        self.fields["q"].widget.input_type = "search"

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The maximum price is below the minimum price."))
        return cleaned

    def filters(self) -> TeacherFilters:
        """The valid filters (call after `is_valid()`)."""
        data = getattr(self, "cleaned_data", {})
        return TeacherFilters(
            subject=data.get("subject") or None,
            language=data.get("language") or None,
            level=data.get("level") or None,
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            q=(data.get("q") or "").strip() or None,
        )

    @property
    def is_filtered(self) -> bool:
        return any(
            getattr(self, "cleaned_data", {}).get(name) not in (None, "") for name in self.fields
        )


def _other_languages() -> list[tuple[str, str]]:
    """Site languages besides the default one, with their names in the active language."""
    return [
        (code, get_language_info(code)["name_translated"])
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


def _language_heading(code: str) -> str:
    """A language's name as its speakers write it, capitalised: "English", "Español"."""
    return capfirst(get_language_info(code)["name_local"])


# The texts a teacher writes once per language (TeacherProfile.translations).
TEXT_FIELDS = ("headline", "bio", "teaching_preferences")


class TeacherProfileForm(forms.Form):
    """A teacher's own profile page. Saves through `teacher_profile_update` (as the API's PUT does)."""

    headline = forms.CharField(
        label=_("Headline"),
        max_length=TRANSLATABLE_FIELDS["headline"],
        required=False,
        help_text=_("One line under your name, e.g. “Maths teacher, exam preparation”."),
    )
    bio = forms.CharField(
        label=_("About you"),
        max_length=TRANSLATABLE_FIELDS["bio"],
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    subjects = forms.MultipleChoiceField(
        label=_("Subjects"), required=False, widget=forms.CheckboxSelectMultiple
    )
    levels = forms.MultipleChoiceField(
        label=_("Levels you teach"), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you teach in"), required=False, widget=forms.CheckboxSelectMultiple
    )
    hourly_rate = forms.DecimalField(
        label=_("Price per hour"),
        required=False,
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01", "inputmode": "decimal"}),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    teaches_online = forms.BooleanField(label=_("I teach online"), required=False)
    teaches_in_person = forms.BooleanField(label=_("I teach in person"), required=False)
    location = forms.CharField(
        label=_("Where in-person lessons happen"),
        max_length=160,
        required=False,
        help_text=_("A neighbourhood or town is enough."),
    )
    teaching_preferences = forms.CharField(
        label=_("How you teach"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Lesson length, materials, what students can expect."),
    )
    is_public = forms.BooleanField(
        label=_("List me in the teacher directory"),
        required=False,
        help_text=_("Your profile appears in the directory once an admin has approved it."),
    )

    def __init__(self, *args, profile: TeacherProfile, options: dict, **kwargs):
        self.profile = profile
        kwargs.setdefault("initial", self._initial(profile))
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["subjects"].choices = _choices(options["subjects"], "slug")
        self.fields["levels"].choices = _choices(options["levels"], "code")
        self.fields["languages"].choices = _choices(options["languages"], "code")
        for code, _name in _other_languages():
            # The same three texts again, labelled as the main ones: the section says the language.
            for field in TEXT_FIELDS:
                main = self.fields[field]
                self.fields[f"{field}_{code}"] = forms.CharField(
                    label=main.label,
                    max_length=TRANSLATABLE_FIELDS[field],
                    required=False,
                    widget=type(main.widget)(attrs={**main.widget.attrs, "lang": code}),
                )
            for field in TEXT_FIELDS:
                self.fields[field].widget.attrs["lang"] = settings.LANGUAGE_CODE

    @staticmethod
    def _initial(profile: TeacherProfile) -> dict:
        initial = {
            "headline": profile.headline,
            "bio": profile.bio,
            "subjects": [s.slug for s in profile.subjects.all()],
            "levels": [lv.code for lv in profile.levels.all()],
            "languages": [lang.code for lang in profile.languages.all()],
            "hourly_rate": profile.hourly_rate,
            "currency": profile.currency,
            "teaches_online": profile.teaches_online,
            "teaches_in_person": profile.teaches_in_person,
            "location": profile.location,
            "teaching_preferences": profile.teaching_preferences,
            "is_public": profile.is_public,
        }
        translations = profile.translations if isinstance(profile.translations, dict) else {}
        for code, _name in _other_languages():
            fields = translations.get(code) if isinstance(translations.get(code), dict) else {}
            for field in TEXT_FIELDS:
                initial[f"{field}_{code}"] = fields.get(field, "")
        return initial

    def sections(self) -> list[tuple[str, list]]:
        """(heading, bound fields) in page order, for the template."""
        # One section per language, headed by the language's own name ("English", "Español"),
        # so a teacher sees at once where each text goes.
        groups = [(_language_heading(settings.LANGUAGE_CODE), list(TEXT_FIELDS))]
        for code, _name in _other_languages():
            groups.append((_language_heading(code), [f"{field}_{code}" for field in TEXT_FIELDS]))
        groups += [
            (_("What you teach"), ["subjects", "levels", "languages"]),
            (
                _("Lessons and price"),
                [
                    "hourly_rate",
                    "currency",
                    "teaches_online",
                    "teaches_in_person",
                    "location",
                ],
            ),
            (_("Visibility"), ["is_public"]),
        ]
        return [(title, [self[name] for name in names]) for title, names in groups]

    def save(self, *, user) -> TeacherProfile | None:
        """Returns the profile, or None with the service's refusal shown on the form."""
        data = {
            name: self.cleaned_data.get(name)
            for name in (
                "headline",
                "bio",
                "subjects",
                "levels",
                "languages",
                "hourly_rate",
                "currency",
                "teaches_online",
                "teaches_in_person",
                "location",
                "teaching_preferences",
                "is_public",
            )
        }
        data["translations"] = {
            code: {field: self.cleaned_data.get(f"{field}_{code}", "") for field in TEXT_FIELDS}
            for code, _name in _other_languages()
        }
        try:
            return teacher_profile_update(user=user, data=data, replace=True, actor=user)
        except DomainError as exc:
            apply_domain_error(self, exc)
            return None


class StudentProfileForm(forms.Form):
    """A student's own learning profile. Saves through `student_profile_update` (as the API's PATCH)."""

    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Needed before your first booking or payment. Students under 16 need a guardian's "
            "consent for lessons, messaging and payments."
        ),
    )
    level = forms.ChoiceField(label=_("Your level"), required=False)
    learning_goals = forms.CharField(
        label=_("What do you want to learn?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, profile: StudentProfile, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "date_of_birth": profile.date_of_birth,
                "level": profile.level.code if profile.level else "",
                "learning_goals": profile.learning_goals,
            },
        )
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        levels = Level.objects.order_by("position")
        self.fields["level"].choices = [("", _("Not sure yet"))] + _choices(levels, "code")
        # Under 16 by the date given: shown, not editable (the service refuses a change anyway).
        self.date_of_birth_locked = profile.date_of_birth_locked
        if self.date_of_birth_locked:
            field = self.fields["date_of_birth"]
            field.disabled = True
            field.help_text = _(
                "Only your guardian or an admin can change your date of birth now. Ask them if "
                "it is wrong."
            )

    def save(self, *, user) -> StudentProfile | None:
        data = {
            "date_of_birth": self.cleaned_data.get("date_of_birth"),
            "level": self.cleaned_data.get("level") or None,
            "learning_goals": self.cleaned_data.get("learning_goals", ""),
        }
        if self.date_of_birth_locked:
            del data["date_of_birth"]
        try:
            return student_profile_update(user=user, data=data)
        except DomainError as exc:
            apply_domain_error(self, exc)
            return None


class StudentDateOfBirthForm(forms.Form):
    """A guardian (or an admin) sets a student's date of birth (`student_date_of_birth_set`)."""

    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, profile: StudentProfile, **kwargs):
        kwargs.setdefault("initial", {"date_of_birth": profile.date_of_birth})
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def save(self, *, actor, student) -> StudentProfile | None:
        try:
            return student_date_of_birth_set(
                actor=actor, student=student, date_of_birth=self.cleaned_data["date_of_birth"]
            )
        except DomainError as exc:
            apply_domain_error(self, exc)
            return None
