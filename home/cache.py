"""Version tokens for what the public site caches; `home.signals` replaces a token when something
the cached output shows changes, so old entries are never read again and expire after TIMEOUT.

- "chrome": the header brand and main menu, the footer, the Site lookup and the head's site-wide
  part (Organization JSON-LD, default share image, X handle). Moves on page publish / unpublish /
  move / delete, menu publish / unpublish / delete (not a draft), site settings, Site and image
  changes.
- "content": page bodies (home and landing page sections, a blog post and its related posts, the
  blog's listing), each page's head (site_tags: hreflang, share image, JSON-LD) and language links.
  Moves with "chrome", and also when a teacher, a testimonial (published, unpublished, deleted; not
  a draft), an image, a blog author, category
  or tag changes (teacher and testimonial blocks read them live; posts show authors and tags).

Versions rather than deleting keys: the fragments vary by site, language, signed-in state and page,
and a new version reaches them all at once (in every process, with Redis as the cache)."""

from __future__ import annotations

import uuid

from django.core.cache import cache

CHROME = "chrome"
CONTENT = "content"
TIMEOUT = 60 * 60  # a safety net; changes move the version at once


def _key(scope: str) -> str:
    return f"site-cache-version:{scope}"


def version(scope: str = CHROME) -> str:
    value = cache.get(_key(scope))
    if value is None:
        value = uuid.uuid4().hex[:12]
        # add, not set: two processes starting together agree on one version
        if not cache.add(_key(scope), value, None):
            value = cache.get(_key(scope)) or value
    return value


def bump(*scopes: str) -> None:
    for scope in scopes or (CHROME, CONTENT):
        cache.set(_key(scope), uuid.uuid4().hex[:12], None)
