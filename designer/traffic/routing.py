from django.urls import path

from .consumers import TrafficConsumer

websocket_urlpatterns = [
    path("ws/teams/<slug:slug>/traffic/", TrafficConsumer.as_asgi()),
]
