"""The channel-layer groups the live consumers join (names: ASCII letters, digits, -, _ and .)."""


def room_group(room_id: int) -> str:
    """Every open socket of a room (`ws/rooms/<id>/`)."""
    return f"room-{room_id}"


def user_group(user_id: int) -> str:
    """Every open socket of a person (their rooms and `ws/me/`)."""
    return f"user-{user_id}"
