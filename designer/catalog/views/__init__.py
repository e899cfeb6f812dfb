"""The catalog's web interface: thin function views over services and selectors, a module per
entity. ``request.htmx`` decides between the whole page and the partial of the same template.

The names below are the ones settings and the root URL map refer to by dotted path.
"""
from __future__ import annotations

from .accounts import signup
from .errors import csrf_failure, error_403, error_404, error_500

__all__ = ["csrf_failure", "error_403", "error_404", "error_500", "signup"]
