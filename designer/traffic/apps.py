from django.apps import AppConfig


class TrafficConfig(AppConfig):
    name = "designer.traffic"
    label = "traffic"
    verbose_name = "Live traffic"

    def ready(self) -> None:
        from django.urls import reverse

        from designer.catalog.firstrun import Step, register

        def done(request: object, counts: dict[str, int]) -> bool:
            from .models import TrafficCounter, TrafficSample

            team = request.team  # type: ignore[attr-defined]
            return TrafficSample.objects.filter(team=team).exists() or TrafficCounter.objects.filter(team=team).exists()

        register(Step(50, "event-sent", "Send a test event", "Create a token and send one event with curl, or press Play on the live page.",
                      # Owners get the token page (its ready curl line); others the live page's Play.
                      lambda r: reverse("tokens" if r.membership.role == "owner" else "traffic_live", args=[r.team.slug]),
                      done))
