"""A stand-in room page for the live journey (tests/e2e/test_rooms_live.py) until the rooms part's
page is merged: the same contract (a list with data-room-id, each message with data-message-id, the
rooms-live.js script, a form that posts through the service's announcement). The lead swaps the
journey's ROOM_PAGE to the real page and deletes this module and tests/inbox/live_asgi.py's
ROOT_URLCONF line."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template import engines
from django.urls import path

from cplatform.signals import announce
from cplatform.urls import urlpatterns as site_urlpatterns
from inbox.live.render import MESSAGE_TEMPLATE
from inbox.live.selectors import room_membership_get
from inbox.models import RoomMessage
from inbox.rooms.signals import room_message_posted, room_message_posted_committed

PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% load static %}
{% block title %}{{ room.name }}{% endblock %}
{% block content %}
<div class="container">
  <h1>{{ room.name }}</h1>
  <p>Unread: <span data-unread-badge="rooms">0</span></p>
  <p data-room-live-status role="status"></p>
  <ol data-room-messages data-room-id="{{ room.pk }}" data-removed-text="You are no longer a member of this room.">
    {% include template with messages_list=messages %}
  </ol>
  <form method="post">{% csrf_token %}
    <label for="body">Message</label>
    <textarea id="body" name="body" required></textarea>
    <button type="submit">Send</button>
  </form>
</div>
{% endblock %}
{% block extra_js %}<script src="{% static 'js/rooms-live.js' %}" defer></script>{% endblock %}"""
)


@login_required
def room_page(request, room_id):
    membership = room_membership_get(user=request.user, room_id=room_id)
    if membership is None:
        raise Http404
    if request.method == "POST":
        with transaction.atomic():
            message = RoomMessage.objects.create(
                room_id=room_id, author=request.user, body=request.POST["body"]
            )
            announce(
                room_message_posted,
                room_message_posted_committed,
                sender=RoomMessage,
                message=message,
                actor=request.user,
                mentioned=[],
            )
        return redirect(request.path)
    messages = RoomMessage.objects.filter(room_id=room_id).select_related("author").order_by("id")
    context = {
        "room": membership.room,
        "messages": messages,
        "template": MESSAGE_TEMPLATE,
    }
    return HttpResponse(PAGE.render(context, request))


# The site's own patterns as they are (i18n_patterns may not sit in an included URLconf).
urlpatterns = [path("live-test/rooms/<int:room_id>/", room_page), *site_urlpatterns]
