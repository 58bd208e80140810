"""Facts about chat rooms that other parts of the inbox act on (live pushes, mention
notifications). Each event is a pair (see cplatform/signals.py): `<event>` inside the transaction
that writes it, `<event>_committed` after the commit. The sender is the model class.
"""

from django.dispatch import Signal

# A message was posted in a room. Sent with `message` (the RoomMessage), `actor` (who posted it) and
# `mentioned` (the ids of the members it mentions).
room_message_posted = Signal()
room_message_posted_committed = Signal()
