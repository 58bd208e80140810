"""The reference for `make bench`'s bare view: this project as `cplatform.settings.bench` configures
it (the same apps, URLconf, database and `/bench/ok/` view), but each request passes through Django's
default middleware only: the list `django-admin startproject` writes. bench/run.py serves it with a
second gunicorn (same worker count) and loads `/bench/ok/` on both, so the difference between the
two is what our middleware stack costs.

It is a WSGI module rather than a settings module because allauth refuses to start without its
AccountMiddleware in settings.MIDDLEWARE (allauth.account.apps): the apps are set up with the real
settings, then the handler is built with the default list.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cplatform.settings.bench")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

# Django 5.2's project template (django/conf/project_template/project_name/settings.py-tpl).
DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

settings.MIDDLEWARE = DEFAULT_MIDDLEWARE
application = WSGIHandler()
