from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from classroom.selectors import teacher_list_public

from . import search, seo
from .api import api
from .api_docs import allauth_spec_urls
from .views import bare_ok, not_found

SITEMAPS = {
    "pages": seo.PageSitemap,
    "teacher-directory": seo.ViewSitemap("teacher-directory"),
    "teachers": seo.ViewSitemap(
        "teacher-detail",
        items=lambda: (
            teacher_list_public()
            .select_related(None)
            .prefetch_related(None)
            .only("slug", "updated_at")
        ),
        args=lambda teacher: [teacher.slug],
        lastmod=lambda teacher: teacher.updated_at,
    ),
}

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # allauth headless mounts its phone-number endpoints whatever the settings; logins here use
    # email only and its adapter stores no phone (every call there answered 500): they do not exist.
    re_path(
        r"^_allauth/(?:app|browser)/v1/(?:account/phone|auth/phone/verify(?:/resend)?)$",
        not_found,
    ),
    # allauth's OpenAPI document of those endpoints, served (and guarded) like ours: api_docs.py.
    path("_allauth/", include(allauth_spec_urls)),
    path("_allauth/", include("allauth.headless.urls")),
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    path("api/v1/", api.urls),
    # Any other address under /api/ is the API's JSON 404 (ApiRequestMiddleware), not a page of
    # the site behind a slash redirect.
    re_path(r"^api/", not_found),
    path("i18n/", include("django.conf.urls.i18n")),
    path("bench/ok/", bare_ok, name="bench-ok"),
    path("calendar/", include("classroom.calendar.urls")),
    path("sitemap.xml", seo.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", seo.robots_txt, name="robots-txt"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages: English without a prefix, Spanish under /es/.
urlpatterns += i18n_patterns(
    path("auth/", include("authentication.urls")),
    path("teachers/", include("classroom.urls")),
    path("students/", include("classroom.student_urls")),
    path("lessons/", include("classroom.scheduling.urls")),
    path("lessons/", include("classroom.calendar.lesson_urls")),
    path("lessons/", include("classroom.teaching.urls")),
    path("progress/", include("classroom.progress.urls")),
    path("courses/", include("courses.urls")),
    path("search/", search.search_view, name="search"),
    path("dashboard/", include("dashboards.urls")),
    path("inbox/", include("inbox.safety.urls")),
    path("", include("inbox.urls")),
    path("messages/", include("inbox.messaging.urls")),
    path("rooms/", include("inbox.rooms.urls")),
    # billing (policy): plans, subscriptions, teachers' earnings
    path("billing/", include("billing.plans.urls")),
    path("billing/earnings/", include("billing.earnings.urls")),
    # billing papers: invoice and credit-note PDFs
    path("billing/", include("billing.papers.urls")),
    path("billing/", include("billing.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
