from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page, one per locale (hero, featured items and blocks come with the public-site issue)."""

    intro = RichTextField(blank=True, help_text="A short welcome under the title.")

    content_panels = Page.content_panels + ["intro"]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]
