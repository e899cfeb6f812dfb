from django.apps import AppConfig


class TrafficConfig(AppConfig):
    name = "designer.traffic"
    label = "traffic"
    verbose_name = "Live traffic"
