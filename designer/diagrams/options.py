"""The diagram page's view options: parsed from a query string, keyed for the render cache.

A ``ViewOptions`` is what the user chose (whole team, one flow, or one element's
neighbourhood; direction, what to show, clustering). It turns into the core's
``DiagramOptions`` in ``services`` (which adds links and finding badges) and into a short,
stable cache key here.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote, urlencode

from designer.core.diagram import CLUSTERS, DIRECTIONS

# Bump when the drawing changes (core, links, badges) so renders cached under old code are not
# served for the same revision and options.
RENDER_VERSION = 2
# More hops than this reach the whole team on any real model; the cap keeps the form honest.
MAX_HOPS = 6
FOCUS_COLLECTIONS = ("services", "messages", "channels")
# Element names are at most a few hundred characters; a longer focus is not a name.
MAX_FOCUS_CHARS = 400


class OptionsError(ValueError):
    """A query parameter that does not describe a diagram; the message says how to fix it."""


@dataclass(frozen=True)
class ViewOptions:
    """What to draw: ``flow`` or ``focus`` (with ``hops``) narrow the whole-team view."""

    flow: str = ""
    focus: str = ""
    hops: int = 1
    direction: str = "LR"
    channels: bool = False
    queries: bool = True
    cluster: str = "none"

    @property
    def scope(self) -> str:
        return "flow" if self.flow else "focus" if self.focus else "team"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ViewOptions:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def key(self, slug: str) -> str:
        """A 40-character cache key of these options (and the team slug, which is in links)."""
        raw = json.dumps([RENDER_VERSION, slug, self.as_dict()], sort_keys=True)
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()

    def query(self, **override: Any) -> str:
        """The query string of this view (defaults left out), for links and downloads."""
        data = {**self.as_dict(), **override}
        params: dict[str, str] = {}
        if data["flow"]:
            params["flow"] = data["flow"]
        elif data["focus"]:
            params["focus"] = data["focus"]
            params["hops"] = str(data["hops"])
        if data["direction"] != "LR":
            params["direction"] = data["direction"]
        if data["channels"]:
            params["channels"] = "1"
        if not data["queries"]:
            params["queries"] = "0"
        if data["cluster"] != "none":
            params["cluster"] = data["cluster"]
        return urlencode(params, quote_via=quote)

    def label(self) -> str:
        """A short human title of the view."""
        if self.flow:
            return f"Flow {self.flow}"
        if self.focus:
            coll, _, name = self.focus.partition("/")
            hop = "hop" if self.hops == 1 else "hops"
            return f"{name} ({coll[:-1]}), {self.hops} {hop} around"
        return "Whole team"


def _flag(value: str | None, default: bool, name: str) -> bool:
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "on", "yes"):
        return True
    if value.lower() in ("0", "false", "off", "no"):
        return False
    raise OptionsError(f"{name} must be 1 or 0, not {value[:40]!r}")


def parse(params: Mapping[str, str]) -> ViewOptions:
    """``ViewOptions`` from query parameters; raises ``OptionsError`` on an unusable value.

    Whether the flow or focus element exists is checked later, against the model.
    """
    flow = (params.get("flow") or "").strip()
    focus = (params.get("focus") or "").strip()
    # The page's form sends a scope with both fields; links send only flow= or focus=.
    scope = params.get("scope") or ""
    if scope == "team":
        flow = focus = ""
    elif scope == "flow":
        focus = ""
    elif scope == "focus":
        flow = ""
    elif scope:
        raise OptionsError("scope must be team, flow or focus")
    if scope == "flow" and not flow:
        raise OptionsError("choose a flow to draw")
    if scope == "focus" and not focus:
        raise OptionsError("pick the element to focus on, e.g. order-service or OrderPlaced")
    if flow and focus:
        raise OptionsError("choose either a flow or a focus element, not both")
    if len(focus) > MAX_FOCUS_CHARS:
        raise OptionsError(f"the focus element's name is longer than {MAX_FOCUS_CHARS} characters")
    # A bare name ("OrderPlaced") is fine here: services.resolve_view turns it into a key
    # against the model, where it is known whether it is a service, a message or a channel.
    raw_hops = (params.get("hops") or "1").strip()
    try:
        hops = int(raw_hops)
    except ValueError:
        raise OptionsError(f"hops must be a whole number from 0 to {MAX_HOPS}, not {raw_hops[:20]!r}") from None
    if not 0 <= hops <= MAX_HOPS:
        raise OptionsError(f"hops must be a whole number from 0 to {MAX_HOPS}, not {hops}")
    direction = (params.get("direction") or "LR").upper()
    if direction not in DIRECTIONS:
        raise OptionsError(f"direction must be one of {', '.join(DIRECTIONS)}")
    cluster = (params.get("cluster") or "none").lower()
    if cluster not in CLUSTERS:
        raise OptionsError(f"cluster must be one of {', '.join(CLUSTERS)}")
    return ViewOptions(
        flow=flow, focus=focus, hops=hops if focus else 1, direction=direction,
        channels=_flag(params.get("channels"), False, "channels"),
        queries=_flag(params.get("queries"), True, "queries"), cluster=cluster,
    )
