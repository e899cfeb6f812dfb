from typing import Any

from django.apps import AppConfig


def _close_sockets_of_session(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """Logging out closes the websockets this login session opened, in every process."""
    from .live import access_revoked, session_access_group

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        access_revoked(session_access_group(key), team_id=None, reason="logged out")


class CatalogConfig(AppConfig):
    name = "designer.catalog"
    label = "catalog"
    verbose_name = "Catalog"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_close_sockets_of_session, dispatch_uid="catalog.close_sockets_of_session")
