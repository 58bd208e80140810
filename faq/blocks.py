"""The FAQ page's blocks: a section is a heading and a list of questions with rich-text answers."""

from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.rich_text import RichText

from .selectors import FAQItem, FAQSection, section_items

ANSWER_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
PREVIEW_TEMPLATE = "faq/blocks/preview.html"


def sample_questions() -> list[dict]:
    """Preview content, in the editor's language (evaluated when the preview is shown)."""
    return [
        {
            "question": gettext("Can I change the time of a lesson?"),
            "answer": format_html(
                "<p>{}</p>", gettext("Yes: up to 24 hours before it starts, from your dashboard.")
            ),
        },
        {
            "question": gettext("What do I need for an online lesson?"),
            "answer": format_html(
                "<p>{}</p>", gettext("A computer or tablet with a camera and a steady connection.")
            ),
        },
    ]


class QuestionBlock(blocks.StructBlock):
    """One question and its answer. Answers may hold links and lists; headings would break the
    page's outline, so they are not offered."""

    question = blocks.CharBlock(
        max_length=255,
        help_text=_("As a visitor would ask it, e.g. “Can I change the time of a lesson?”"),
    )
    answer = blocks.RichTextBlock(
        features=ANSWER_FEATURES,
        help_text=_("A short, complete answer. Link to the page that says more."),
    )

    def get_preview_value(self):
        return self.to_python(sample_questions()[0])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["item"] = FAQItem(
            id=context.get("id") or "preview",
            question=value.get("question") or "",
            answer=value.get("answer") or RichText(""),
            section="",
        )
        return context

    class Meta:
        icon = "help"
        label = _("Question")
        template = "faq/blocks/question_block.html"
        description = _("A question and its answer.")
        preview_template = PREVIEW_TEMPLATE


class FAQSectionBlock(blocks.StructBlock):
    """A group of related questions under a heading (e.g. “Lessons”, “Payments”)."""

    heading = blocks.CharBlock(
        max_length=120, help_text=_("The section's title, e.g. “Lessons” or “Payments”.")
    )
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, label=_("Questions"))

    def get_preview_value(self):
        return self.to_python({"heading": gettext("Lessons"), "questions": sample_questions()})

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["section"] = FAQSection(
            id=context.get("id") or "preview",
            heading=value.get("heading") or "",
            items=section_items(value),
        )
        return context

    class Meta:
        icon = "list-ul"
        label = _("FAQ section")
        template = "faq/blocks/faq_section_block.html"
        description = _("A heading followed by its questions and answers.")
        preview_template = PREVIEW_TEMPLATE


class FAQStreamBlock(blocks.StreamBlock):
    section = FAQSectionBlock()

    class Meta:
        block_counts = {"section": {"min_num": 1}}


def sample_items() -> list[FAQItem]:
    """The sample questions as FAQ items, for the FAQ excerpt block's preview."""
    return [
        FAQItem(
            id=str(i),
            question=q["question"],
            answer=blocks.RichTextBlock().to_python(q["answer"]),
            section="",
        )
        for i, q in enumerate(sample_questions())
    ]
