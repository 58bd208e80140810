"""Production: refuses to start without its required variables; passes `check --deploy` cleanly."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False
IS_PRODUCTION = True  # demo data and other dev-only tools refuse to run
SECRET_KEY = env_required("SECRET_KEY")

env_required("ALLOWED_HOSTS")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host (comma-separated).")

env_required("DATABASE_URL")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL (postgres://…) in production."
    )

# The cache and the job broker: without Redis each worker process would keep its own cache and
# the login rate limit would not hold across processes.
env_required("REDIS_URL")

if not (env_str("EMAIL_URL") or env_str("EMAIL_HOST")):
    raise ImproperlyConfigured(
        "The environment variable EMAIL_URL (smtp://user:pass@host:587) or EMAIL_HOST is required by these settings."
    )
if EMAIL_DELIVERY_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
    raise ImproperlyConfigured(
        "Production sends email over SMTP: EMAIL_URL must be smtp:// or smtps://."
    )
if not EMAIL_URL:
    EMAIL_TIMEOUT = 30  # EMAIL_URL sets its own; a stuck SMTP server must not hang a worker

# Served behind a reverse proxy that terminates TLS. Set TRUSTED_PROXY_COUNT to the number of proxies
# in front (1 behind one nginx), or every visitor counts as the proxy's address for the login limits.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's preview panel frames our pages; its preview views set SAMEORIGIN themselves.
X_FRAME_OPTIONS = "DENY"
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", False)
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# Wagtail's "database" backend picks the engine of the default database when it starts
# (modelsearch/backends/database/__init__.py: SearchBackend() returns PostgresSearchBackend when
# connection.vendor == "postgresql"): PostgreSQL full-text search (tsvector index entries, ts_rank)
# here, SQLite FTS5 in dev. One text-search configuration for both languages, named so it does not
# depend on the cluster's default_text_search_config; after changing it run `manage.py update_index`.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}
}
