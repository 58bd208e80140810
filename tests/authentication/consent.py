"""Students of a given age, with or without a guardian's consent, for the consent-gate tests."""

from datetime import date, timedelta

from authentication.services import guardian_accept, guardian_consent, guardian_invite
from classroom.models import StudentProfile
from tests.authentication.factories import ParentFactory, StudentFactory


def born_years_ago(years: int) -> date:
    """Turned `years` a month ago: that age whatever the server's and the site's zone say today."""
    today = date.today().replace(day=1) if date.today().day == 29 else date.today()
    return today.replace(year=today.year - years) - timedelta(days=30)


def set_birthday(user, born: date | None) -> None:
    StudentProfile.objects.filter(user=user).update(date_of_birth=born)
    user.refresh_from_db()


def link(parent, child, *, consent: bool = False):
    """An active guardian link (and the guardian's consent when asked)."""
    created = guardian_accept(
        link=guardian_invite(actor=parent, email=child.email, as_role="child"), actor=child
    )
    return guardian_consent(link=created, actor=parent) if consent else created


def child(*, age: int = 12, consent: bool = False, **kwargs):
    """A student of `age` with a linked parent who has (or has not yet) given consent: (child, parent)."""
    kid = StudentFactory(**kwargs)
    set_birthday(kid, born_years_ago(age))
    parent = ParentFactory()
    link(parent, kid, consent=consent)
    return kid, parent
