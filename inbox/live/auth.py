"""Who opens a socket. Browsers: their session cookie (Channels' AuthMiddlewareStack), and the
Origin must be one of ALLOWED_HOSTS (no other site's page can open a socket with the visitor's
cookie). Apps (the API's clients): the allauth session token they use as `X-Session-Token`, sent in
the `Sec-WebSocket-Protocol` header as two values, `cplatform.session-token, <token>`; the server
answers with `cplatform.session-token`. Not `?token=`: query strings end up in access logs and
proxies. A socket that offers a token is that token's person or nobody (never the cookie's), and
needs no Origin (a token is not sent by the browser on its own, so another site cannot borrow it).
"""

from __future__ import annotations

from allauth.headless.internal.sessionkit import authenticate_by_x_session_token
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser

TOKEN_SUBPROTOCOL = "cplatform.session-token"  # noqa: S105 - a protocol name, not a secret


def offered_token(scope) -> str | None:
    """The session token the client offered after `cplatform.session-token`, if any."""
    offered = list(scope.get("subprotocols") or [])
    if TOKEN_SUBPROTOCOL not in offered:
        return None
    index = offered.index(TOKEN_SUBPROTOCOL)
    return offered[index + 1] if index + 1 < len(offered) else ""


def accepted_subprotocol(scope) -> str | None:
    """The subprotocol to answer with: the token's marker when the client authenticated with one."""
    return TOKEN_SUBPROTOCOL if offered_token(scope) is not None else None


def _token_user(token: str):
    if not token:
        return AnonymousUser()
    result = authenticate_by_x_session_token(token)
    user = result.user if result is not None else None
    if user is None or not user.is_active:
        return AnonymousUser()
    return user


class SessionTokenAuthMiddleware:
    """Inside AuthMiddlewareStack: a socket that offers a session token is that token's person."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        token = offered_token(scope)
        if token is not None:
            user = await database_sync_to_async(_token_user)(token)
            scope = dict(scope, user=user)
        return await self.inner(scope, receive, send)


class OriginOrTokenValidator:
    """AllowedHostsOriginValidator for cookie sockets; a socket that offers a token skips it."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if offered_token(scope) is not None:
            return await self.inner(scope, receive, send)
        # Built per connection (it is cheap) so it reads ALLOWED_HOSTS as they are now.
        return await AllowedHostsOriginValidator(self.inner)(scope, receive, send)
