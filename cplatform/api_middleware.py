"""What every request under /api/ shares before and after its operation: who asks when an
`X-Session-Token` comes with it, the language of the answer, and errors that Django or ninja would
answer in HTML or plain text (404, 405) turned into the API's JSON error shape."""

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from .api_errors import error_response

API_PREFIX = "/api/"
TOKEN_HEADER = "X-Session-Token"  # noqa: S105 - a header name, not a secret
_token_auth = XSessionTokenAuth()


def session_token_user(request):
    """The active person of the request's `X-Session-Token` (allauth headless, activity tracked),
    or None for a token that is unknown, expired, signed out or not yet signed in."""
    user = _token_auth(request)
    if user is None or not getattr(user, "is_active", False):
        return None
    return user


def _caller_language(request, user) -> str:
    """The signed-in person's language (their profile), else the language cookie or
    `Accept-Language`, else the site's default."""
    preferred = getattr(user, "language", None) if user is not None else None
    if preferred in dict(settings.LANGUAGES):
        return preferred
    return translation.get_language_from_request(request)


def _signed_in(request):
    if getattr(request, "session_token_user", None) is not None:
        return request.session_token_user
    # Only a session cookie signs anyone in otherwise; without one the user is not looked up.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class ApiRequestMiddleware:
    """Under /api/ (after AuthenticationMiddleware and LocaleMiddleware):

    - A request that carries `X-Session-Token` is that session's person, or it answers 401
      `session_invalid` on every path and method, public operations included: the client believes
      it is signed in, and must learn that it is not rather than get an anonymous answer. Such a
      request never falls back to the session cookie or its CSRF check (the API's cookie auth
      skips it), so a client's re-login fires on 401 and 403 means only "not allowed".
    - The answer is in the caller's language (profile, else cookie or `Accept-Language`), error
      messages included, and `Content-Language` says which (the site's LocaleMiddleware pins
      unprefixed paths to English).
    - A 404 (unknown path) or 405 (known path, other method; `Allow` kept) that is not already
      JSON gets the API's error shape, codes `not_found` and `method_not_allowed`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.headers.get(TOKEN_HEADER):
            user = session_token_user(request)
            if user is None:
                language = _caller_language(request, None)
                with translation.override(language):
                    response = error_response(
                        401,
                        _("Your session has expired or was signed out: sign in again."),
                        code="session_invalid",
                    )
                return self._finish(response, language)
            request.session_token_user = user
        language = _caller_language(request, _signed_in(request))
        with translation.override(language):
            response = self._as_json_error(self.get_response(request))
        return self._finish(response, language)

    @staticmethod
    def _finish(response, language: str):
        response.headers["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Cookie", TOKEN_HEADER))
        return response

    @staticmethod
    def _as_json_error(response):
        if response.status_code not in (404, 405):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            return error_response(404, _("Not found."), code="not_found")
        answer = error_response(
            405, _("This path does not take this method."), code="method_not_allowed"
        )
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer
