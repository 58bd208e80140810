from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from cplatform.api_http import absolute_url
from cplatform.i18n_urls import localized_url


class AccountAdapter(DefaultAccountAdapter):
    """allauth glue: emails are stored lowercase (case-insensitive login), and after logging in a
    person lands on the site in their own preferred language."""

    def send_mail(self, template_prefix, email, context):
        # The emails name the site by its domain ("register an account on …"): the address the
        # person used, like their links, not the Django Site row written from SITE_URL.
        site = get_current_site(self.request)
        domain = urlsplit(absolute_url("/", self.request)).netloc
        context = {**context, "current_site": SimpleNamespace(name=site.name, domain=domain)}
        return super().send_mail(template_prefix, email, context)

    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()

    def get_login_redirect_url(self, request) -> str:
        url = super().get_login_redirect_url(request)
        # A login from a page in another language than the default (/es/…) goes on in that
        # language: the visitor chose it. From an unprefixed page the person's saved language
        # decides; someone not signed in yet (confirming their email logs them in afterwards)
        # goes on in the language of the page they are on.
        active = translation.get_language()
        language = (
            active
            if active != settings.LANGUAGE_CODE
            else getattr(request.user, "language", None) or active
        )
        if url == settings.LOGIN_REDIRECT_URL and language in dict(settings.LANGUAGES):
            return localized_url(url, language)
        return url

    def get_signup_redirect_url(self, request) -> str:
        """After signing up (and confirming the email, which resumes the sign-up's login), a
        person goes on in the language of the sign-up page."""
        return localized_url(super().get_signup_redirect_url(request))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """The link in the confirmation email opens the page in the language the email is written
        in (the sign-up page's): allauth builds it from HEADLESS_FRONTEND_URLS, which has no
        language prefix."""
        return _in_active_language(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key) -> str:
        return _in_active_language(super().get_reset_password_from_key_url(key))


def _in_active_language(url: str) -> str:
    parts = urlsplit(url)
    path = localized_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))
    return urlunsplit((parts.scheme, parts.netloc, *urlsplit(path)[2:]))
