from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import translate_url
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """allauth glue: emails are stored lowercase (case-insensitive login), and after logging in a
    person lands on the site in their own preferred language."""

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
