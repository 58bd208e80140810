"""What happens in chat rooms, for the rest of the inbox (live pushes over WebSocket, notifications of
mentions). Each event is a pair (cplatform/signals.py): `<event>` inside the transaction that writes
it, `<event>_committed` after the commit. The sender is the model class."""

from django.dispatch import Signal

# A message was posted in a room. Sent with `message` (a RoomMessage), `actor` (its author) and
# `mentioned` (the user ids of the members it mentions, the author never among them).
room_message_posted = Signal()
room_message_posted_committed = Signal()

# A member's read marker moved forward (a page, a poll, the API or a live socket showed them
# messages). Sent with `room` and `user` (the reader); their unread counts changed.
room_read_moved = Signal()
room_read_moved_committed = Signal()
