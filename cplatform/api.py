"""The one NinjaAPI at /api/v1/: assembles each app's router and turns every error into
`{"detail": ..., "errors": {field: [messages]}}`."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from authentication.api import admin_router as admin_users_router
from authentication.api import router as authentication_router
from classroom.api import router as classroom_router
from classroom.calendar.api import router as calendar_router
from classroom.progress.api import router as progress_router
from classroom.scheduling.api import router as scheduling_router
from classroom.teaching.api import router as teaching_router
from courses.api import router as courses_router

from .api_base import reject_undeclared_form_parts
from .api_docs import docs_guard
from .exceptions import DomainError
from .openapi import DocumentedAPI

api = DocumentedAPI(
    title="cplatform API",
    version="1.0.0",
    description=(
        "The JSON API of cplatform. Authenticate with allauth headless: "
        "`POST /_allauth/app/v1/auth/login` returns `meta.session_token`, sent as `X-Session-Token`; "
        "browsers may use the session cookie with `X-CSRFToken`. Errors are "
        '`{"detail": "...", "errors": {"field": ["message"]}, "code": "..."}`: `code` is a stable '
        "reason a client branches on (e.g. `slot_taken`, `course_full`, `guardian_consent_required`; "
        "the error schema lists them all), never the English of `detail`. "
        "Sign-up, login, email verification and sessions are allauth's headless API, described by "
        "its own OpenAPI document: [/_allauth/openapi.json](/_allauth/openapi.json) "
        "(browse it at [/_allauth/openapi.html](/_allauth/openapi.html))."
    ),
    urls_namespace="api",
    docs_decorator=docs_guard,
)


def _error(request, status: int, detail: str, errors: dict | None = None, *, code: str):
    body = {"detail": detail, "errors": errors or {}, "code": code}
    return api.create_response(request, body, status=status)


HTTP_ERROR_CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}


# Ninja picks the handler of the first class in the exception's MRO: NotFound (a DomainError and an
# Http404) is answered by on_domain_error, with the same body as on_not_found.
@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status_code, exc.detail, exc.errors, code=exc.code)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    field_errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # Drop the location and the `payload` argument in front, not a field that is called `body`.
        if loc and loc[0] in ("body", "query", "path", "form", "payload"):
            loc = loc[1:]
        if loc and loc[0] == "payload":
            loc = loc[1:]
        field = ".".join(loc) or "__all__"
        field_errors.setdefault(field, []).append(str(error.get("msg", "Invalid value.")))
    return _error(request, 422, "The request is not valid.", field_errors, code="invalid")


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        field_errors = {
            field: [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    else:
        field_errors = {"__all__": [str(m) for m in exc.messages]}
    return _error(request, 400, "Some fields are not valid.", field_errors, code="invalid")


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return _error(request, 401, "Authentication required.", code="not_authenticated")


@api.exception_handler(DjangoPermissionDenied)
def on_permission_denied(request, exc):
    return _error(request, 403, "You do not have permission to do this.", code="permission_denied")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "Not found.", code="not_found")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    code = HTTP_ERROR_CODES.get(exc.status_code, "invalid")
    return _error(request, exc.status_code, str(exc), code=code)


# Unknown form fields answer 422 like unknown JSON fields (which every InputSchema refuses).
api.add_decorator(reject_undeclared_form_parts, mode="operation")
api.add_router("/", authentication_router)
api.add_router("/admin", admin_users_router)
api.add_router("/", classroom_router)
api.add_router("/", courses_router)
api.add_router("/", scheduling_router)
api.add_router("/", teaching_router)
api.add_router("/", progress_router)
api.add_router("/", calendar_router)
