from django.urls import path

from . import ingest, views

urlpatterns = [
    path("api/teams/<slug:slug>/events", ingest.events_view, name="traffic_ingest"),
    path("t/<slug:slug>/live/", views.live, name="traffic_live"),
    path("t/<slug:slug>/live/play/", views.play, name="traffic_play"),
    path("t/<slug:slug>/live/adopt/", views.adopt, name="traffic_adopt"),
    path("t/<slug:slug>/live/findings/", views.findings, name="traffic_findings"),
]
