from django.urls import path

from .consumers import ModelChangesConsumer

websocket_urlpatterns = [
    path("ws/teams/<slug:slug>/model/", ModelChangesConsumer.as_asgi()),
]
