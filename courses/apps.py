from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from .page_services import on_page_published, on_page_unpublished

        page_published.connect(on_page_published, dispatch_uid="courses-page-published")
        page_unpublished.connect(on_page_unpublished, dispatch_uid="courses-page-unpublished")
