"""The test suite: PostgreSQL from DATABASE_URL (make test starts one), locmem email, inline tasks."""

import os

import dj_database_url

from .base import *

DEBUG = False
TESTING = True  # the test-only switches (SCHEDULING_BOOKING_LOCK …) may be off: cplatform/checks.py
SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:54329/cplatform"),
        conn_max_age=0,
    )
}
# make test migrates one template database (scripts/test-db-template) and each worker's test
# database is created as a copy of it, instead of each migrating from nothing.
if os.environ.get("TEST_DB_TEMPLATE"):
    DATABASES["default"]["TEST"] = {"TEMPLATE": os.environ["TEST_DB_TEMPLATE"]}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "cplatform.mail.OutboxEmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
# A real `manage.py qcluster` started by tests/test_outbox_worker.py (against the test database):
# tasks go through the queue, and mail is written to files the test reads.
OUTBOX_TEST_MAIL_DIR = os.environ.get("OUTBOX_TEST_MAIL_DIR")
if OUTBOX_TEST_MAIL_DIR:
    Q_CLUSTER = {**Q_CLUSTER, "sync": False, "poll": 0.1, "guard_cycle": 0.1}
    EMAIL_DELIVERY_BACKEND = "tests.outbox_delivery.SlowFileBackend"
    EMAIL_FILE_PATH = OUTBOX_TEST_MAIL_DIR
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Each pytest-xdist worker (PYTEST_XDIST_WORKER=gw0, gw1 …; make test) writes its own files, as it
# uses its own database: no test reads or deletes what a test on another worker wrote.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
MEDIA_ROOT = BASE_DIR / ".cache" / "test-media" / _WORKER
PRIVATE_MEDIA_ROOT = BASE_DIR / ".cache" / "test-private-media" / _WORKER
WAGTAILSEARCH_BACKENDS = {  # as production.py: PostgreSQL full-text search
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
