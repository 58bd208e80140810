"""The shared vocabulary: what is taught (subjects), at which level, in which language.

The tables keep the names they had when these models lived in `classroom` (`db_table`): the move to
`catalog` changed no row (migrations catalog 0001 and classroom 0010).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cplatform.validators import validate_single_line


class TranslatedNameMixin(models.Model):
    """A name in English plus `translations` {"es": "…"} for the other site languages."""

    name = models.CharField(max_length=80, validators=[validate_single_line])
    translations = models.JSONField(
        default=dict, blank=True, help_text=_('Other languages, e.g. {"es": "Matemáticas"}.')
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if not isinstance(self.translations, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.translations.items()
        ):
            raise ValidationError({"translations": _('Use {"es": "Name in Spanish"}.')})

    @property
    def label(self) -> str:
        translations = self.translations if isinstance(self.translations, dict) else {}
        value = translations.get(get_language() or settings.LANGUAGE_CODE)
        return value if isinstance(value, str) and value else self.name


class Subject(TranslatedNameMixin):
    """What is taught (mathematics, Spanish, piano…)."""

    slug = models.SlugField(unique=True, max_length=80, validators=[validate_single_line])

    class Meta:
        db_table = "classroom_subject"
        ordering = ["name"]


class Level(TranslatedNameMixin):
    """A learner level (beginner … advanced); `position` orders them."""

    code = models.SlugField(unique=True, max_length=32, validators=[validate_single_line])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "classroom_level"
        ordering = ["position"]


class TeachingLanguage(TranslatedNameMixin):
    """A language a teacher teaches in (ISO 639-1 code)."""

    code = models.CharField(unique=True, max_length=8, validators=[validate_single_line])

    class Meta:
        db_table = "classroom_teachinglanguage"
        ordering = ["name"]
