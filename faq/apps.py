from django.apps import AppConfig


class FaqConfig(AppConfig):
    name = "faq"

    def ready(self):
        from cplatform.blocks import register_block_source

        from .blocks import sample_items
        from .selectors import faq_excerpt, faq_section_headings

        # The FAQ excerpt block (cplatform) reads its questions from here.
        register_block_source("faq_excerpt", faq_excerpt)
        register_block_source("faq_samples", sample_items)
        register_block_source("faq_sections", faq_section_headings)
