from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """allauth glue: emails are stored lowercase so the login is case-insensitive."""

    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()
