from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from .page_services import on_page_published, on_page_unpublished

        page_published.connect(on_page_published, dispatch_uid="courses-page-published")
        page_unpublished.connect(on_page_unpublished, dispatch_uid="courses-page-unpublished")

        self._connect_catalog_choices()

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
