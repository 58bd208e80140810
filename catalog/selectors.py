"""Reads of the shared vocabulary."""

from .models import Level, Subject, TeachingLanguage


def filter_options() -> dict:
    """Choices for the directory's and the catalog's filters."""
    return {
        "subjects": list(Subject.objects.order_by("name")),
        "levels": list(Level.objects.order_by("position")),
        "languages": list(TeachingLanguage.objects.order_by("name")),
    }
