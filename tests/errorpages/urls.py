"""The site's URLs plus addresses that fail on purpose, to render the error pages as visitors meet them."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from cplatform.urls import urlpatterns as site_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("a tampered request")


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    *i18n_patterns(
        path("failing/400/", bad_request),
        path("failing/403/", forbidden),
        path("failing/500/", broken),
        prefix_default_language=False,
    ),
    *site_urlpatterns,
]
