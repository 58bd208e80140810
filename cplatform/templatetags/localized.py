"""`{% user_text value %}`: a person's text, labelled when it is in another language than the page."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from cplatform.localized import LocalizedText

register = template.Library()


def language_label(code: str) -> str:
    """ "in English" / "en inglés": the text's language named in the page's language (each language
    its own string, as Spanish writes language names in lower case and English does not)."""
    labels = {"en": _("in English"), "es": _("in Spanish")}
    if code in labels:
        return labels[code]
    return _("in %(language)s") % {"language": get_language_info(code)["name_translated"]}


@register.simple_tag
def user_text(value, multiline=False):
    """The text as HTML: line breaks kept when `multiline`; a text in another language than the page
    is wrapped in an element with its `lang` and a visible label (see cplatform/localized.py)."""
    if not value:
        return ""
    body = linebreaks_filter(value, autoescape=True) if multiline else conditional_escape(value)
    if not (isinstance(value, LocalizedText) and value.is_other_language):
        return mark_safe(body)  # noqa: S308 - escaped above
    label = format_html(
        '<span class="other-language__label">{}</span>', language_label(value.language)
    )
    if multiline:
        return format_html(
            '<div class="other-language" lang="{}">{}{}</div>',
            value.language,
            label,
            mark_safe(body),  # noqa: S308
        )
    return format_html(
        '<span class="other-language" lang="{}">{}{}</span>',
        value.language,
        mark_safe(body),
        label,  # noqa: S308
    )
