from django.urls import path

from . import views

urlpatterns = [
    path("t/<slug:slug>/diagram/", views.diagram, name="diagram"),
    path("t/<slug:slug>/diagram/node/", views.node, name="diagram_node"),
    path("t/<slug:slug>/diagram/node/relation/", views.node_relation, name="diagram_node_relation"),
    path("t/<slug:slug>/diagram/download.<str:fmt>", views.download, name="diagram_download"),
    # Names may contain any character, "/" included (sent as %2F), hence <path:name>.
    path("t/<slug:slug>/go/<str:coll>/<path:name>", views.go, name="diagram_go"),
]
