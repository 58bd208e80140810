from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils import translation

from cplatform.api_http import absolute_url


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
        language = getattr(request.user, "language", None)
        if url == settings.LOGIN_REDIRECT_URL and language in dict(settings.LANGUAGES):
            # LOGIN_REDIRECT_URL is the English (unprefixed) address: resolve it as English, whether
            # the login page was English or /es/ (resolved in Spanish it would not match).
            with translation.override(settings.LANGUAGE_CODE):
                return translate_url(url, language)
        return url
