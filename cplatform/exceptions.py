"""The one domain error base class. The API turns it into JSON, forms into a field message."""


class DomainError(Exception):
    """A rule of the domain refused the action. Carries an HTTP status for interfaces to use, and
    optionally a stable `code` that clients branch on (never on the English of `detail`)."""

    status_code = 400
    default_detail = "The request could not be completed."

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: dict[str, list[str]] | None = None,
        code: str | None = None,
    ):
        self.detail = str(detail or self.default_detail)
        self.errors = {field: [str(m) for m in msgs] for field, msgs in (errors or {}).items()}
        self.code = code
        super().__init__(self.detail)


class ValidationFailed(DomainError):
    status_code = 400
    default_detail = "Some fields are not valid."


class NotFound(DomainError):
    """A missing object, or one the person may not see: both answer the same."""

    status_code = 404
    default_detail = "Not found."


class PermissionDenied(DomainError):
    status_code = 403
    default_detail = "You do not have permission to do this."


class Conflict(DomainError):
    status_code = 409
    default_detail = "This conflicts with the current state."


def refused(*, visible: bool, detail: str | None = None) -> DomainError:
    """What a service raises for an actor who may not do this to an object: NotFound when they may
    not even see it (a forbidden object answers exactly like a missing one), PermissionDenied (with
    `detail`) when they see it but may not act on it."""
    return PermissionDenied(detail) if visible else NotFound()
