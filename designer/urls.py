"""URL map. Each feature keeps its routes in its own module, included here."""
from importlib import import_module

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from designer.catalog import views as catalog_views


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages without a <link rel=icon> (a JSON or SVG opened directly)."""
    return redirect(static("designer/favicon.svg"), permanent=True)


urlpatterns = [
    path("favicon.ico", favicon),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/signup/", catalog_views.signup, name="signup"),
]

# Feature routes (lint review, diagrams, code generation, schema evolution, live traffic).
# Each module is optional so a feature can be developed without touching this file.
for _module in (
    "designer.lintreview.urls",
    "designer.diagrams.urls",
    "designer.codeweb.urls",
    "designer.catalog.urls_evolution",
    "designer.traffic.urls",
):
    try:
        import_module(_module)
    except ModuleNotFoundError as exc:
        if exc.name != _module:
            raise
        continue
    urlpatterns.append(path("", include(_module)))

urlpatterns.append(path("", include("designer.catalog.urls")))

handler404 = "designer.catalog.views.error_404"
handler403 = "designer.catalog.views.error_403"
handler500 = "designer.catalog.views.error_500"
