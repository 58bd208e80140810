import math
import zoneinfo

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from .login_limits import STANDALONE, settle_attempts


def _too_many_attempts(request, seconds: int, kind: str):
    minutes = max(1, math.ceil(seconds / 60))
    if kind == STANDALONE:  # the current password, asked when changing it
        title = gettext("Too many wrong passwords")
        message = ngettext(
            "Too many wrong passwords. Try again in %(minutes)d minute.",
            "Too many wrong passwords. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        code, back = "too_many_password_attempts", gettext("Back")
    else:
        title = gettext("Too many sign-in attempts")
        message = ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        code, back = "too_many_login_attempts", gettext("Back to sign in")
    reset_url = reverse("account_reset_password")
    if request.path_info.startswith("/_allauth/"):
        response = JsonResponse(
            {
                "status": 429,
                "detail": message,
                "errors": [{"message": message, "code": code}],
                "retry_after": seconds,
                "password_reset_url": request.build_absolute_uri(reset_url),
            },
            status=429,
        )
    else:
        response = render(
            request,
            "account/login_rate_limited.html",
            {"title": title, "message": message, "back": back, "password_reset_url": reset_url},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


class LoginRateLimitMiddleware:
    """Answers 429 with Retry-After when a password check of the request was refused by the login
    limits (authentication.login_limits: on every login door, allauth's reauthentication and the
    password-change forms), once an account has failed LOGIN_FAILURE_LIMIT times from one address,
    LOGIN_ACCOUNT_FAILURE_LIMIT times from anywhere, or an address has failed
    LOGIN_ADDRESS_FAILURE_LIMIT times, within LOGIN_FAILURE_WINDOW seconds. The door's own answer
    (a wrong-password error, as it saw no password match) is replaced."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The request is known to password checks as cplatform.api_http.serving_request().
        try:
            response = self.get_response(request)
        finally:
            refused = settle_attempts(request)
        if refused is not None:
            return _too_many_attempts(request, refused.retry_after, refused.kind)
        return response


class UserTimezoneMiddleware:
    """Render times in the viewer's own time zone: theirs is active while their request is answered
    and deactivated after it, so a request that has none (anonymous, the bare view, most pages)
    finds the default zone active and touches nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a session makes anyone signed in here (AuthenticationMiddleware): without its cookie
        # the visitor is anonymous, and the user need not be looked up (the bare view, most pages).
        user = (
            getattr(request, "user", None)
            if settings.SESSION_COOKIE_NAME in request.COOKIES
            else None
        )
        tz_name = (
            getattr(user, "timezone", None) if user is not None and user.is_authenticated else None
        )
        if not tz_name:
            return self.get_response(request)
        try:
            zone = zoneinfo.ZoneInfo(tz_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return self.get_response(request)
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
