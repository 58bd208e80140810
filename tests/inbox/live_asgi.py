"""The project's ASGI application as tests/e2e/test_rooms_live.py serves it with daphne in a
subprocess: on the test database (DATABASE_URL, given by the test), with static files and the
suite's clock (TEST_NOW, tests/clock.py)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cplatform.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
django.setup()

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from tests.clock import suite_instant  # noqa: E402

_instant = suite_instant()
if _instant is not None:
    import time_machine

    time_machine.travel(_instant, tick=True).start()

from cplatform.asgi import application as _application  # noqa: E402

application = ASGIStaticFilesHandler(_application)
