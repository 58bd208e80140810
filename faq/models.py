from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from cplatform.pages import SeoPageMixin
from cplatform.validators import validate_multiline_text

from .blocks import FAQStreamBlock
from .selectors import FAQItem, faq_filter, faq_items, faq_sections, parse_query

MAX_QUERY_LENGTH = 200


class FAQPage(SeoPageMixin):
    """Frequently asked questions, grouped in sections, with a search box that narrows the list
    (in the browser as you type, and on the server with `?q=` when JavaScript is off). Publishes
    schema.org FAQPage structured data. Other blocks take a few of its questions with `questions()`."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_(
            "A sentence or two above the questions: what they cover, whom to ask otherwise."
        ),
        validators=[validate_multiline_text],
    )
    body = StreamField(
        FAQStreamBlock(),
        help_text=_("Sections of questions, in the order visitors should read them."),
    )

    content_panels = SeoPageMixin.content_panels + ["intro", "body"]
    search_fields = SeoPageMixin.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("FAQ page")
        verbose_name_plural = _("FAQ pages")

    # --- for other blocks and pages ----------------------------------------------------------

    def questions(self, limit: int | None = None, *, section: str | None = None) -> list[FAQItem]:
        """The page's questions in reading order (optionally only those of the section with this
        heading), at most `limit`. Each item has `question`, `answer` (rich text), `section`,
        `anchor` and `url` (this page's URL with the question's anchor). No database query."""
        items = faq_items(self.body, page_url=self.url or "")
        if section is not None:
            items = [item for item in items if item.section == section]
        return items if limit is None else items[: max(limit, 0)]

    def summary_text(self) -> str:
        """For the meta description when the editor wrote none: the intro, else the first questions."""
        if self.intro:
            return self.intro
        return " ".join(item.question for item in self.questions(limit=3))

    # --- rendering -----------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        """Every question is rendered (the script filters them in place); with `?q=` the ones that do
        not match carry `hidden`, so the filter works without JavaScript too."""
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "")[:MAX_QUERY_LENGTH].strip()
        sections = faq_sections(self.body, page_url=self.url or "")
        terms = parse_query(query)
        matching = faq_filter(sections, terms) if terms else sections
        context.update(
            faq_query=query,
            faq_sections=sections,
            faq_is_filtered=bool(terms),
            faq_match_count=sum(len(section.items) for section in matching),
            faq_visible_ids={item.id for section in matching for item in section.items},
            faq_visible_sections={section.id for section in matching},
        )
        return context

    def get_json_ld(self, request=None) -> list[dict]:
        """schema.org FAQPage: every question with its accepted answer (HTML, as search engines accept)."""
        data = super().get_json_ld(request)
        data.append(
            {
                "@context": "https://schema.org",
                "@type": "FAQPage",
                "name": self.get_meta_title(),
                "url": self.get_full_url(request),
                "inLanguage": self.locale.language_code,
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": item.question,
                        "acceptedAnswer": {"@type": "Answer", "text": item.answer_html},
                    }
                    for item in self.questions()
                ],
            }
        )
        return data
