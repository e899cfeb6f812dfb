from django.urls import path

from . import views

COLL = "<str:coll>"

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/", views.teams, name="teams"),
    path("invite/<str:secret>/", views.invitation_accept, name="invitation_accept"),
    path("t/<slug:slug>/", views.team_home, name="team_home"),
    path("t/<slug:slug>/history/", views.team_history, name="team_history"),
    path("t/<slug:slug>/history/<int:cid>/", views.change_detail, name="change_detail"),
    path("t/<slug:slug>/members/", views.members, name="members"),
    path("t/<slug:slug>/tokens/", views.tokens, name="tokens"),
    path("t/<slug:slug>/settings/", views.team_settings, name="team_settings"),
    path("t/<slug:slug>/export/", views.export_model, name="export_model"),
    path("t/<slug:slug>/import/", views.import_model, name="import_model"),
    path("t/<slug:slug>/messages/<int:pk>/versions/", views.version_save, name="version_save"),
    path("t/<slug:slug>/messages/<int:pk>/versions/<int:vid>/status/", views.version_status, name="version_status"),
    path("t/<slug:slug>/messages/<int:pk>/relations/", views.relation_add, name="relation_add"),
    path("t/<slug:slug>/messages/<int:pk>/relations/<int:rid>/delete/", views.relation_remove, name="relation_remove"),
    path("t/<slug:slug>/flows/<int:pk>/steps/", views.flow_steps, name="flow_steps"),
    path(f"t/<slug:slug>/{COLL}/", views.element_list, name="element_list"),
    path(f"t/<slug:slug>/{COLL}/new/", views.element_new, name="element_new"),
    path(f"t/<slug:slug>/{COLL}/validate/", views.validate_field, name="validate_field"),
    path(f"t/<slug:slug>/{COLL}/<int:pk>/", views.element_detail, name="element_detail"),
    path(f"t/<slug:slug>/{COLL}/<int:pk>/edit/", views.element_edit, name="element_edit"),
    path(f"t/<slug:slug>/{COLL}/<int:pk>/delete/", views.element_delete, name="element_delete"),
    path(f"t/<slug:slug>/{COLL}/<int:pk>/history/", views.element_history, name="element_history"),
]
