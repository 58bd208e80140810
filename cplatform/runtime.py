"""What a serving process does once its application is loaded (cplatform/wsgi.py, cplatform/asgi.py).

Python's cyclic garbage collector walks every tracked object in a full (oldest-generation)
collection. A loaded Django + Wagtail process holds ~400,000 of them, so each full collection cost
the admin dashboard ~250–330 ms on the bench's large seed, and one came every few requests as a
request's short-lived rows were promoted: its p95 was the collector's, not the page's. So, as
Instagram and gunicorn's own advice do:

- `gc.freeze()` moves what exists after start-up (modules, URL patterns, settings, the model
  registry) to a permanent generation that collections no longer walk;
- a larger first-generation threshold lets a request's rows (query results, template nodes) die
  young instead of being promoted, and the older generations are collected less often.

Reference cycles are still collected; only how often the collector runs changes."""

import gc

GC_THRESHOLDS = (50_000, 20, 10)  # Python's defaults: (700, 10, 10)


def tune_garbage_collector() -> None:
    """Freeze the objects made at start-up and raise the young generation's threshold; not in the
    test suite, whose processes import the entry points between tests (settings.TESTING)."""
    from django.conf import settings

    if getattr(settings, "TESTING", False):
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
