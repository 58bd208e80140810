"""`learning_summary`'s homework done beside homework set, hand-computed on the fixed data set of
analytics_data.py (school in Madrid, November 2026: 31 Oct 23:00 UTC to 30 Nov 23:00 UTC).

Homework is set in L1 (Ana, Sara, 5 Nov), L7 (Ana's group session, Sara and Tom, 20 Nov) and L6
(Bob, Uma, 20 Oct: the previous period). The marks:
- Sara did L1's on 6 Nov and L7's on 21 Nov: both in November;
- Tom did L7's at 23:30 UTC on 30 Nov, 00:30 on 1 Dec in Madrid: not in November;
- Uma did L6's at 23:30 UTC on 31 Oct, 00:30 on 1 Nov in Madrid: in November (the lesson was in
  October: what counts is when the homework was done).
"""

import pytest
from django.urls import reverse

from classroom.models import HomeworkDone, Lesson
from dashboards.analytics.selectors import learning_summary
from dashboards.homes_figures import teacher_figures
from tests.classroom.conftest import as_user
from tests.dashboards.analytics_data import NOVEMBER, build, utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(settings):
    settings.SCHOOL_TIME_ZONE = "Europe/Madrid"
    built = build()
    lessons = built.lessons
    Lesson.objects.filter(pk__in=[lessons["L7"].pk, lessons["L6"].pk]).update(homework="Page 12")
    for lesson, student, when in (
        ("L1", built.s1, utc(2026, 11, 6, 10)),
        ("L7", built.s1, utc(2026, 11, 21, 10)),
        ("L7", built.s2, utc(2026, 11, 30, 23, 30)),
        ("L6", built.s3, utc(2026, 10, 31, 23, 30)),
    ):
        HomeworkDone.objects.create(lesson=lessons[lesson], student=student, done_at=when)
    return built


def done(viewer, **filters) -> int:
    return learning_summary(viewer=viewer, period=NOVEMBER, include_at_risk=False, **filters)


def test_homework_done_counts_the_marks_made_in_the_period_for_lessons_in_scope(data):
    school = done(data.admin)
    assert (school.homework_set, school.homework_done) == (2, 3)  # set: L1, L7; done: Sara x2, Uma
    assert done(data.admin, teacher_id=data.t2.pk).homework_done == 1  # Uma's, in Bob's L6
    assert done(data.admin, course_id=data.c1.pk).homework_done == 1  # Sara's in L7 (Algebra)
    # A teacher: their lessons' marks; a learner: their own; a parent: their child's.
    assert done(data.t1).homework_done == 2
    assert done(data.t2).homework_done == 1
    assert done(data.s1).homework_done == 2
    assert done(data.s2).homework_done == 0  # Tom's mark is in December (Madrid)
    assert done(data.s3).homework_done == 1
    assert done(data.parent).homework_done == 2
    # Without the tables (the admin dashboard's call) the figure is the same.
    kpis = learning_summary(viewer=data.admin, period=NOVEMBER, include_at_risk=False, tables=False)
    assert kpis.homework_done == 3
    # Beside the previous period (2-31 Oct): L6's homework was set then, none was done then.
    assert (kpis.kpis["homework_set"].value, kpis.kpis["homework_set"].previous) == (2, 1)
    assert (kpis.kpis["homework_done"].value, kpis.kpis["homework_done"].previous) == (3, 0)


def test_the_school_dashboard_shows_homework_set_and_done(client, data):
    response = as_user(client, data.admin).get(
        reverse("school_dashboard:index"),
        {"preset": "custom", "start": "2026-11-01", "end": "2026-11-30"},
    )
    assert response.status_code == 200
    tiles = {t.key: t for _group, group in response.context["tile_groups"] for t in group}
    assert (tiles["homework_set"].value, tiles["homework_set"].previous) == (2, 1)
    assert (tiles["homework_done"].value, tiles["homework_done"].previous) == (3, 0)
    html = response.content.decode()
    assert "Homework set" in html and "Homework done" in html


def test_undoing_a_mark_takes_it_out_of_the_figure(data):
    HomeworkDone.objects.filter(student=data.s3).delete()
    assert done(data.admin).homework_done == 2
    assert done(data.t2).homework_done == 0


def test_a_teachers_home_figures_carry_their_homework_set_and_done(data):
    ana = teacher_figures(viewer=data.t1, period=NOVEMBER)
    assert (ana.homework_set, ana.homework_done) == (2, 2)  # L1, L7; Sara's two marks
    bob = teacher_figures(viewer=data.t2, period=NOVEMBER)
    assert (bob.homework_set, bob.homework_done) == (0, 1)  # L6 was set in October
