"""The API's documents: who may read them, and allauth's headless OpenAPI document served beside ours.

Sign-up, login, email verification and sessions are allauth's headless API (`/_allauth/app/v1/…`),
not ours; allauth describes them in its own OpenAPI document, which a frontend team generates a
client from as they do from `/api/v1/openapi.json`. We serve it ourselves (allauth's views would
fail on our translated sign-up help text, and its page loads Swagger UI from a CDN), behind the same
guard as our docs.
"""

import json
from functools import wraps

import yaml
from allauth.headless.spec.internal.schema import get_schema
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import Resolver404, path, resolve
from django.utils.functional import Promise
from django.views.generic import TemplateView

from .views import not_found


def docs_guard(view):
    """The docs and schemas are public in dev; in production only staff see them (API_DOCS_PUBLIC)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if settings.API_DOCS_PUBLIC or (request.user.is_authenticated and request.user.is_staff):
            return view(request, *args, **kwargs)
        raise Http404

    return wrapper


def _plain(value):
    """The document as plain JSON data: lazy translations (our sign-up form's help text) as text."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _served(address: str) -> bool:
    try:
        return resolve(address.replace("{client}", "app")).func is not not_found
    except Resolver404:
        return False


def allauth_schema() -> dict:
    """allauth's document of its headless API as this site serves it: only the operations that
    exist here (the phone-number ones are turned off in cplatform/urls.py)."""
    spec = _plain(get_schema())
    spec["paths"] = {address: item for address, item in spec["paths"].items() if _served(address)}
    return spec


@docs_guard
def allauth_openapi_json(request):
    return HttpResponse(
        json.dumps(allauth_schema()),
        content_type="application/vnd.oai.openapi+json",
        headers={"Content-Disposition": "inline; filename=allauth-openapi.json"},
    )


@docs_guard
def allauth_openapi_yaml(request):
    return HttpResponse(
        yaml.safe_dump(allauth_schema(), allow_unicode=True, sort_keys=False),
        content_type="application/vnd.oai.openapi",
        headers={"Content-Disposition": "inline; filename=allauth-openapi.yaml"},
    )


# Swagger UI from our static files (templates/headless/spec/swagger.html), like /api/v1/docs.
allauth_openapi_page = docs_guard(
    TemplateView.as_view(template_name=settings.HEADLESS_SPECIFICATION_TEMPLATE_NAME)
)

# Mounted before allauth's own URLs, at the addresses allauth reverses (`headless:openapi_*`).
allauth_spec_urls = [
    path("openapi.json", allauth_openapi_json),
    path("openapi.yaml", allauth_openapi_yaml),
    path("openapi.html", allauth_openapi_page),
]
