"""URL map. Each feature keeps its routes in its own module, included here."""
from django.contrib.auth import views as auth_views
from django.urls import include, path

from designer.catalog import views as catalog_views

urlpatterns = [
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
    path("", include("designer.catalog.urls")),
]

handler404 = "designer.catalog.views.error_404"
handler403 = "designer.catalog.views.error_403"
handler500 = "designer.catalog.views.error_500"
