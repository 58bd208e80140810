"""What a page shows when the guardian-consent gate refuses an action: the service's message plus a
link to where the person can act on it (the API carries the same reason as `code`)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from cplatform.exceptions import DomainError

from .models import User
from .selectors import CONSENT_REQUIRED, DATE_OF_BIRTH_REQUIRED, guardian_consent_require

# `code` → (URL name, link text). The student profile page lives in classroom; a URL name is no import.
NEXT_STEPS = {
    CONSENT_REQUIRED: ("guardians", lambda: _("Go to Family links")),
    DATE_OF_BIRTH_REQUIRED: ("student-profile-edit", lambda: _("Add your date of birth")),
}


def domain_error_message(exc: DomainError) -> str:
    """The refusal for a Django message: plain text, or (for the consent gate) text with a link.
    Messages keep their safe-HTML mark through the session or cookie storage."""
    step = NEXT_STEPS.get(getattr(exc, "code", None) or "")
    if step is None:
        return exc.detail
    url_name, text = step
    return format_html('{} <a href="{}">{}</a>', exc.detail, reverse(url_name), text())


def consent_notice(*, student: User, actor: User) -> str | None:
    """What a page shows before offering an action the consent gate would refuse for `student`
    (booked by `actor`): the same message and link the refusal would give, or None."""
    try:
        guardian_consent_require(student=student, actor=actor)
    except DomainError as exc:
        return domain_error_message(exc)
    return None
