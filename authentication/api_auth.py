"""API authentication and role checks: allauth's session token (apps) or the session cookie + CSRF
(browsers). `auth_for(Role.TEACHER)` is the API twin of the `role_required` view decorator."""

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from django.contrib.auth.middleware import get_user
from django.utils.translation import gettext as _
from ninja.security import SessionAuth

from cplatform.exceptions import PermissionDenied

from .roles import has_role


def _authorize(user, roles):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if roles and not has_role(user, *roles):
        raise PermissionDenied(_("Your role does not allow this."))
    return user


class TokenAuth(XSessionTokenAuth):
    """`X-Session-Token` from `/_allauth/app/v1/auth/login`."""

    openapi_in = "header"
    openapi_name = "X-Session-Token"
    openapi_description = (
        "The session token from `POST /_allauth/app/v1/auth/login` (`meta.session_token`)."
    )

    def __init__(self, *roles):
        super().__init__()
        self.roles = roles

    def __call__(self, request):
        # cplatform.api_middleware.ApiRequestMiddleware has already resolved the token (and answered
        # 401 for a bad one); elsewhere (a test calling an operation directly) allauth looks it up.
        user = getattr(request, "session_token_user", None) or super().__call__(request)
        return _authorize(user, self.roles)


class CookieSessionAuth(SessionAuth):
    """The Django session cookie (`/_allauth/browser/v1/...`), with CSRF on unsafe methods.

    CSRF guards a cookie the browser sends on its own, so it is checked only when a logged-in
    session cookie came with the request: a request without credentials gets the documented 401,
    not "403 CSRF check Failed"; a logged-in cookie without the CSRF token is still refused (403).
    A request that carries `X-Session-Token` is the token's person or nobody: it never falls back
    to the cookie (nor its CSRF check)."""

    def __init__(self, *roles):
        super().__init__(csrf=True)
        self.roles = roles

    def __call__(self, request):
        if request.headers.get("X-Session-Token"):
            return None
        if not request.COOKIES.get(self.param_name) or not _session_user(request):
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        return _authorize(_session_user(request), self.roles)


def _session_user(request):
    """The user of the session cookie (not one an X-Session-Token put on the request), or None."""
    user = get_user(request)  # AuthenticationMiddleware's, cached on the request
    return user if user.is_authenticated else None


def auth_for(*roles) -> list:
    return [TokenAuth(*roles), CookieSessionAuth(*roles)]


def api_viewer(request):
    """The signed-in person on an operation that anyone may call (session token or cookie), or None
    for an anonymous caller. What they may see is then their selector's business."""
    for auth in auth_for():
        try:
            user = auth(request)
        except Exception:  # noqa: BLE001 - a bad token on a public operation reads as anonymous
            user = None
        if user:
            return user
    return None
