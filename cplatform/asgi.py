"""The ASGI application: pages and the API over HTTP (Django), and the WebSockets of the live chat
rooms (Channels, routes in inbox/live/routing.py). `make run` serves it with daphne's `runserver`;
production with `daphne cplatform.asgi:application` (README)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cplatform.settings.dev")
# Django is set up before anything imports models (the consumers do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from inbox.live.auth import OriginOrTokenValidator, SessionTokenAuthMiddleware  # noqa: E402
from inbox.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginOrTokenValidator(
            AuthMiddlewareStack(SessionTokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)

from cplatform.runtime import tune_garbage_collector  # noqa: E402

tune_garbage_collector()
