import hashlib
import json
import re
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

LOGIN_PATHS = re.compile(
    r"^/(?:[a-z]{2}/)?auth/login/$|^/admin/login/$|^/django-admin/login/$|^/_allauth/(?:browser|app)/v1/auth/login$"
)
IP_FAILURE_LIMIT_FACTOR = 6  # an address may fail for a few accounts before it is stopped


def _identifier_from_request(request) -> str:
    if request.content_type == "application/json":
        try:
            payload = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return ""
        if not isinstance(payload, dict):
            return ""
        value = payload.get("email") or payload.get("username") or ""
    else:
        value = (
            request.POST.get("login")
            or request.POST.get("username")
            or request.POST.get("email")
            or ""
        )
    return str(value).strip().lower()


def _key(kind: str, value: str) -> str:
    return f"login-failures:{kind}:" + hashlib.sha256(value.encode()).hexdigest()


def client_ip(request) -> str:
    """The client's address as allauth sees it (ALLAUTH_TRUSTED_PROXY_COUNT / _CLIENT_IP_HEADER behind
    a proxy), so our limit and allauth's own rate limits count the same person."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except (DjangoPermissionDenied, ImproperlyConfigured):
        return request.META.get("REMOTE_ADDR", "")


def login_failure_record(*, request, identifier: str) -> None:
    """Count a failed login for the identifier and for the address (fixed window from the first
    failure). Called from the `user_login_failed` receiver, so every door that authenticates counts."""
    window = settings.LOGIN_FAILURE_WINDOW
    keys = [_key("ip", client_ip(request))]
    if identifier.strip():
        keys.append(_key("id", identifier.strip().lower()))
    for key in keys:
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=window)


def login_is_blocked(*, request, identifier: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    identifier = identifier.strip().lower()
    by_id = (cache.get(_key("id", identifier)) or 0) if identifier else 0
    by_ip = cache.get(_key("ip", client_ip(request))) or 0
    return by_id >= limit or by_ip >= limit * IP_FAILURE_LIMIT_FACTOR


class LoginRateLimitMiddleware:
    """Answer 429 on every login form (site, headless, Wagtail admin, Django admin) once an email
    has failed LOGIN_FAILURE_LIMIT times within LOGIN_FAILURE_WINDOW seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and LOGIN_PATHS.match(request.path_info):
            identifier = _identifier_from_request(request)
            if login_is_blocked(request=request, identifier=identifier):
                message = _("Too many failed login attempts. Try again in a few minutes.")
                if request.path_info.startswith("/_allauth/"):
                    response = JsonResponse(
                        {
                            "status": 429,
                            "detail": message,
                            "errors": [{"message": message, "code": "too_many_login_attempts"}],
                        },
                        status=429,
                    )
                else:
                    response = HttpResponse(
                        message, status=429, content_type="text/plain; charset=utf-8"
                    )
                response["Retry-After"] = str(settings.LOGIN_FAILURE_WINDOW)
                return response
        return self.get_response(request)


class UserTimezoneMiddleware:
    """Render times in the viewer's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        tz_name = (
            getattr(user, "timezone", None) if user is not None and user.is_authenticated else None
        )
        if tz_name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
