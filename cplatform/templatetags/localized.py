"""`{% user_text value %}`: a person's text, labelled when it is in another language than the page."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import conditional_escape, format_html
from django.utils.text import Truncator
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
def user_text(value, multiline=False, truncate=None):
    """The text as HTML: line breaks kept when `multiline`; a text in another language than the page
    is wrapped in an element with its `lang` and a visible label (see cplatform/localized.py)."""
    if not value:
        return ""
    if truncate:
        value = (
            LocalizedText(Truncator(value).chars(int(truncate)), value.language)
            if isinstance(value, LocalizedText)
            else Truncator(value).chars(int(truncate))
        )
    body = linebreaks_filter(value, autoescape=True) if multiline else conditional_escape(value)
    if not (isinstance(value, LocalizedText) and value.is_other_language):
        return body  # escaped (or built as safe HTML) above
    # The label is in the page's language, so it stays outside the element marked with the text's.
    label = language_label(value.language)
    if multiline:
        return format_html(
            '<div class="other-language"><p class="other-language__label">{}</p>'
            '<div lang="{}">{}</div></div>',
            label,
            value.language,
            body,
        )
    return format_html(
        '<span class="other-language"><span lang="{}">{}</span> '
        '<span class="other-language__label">{}</span></span>',
        value.language,
        body,
        label,
    )
