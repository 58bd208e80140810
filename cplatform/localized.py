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
from django.utils.translation import gettext as _

from .validators import text_problem


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


def translations_problems(value, *, fields: dict[str, int], multiline=frozenset()) -> list[str]:
    """Why a `translations` value is not {"<site language>": {"<field>": "text"}} for these fields
    (an empty value is fine): the model's clean() raises them on `translations`."""
    codes = {code for code, _name in settings.LANGUAGES}
    shape = _("Give texts per language and field, such as %(example)s.") % {
        "example": '{"es": {"' + next(iter(fields)) + '": "…"}}'
    }
    if not isinstance(value, dict):
        return [shape]
    problems = []
    for lang, texts in value.items():
        if lang not in codes:
            problems.append(_("%(lang)s is not a language of this site.") % {"lang": lang})
        elif not isinstance(texts, dict) or not set(texts) <= set(fields):
            problems.append(shape)
        else:
            for field, text in texts.items():
                if not isinstance(text, str):
                    problems.append(
                        _("The %(field)s in %(lang)s must be text.")
                        % {"field": field, "lang": lang}
                    )
                elif len(text) > fields[field]:
                    problems.append(
                        _("The %(field)s in %(lang)s is longer than %(max)d characters.")
                        % {"field": field, "lang": lang, "max": fields[field]}
                    )
                elif problem := text_problem(text, multiline=field in multiline):
                    problems.append(
                        _("The %(field)s in %(lang)s: %(problem)s")
                        % {"field": field, "lang": lang, "problem": problem}
                    )
    return problems


def other_languages() -> list[tuple[str, str]]:
    """(code, the language's own name, capitalised: "Español") of each site language besides the
    default one: the languages a form offers next to the main text."""
    from django.utils.text import capfirst
    from django.utils.translation import get_language_info

    return [
        (code, capfirst(get_language_info(code)["name_local"]))
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]


def clean_translations(value):
    """Drop empty texts and languages, so {"es": {"summary": ""}} means "no Spanish summary"."""
    if not isinstance(value, dict):
        return value
    cleaned = {}
    for lang, fields in value.items():
        if not isinstance(fields, dict):
            cleaned[lang] = fields
            continue
        kept = {
            key: text.strip() if isinstance(text, str) else text
            for key, text in fields.items()
            if text is not None and (not isinstance(text, str) or text.strip())
        }
        if kept:
            cleaned[lang] = kept
    return cleaned
