from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/proposals/", views.proposal_list, name="proposal_list"),
    path("t/<slug:slug>/proposals/settings/", views.proposal_settings, name="proposal_settings"),
    path("t/<slug:slug>/proposals/<int:pid>/", views.proposal_detail, name="proposal_detail"),
    path("t/<slug:slug>/proposals/<int:pid>/stamp/", views.proposal_stamp, name="proposal_stamp"),
    path("t/<slug:slug>/proposals/<int:pid>/comment/", views.proposal_comment, name="proposal_comment"),
    path("t/<slug:slug>/proposals/<int:pid>/code/", views.proposal_code, name="proposal_code"),
    path("t/<slug:slug>/proposals/<int:pid>/edit/", views.proposal_open_element, name="proposal_open_element"),
    path("t/<slug:slug>/proposals/<int:pid>/<str:coll>/new/", views.proposal_element_new,
         name="proposal_element_new"),
    path("t/<slug:slug>/proposals/<int:pid>/messages/<str:name>/relations/", views.proposal_relations,
         name="proposal_relations"),
    path("t/<slug:slug>/proposals/<int:pid>/flows/<str:name>/steps/", views.proposal_steps, name="proposal_steps"),
    path("t/<slug:slug>/proposals/<int:pid>/<str:coll>/proposed/<str:name>/", views.proposal_new_edit,
         name="proposal_new_edit"),
    path("t/<slug:slug>/proposals/<int:pid>/<str:action>/", views.proposal_action, name="proposal_action"),
    path("t/<slug:slug>/proposals/<int:pid>/<str:coll>/<int:pk>/edit/", views.proposal_element_edit,
         name="proposal_element_edit"),
    path("t/<slug:slug>/proposals/<int:pid>/messages/<int:pk>/schema/", views.proposal_version_edit,
         name="proposal_version_edit"),
    path("t/<slug:slug>/proposals/<int:pid>/<str:coll>/<int:pk>/delete/", views.proposal_element_delete,
         name="proposal_element_delete"),
]
