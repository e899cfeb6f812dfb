"""Routes of schema evolution (included by designer/urls.py when this module exists)."""
from django.urls import path

from . import views_evolution as views

urlpatterns = [
    path("t/<slug:slug>/messages/<int:pk>/diff/", views.version_diff, name="version_diff"),
    path("t/<slug:slug>/settings/compatibility/", views.default_compat, name="default_compat"),
]
