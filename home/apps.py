from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from cplatform.blocks import register_block_source

        from . import signals  # noqa: F401  (connects the cache invalidation handlers)
        from .selectors import testimonial_list_localized, testimonial_preview_samples

        # The testimonial block (cplatform) reads its quotes from here.
        register_block_source(
            "testimonials", lambda chosen: testimonial_list_localized(testimonials=chosen)
        )
        register_block_source("testimonial_samples", testimonial_preview_samples)
