"""The keys of a native design file, in the order ``dump`` writes them.

An element's keys are its kind's attributes (``designer.core.kinds``) plus what the kind holds
besides them; the rest are the document's own sections.
"""
from __future__ import annotations

from designer.core.kinds import MESSAGE, OUTBOX_MODES, RELATION, STEP, STEP_ACTIONS, VERSION, Kind
from designer.core.model import SEVERITIES, Model

__all__ = ["OUTBOX_MODES", "STEP_ACTIONS"]

FORMAT_VERSION = 1
LINT_LEVELS: tuple[str, ...] = SEVERITIES + ("off",)
# The version a `schema`/`example` shorthand stands for (and is written back as shorthand).
SHORTHAND_VERSION = "1.0.0"
SHORTHAND_STATUS = "draft"
DEFAULT_COMPAT: dict[str, str] = dict(Model().default_compat)

TOP_KEYS = (
    "version", "name", "description", "envelope", "compatibility", "lint",
    "services", "channels", "messages", "flows",
)
# What a kind holds besides its attributes, by kind key: relations are listed under their
# message, and one version can be written as a plain schema/example.
_HOLDS = {MESSAGE.key: ("producers", "consumers", "schema", "example", "versions"), "flow": ("steps",)}


def element_keys(kind: Kind) -> tuple[str, ...]:
    """The keys an element of ``kind`` may have (besides ``x-`` extensions)."""
    return tuple(a.name for a in kind.attrs) + _HOLDS.get(kind.key, ())


VERSION_KEYS = tuple(a.name for a in VERSION.attrs)
PRODUCER_KEYS = ("service", "channel")
CONSUMER_KEYS = tuple(a.name for a in RELATION.attrs if a.name not in ("message", "role"))
STEP_KEYS = tuple(a.name for a in STEP.attrs)
ENVELOPE_KEYS = ("profile", "schema")
LINT_KEYS = ("severities", "options")
