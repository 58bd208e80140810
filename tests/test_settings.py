"""Configuration comes from the environment; production refuses to start half-configured.

Settings modules are evaluated in a subprocess with a controlled environment: a module is imported
once per process, and the test process itself runs `cplatform.settings.test`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cplatform.settings.env import email_settings_from_url

ROOT = Path(__file__).resolve().parent.parent
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"

PRODUCTION_ENV = {
    "SECRET_KEY": "q9V-2mZr7tLw0xYk4HcP8sJd6fNb1gAe5uRi3oTy_KvXzQpMnBL",
    "ALLOWED_HOSTS": "cplatform.example.org,www.cplatform.example.org",
    "DATABASE_URL": "postgres://cplatform:secret@db.example.org:5432/cplatform",
    "REDIS_URL": "redis://redis.example.org:6379/1",
    "EMAIL_URL": "smtp://mailer:secret@smtp.example.org:587",
}


def controlled_env(**variables: str | None) -> dict[str, str]:
    """Only what a process needs to run plus the given variables: nothing leaks in from the shell."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
    }
    env.update({name: value for name, value in variables.items() if value is not None})
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def settings_of(module: str, env: dict[str, str], code: str = "") -> dict:
    """Load `module` in a fresh interpreter and return the settings the tests look at."""
    script = (
        "import json, django\n"
        "from django.conf import settings\n"
        "out = {'DATABASES': settings.DATABASES, 'Q_CLUSTER': settings.Q_CLUSTER, 'CACHES': settings.CACHES,\n"
        "       'EMAIL_BACKEND': settings.EMAIL_BACKEND, 'EMAIL_DELIVERY_BACKEND': settings.EMAIL_DELIVERY_BACKEND,\n"
        "       'EMAIL_HOST': settings.EMAIL_HOST, 'EMAIL_PORT': settings.EMAIL_PORT, 'DEBUG': settings.DEBUG,\n"
        "       'ALLOWED_HOSTS': settings.ALLOWED_HOSTS}\n"
        f"{code}\n"
        "print(json.dumps(out, default=str))\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": module},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- production -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"]
)
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = controlled_env(**{**PRODUCTION_ENV, missing: None})

    result = manage("check", "--settings=cplatform.settings.production", env=env)

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert missing in result.stderr.splitlines()[-1]


def test_production_refuses_an_allowed_hosts_list_without_a_host():
    result = manage(
        "check",
        "--settings=cplatform.settings.production",
        env=controlled_env(**{**PRODUCTION_ENV, "ALLOWED_HOSTS": " , "}),
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: ALLOWED_HOSTS must name at least one host" in result.stderr


def test_production_refuses_a_database_that_is_not_postgresql():
    env = controlled_env(**{**PRODUCTION_ENV, "DATABASE_URL": "sqlite:////tmp/cplatform.sqlite3"})

    result = manage("check", "--settings=cplatform.settings.production", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL must point at PostgreSQL" in result.stderr


def test_production_refuses_to_print_email_to_the_console():
    env = controlled_env(**{**PRODUCTION_ENV, "EMAIL_URL": "console://"})

    result = manage("check", "--settings=cplatform.settings.production", env=env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: Production sends email over SMTP" in result.stderr


def test_production_check_deploy_reports_no_issues_when_everything_is_set():
    result = manage(
        "check",
        "--deploy",
        "--settings=cplatform.settings.production",
        env=controlled_env(**PRODUCTION_ENV),
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_production_accepts_smtp_variables_instead_of_email_url():
    env = controlled_env(
        **{
            **PRODUCTION_ENV,
            "EMAIL_URL": None,
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "2525",
        }
    )

    loaded = settings_of("cplatform.settings.production", env)

    assert loaded["EMAIL_DELIVERY_BACKEND"] == SMTP
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"]) == ("smtp.example.org", 2525)
    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == ["cplatform.example.org", "www.cplatform.example.org"]


def test_production_uses_redis_for_the_cache_and_the_job_broker():
    code = (
        "django.setup()\n"
        "from django_q.brokers import get_broker\n"
        "broker = get_broker()\n"
        "out['broker'] = type(broker).__name__\n"
        "out['broker_host'] = broker.connection.connection_pool.connection_kwargs['host']\n"
    )

    loaded = settings_of("cplatform.settings.production", controlled_env(**PRODUCTION_ENV), code)

    assert loaded["broker"] == "Redis"
    assert loaded["broker_host"] == "redis.example.org"
    assert loaded["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert loaded["CACHES"]["default"]["LOCATION"] == PRODUCTION_ENV["REDIS_URL"]


# --- dev and the job queue --------------------------------------------------------------------


def test_dev_reads_database_url():
    env = controlled_env(DATABASE_URL="postgres://someone:pw@db.internal:6543/cplatform_dev")

    database = settings_of("cplatform.settings.dev", env)["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"]) == (
        "cplatform_dev",
        "db.internal",
        6543,
    )
    assert (database["USER"], database["PASSWORD"]) == ("someone", "pw")


def test_dev_falls_back_to_sqlite_and_console_email_without_configuration():
    loaded = settings_of("cplatform.settings.dev", controlled_env())

    assert loaded["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["DATABASES"]["default"]["NAME"].endswith("db.sqlite3")
    assert loaded["EMAIL_BACKEND"] == "cplatform.mail.OutboxEmailBackend"
    assert loaded["EMAIL_DELIVERY_BACKEND"] == CONSOLE
    assert loaded["DEBUG"] is True


def test_dev_sends_smtp_when_email_url_says_so():
    loaded = settings_of(
        "cplatform.settings.dev", controlled_env(EMAIL_URL="smtp://mailhog:1025?tls=0")
    )

    assert loaded["EMAIL_DELIVERY_BACKEND"] == SMTP
    assert (loaded["EMAIL_HOST"], loaded["EMAIL_PORT"]) == ("mailhog", 1025)


def test_the_job_queue_uses_the_database_without_redis_url():
    code = "django.setup()\nfrom django_q.brokers import get_broker\nout['broker'] = type(get_broker()).__name__\n"

    loaded = settings_of("cplatform.settings.dev", controlled_env(), code)

    assert loaded["Q_CLUSTER"]["orm"] == "default"
    assert "redis" not in loaded["Q_CLUSTER"]
    assert loaded["broker"] == "ORM"
    assert loaded["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_the_job_queue_uses_redis_when_redis_url_is_set():
    loaded = settings_of(
        "cplatform.settings.dev", controlled_env(REDIS_URL="redis://127.0.0.1:6390/2")
    )

    assert loaded["Q_CLUSTER"]["redis"] == "redis://127.0.0.1:6390/2"
    assert "orm" not in loaded["Q_CLUSTER"]


def test_a_task_is_retried_only_after_its_timeout():
    # django-q2 hands a task to another worker after `retry` seconds: a shorter retry runs slow tasks twice.
    assert settings.Q_CLUSTER["retry"] > settings.Q_CLUSTER["timeout"]


def test_tests_run_tasks_inline_and_keep_email_in_memory():
    assert settings.Q_CLUSTER["sync"] is True
    assert settings.EMAIL_DELIVERY_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


# --- EMAIL_URL --------------------------------------------------------------------------------


def test_email_url_smtp_uses_starttls_on_587_by_default():
    parsed = email_settings_from_url("smtp://mailer:s3cret@smtp.example.org")

    assert parsed["EMAIL_BACKEND"] == SMTP
    assert (parsed["EMAIL_HOST"], parsed["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert (parsed["EMAIL_HOST_USER"], parsed["EMAIL_HOST_PASSWORD"]) == ("mailer", "s3cret")
    assert (parsed["EMAIL_USE_TLS"], parsed["EMAIL_USE_SSL"]) == (True, False)
    assert parsed["EMAIL_TIMEOUT"] == 30


def test_email_url_smtp_can_turn_tls_off_and_set_port_and_timeout():
    parsed = email_settings_from_url("smtp://localhost:1025?tls=0&timeout=5")

    assert (parsed["EMAIL_HOST"], parsed["EMAIL_PORT"]) == ("localhost", 1025)
    assert (parsed["EMAIL_USE_TLS"], parsed["EMAIL_USE_SSL"]) == (False, False)
    assert (parsed["EMAIL_HOST_USER"], parsed["EMAIL_HOST_PASSWORD"]) == ("", "")
    assert parsed["EMAIL_TIMEOUT"] == 5


def test_email_url_smtps_uses_implicit_tls_on_465():
    parsed = email_settings_from_url("smtps://apikey:abc@smtp.example.org")

    assert parsed["EMAIL_PORT"] == 465
    assert (parsed["EMAIL_USE_TLS"], parsed["EMAIL_USE_SSL"]) == (False, True)


def test_email_url_decodes_escaped_credentials():
    parsed = email_settings_from_url(
        "smtp://no-reply%40example.org:p%40ss%3Aw%2Frd@smtp.example.org:2587"
    )

    assert parsed["EMAIL_HOST_USER"] == "no-reply@example.org"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p@ss:w/rd"
    assert parsed["EMAIL_PORT"] == 2587


@pytest.mark.parametrize(
    ("url", "backend"),
    [("console://", CONSOLE), ("locmem://", "django.core.mail.backends.locmem.EmailBackend")],
)
def test_email_url_names_a_local_backend(url, backend):
    assert email_settings_from_url(url) == {"EMAIL_BACKEND": backend}


@pytest.mark.parametrize(
    "url", ["imap://mail.example.org", "smtp://mail.example.org:port", "smtp://h?timeout=soon"]
)
def test_email_url_that_cannot_work_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        email_settings_from_url(url)
