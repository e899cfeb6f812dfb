from django.apps import AppConfig


class CodeWebConfig(AppConfig):
    name = "designer.codeweb"
    label = "codeweb"
    verbose_name = "Code generation"
