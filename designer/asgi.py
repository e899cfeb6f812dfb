"""ASGI entry point: Django for HTTP, Channels for websockets.

Feature apps' websocket routes are listed in ``websocket_routes`` below.
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
django_asgi = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from designer.catalog.consumers import UnknownPathConsumer  # noqa: E402
from designer.catalog.routing import websocket_urlpatterns as catalog_ws  # noqa: E402
from designer.lifespan import lifespan  # noqa: E402
from designer.outage import WebsocketOutageGuard  # noqa: E402
from designer.traffic.asgi_ingest import wrap_http  # noqa: E402
from designer.traffic.routing import websocket_urlpatterns as traffic_ws  # noqa: E402

websocket_routes: list = [*catalog_ws, *traffic_ws]
# Last: any other websocket path is closed with 4404 (never a 500 and a traceback).
websocket_fallback = re_path(r"", UnknownPathConsumer.as_asgi())
# The traffic app mounts a raw ASGI ingest app beside Django for the hot path.
http_app = wrap_http(django_asgi)


class BrowserOriginValidator:
    """Refuse cross-site websockets from browsers, let programs without an Origin through.

    Browsers always send ``Origin`` on a websocket handshake, so checking it against
    ALLOWED_HOSTS stops cross-site hijacking of a session. Programs (broker bridges, CLIs)
    send no Origin and authenticate with a bearer token instead; the consumers still check
    that the session or the token belongs to a member of the team.
    """

    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.app = app
        self.checked = AllowedHostsOriginValidator(app)

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        headers = dict(scope.get("headers") or [])
        if b"origin" not in headers:
            return await self.app(scope, receive, send)
        return await self.checked(scope, receive, send)


application = ProtocolTypeRouter({
    "http": http_app,
    # Outermost: a handshake while Redis or the database is down answers 503 with the reason;
    # a path no route knows is closed with 4404 (websocket_fallback), never an HTTP 500.
    "websocket": WebsocketOutageGuard(BrowserOriginValidator(AuthMiddlewareStack(
        URLRouter([*websocket_routes, websocket_fallback])))),
    # Start-up says what is unreachable; shutdown stops the live pipeline within seconds.
    "lifespan": lifespan,
})
