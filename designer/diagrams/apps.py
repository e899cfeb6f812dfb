from django.apps import AppConfig


class DiagramsConfig(AppConfig):
    name = "designer.diagrams"
    label = "diagrams"
    verbose_name = "Diagrams"
