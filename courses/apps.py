from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from . import search_results  # noqa: F401  (its hook groups course pages in the site search)
        from .page_services import on_page_published, on_page_unpublished

        page_published.connect(on_page_published, dispatch_uid="courses-page-published")
        page_unpublished.connect(on_page_unpublished, dispatch_uid="courses-page-unpublished")

        self._connect_catalog_choices()
        self._connect_catalog_listing()

    @staticmethod
    def _connect_catalog_choices() -> None:
        """The catalog filter's cached choices (forms.catalog_filter_choices) follow the rows they
        show: the lookups, the courses (who teaches a published one) and the teachers' names."""
        from django.conf import settings
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.signals import page_published, page_unpublished

        from catalog.models import Level, Subject, TeachingLanguage

        from .forms import catalog_choices_changed
        from .models import Course

        for model in (Subject, Level, TeachingLanguage, Course, settings.AUTH_USER_MODEL):
            name = model if isinstance(model, str) else model._meta.label
            post_save.connect(
                catalog_choices_changed, sender=model, dispatch_uid=f"catalog-choices-save-{name}"
            )
            post_delete.connect(
                catalog_choices_changed, sender=model, dispatch_uid=f"catalog-choices-del-{name}"
            )
        m2m_changed.connect(
            catalog_choices_changed,
            sender=Course.teachers.through,
            dispatch_uid="catalog-choices-course-teachers",
        )
        # A course page published or taken down changes its course's status with a queryset
        # update (page_services), which sends no post_save.
        page_published.connect(catalog_choices_changed, dispatch_uid="catalog-choices-published")
        page_unpublished.connect(
            catalog_choices_changed, dispatch_uid="catalog-choices-unpublished"
        )

    @staticmethod
    def _connect_catalog_listing() -> None:
        """The catalog's cached results (pages.catalog_listing_version) follow what they show and
        the order they list it in: the courses and their teachers, the seats taken (enrolments),
        the course pages and the catalog (any page: a save, delete, unpublish or move), the cover
        images, and the sites and locales the cards' addresses come from. The lookups' and people's
        names move the filter choices' version, which the results' key includes."""
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.images import get_image_model
        from wagtail.models import Locale, Page, Site
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .models import Course, Enrollment
        from .pages import catalog_listing_changed

        for model in (Course, Enrollment, get_image_model(), Site, Locale):
            for signal in (post_save, post_delete):
                signal.connect(
                    catalog_listing_changed,
                    sender=model,
                    dispatch_uid=f"catalog-listing-{model._meta.label}-{id(signal)}",
                )
        m2m_changed.connect(
            catalog_listing_changed,
            sender=Course.teachers.through,
            dispatch_uid="catalog-listing-course-teachers",
        )

        def page_changed(sender=None, instance=None, **kwargs):
            if isinstance(instance, Page):
                catalog_listing_changed()

        for signal in (post_save, post_delete, page_published, page_unpublished, post_page_move):
            signal.connect(
                page_changed, weak=False, dispatch_uid=f"catalog-listing-page-{id(signal)}"
            )
