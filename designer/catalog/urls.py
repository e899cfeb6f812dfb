from django.urls import path

from .views import accounts, design_files, elements, flows, history, members, messages, teams, tokens

COLL = "<str:coll>"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("teams/", accounts.teams, name="teams"),
    path("invite/<str:secret>/", accounts.invitation_accept, name="invitation_accept"),
    path("t/<slug:slug>/", teams.team_home, name="team_home"),
    path("t/<slug:slug>/getting-started/hide/", teams.first_run_hide, name="first_run_hide"),
    path("t/<slug:slug>/history/", history.team_history, name="team_history"),
    path("t/<slug:slug>/history/<int:cid>/", history.change_detail, name="change_detail"),
    path("t/<slug:slug>/history/<int:cid>/restore/", history.change_restore, name="change_restore"),
    path("t/<slug:slug>/members/", members.members, name="members"),
    path("t/<slug:slug>/tokens/", tokens.tokens, name="tokens"),
    path("t/<slug:slug>/settings/", teams.team_settings, name="team_settings"),
    path("t/<slug:slug>/delete/", teams.team_delete, name="team_delete"),
    path("t/<slug:slug>/export/", design_files.export_model, name="export_model"),
    path("t/<slug:slug>/import/", design_files.import_model, name="import_model"),
    path("t/<slug:slug>/messages/<int:pk>/versions/", messages.version_save, name="version_save"),
    path("t/<slug:slug>/messages/<int:pk>/versions/<int:vid>/status/", messages.version_status, name="version_status"),
    path("t/<slug:slug>/messages/<int:pk>/relations/", messages.relation_add, name="relation_add"),
    path("t/<slug:slug>/messages/<int:pk>/relations/<int:rid>/delete/", messages.relation_remove, name="relation_remove"),
    path("t/<slug:slug>/flows/<int:pk>/steps/", flows.flow_steps, name="flow_steps"),
    path("t/<slug:slug>/flows/<int:pk>/steps/preview/", flows.flow_step_preview, name="flow_step_preview"),
    path(f"t/<slug:slug>/{COLL}/", elements.element_list, name="element_list"),
    path(f"t/<slug:slug>/{COLL}/new/", elements.element_new, name="element_new"),
    path(f"t/<slug:slug>/{COLL}/validate/", elements.validate_field, name="validate_field"),
    path(f"t/<slug:slug>/{COLL}/<int:pk>/", elements.element_detail, name="element_detail"),
    path(f"t/<slug:slug>/{COLL}/<int:pk>/edit/", elements.element_edit, name="element_edit"),
    path(f"t/<slug:slug>/{COLL}/<int:pk>/delete/", elements.element_delete, name="element_delete"),
    path(f"t/<slug:slug>/{COLL}/<int:pk>/history/", history.element_history, name="element_history"),
]
