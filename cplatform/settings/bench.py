"""`make bench`: the dev settings on PostgreSQL (DATABASE_URL) with DEBUG off, as a deployment runs."""

from .dev import *
from .env import env_list, env_str

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
LOGGING = {
    **LOGGING,
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
