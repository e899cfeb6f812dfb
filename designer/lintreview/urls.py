from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/findings/", views.findings, name="lint_findings"),
    path("t/<slug:slug>/findings/status/", views.status, name="lint_status"),
    path("t/<slug:slug>/findings/waive/", views.waive, name="lint_waive"),
    path("t/<slug:slug>/findings/fix/", views.apply_fix, name="lint_apply_fix"),
    path("t/<slug:slug>/waivers/<int:wid>/revoke/", views.revoke, name="lint_revoke"),
    path("t/<slug:slug>/rules/", views.rule_index, name="lint_rules"),
    path("t/<slug:slug>/rules/<str:rule_id>/", views.rule_detail, name="lint_rule"),
    path("t/<slug:slug>/settings/lint/", views.lint_settings, name="lint_settings"),
    path("rules/", views.public_rule_index, name="public_rule_index"),
    path("rules/<str:rule_id>/", views.public_rule, name="public_rule"),
    path("api/teams/<slug:slug>/findings", views.api_findings, name="api_lint_findings"),
]
