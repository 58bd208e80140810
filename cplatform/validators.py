"""Text people type: one line, or several. On every CharField (one line) and TextField (several) of
our models, so model forms, the admins and services' `full_clean` refuse what a calendar line, an
email header or a page title cannot hold; the API's input schemas apply the same rule
(cplatform.api_base.InputSchema)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls (tab and line breaks included), DEL, C1 controls, and Unicode's line and paragraph
# separators: none belongs in a name, a title or a headline.
SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Several lines keep tabs and line breaks (\t \n \r and U+2028/2029); other controls still go.
MULTILINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

SINGLE_LINE_MESSAGE = _("Write this on one line, without tabs, line breaks or control characters.")
MULTILINE_MESSAGE = _("This text may not contain control characters.")
CODE = "control_characters"


def text_problem(value: str, *, multiline: bool) -> str | None:
    """The message for text a field of that kind refuses, or None when it is fine."""
    forbidden = MULTILINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN
    if forbidden.search(value):
        return str(MULTILINE_MESSAGE if multiline else SINGLE_LINE_MESSAGE)
    return None


def validate_single_line(value) -> None:
    if isinstance(value, str) and SINGLE_LINE_FORBIDDEN.search(value):
        raise ValidationError(SINGLE_LINE_MESSAGE, code=CODE)


def validate_multiline_text(value) -> None:
    if isinstance(value, str) and MULTILINE_FORBIDDEN.search(value):
        raise ValidationError(MULTILINE_MESSAGE, code=CODE)


def single_line(value: str) -> str:
    """Stored text made safe for a one-line format (an iCalendar property, an email subject):
    rows written before the validators, or around them, may still hold line breaks."""
    return " ".join(SINGLE_LINE_FORBIDDEN.sub(" ", value).split())


def without_control_characters(value: str) -> str:
    """Stored text made safe for a multi-line format (XML refuses most C0 controls): line breaks and
    tabs stay."""
    return MULTILINE_FORBIDDEN.sub("", value)


def model_field_errors(model, **values) -> dict[str, list[str]]:
    """The messages of a model's own field validators for values a service is about to write
    without `full_clean` (for services that check a few fields by hand): {field: [messages]}."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            model._meta.get_field(name).run_validators(value)
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    return errors
