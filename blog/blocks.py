"""The blog post body. A stop-gap until the shared blocks in cplatform/blocks.py exist; the post
body then uses those."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Heading"))

    class Meta:
        icon = "title"
        template = "blog/blocks/heading_block.html"
        label = _("Section heading")
        preview_value = {"text": "How to practise every day"}


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=120, label=_("Who said it"))

    class Meta:
        icon = "openquote"
        template = "blog/blocks/quote_block.html"
        label = _("Quote")
        preview_value = {
            "quote": "Language is the road map of a culture.",
            "attribution": "Rita Mae Brown",
        }


class BlogStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"],
        icon="pilcrow",
        template="blog/blocks/paragraph_block.html",
        label=_("Paragraph"),
        preview_value="<p>Twenty minutes a day beats two hours on Sunday.</p>",
    )
    image = ImageBlock(
        icon="image",
        template="blog/blocks/image_block.html",
        label=_("Image"),
    )
    quote = QuoteBlock()
