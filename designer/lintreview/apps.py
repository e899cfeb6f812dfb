from django.apps import AppConfig


class LintReviewConfig(AppConfig):
    name = "designer.lintreview"
    label = "lintreview"
    verbose_name = "Lint review"

    def ready(self) -> None:
        # The project's Celery app must exist (and be the current app) before any task is
        # sent; the package no longer creates it on import (see designer/__init__.py).
        from designer import celery  # noqa: F401
