"""JSON written into HTML: the one way every page embeds structured data.

Inside a <script> element the HTML parser, not JSON, decides where the element ends: "</script"
closes it, and "<!--" followed by "<script" switches the parser into a state where the real
"</script>" no longer does, so the rest of the page disappears into the script. Escaping "<", ">"
and "&" as \\u003C, \\u003E and \\u0026 (as Django's `json_script` does) leaves no markup in the
text at all; these characters only ever occur inside JSON strings, where the escapes mean the same.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

# The same table as django.utils.html._json_script_escapes (private there).
_JSON_HTML_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_for_html(value: Any) -> str:
    """`value` as JSON text that is safe anywhere in an HTML document (no "<", ">" or "&")."""
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder).translate(
        _JSON_HTML_ESCAPES
    )


def json_ld_script_tag(value: Any) -> SafeString:
    """A schema.org JSON-LD block. A data block, not a script: CSP does not apply to it, so it
    carries no nonce (and may sit in cached fragments)."""
    return mark_safe(  # noqa: S308 - json_for_html leaves no markup characters in the text
        f'<script type="application/ld+json">{json_for_html(value)}</script>'
    )
