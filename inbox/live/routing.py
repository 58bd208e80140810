"""The inbox's WebSocket routes (cplatform/asgi.py mounts them, as cplatform/urls.py the pages)."""

from django.urls import path

from .consumers import MeConsumer, RoomConsumer

websocket_urlpatterns = [
    path("ws/rooms/<int:room_id>/", RoomConsumer.as_asgi()),
    path("ws/me/", MeConsumer.as_asgi()),
]
