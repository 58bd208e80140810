"""HTTP conventions every API operation follows: `Location` on 201, ETag / `If-None-Match` on GET,
and absolute URLs in answers.

- `@location("api:retrieve_lesson", lesson_id="id")` under a POST that answers 201 names the GET of
  what it created (URL kwargs taken from the answer's fields); the answer carries it as an absolute
  `Location`. A 201 without it fails tests/api/test_http_conventions.py.
- Every GET that answers 200 carries a weak ETag of its body; `If-None-Match` with it answers 304
  without a body. Answers depend on who asks, so they are `Cache-Control: private, no-cache`.
- `AbsoluteURL` is a response field type: a path becomes an absolute URL on the request's host
  (`absolute_url` does the same outside a schema, with `SITE_URL` when there is no request, as in
  the emails the django-q2 worker sends).

`absolute_url` is the one way the project makes a link that leaves the page (API answers, the
calendar feed, lesson links in it, email): the site's address as the person reached it. Code that
has no request at hand but runs inside one (a service sending an email on commit) gets the
request `RequestOriginMiddleware` remembers for the duration of the request; a task of the worker
has none and uses `SITE_URL`."""

import hashlib
import inspect
import json
from contextvars import ContextVar
from functools import wraps
from typing import Annotated

from django.conf import settings
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from pydantic import AfterValidator, Field, ValidationInfo


def operation_of(run):
    """The ninja Operation whose `run` an API decorator (mode "view") receives, under any wrappers."""
    return getattr(inspect.unwrap(run), "__self__", None)


def location(url_name: str, **params: str):
    """Declare the GET of the object a POST creates: URL kwarg → field of the 201 answer."""

    def mark(view_func):
        view_func.location = (url_name, params)
        return view_func

    return mark


LOCATION_HEADER = {
    "description": "The absolute URL of the created object's GET.",
    "schema": {"type": "string", "format": "uri"},
}


def add_location(run):
    operation = operation_of(run)
    spec = getattr(operation.view_func, "location", None) if operation else None
    if spec is None:
        return run
    url_name, params = spec
    extra = dict(operation.openapi_extra or {})
    extra["responses"] = {
        **extra.get("responses", {}),
        201: {"description": "Created", "headers": {"Location": LOCATION_HEADER}},
    }
    operation.openapi_extra = extra

    @wraps(run)
    def with_location(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        if response.status_code == 201 and not response.has_header("Location"):
            body = json.loads(response.content)
            path = reverse(url_name, kwargs={name: body[field] for name, field in params.items()})
            response["Location"] = absolute_url(path, request)
        return response

    return with_location


def conditional_get(run):
    @wraps(run)
    def with_etag(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not getattr(response, "streaming", False)
        ):
            if not response.has_header("ETag"):
                response["ETag"] = f'W/"{hashlib.sha256(response.content).hexdigest()[:32]}"'
            patch_cache_control(response, private=True, no_cache=True)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    return with_etag


_serving: ContextVar = ContextVar("cplatform_serving_request", default=None)


def serving_request():
    """The request RequestOriginMiddleware is answering on this thread or task, or None (a worker
    task, a management command). For code that is not handed the request: outgoing links, the
    password checks the login limits count."""
    return _serving.get()


class RequestOriginMiddleware:
    """Remembers the request being served, so `absolute_url` without a request (a service sending
    an email) uses the address the person reached the site at, not a configured one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _serving.set(request)
        try:
            return self.get_response(request)
        finally:
            _serving.reset(token)


def absolute_url(url: str, request=None) -> str:
    """`url` on the request's scheme and host (the given request, else the one being served); on
    `SITE_URL` outside a request (a task of the worker). A URL that is already absolute (a storage
    backend's, an https link) is returned as it is."""
    if not url or url.startswith(("http://", "https://", "//", "webcal://")):
        return url
    request = request if request is not None else _serving.get()
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.SITE_URL.rstrip("/") + url


def _absolute(value, info: ValidationInfo):
    if value is None:
        return value
    request = (info.context or {}).get("request") if info.context else None
    return absolute_url(value, request)


AbsoluteURL = Annotated[str, AfterValidator(_absolute), Field(json_schema_extra={"format": "uri"})]
