"""Matrix rows: the analytics API (issue 15). Admins read any scope, teachers their own only: a
teacher naming another teacher or a course not theirs gets 404 (as for a missing one), never the
figures; students, parents and people without a role are refused (403)."""

from tests.api.matrix.base import ADMINS, SIGNED_IN, Call, expect

# Admins and both teachers may ask; everyone else signed in is refused.
ANALYSTS = {
    "anonymous": 401,
    **dict.fromkeys(SIGNED_IN, 403),
    "teacher": 200,
    "other_teacher": 200,
    **dict.fromkeys(ADMINS, 200),
}
# Filtered by the World's teacher (or their course): the other teacher gets 404.
THE_TEACHERS = expect(ANALYSTS, other_teacher=404)


def _teacher(world) -> dict:
    return {"teacher_id": world.users["teacher"].pk}


ROWS: dict[str, Call] = {
    "GET /api/v1/analytics/kpis": Call(ANALYSTS),
    "GET /api/v1/analytics/kpis #teacher": Call(THE_TEACHERS, query=_teacher),
    "GET /api/v1/analytics/kpis #course": Call(
        THE_TEACHERS, query_params={"course_id": "course_id"}
    ),
    "GET /api/v1/analytics/series/{metric}": Call(
        ANALYSTS, path_params={"metric": "analytics_metric"}
    ),
    "GET /api/v1/analytics/series/{metric} #teacher": Call(
        THE_TEACHERS, path_params={"metric": "analytics_metric"}, query=_teacher
    ),
    "GET /api/v1/analytics/tables/{table}": Call(
        ANALYSTS, path_params={"table": "analytics_table"}
    ),
    "GET /api/v1/analytics/tables/{table} #course": Call(
        THE_TEACHERS,
        path_params={"table": "analytics_table"},
        query_params={"course_id": "course_id"},
    ),
}


def build(world) -> None:
    """The rows read what the World holds (the teacher's courses, student A's enrolment); they name
    a metric and a table (names, not ids: an unknown one answers 404)."""
    world.analytics_metric = "enrolments"
    world.analytics_table = "course_progress"
