"""Cached answers that stay right: each is stored under a key that includes a *version*, and the
rows it was built from move that version when they change, so the next request builds it again.

    version = cache_versions.current("teacher-search-version")
    key = f"teacher-search:{language}:{version}:{query}"
    ...
    post_save.connect(cache_versions.mover("teacher-search-version"), sender=TeacherProfile)

`move` acts at once and again when the transaction commits: a request that read the old rows in
between would otherwise store them under the new version. The version never expires; the answers
it keys carry their own timeout as a safety net.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> str:
    """The version stored under `key` (a new one if there is none yet, agreed with the other
    processes through `cache.add`)."""
    value = cache.get(key)
    if value is None:
        value = uuid.uuid4().hex[:12]
        if not cache.add(key, value, None):
            value = cache.get(key) or value
    return value


def move(key: str) -> None:
    """Every answer cached under the current version of `key` is stale from now on (and again at
    commit)."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def mover(key: str, *, unless: Callable[..., bool] | None = None) -> Callable[..., None]:
    """A signal receiver that moves `key`'s version, except when `unless(**signal_kwargs)` says the
    change does not matter (a login saving `last_login` only, for instance)."""

    def receiver(sender=None, **kwargs) -> None:
        if unless is not None and unless(sender=sender, **kwargs):
            return
        move(key)

    receiver.__qualname__ = f"move {key!r}"
    return receiver
