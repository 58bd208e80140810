"""The one NinjaAPI at /api/v1/: assembles each app's router and turns every error into
the one error shape of cplatform/api_errors.py."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from authentication.api import admin_router as admin_users_router
from authentication.api import router as authentication_router
from billing.earnings.api import router as billing_earnings_router
from billing.papers.admin_api import router as billing_admin_router
from billing.papers.api import router as invoice_papers_router
from billing.plans.api import router as billing_plans_router
from classroom.api import router as classroom_router
from classroom.calendar.api import router as calendar_router
from classroom.progress.api import router as progress_router
from classroom.scheduling.api import router as scheduling_router
from classroom.teaching.api import router as teaching_router
from courses.api import router as courses_router
from dashboards.analytics_api import router as analytics_router
from dashboards.api import router as dashboards_router
from inbox.attachments.api import router as attachments_router
from inbox.messaging.api import router as messages_router
from inbox.notifications.api import router as notifications_router
from inbox.rooms.api import router as rooms_router
from inbox.safety.api import router as inbox_safety_router

from . import api_http, idempotency
from .api_base import (
    DELETE_RULE,
    PATCH_RULE,
    reject_undeclared_form_parts,
    reject_undeclared_query_params,
)
from .api_docs import docs_guard
from .api_errors import django_field_errors, error_body, pydantic_field_errors
from .exceptions import DomainError
from .openapi import DocumentedAPI

API_DESCRIPTION = """The JSON API of cplatform.

**Authentication.** Sign in with allauth headless: `POST /_allauth/app/v1/auth/login` returns
`meta.session_token`; send it as `X-Session-Token`. A request that carries the header is that
session's person, or it answers **401 `session_invalid`** on every path and method, public
operations included: drop the token and sign in again. It never falls back to the session cookie.
Browsers may instead use the session cookie of `/_allauth/browser/v1/` with `X-CSRFToken` on
unsafe methods (403 without it).

**Errors** all have one shape:
`{"detail": "...", "code": "...", "errors": {"field": ["message"]}, "error_codes": {"field": ["code"]}}`.
`code` is the stable reason a client branches on (`slot_taken`, `course_full`,
`guardian_consent_required` …; the error schema lists them all), never the words of `detail`.
`error_codes` gives the reason of each message of `errors`, field by field (`required`,
`unknown_field`, `too_long` …, or the domain's code on the field it names).

- **400** `malformed_request`: the body cannot be read (not JSON, nested too deeply).
- **401** `not_authenticated` (no credentials) or `session_invalid` (a bad or expired token).
- **403** `permission_denied`: signed in, not allowed.
- **404** `not_found`: no such object, one you may not see (both answer the same), or no such path.
- **405** `method_not_allowed`, with `Allow`.
- **409**: the current state refuses (`slot_taken`, `course_full` …).
- **422** `invalid` or a rule's code: the input does not validate, by the schema or by a rule.

**Language.** Messages and content come in the signed-in person's language (their profile), else
the language cookie or `Accept-Language`; `Content-Language` says which.

**Answers of others.** allauth's endpoints (`/_allauth/…`) keep allauth's shape,
`{"status": 400, "errors": [{"message", "code", "param"}]}`. Too many sign-in attempts answer 429
with `Retry-After` (seconds) and
`{"status": 429, "detail", "errors": [{"message", "code": "too_many_login_attempts"}], "retry_after"}`;
allauth's own rate limits answer `{"status": 429}`. This API itself does not throttle.

**Sign-up, login, email verification and sessions** are allauth's headless API, described by its
own OpenAPI document: [/_allauth/openapi.json](/_allauth/openapi.json) (browse it at
[/_allauth/openapi.html](/_allauth/openapi.html)).
"""

# What `null` in a PATCH and a repeated DELETE mean, on every operation (cplatform.api_base).
API_DESCRIPTION += f"\n{PATCH_RULE}\n\n{DELETE_RULE}\n"

api = DocumentedAPI(
    title="cplatform API",
    version="1.0.0",
    description=API_DESCRIPTION,
    urls_namespace="api",
    docs_decorator=docs_guard,
)


def _error(request, status: int, detail, *, code: str, **fields):
    return api.create_response(request, error_body(detail, code=code, **fields), status=status)


HTTP_ERROR_CODES = {
    400: "malformed_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
}


# Ninja picks the handler of the first class in the exception's MRO: NotFound (a DomainError and an
# Http404) is answered by on_domain_error, with the same body as on_not_found.
@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status_code, exc.detail, code=exc.code, errors=exc.errors)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    messages, codes = pydantic_field_errors(exc.errors)
    return _error(
        request,
        422,
        _("Some fields are not valid."),
        code="invalid",
        errors=messages,
        error_codes=codes,
    )


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError):
    messages, codes = django_field_errors(exc)
    return _error(
        request,
        422,
        _("Some fields are not valid."),
        code="invalid",
        errors=messages,
        error_codes=codes,
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return _error(request, 401, _("Authentication required."), code="not_authenticated")


@api.exception_handler(DjangoPermissionDenied)
def on_permission_denied(request, exc):
    return _error(
        request, 403, _("You do not have permission to do this."), code="permission_denied"
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, _("Not found."), code="not_found")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    code = HTTP_ERROR_CODES.get(exc.status_code, "invalid")
    # Ninja's only 400 is a body that does not parse (its English names no field).
    detail = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
    return _error(request, exc.status_code, detail, code=code)


# First: these find each operation under its `run` (cplatform.api_http.operation_of). Location is
# added inside the idempotency wrapper, so a replay repeats it.
api.add_decorator(api_http.add_location, mode="view")
api.add_decorator(idempotency.install, mode="view")
api.add_decorator(api_http.conditional_get, mode="view")
# Unknown form fields answer 422 like unknown JSON fields (which every InputSchema refuses).
api.add_decorator(reject_undeclared_form_parts, mode="operation")
# Unknown query parameters answer 422 too: a misspelt filter never reads as "no filter".
api.add_decorator(reject_undeclared_query_params, mode="operation")
api.add_router("/", authentication_router)
api.add_router("/admin", admin_users_router)
api.add_router("/", classroom_router)
api.add_router("/", courses_router)
api.add_router("/", scheduling_router)
api.add_router("/", teaching_router)
api.add_router("/", progress_router)
api.add_router("/", calendar_router)
api.add_router("/", dashboards_router)
api.add_router("/", inbox_safety_router)
api.add_router("/", notifications_router)
# Before messages and rooms: its `/messages/with-attachments` would else be read as a message id.
api.add_router("/", attachments_router)
api.add_router("/", messages_router)
api.add_router("/", rooms_router)
# billing (policy): plans, subscriptions and teachers' earnings.
api.add_router("/", billing_plans_router)
api.add_router("/", billing_earnings_router)
# billing papers: invoice PDFs, and the admins' payments, refunds and manual invoices
api.add_router("/", invoice_papers_router)
api.add_router("/admin", billing_admin_router)
# Dashboards and analytics (issue 15): the figures for admins and teachers.
api.add_router("/", analytics_router)
