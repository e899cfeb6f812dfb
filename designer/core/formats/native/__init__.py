"""The native design-as-code format: a team's model as one YAML (or JSON) document.

``load(text)`` reads and validates a document into a :class:`~designer.core.model.Model`;
``dump(model)`` writes the canonical document for a model. Canonical means deterministic:
fixed key order, elements sorted by name, default values left out, so that
``dump(load(dump(model))) == dump(model)`` holds for every model and a diff of two exports shows
only real changes. The format is described in docs/model-format.md.

Every problem in a document is a :class:`FormatError` with the line and column of the node at
fault and a message that says how to fix it.

An element's keys are its kind's attributes, declared once in ``designer.core.kinds``:
``reader`` and ``writer`` handle each type of attribute once, so an attribute added to a core
dataclass is read and written without a change here.
"""
from __future__ import annotations

from .keys import (
    CONSUMER_KEYS,
    DEFAULT_COMPAT,
    FORMAT_VERSION,
    LINT_LEVELS,
    OUTBOX_MODES,
    PRODUCER_KEYS,
    SHORTHAND_STATUS,
    SHORTHAND_VERSION,
    STEP_ACTIONS,
    VERSION_KEYS,
    element_keys,
)
from .reader import element_from_data, from_data, load
from .writer import dump, element_data, to_data

__all__ = [
    "CONSUMER_KEYS", "DEFAULT_COMPAT", "FORMAT_VERSION", "LINT_LEVELS", "OUTBOX_MODES", "PRODUCER_KEYS",
    "SHORTHAND_STATUS", "SHORTHAND_VERSION", "STEP_ACTIONS", "VERSION_KEYS", "dump", "element_data",
    "element_from_data", "element_keys", "from_data", "load", "to_data",
]
