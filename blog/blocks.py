"""The blog post body: the site's shared blocks (cplatform/blocks.py) plus the two a post needs that
a landing page does not, a captioned picture and a pull quote."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from cplatform.blocks import (
    PREVIEW_TEMPLATE,
    CallToActionBlock,
    ImageTextBlock,
    RichTextSectionBlock,
    SectionBlock,
    SignUpBlock,
    VideoBlock,
)


class CaptionedImageBlock(SectionBlock):
    image = ImageBlock(help_text=_("Describe the picture for people who cannot see it."))
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blog/blocks/captioned_image_block.html"
        label = _("Picture")
        description = _("A picture across the text column, with an optional caption.")
        preview_value = {"caption": _("Students practising conversation in pairs.")}


class QuoteBlock(SectionBlock):
    quote = blocks.TextBlock(max_length=600, label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=120, label=_("Who said it"))

    class Meta:
        icon = "openquote"
        template = "blog/blocks/quote_block.html"
        label = _("Quote")
        description = _("A sentence worth repeating, set large, with who said it.")
        preview_value = {
            "quote": _("Twenty minutes a day beats two hours on Sunday."),
            "attribution": "Lucía Gómez",
        }


class BlogStreamBlock(blocks.StreamBlock):
    rich_text = RichTextSectionBlock(
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        label=_("Text"),
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    image_text = ImageTextBlock()
    video = VideoBlock()
    call_to_action = CallToActionBlock()
    sign_up = SignUpBlock()

    class Meta:
        block_counts = {"sign_up": {"max_num": 1}}
        preview_template = PREVIEW_TEMPLATE
