"""ASGI entry point: Django for HTTP, Channels for websockets.

Feature apps mount their websocket routes in ``websocket_routes`` below.
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "designer.settings")
django_asgi = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from designer.catalog.routing import websocket_urlpatterns as catalog_ws  # noqa: E402

websocket_routes: list = list(catalog_ws)
try:  # the traffic app provides the live websocket routes
    from designer.traffic.routing import websocket_urlpatterns
except ModuleNotFoundError as exc:  # pragma: no cover - before the traffic app exists
    if exc.name != "designer.traffic.routing":
        raise
else:
    websocket_routes += websocket_urlpatterns

# The traffic app may mount a raw ASGI ingest app beside Django for the hot path.
try:
    from designer.traffic.asgi_ingest import wrap_http
except ModuleNotFoundError as exc:  # pragma: no cover
    if exc.name != "designer.traffic.asgi_ingest":
        raise
    http_app = django_asgi
else:
    http_app = wrap_http(django_asgi)

application = ProtocolTypeRouter({
    "http": http_app,
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_routes))),
})
