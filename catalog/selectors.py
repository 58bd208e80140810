"""Reads of the shared vocabulary."""

from django.utils.translation import gettext as _

from .models import Level, Subject, TeachingLanguage


def filter_options() -> dict:
    """Choices for the directory's and the catalog's filters."""
    return {
        "subjects": list(Subject.objects.order_by("name")),
        "levels": list(Level.objects.order_by("position")),
        "languages": list(TeachingLanguage.objects.order_by("name")),
    }


def unknown_vocabulary(
    *, subject: str | None = None, level: str | None = None, language: str | None = None
) -> dict[str, str]:
    """The given filter values that name no subject (slug), level (code) or teaching language
    (code), each with why: a list filter refuses them rather than answer an empty page."""
    given = {
        "subject": (Subject, "slug", subject, _("No subject has this slug.")),
        "level": (Level, "code", level, _("No level has this code.")),
        "language": (TeachingLanguage, "code", language, _("No teaching language has this code.")),
    }
    return {
        name: message
        for name, (model, field, value, message) in given.items()
        if value and not model.objects.filter(**{field: value}).exists()
    }
