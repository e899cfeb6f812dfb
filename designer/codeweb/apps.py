from django.apps import AppConfig


class CodeWebConfig(AppConfig):
    name = "designer.codeweb"
    label = "codeweb"
    verbose_name = "Code generation"

    def ready(self) -> None:
        from django.urls import reverse

        from designer.catalog.firstrun import Step, register

        def done(request: object, counts: dict[str, int]) -> bool:
            from .models import CodeBundle

            team = request.team  # type: ignore[attr-defined]
            seen = request.session.get("code_seen", [])  # type: ignore[attr-defined]
            return team.slug in seen or CodeBundle.objects.filter(team=team).exists()

        register(Step(40, "code", "Generate code", "Handler and publisher stubs for a service, in Python, TypeScript, Java or Go.",
                      lambda r: reverse("codegen", args=[r.team.slug]), done))
