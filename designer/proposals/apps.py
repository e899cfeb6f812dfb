from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "designer.proposals"
    label = "proposals"
    verbose_name = "Proposals"
