"""The classroom's part of the site search (cplatform.search): listed teachers whose name, headline,
bio or subjects match every word, linked to their page in the visitor's language."""

from urllib.parse import urlencode

from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from cplatform.search import ResultGroup, SearchHit, excerpt, highlight, pick_text

from .selectors import teacher_list_matching

TEACHERS_SHOWN = 5


@hooks.register("register_search_results", order=-10)
def teachers_found(*, query: str, terms: list[str], request) -> ResultGroup | None:
    # How many match in all rides along on each row (a window count): one query, few or many.
    found = teacher_list_matching(q=query).annotate(found_total=Window(Count("pk")))
    teachers = list(found[:TEACHERS_SHOWN])
    if not teachers:
        return None
    total = teachers[0].found_total
    hits = [
        SearchHit(
            title=highlight(teacher.user.name, terms),
            snippet=highlight(
                excerpt(
                    pick_text(teacher.headline_display, lambda t=teacher: t.bio_display, terms),
                    terms,
                ),
                terms,
            ),
            url=teacher.get_absolute_url(),
        )
        for teacher in teachers
    ]
    more = total > TEACHERS_SHOWN
    return ResultGroup(
        key="teachers",
        title=gettext_lazy("Teachers"),
        hits=hits,
        total=total,
        more_url=f"{reverse('teacher-directory')}?{urlencode({'q': query})}" if more else "",
        more_label=_("All %(count)d teachers found") % {"count": total} if more else "",
    )
