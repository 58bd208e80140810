from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .api import api
from .views import bare_ok

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("_allauth/", include("allauth.headless.urls")),
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("bench/ok/", bare_ok, name="bench-ok"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages: English without a prefix, Spanish under /es/.
urlpatterns += i18n_patterns(
    path("auth/", include("authentication.urls")),
    path("teachers/", include("classroom.urls")),
    path("students/", include("classroom.student_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
