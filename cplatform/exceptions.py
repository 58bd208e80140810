"""The one domain error base class. The API turns it into JSON, forms into a field message."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .error_codes import CODES


class DomainError(Exception):
    """A rule of the domain refused the action. Carries an HTTP status for interfaces to use, and a
    stable `code` that clients branch on (never on the English of `detail`): the class's default
    code unless the raise names one (every code is listed in `cplatform.error_codes.CODES`)."""

    status_code = 422
    default_detail = _("The request could not be completed.")
    default_code = "invalid"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: dict[str, list[str]] | None = None,
        code: str | None = None,
    ):
        self.detail = str(detail or self.default_detail)
        self.errors = {field: [str(m) for m in msgs] for field, msgs in (errors or {}).items()}
        self.code = code or self.default_code
        if self.code not in CODES:
            raise ValueError(
                f"Unknown error code {self.code!r}: list it in cplatform/error_codes.py"
            )
        super().__init__(self.detail)


class ValidationFailed(DomainError):
    """Input that does not satisfy a rule (422, like input that does not match the schema)."""

    status_code = 422
    default_detail = _("Some fields are not valid.")


class InvalidQuery(DomainError):
    """A query parameter is well-formed but names nothing this operation serves (an unknown subject
    slug, a lesson length the teacher does not offer, a window wider than a list serves): 422, as a
    value the schema refuses, never an empty answer that reads as "nothing there"."""

    status_code = 422
    default_detail = "The request is not valid."


class NotFound(DomainError, Http404):
    """A missing object, or one the person may not see: both answer the same. An Http404 too, so an
    HTML view lets it through to Django's 404 page; the API's DomainError handler comes first in its
    MRO and answers the usual JSON (`code` "not_found")."""

    status_code = 404
    default_detail = _("Not found.")
    default_code = "not_found"


class PermissionDenied(DomainError):
    status_code = 403
    default_detail = _("You do not have permission to do this.")
    default_code = "permission_denied"


class Conflict(DomainError):
    status_code = 409
    default_detail = _("This conflicts with the current state.")


def refused(*, visible: bool, detail: str | None = None) -> DomainError:
    """What a service raises for an actor who may not do this to an object: NotFound when they may
    not even see it (a forbidden object answers exactly like a missing one), PermissionDenied (with
    `detail`) when they see it but may not act on it."""
    return PermissionDenied(detail) if visible else NotFound()
