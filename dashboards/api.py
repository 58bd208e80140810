"""`GET /me/summary`: the caller's role homes in one request (the same selectors as /dashboard/)."""

from ninja import Router

from authentication.api_auth import auth_for
from cplatform.api_base import errors

from . import selectors
from .schemas import SummaryOut

router = Router(tags=["me"])


@router.get("/me/summary", response={200: SummaryOut, **errors(401)}, auth=auth_for())
def retrieve_summary(request):
    """What the caller's home shows, one part per role they hold: a student's next lessons,
    homework due, courses with progress and to-dos; a parent's the same for each linked child; a
    teacher's lessons today and this week, attendance to mark, recent bookings and cancellations,
    courses and onboarding; an admin's approvals and reviews waiting. A constant number of queries
    however many lessons, children or courses."""
    return selectors.home_for(user=request.auth)
