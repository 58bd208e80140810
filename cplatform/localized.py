"""User-written text in several languages: one rule for every page and answer.

A model whose people write a text in more than one language keeps the main text in its field,
written in the site's default language (settings.LANGUAGE_CODE), and the other languages in a
`translations` JSON field, {"es": {"<field>": "…"}}. `TranslatedTextMixin.translated(field)` picks
the text for the active language; when that language has none it falls back to the main text,
then to any other language that has one, and the value says which language it is in
(`LocalizedText.language`). Templates show it with `{% user_text value %}` (cplatform/templatetags/
localized.py): a text in another language than the page is wrapped in `lang="…"` and labelled
"in English" / "en inglés" instead of mixing languages silently.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language


class LocalizedText(str):
    """A text and the language it is written in ("" for an empty text)."""

    language: str

    def __new__(cls, value: str, language: str):
        text = super().__new__(cls, value)
        text.language = language if value else ""
        return text

    @property
    def is_other_language(self) -> bool:
        """Written in another language than the one the page is shown in."""
        return bool(self) and self.language != current_language()


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def pick_text(variants: dict[str, str], *, language: str | None = None) -> LocalizedText:
    """The text for `language` (the active one by default), else the default language's, else the
    first other language's (in the order of settings.LANGUAGES) that has one."""
    language = language or current_language()
    order = [language, settings.LANGUAGE_CODE] + [code for code, _ in settings.LANGUAGES]
    for code in order:
        value = variants.get(code)
        if isinstance(value, str) and value.strip():
            return LocalizedText(value, code)
    return LocalizedText("", "")


class TranslatedTextMixin:
    """For a model with per-language texts: TRANSLATABLE_FIELDS {field: max length} and a
    `translations` JSONField. Every such model mixes this in, so the pages and the API read all of
    them the same way (tests/test_localized_text.py walks them)."""

    TRANSLATABLE_FIELDS: dict[str, int] = {}

    def text_variants(self, field: str) -> dict[str, str]:
        """{language: text} of one field, the main text under the default language."""
        variants = {settings.LANGUAGE_CODE: getattr(self, field) or ""}
        translations = self.translations if isinstance(self.translations, dict) else {}
        for code, fields in translations.items():
            if code != settings.LANGUAGE_CODE and isinstance(fields, dict):
                value = fields.get(field)
                if isinstance(value, str):
                    variants[code] = value
        return variants

    def translated(self, field: str, *, language: str | None = None) -> LocalizedText:
        if field not in self.TRANSLATABLE_FIELDS:
            raise ValueError(f"{type(self).__name__}.{field} has no translations")
        return pick_text(self.text_variants(field), language=language)


def translatable_models():
    """Every installed model with per-language texts."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, TranslatedTextMixin)]
