"""Admin panels of the public site's snippets."""

from __future__ import annotations

from wagtail.admin.panels import InlinePanel


class NamedInlinePanel(InlinePanel):
    """An InlinePanel whose children are headed by what they are ("Teachers"), not by the panel's
    label and a number ("Link 3"); a child not saved yet keeps the numbered heading."""

    class BoundPanel(InlinePanel.BoundPanel):
        template_name = "home/panels/named_inline_panel.html"
