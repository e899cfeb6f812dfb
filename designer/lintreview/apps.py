from django.apps import AppConfig


class LintReviewConfig(AppConfig):
    name = "designer.lintreview"
    label = "lintreview"
    verbose_name = "Lint review"
