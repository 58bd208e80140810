"""API authentication and role checks: allauth's session token (apps) or the session cookie + CSRF
(browsers). `auth_for(Role.TEACHER)` is the API twin of the `role_required` view decorator."""

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from ninja.security import SessionAuth

from cplatform.exceptions import PermissionDenied

from .roles import has_role


def _authorize(user, roles):
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if roles and not has_role(user, *roles):
        raise PermissionDenied("Your role does not allow this.")
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
        return _authorize(super().__call__(request), self.roles)


class CookieSessionAuth(SessionAuth):
    """The Django session cookie (`/_allauth/browser/v1/...`), with CSRF on unsafe methods."""

    def __init__(self, *roles):
        super().__init__(csrf=True)
        self.roles = roles

    def authenticate(self, request, key):
        return _authorize(request.user, self.roles)


def auth_for(*roles) -> list:
    return [TokenAuth(*roles), CookieSessionAuth(*roles)]
