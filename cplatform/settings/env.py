"""Reading configuration from the environment, the one place that does it."""

import os
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in TRUE


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value in (None, ""):
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name: str) -> str:
    value = os.environ.get(name)
    if value in (None, ""):
        raise ImproperlyConfigured(
            f"The environment variable {name} is required by these settings."
        )
    return value


def email_settings_from_url(url: str) -> dict:
    """Turn EMAIL_URL into settings.

    `smtp://user:pass@host:587` (STARTTLS unless `?tls=0`), `smtps://user:pass@host:465` (implicit TLS),
    `console://`, `locmem://`. Escape reserved characters in the user and password (`%40` for `@`).
    `?timeout=` sets the SMTP timeout in seconds (default 30, so a stuck server cannot hang a worker).
    """
    parsed = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    scheme = parsed.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {scheme!r} is not supported (smtp, smtps, console, locmem)."
        )
    try:
        port = parsed.port
        timeout = int(query.get("timeout", "30"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL is malformed: {exc}") from None
    implicit_tls = scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": port or (465 if implicit_tls else 587),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_USE_TLS": not implicit_tls and query.get("tls", "1").lower() in TRUE,
        "EMAIL_TIMEOUT": timeout,
    }
