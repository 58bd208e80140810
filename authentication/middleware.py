import contextlib
import hashlib
import ipaddress
import json
import math
import re
import time
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

LOGIN_PATHS = re.compile(
    r"^/(?:[a-z]{2}/)?auth/login/$|^/admin/login/$|^/django-admin/login/$|^/_allauth/(?:browser|app)/v1/auth/login$"
)
_RESERVATION = "_login_attempt_reservation"  # the counters this request reserved an attempt on
_FAILED = "_login_attempt_failed"  # set by the user_login_failed receiver: the password was wrong


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


def _client_network(request) -> str:
    """The address counted against: an IPv6 client owns its whole /64 (as allauth's rate limits
    count it), or it could step through addresses of its own network."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return address


def _counters(*, request, identifier: str) -> list[tuple[str, int]]:
    """(cache key, limit) of every counter an attempt is charged to: the address (spraying many
    accounts), and for a named account the account from any address (a ceiling for guessing from
    many addresses) and the account from this address (the everyday limit, which a stranger elsewhere
    cannot use up for the owner)."""
    address = _client_network(request)
    counters = [(_key("ip", address), settings.LOGIN_ADDRESS_FAILURE_LIMIT)]
    identifier = identifier.strip().lower()
    if identifier:
        counters.append((_key("id", identifier), settings.LOGIN_ACCOUNT_FAILURE_LIMIT))
        counters.append((_key("id-ip", f"{identifier} {address}"), settings.LOGIN_FAILURE_LIMIT))
    return counters


def _take(key: str, window: int) -> int:
    """One more on the counter, atomically (cache.add and cache.incr are atomic on Redis and on the
    local-memory cache); the window starts with the counter's first attempt."""
    while True:
        if cache.add(key, 1, timeout=window):
            cache.set(f"{key}:start", time.time(), timeout=window)
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # the window ended between add and incr: start the next one
            continue


def _give_back(key: str) -> None:
    with contextlib.suppress(ValueError):  # the window has ended meanwhile: nothing to give back
        cache.decr(key)


def _seconds_left(key: str, window: int) -> int:
    start = cache.get(f"{key}:start")
    now = time.time()
    if start is None:
        # A counter whose window record is gone (Redis's INCR on a key that expired a moment before
        # keeps no expiry): give it a window now, so no block lasts longer than one window.
        cache.touch(key, window)
        cache.set(f"{key}:start", now, timeout=window)
        start = now
    return max(1, math.ceil(start + window - now))


def login_attempt_reserve(*, request, identifier: str) -> int | None:
    """Reserve one login attempt before any password is checked: every counter it is charged to is
    incremented first, so N simultaneous attempts can never check more passwords than the limit.
    Returns None when the attempt may go ahead (settle it with `login_attempt_settle`), else the
    seconds until it may be tried again (nothing stays reserved)."""
    window = settings.LOGIN_FAILURE_WINDOW
    taken, full = [], []
    for key, limit in _counters(request=request, identifier=identifier):
        taken.append(key)
        if _take(key, window) > limit:
            full.append(key)
    if full:
        for key in taken:
            _give_back(key)
        return max(_seconds_left(key, window) for key in full)
    setattr(request, _RESERVATION, taken)
    return None


def login_attempt_settle(*, request) -> None:
    """After the login door answered: a wrong password keeps its reservation (a failure counted in
    the window); anything else (signed in, the right password awaiting a second factor or an email
    confirmation, an incomplete form) gives it back."""
    taken = request.__dict__.pop(_RESERVATION, None)
    if taken is None or getattr(request, _FAILED, False):
        return
    for key in taken:
        _give_back(key)


def login_failure_record(*, request, identifier: str) -> None:
    """A password was wrong (the `user_login_failed` receiver). On a login door the attempt was
    reserved beforehand and stays counted; elsewhere (e.g. allauth's reauthentication, which is
    limited per user by allauth) the failure is added to the same counters."""
    if hasattr(request, _RESERVATION):
        setattr(request, _FAILED, True)
        return
    for key, _limit in _counters(request=request, identifier=identifier):
        _take(key, settings.LOGIN_FAILURE_WINDOW)


def _too_many_attempts(request, seconds: int):
    minutes = max(1, math.ceil(seconds / 60))
    message = ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    reset_url = reverse("account_reset_password")
    if request.path_info.startswith("/_allauth/"):
        response = JsonResponse(
            {
                "status": 429,
                "detail": message,
                "errors": [{"message": message, "code": "too_many_login_attempts"}],
                "retry_after": seconds,
                "password_reset_url": request.build_absolute_uri(reset_url),
            },
            status=429,
        )
    else:
        response = render(
            request,
            "account/login_rate_limited.html",
            {"message": message, "password_reset_url": reset_url},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


class LoginRateLimitMiddleware:
    """Every login door (site, headless, Wagtail admin, Django admin) reserves an attempt before the
    password is checked; 429 with Retry-After once an account has failed LOGIN_FAILURE_LIMIT times
    from one address, LOGIN_ACCOUNT_FAILURE_LIMIT times from anywhere, or an address has failed
    LOGIN_ADDRESS_FAILURE_LIMIT times, within LOGIN_FAILURE_WINDOW seconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not LOGIN_PATHS.match(request.path_info):
            return self.get_response(request)
        seconds = login_attempt_reserve(
            request=request, identifier=_identifier_from_request(request)
        )
        if seconds is not None:
            return _too_many_attempts(request, seconds)
        try:
            return self.get_response(request)
        finally:
            login_attempt_settle(request=request)


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
