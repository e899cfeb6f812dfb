"""The event flow designer.

The Celery app is created when Django starts (``LintReviewConfig.ready``) or when a worker
imports ``designer.celery`` (``celery -A designer``), not when this package is imported: the
file-based commands (``manage.py lint FILE`` …) import the pure core through this package
without Django, and Celery's import alone costs them about a third of a second.
"""
from __future__ import annotations

from typing import Any

__all__ = ("celery_app",)


def __getattr__(name: str) -> Any:
    if name == "celery_app":
        from .celery import app

        return app
    raise AttributeError(f"module 'designer' has no attribute {name!r}")
