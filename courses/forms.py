"""Forms of the course pages. They parse and show input; the services decide and write."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from authentication.forms import apply_domain_error
from catalog.choices import Currency, FreeCancellationOutcome
from catalog.selectors import filter_options
from cplatform import cache_versions
from cplatform.exceptions import DomainError
from cplatform.localized import other_languages

from .choices import CourseFormat, CourseStatus, MaterialKind
from .models import Course, Module
from .selectors import SORTS, CourseFilters, course_teacher_options

MAX_PRICE = Decimal("999999.99")
SORT_LABELS = {
    "starts_on": _("Starting first"),
    "-starts_on": _("Starting last"),
    "title": _("Title A–Z"),
    "-title": _("Title Z–A"),
    "price": _("Price, lowest first"),
    "-price": _("Price, highest first"),
    "newest": _("Newest"),
}


def _choices(objects, code_attr: str) -> list[tuple[str, str]]:
    return [(getattr(obj, code_attr), str(obj.label)) for obj in objects]


# The catalog filter's choices (subjects, levels, languages, teachers) are the same for every
# visitor of a language until one of their rows changes: cached per language under a version that
# `catalog_choices_changed` moves (courses/apps.py connects it to the lookups', courses' and
# people's saves). Four queries and a quarter of the catalog's time before.
CHOICES_VERSION_KEY = "catalog-filter-choices-version"
CHOICES_TIMEOUT = 60 * 60  # a safety net; changes move the version at once
# What the teacher filter shows of a person (`User.name`) and whether they are active.
USER_FIELDS_SHOWN = frozenset({"first_name", "last_name", "display_name", "email", "is_active"})


def catalog_choices_changed(sender=None, update_fields=None, **kwargs) -> None:
    """A subject, level, language, course or course teacher changed: every language's cached choices
    are stale. Moved now and again at commit (a request that read the old rows in between would
    otherwise cache them under the new version)."""
    if (
        getattr(sender, "_meta", None) is not None
        and sender._meta.label == settings.AUTH_USER_MODEL
        and update_fields is not None
        and not USER_FIELDS_SHOWN & set(update_fields)
    ):
        return  # a login saves last_login only
    cache_versions.move(CHOICES_VERSION_KEY)


def catalog_choices_version() -> str:
    return cache_versions.current(CHOICES_VERSION_KEY)


def catalog_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """(value, label) choices of the catalog's subject, level, language and teacher filters in the
    active language; cached (see CHOICES_VERSION_KEY)."""
    key = f"catalog-filter-choices:{get_language() or settings.LANGUAGE_CODE}:{catalog_choices_version()}"
    found = cache.get(key)
    if found is None:
        options = filter_options()
        found = {
            "subject": _choices(options["subjects"], "slug"),
            "level": _choices(options["levels"], "code"),
            "language": _choices(options["languages"], "code"),
            "teacher": [(str(user.pk), user.name) for user in course_teacher_options()],
        }
        cache.set(key, found, CHOICES_TIMEOUT)
    return found


class CourseFilterForm(forms.Form):
    """The catalog's filters. An invalid value is reported next to its field and ignored."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    subject = forms.ChoiceField(label=_("Subject"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Any")), *CourseFormat.choices]
    )
    price = forms.ChoiceField(
        label=_("Price"),
        required=False,
        choices=[("", _("Any")), ("free", _("Free")), ("paid", _("Paid"))],
    )
    max_price = forms.DecimalField(
        label=_("Price up to"),
        required=False,
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=2,
    )
    teacher = forms.TypedChoiceField(label=_("Teacher"), required=False, coerce=int)
    starting_soon = forms.BooleanField(label=_("Starting in the next 30 days"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=list(SORT_LABELS.items()))

    def __init__(self, data):
        super().__init__(data, auto_id="f-%s", label_suffix="")
        choices = catalog_filter_choices()
        anything = [("", _("Any"))]
        for name in ("subject", "language", "level", "teacher"):
            self.fields[name].choices = anything + choices[name]
        self.fields["q"].widget.input_type = "search"

    def filters(self) -> CourseFilters:
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in ("", None)
        }
        price = data.pop("price", None)
        sort = data.pop("sort", "starts_on")
        return CourseFilters(
            **data,
            free={"free": True, "paid": False}.get(price),
            sort=sort if sort in SORTS else "starts_on",
        )

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields if name != "sort")


class CourseForm(forms.Form):
    """A teacher's own course. Codes go to `course_create` / `course_update`, which validate again."""

    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    format = forms.ChoiceField(label=_("Format"), choices=CourseFormat.choices)
    subject = forms.ChoiceField(label=_("Subject"))
    level = forms.ChoiceField(label=_("Level"), required=False)
    language = forms.ChoiceField(label=_("Teaching language"), required=False)
    price = forms.DecimalField(
        label=_("Price"),
        min_value=0,
        max_value=MAX_PRICE,
        decimal_places=2,
        initial=0,
        help_text=_("0 makes the course free."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices)
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Leave empty for unlimited. Group courses need a number."),
    )
    lessons_included = forms.IntegerField(
        label=_("Lessons in the package"),
        min_value=1,
        max_value=500,
        required=False,
        help_text=_(
            "1:1 courses only: how many lessons an enrolment includes. Empty: single lessons."
        ),
    )
    cancellation_cutoff_hours = forms.IntegerField(
        label=_("Free cancellation until (hours before)"),
        min_value=0,
        max_value=24 * 14,
        required=False,
        help_text=_("This course's own cut-off; empty: the one in your scheduling settings."),
    )
    free_cancellation_outcome = forms.ChoiceField(
        label=_("A free cancellation gives back"),
        required=False,
        choices=[("", _("As in your scheduling settings")), *FreeCancellationOutcome.choices],
    )
    starts_on = forms.DateField(
        label=_("Starts on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=CourseStatus.choices)

    def __init__(self, data=None, *, course=None):
        initial = {}
        if course is not None:
            initial = {
                "title": course.title,
                "summary": course.summary,
                "format": course.format,
                "subject": course.subject.slug,
                "level": course.level.code if course.level else "",
                "language": course.language.code if course.language else "",
                "price": course.price,
                "currency": course.currency,
                "capacity": course.capacity,
                "lessons_included": course.lessons_included,
                "cancellation_cutoff_hours": course.cancellation_cutoff_hours,
                "free_cancellation_outcome": course.free_cancellation_outcome,
                "starts_on": course.starts_on,
                "ends_on": course.ends_on,
                "status": course.status,
            }
        for code, _name in other_languages():
            texts = (course.translations if course is not None else None) or {}
            texts = texts.get(code) if isinstance(texts.get(code), dict) else {}
            initial[f"summary_{code}"] = texts.get("summary", "")
        super().__init__(data, initial=initial, label_suffix="")
        # The summary in each other language, right under the main one (cplatform/localized.py).
        order = list(self.fields)
        for code, name in reversed(other_languages()):
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary (%(language)s)") % {"language": name},
                max_length=Course.TRANSLATABLE_FIELDS["summary"],
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "lang": code}),
            )
            order.insert(order.index("summary") + 1, f"summary_{code}")
        self.order_fields(order)
        options = filter_options()
        none = [("", "—")]
        self.fields["subject"].choices = _choices(options["subjects"], "slug")
        self.fields["level"].choices = none + _choices(options["levels"], "code")
        self.fields["language"].choices = none + _choices(options["languages"], "code")

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for key in ("level", "language"):
            data[key] = data[key] or None
        data["translations"] = {
            code: {"summary": data.pop(f"summary_{code}", "")} for code, _name in other_languages()
        }
        return data

    def show(self, exc: DomainError) -> None:
        apply_domain_error(self, exc)


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Module title"), max_length=160)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    release_at = forms.DateTimeField(
        label=_("Release at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Students see it from then on; empty: at once."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Title and description in each other language, before the release date.
        for code, name in other_languages():
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Module title (%(language)s)") % {"language": name},
                max_length=Module.TRANSLATABLE_FIELDS["title"],
                required=False,
                widget=forms.TextInput(attrs={"lang": code}),
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                max_length=Module.TRANSLATABLE_FIELDS["description"],
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
            )
        order = [name for name in self.fields if name != "release_at"]
        self.order_fields([*order, "release_at"])

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["translations"] = {
            code: {field: data.pop(f"{field}_{code}", "") for field in ("title", "description")}
            for code, _name in other_languages()
        }
        return data


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Material title"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    module = forms.TypedChoiceField(label=_("Module"), required=False, coerce=int, empty_value=None)
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, images, office documents, audio or text; up to 20 MB."),
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    body = forms.CharField(
        label=_("Text"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5})
    )
    release_at = forms.DateTimeField(
        label=_("Release at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Students see it from then on; empty: at once."),
    )

    # The field each kind fills: the page shows only the chosen kind's (static/js/site.js); without
    # the script all show, each with a hint of its kind, and `clean` decides as before.
    KIND_FIELDS = (
        ("file", MaterialKind.FILE),
        ("url", MaterialKind.LINK),
        ("body", MaterialKind.TEXT),
    )

    def __init__(self, data=None, files=None, *, course):
        super().__init__(data, files, label_suffix="", prefix="material")
        self.fields["module"].choices = [("", _("Whole course"))] + [
            (m.pk, m.title) for m in course.modules.all()
        ]
        self.fields["kind"].widget.attrs["data-kind-switch"] = ""
        for name, kind in self.KIND_FIELDS:
            field = self.fields[name]
            field.widget.attrs["data-kind-field"] = kind.value
            hint = format_html(
                "<span data-kind-hint>{}</span>",
                gettext("Only for the kind “%(kind)s”.") % {"kind": kind.label},
            )
            field.help_text = (
                format_html("{} {}", hint, field.help_text) if field.help_text else hint
            )
