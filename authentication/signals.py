"""Facts the authentication app announces; other apps listen (e.g. classroom creates profiles)."""

from django.dispatch import Signal

# Sent after a role is granted: kwargs `user`, `role`.
role_granted = Signal()
