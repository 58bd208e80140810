"""{% load rooms %}{{ message|room_body }}: a room message's text, escaped, with line breaks, and each
mention of a member (`@Name`) marked."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def room_body(message) -> str:
    text = escape(message.body)
    names = set()
    for person in message.mentions.all():
        names |= {n for n in (person.name, person.first_name) if n}
    for name in sorted(names, key=len, reverse=True):
        pattern = re.compile(r"(?<![\w@>])@" + re.escape(escape(name)) + r"(?!\w)", re.IGNORECASE)
        text = pattern.sub(lambda m: f'<mark class="mention">{m.group(0)}</mark>', text)
    return mark_safe(text.replace("\n", "<br>"))  # noqa: S308 - escaped above
