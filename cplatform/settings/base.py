"""Settings shared by every environment. Safe for production: debug off, secrets from the environment."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from .env import email_settings_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# A frontend on another origin calls the API (and allauth's app endpoints) only from these origins:
# none by default. Token auth (X-Session-Token), so no cookies cross origins.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", [])
CORS_URLS_REGEX = r"^/(api/|_allauth/).*$"
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "x-session-token",
    "idempotency-key",
    "if-none-match",
)
CORS_EXPOSE_HEADERS = (
    "ETag",
    "Location",
    "Content-Language",
    "Idempotent-Replayed",
    "Retry-After",
)
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "cplatform"

INSTALLED_APPS = [
    # daphne before django.contrib.staticfiles: its `runserver` serves the ASGI application
    # (cplatform/asgi.py: pages, static files and WebSockets) in `make run`.
    "daphne",
    # Our apps first so their templates override the packages' ones.
    "cplatform",
    "catalog",
    "authentication",
    "home",
    "blog",
    "faq",
    "courses",
    "classroom",
    "inbox",
    "billing",
    "dashboards",
    "demo",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "authentication.apps.WagtailUsersConfig",  # wagtail.users with our user views (profile fields)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",  # the API docs' Swagger UI from our static files, not a CDN (CSP: script-src 'self')
    "csp",
    "corsheaders",
    "cplatform.admin_site.AdminConfig",  # django.contrib.admin, with cplatform/admin_site.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # the sitemap.xml template (cplatform.seo)
    "allauth",
    "allauth.account",
    "allauth.headless",
    "allauth.mfa",
    "postman",
    "djstripe",
    "django_q",
    "channels",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Links that leave the page (email sent while serving a request) use the request's address.
    "cplatform.api_http.RequestOriginMiddleware",
    # First after SecurityMiddleware: every response, early refusals (400, 429) included, gets the
    # Content-Security-Policy and Permissions-Policy headers.
    "cplatform.middleware.ContentSecurityPolicyMiddleware",
    # Before anything that may answer early, so refusals carry the CORS headers a browser needs.
    "cplatform.middleware.CorsMiddleware",  # django-cors-headers', with a short path for pages
    "cplatform.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cplatform.middleware.LocaleMiddleware",  # Django's, with a short path for our i18n_patterns
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # /api/: X-Session-Token (a bad one answers 401), the caller's language, JSON 404 / 405.
    "cplatform.api_middleware.ApiRequestMiddleware",
    "authentication.middleware.LoginRateLimitMiddleware",
    "authentication.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cplatform.urls"
WSGI_APPLICATION = "cplatform.wsgi.application"
ASGI_APPLICATION = "cplatform.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "authentication.context_processors.roles",
            ],
        },
    },
]

# Database: DATABASE_URL wins; each settings module chooses its own default.
DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        # A kept connection the server has closed (a PostgreSQL restart or failover, an idle
        # timeout) is noticed and replaced at the start of the next request, instead of failing it.
        conn_health_checks=True,
    )
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "authentication.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: reserves every authenticate() call under the login limits before a password is
    # checked, and stops it over them (authentication.login_limits). Authenticates nobody.
    "authentication.login_limits.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
# Every role lands on its home after login and sign-up (allauth's SIGNUP_REDIRECT_URL follows it);
# a `next` parameter still wins, and the adapter keeps the person's language (/es/dashboard/).
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

# Internationalisation: English and Spanish; public pages carry a language prefix (none for English).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
WAGTAIL_I18N_ENABLED = True
# A new translation starts as a draft and goes through the review like any page (by default
# wagtail-localize publishes it at once, untranslated, when its source is live).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Natural dates per language ("lunes, 7 de diciembre de 2026, 14:00"); see cplatform/formats.
FORMAT_MODULE_PATH = ["cplatform.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Course material files: never under MEDIA_ROOT; served only by a view that checks enrolment.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private-media")))
# Files sent with direct and room messages (inbox/attachments/validators.py).
INBOX_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
INBOX_ATTACHMENT_MAX_FILES = 3
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SITE_ID = 1

# Cache and job broker: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# WebSocket pushes (inbox/live) between processes: Redis when REDIS_URL is set; otherwise in memory,
# so only the process that serves the sockets (the web process of `make run`) can push to them.
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

Q_CLUSTER = {
    "name": "cplatform",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 60,
    "retry": 120,  # must exceed timeout, or a slow task runs twice
    "max_attempts": 3,
    "catch_up": False,
    "ack_failures": True,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# Email: every message is written to the outbox in the sender's transaction and sent after the
# commit by a django-q2 task with EMAIL_DELIVERY_BACKEND; a sweep sends what a dead worker left.
EMAIL_BACKEND = "cplatform.mail.OutboxEmailBackend"
EMAIL_OUTBOX_GRACE_SECONDS = 60  # a pending row this old is the sweep's (the task usually sent it)
EMAIL_OUTBOX_MAX_ATTEMPTS = 5  # failed deliveries before a message is marked failed
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    _email = email_settings_from_url(EMAIL_URL)
    EMAIL_DELIVERY_BACKEND = _email.pop("EMAIL_BACKEND")
    globals().update(_email)
else:
    EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cplatform <no-reply@cplatform.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# allauth: email is the login; no username field exists on our user model.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "authentication.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "authentication.forms.SignupExtraForm"
# Failed logins are limited by authentication.login_limits wherever a password is checked
# (LOGIN_FAILURE_*); allauth's own counter would answer 400 on its doors only, with its own window.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
HEADLESS_ONLY = False
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": "/auth/confirm-email/{key}/",
    "account_reset_password_from_key": "/auth/password/reset/key/{key}/",
    "account_signup": "/auth/register/",
}
# allauth's own OpenAPI document of the headless API (sign-up, login, email verification …) at
# /_allauth/openapi.json (.yaml, .html), behind the same guard as ours (API_DOCS_PUBLIC; see
# cplatform/api_docs.py). Its page is Swagger UI from our static files, not allauth's CDN template.
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "headless/spec/swagger.html"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]

# Failed password checks within the window before every login door (web, headless, both admins),
# reauthentication and password change answers 429: per account from one address, per account from
# all addresses, per address over all accounts.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 50)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 300)

# The client's address (login limits, allauth's rate limits) behind reverse proxies: the number of
# proxies in front of the site that append to X-Forwarded-For (1 behind one nginx). 0 trusts no
# header, so behind a proxy every visitor would count as the proxy's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Wagtail
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILUSERS_PASSWORD_ENABLED = True

# django-postman (direct messages). Its rows and managers hold the messages; every write goes
# through inbox/messaging/services.py under the one rule (inbox/rules.py), and postman's own views
# and URLs are not mounted (had they been, their `exchange_filter` view argument would be
# inbox.rules.exchange_filter: postman has no setting for it). Allowed exchanges are accepted at once.
POSTMAN_AUTO_MODERATE_AS = True
POSTMAN_DISALLOW_ANONYMOUS = True
POSTMAN_DISALLOW_MULTIRECIPIENTS = True
POSTMAN_DISALLOW_COPIES_ON_REPLY = True
# Its own emails are off: notifications go through the outbox (cplatform's mail module). The
# notifier and mailer apps (pinax-notifications, django-mailer) are not used at all.
POSTMAN_DISABLE_USER_EMAILING = True
POSTMAN_NOTIFIER_APP = None
POSTMAN_MAILER_APP = None
# Recipients are named by user id, never by email, and shown by the name people see elsewhere
# (User.name: display name, else full name).
POSTMAN_NAME_USER_AS = "pk"
POSTMAN_SHOW_USER_AS = "name"

# dj-stripe: an integration that turns on with its keys; dummy test-mode keys keep its checks quiet.
STRIPE_LIVE_MODE = env_bool("STRIPE_LIVE_MODE", False)
STRIPE_TEST_SECRET_KEY = env_str("STRIPE_TEST_SECRET_KEY", "sk_test_" + "0" * 24)
STRIPE_LIVE_SECRET_KEY = env_str("STRIPE_LIVE_SECRET_KEY", "sk_live_" + "0" * 24)
STRIPE_PUBLIC_KEY = env_str("STRIPE_PUBLIC_KEY", "")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
# Stripe webhooks are stored by dj-stripe's endpoint and processed by a django-q2 task (billing).
DJSTRIPE_WEBHOOK_EVENT_CALLBACK = "billing.stripe.webhooks.enqueue_event"

# Billing: the platform's share of what teachers earn, and how long a manual invoice is open.
BILLING_COMMISSION_PERCENT = env_str("BILLING_COMMISSION_PERCENT", "20")
BILLING_MANUAL_PAYMENT_DAYS = env_int("BILLING_MANUAL_PAYMENT_DAYS", 7)

# API
API_DOCS_PUBLIC = env_bool("API_DOCS_PUBLIC", True)
API_MAX_PAGE_SIZE = 100

# Security defaults that hold everywhere.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the headless browser flow reads it for X-CSRFToken
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp through cplatform.middleware.ContentSecurityPolicyMiddleware).
# Public and member pages: scripts, styles, fonts and images only from the site itself; an inline
# <script> or <style> needs the request's nonce (`{{ request.csp_nonce }}`), inline event handlers and
# style="" attributes are refused. JSON-LD blocks are data, not scripts: CSP leaves them alone.
# Players the video block embeds are the only frames; forms post to the site (and Stripe Checkout,
# which Chromium checks on the redirect after a form). CSP_REPORT_URI: where browsers report
# violations (unset: nowhere).
_csp_report_uri = env_str("CSP_REPORT_URI")
VIDEO_EMBED_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
_csp_report = {"report-uri": [_csp_report_uri]} if _csp_report_uri else {}
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "frame-src": VIDEO_EMBED_ORIGINS,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, "https://checkout.stripe.com"],
        **_csp_report,
    }
}
# Wagtail's admin (and the previews it serves under /admin/) gets its own, enforced policy: Wagtail 8
# has no CSP nonce support and writes inline scripts (panels, date widgets) and inline styles (its
# vendor.js), so scripts and styles may be inline there, still only from the site itself; editors
# also see Gravatar pictures and the dashboard's release check. Django's admin (/django-admin/)
# runs under the strict policy.
CONTENT_SECURITY_POLICY_ADMIN = {
    "PATH_PREFIXES": ("/admin/",),
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "www.gravatar.com"],
        "connect-src": [SELF, "https://releases.wagtail.org"],
        "frame-src": [SELF, *VIDEO_EMBED_ORIGINS],
        "form-action": [SELF],
    },
}

# Permissions-Policy (set by cplatform.middleware.ContentSecurityPolicyMiddleware), on every response: no page
# of ours uses these devices or APIs (video calls and payments open on their providers' sites), so
# neither may anything a page embeds. Autoplay, fullscreen and picture-in-picture stay for players.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # daphne's runserver access log: once (it would also reach Django's own "django" handler).
        "django.channels.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Paying for lessons and courses (issue 14; classroom and courses decide what is due, billing collects).
# A priced 1:1 lesson is booked held (awaiting payment) when this is on; off: booked at once.
LESSON_PAYMENT_REQUIRED = env_bool("LESSON_PAYMENT_REQUIRED", True)
# Minutes a held booking keeps its slot before it expires unpaid (at most until the lesson starts).
LESSON_HOLD_MINUTES = env_int("LESSON_HOLD_MINUTES", 30)
# The page a held booking goes to for payment (reversed with the lesson's id; billing provides it).
LESSON_PAYMENT_URL_NAME = env_str("LESSON_PAYMENT_URL_NAME", "billing-lesson-pay")
# Hours a pending enrolment of a paid course keeps its seat before it is released unpaid.
ENROLLMENT_PAYMENT_HOURS = env_int("ENROLLMENT_PAYMENT_HOURS", 48)

# Billing, front (issue 14): the bank details a manual (bank transfer) invoice tells the payer to use
# (several lines: account holder, IBAN, BIC). Empty: the page says the school tells them where to pay.
BILLING_BANK_DETAILS = env_str("BILLING_BANK_DETAILS", "").replace("\\n", "\n")
# Payment reminders of open manual invoices (billing/papers/reminders.py, an hourly schedule): one
# this many days before the due date (0: none), and one the day after it if still unpaid.
BILLING_REMINDER_DAYS_BEFORE = env_int("BILLING_REMINDER_DAYS_BEFORE", 3)

# Analytics (dashboards/analytics): days are counted in the school's time zone; people with no lesson
# and no sign-in for ANALYTICS_AT_RISK_DAYS days are "at risk"; public page views are counted in the
# cache and flushed to the database every ANALYTICS_FLUSH_MINUTES minutes by a django-q2 schedule.
SCHOOL_TIME_ZONE = env_str("SCHOOL_TIME_ZONE", "UTC")
ANALYTICS_AT_RISK_DAYS = env_int("ANALYTICS_AT_RISK_DAYS", 14)
ANALYTICS_FLUSH_MINUTES = env_int("ANALYTICS_FLUSH_MINUTES", 5)
# Today's students at risk (the admin dashboard's tile) is counted by a schedule every
# ANALYTICS_SNAPSHOT_MINUTES and shown "as of" its time while younger than twice that.
ANALYTICS_SNAPSHOT_MINUTES = env_int("ANALYTICS_SNAPSHOT_MINUTES", 10)
# Innermost: sees request.user and the final status (see dashboards/analytics/middleware.py).
MIDDLEWARE = [*MIDDLEWARE, "dashboards.analytics.middleware.AnalyticsMiddleware"]
