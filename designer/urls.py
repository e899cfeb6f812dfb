"""URL map. Each feature keeps its routes in its own module, included here."""
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

# Feature routes (lint review, diagrams, code generation, schema evolution, live traffic), then
# the catalog's own (its element URLs catch any collection name, so they come last).
urlpatterns += [
    path("", include("designer.lintreview.urls")),
    path("", include("designer.diagrams.urls")),
    path("", include("designer.codeweb.urls")),
    path("", include("designer.catalog.urls_evolution")),
    path("", include("designer.traffic.urls")),
    path("", include("designer.proposals.urls")),
    path("", include("designer.catalog.urls")),
]

handler404 = "designer.catalog.views.error_404"
handler403 = "designer.catalog.views.error_403"
handler500 = "designer.catalog.views.error_500"
