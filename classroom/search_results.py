"""The classroom's part of the site search (cplatform.search): listed teachers whose name, headline,
bio or subjects match every word, linked to their page in the visitor's language.

The group is the same for every visitor of a language asking the same words until a teacher, their
account, their subjects or the subjects' names change: it is cached under a version those changes
move (`connect_invalidation`, called from ClassroomConfig.ready). A query and a fifth of a search's
time before."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Window
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from wagtail import hooks

from cplatform import cache_versions
from cplatform.search import ResultGroup, SearchHit, excerpt, highlight, pick_text

from .selectors import teacher_list_matching

TEACHERS_SHOWN = 5
VERSION_KEY = "search-teachers-version"
TIMEOUT = 60 * 60  # a safety net: the changes that matter move the version at once
# What the results show of a person's account, and whether they are listed at all.
USER_FIELDS_SHOWN = frozenset({"first_name", "last_name", "display_name", "is_active"})


@hooks.register("register_search_results", order=-10)
def teachers_found(*, query: str, terms: list[str], request) -> ResultGroup | None:
    language = get_language() or settings.LANGUAGE_CODE
    words = hashlib.sha256(f"{query}\x00{' '.join(terms)}".encode()).hexdigest()[:32]
    key = f"search-teachers:{language}:{cache_versions.current(VERSION_KEY)}:{words}"
    found = cache.get(key)
    if found is None:
        found = (_teachers_found(query=query, terms=terms),)  # a tuple: "none found" is cached too
        cache.set(key, found, TIMEOUT)
    return found[0]


def _teachers_found(*, query: str, terms: list[str]) -> ResultGroup | None:
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


def _only_unshown_user_fields(sender=None, update_fields=None, **kwargs) -> bool:
    return update_fields is not None and not USER_FIELDS_SHOWN & set(update_fields)


def connect_invalidation() -> None:
    """Move the cached groups' version when what they show or who is listed changes: profiles and
    their subjects, the accounts' names, activity and roles, and the subjects' names."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from catalog.models import Subject

    from .models import TeacherProfile

    User = get_user_model()  # noqa: N806
    move = cache_versions.mover(VERSION_KEY)
    for model in (TeacherProfile, Subject):
        post_save.connect(move, sender=model, weak=False, dispatch_uid=f"search-teachers-{model}")
        post_delete.connect(
            move, sender=model, weak=False, dispatch_uid=f"search-teachers-d{model}"
        )
    post_save.connect(
        cache_versions.mover(VERSION_KEY, unless=_only_unshown_user_fields),
        sender=User,
        weak=False,
        dispatch_uid="search-teachers-user",
    )
    post_delete.connect(move, sender=User, weak=False, dispatch_uid="search-teachers-user-d")
    for through in (TeacherProfile.subjects.through, User.groups.through):
        m2m_changed.connect(
            move, sender=through, weak=False, dispatch_uid=f"search-teachers-{through}"
        )
