"""RSS 2.0 and Atom 1.0 feeds of a blog index (all its posts, or one tag's), with Django's
syndication framework. Links are absolute; the feed speaks the index's language."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from cplatform.validators import single_line, without_control_characters

from .selectors import blog_feed_post_list


class BlogFeed(Feed):
    """One instance per request: `index` (a BlogIndexPage), optional `tag`, `kind` rss/atom.

    Titles, names and intros are stored text: XML 1.0 cannot carry most control characters (Django's
    feed writer raises on them), so they are left out, and one-line elements stay on one line."""

    def __init__(self, *, index, kind: str, tag=None):
        super().__init__()
        self.index = index
        self.tag = tag
        self.kind = kind
        self.feed_type = Atom1Feed if kind == "atom" else Rss201rev2Feed
        self.language = index.locale.language_code

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return self.index

    # --- the feed -----------------------------------------------------------------------------

    def title(self, index) -> str:
        if self.tag is not None:
            return single_line(
                _("%(blog)s: posts tagged “%(tag)s”") % {"blog": index.title, "tag": self.tag.name}
            )
        return single_line(index.title)

    def link(self, index) -> str:
        url = index.get_full_url(self.request)
        if self.tag is not None:
            url += f"tag/{self.tag.slug}/"
        return url

    def feed_url(self, index) -> str:
        return f"{self.link(index)}feed/{self.kind}/"

    def description(self, index) -> str:
        return without_control_characters(index.intro) or single_line(index.title)

    subtitle = description

    def items(self, index):
        return blog_feed_post_list(index=index, tag=self.tag)

    # --- each post ----------------------------------------------------------------------------

    def item_title(self, post) -> str:
        return single_line(post.title)

    def item_description(self, post) -> str:
        return without_control_characters(post.intro)

    def item_link(self, post) -> str:
        return post.get_full_url(self.request)

    def item_guid(self, post) -> str:
        return post.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, post) -> datetime.datetime:
        # The post date an editor chose, at midnight in the site's time zone.
        return timezone.make_aware(datetime.datetime.combine(post.date, datetime.time.min))

    def item_updateddate(self, post) -> datetime.datetime | None:
        return post.last_published_at

    def item_author_name(self, post) -> str | None:
        author = post.shown_author
        return single_line(author.name) if author is not None else None

    def item_categories(self, post) -> list[str]:
        return [single_line(item.tag.name) for item in post.tagged_items.all()]


def blog_feed_response(request, *, index, kind: str, tag=None):
    return BlogFeed(index=index, kind=kind, tag=tag)(request)
