"""Links typed as addresses of this site become chosen ones.

Before, a LinkBlock ({"text", "page", "url"}) held `/teachers/` or `/auth/register/?role=Teacher` in
its `url`; the URL field now takes other websites only, so such a page could no longer be saved in the
admin. Every stored LinkBlock value with a relative `url` is rewritten to the named part of the site
(`section`) with that address, else to the page with that address; external addresses stay as they
are. Rewritten: every StreamField of every model (live content, all locales), every revision (so the
latest revision and drafts the admin edits are new too) and wagtail-localize's source snapshots
(from which translations are made).

Written against the raw JSON with plain dicts, not the block classes, so later block changes cannot
change what it does; the table of addresses below is frozen for the same reason (the routes and
their keys as of this migration, `cplatform.blocks.LINK_SECTIONS`).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.db import migrations

LANGUAGES = ("en", "es")  # settings.LANGUAGES when this was written; English has no prefix
SECTIONS = {
    "/teachers/": "teachers",
    "/courses/": "courses",
    "/auth/register/": "sign-up",
    "/auth/signup/": "sign-up",
    "/auth/register/?role=Student": "sign-up-student",
    "/auth/register/?role=Teacher": "sign-up-teacher",
    "/auth/register/?role=Parent": "sign-up-parent",
    "/auth/login/": "log-in",
    "/search/": "search",
}
LINK_KEYS = {"text", "page", "url", "section"}


def is_link(value) -> bool:
    return isinstance(value, dict) and {"page", "url"} <= value.keys() <= LINK_KEYS


def split_language(path: str) -> tuple[str, str]:
    """("es", "/teachers/") for "/es/teachers/"; ("en", path) for an unprefixed one."""
    for code in LANGUAGES[1:]:
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            return code, path[len(code) + 1 :] or "/"
    return LANGUAGES[0], path


class Rewriter:
    def __init__(self, apps):
        self.apps = apps
        self.pages: dict[str, int | None] = {}
        self.changed = 0
        self.left: set[str] = set()

    def new_link(self, value: dict) -> dict | None:
        url = (value.get("url") or "").strip()
        if not url.startswith("/") or url.startswith("//") or value.get("page"):
            return None
        _language, bare = split_language(url)
        if bare in SECTIONS:
            return {**value, "url": "", "section": SECTIONS[bare]}
        page_id = self.page_at(url)
        if page_id is not None:
            return {**value, "url": "", "page": page_id}
        self.left.add(url)
        return None

    def page_at(self, url: str) -> int | None:
        if url not in self.pages:
            self.pages[url] = self._page_at(url)
        return self.pages[url]

    def _page_at(self, url: str) -> int | None:
        Site = self.apps.get_model("wagtailcore", "Site")
        Page = self.apps.get_model("wagtailcore", "Page")
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            return None
        root = Page.objects.get(pk=site.root_page_id)
        language, path = split_language(urlsplit(url).path)
        if language != LANGUAGES[0]:
            translated = Page.objects.filter(
                translation_key=root.translation_key, locale__language_code=language
            ).first()
            if translated is None:
                return None
            root = translated
        found = Page.objects.filter(url_path=root.url_path + path.lstrip("/")).first()
        if found is None and not path.endswith("/"):
            found = Page.objects.filter(url_path=root.url_path + path.lstrip("/") + "/").first()
        return found.pk if found else None

    def walk(self, value):
        """`value` with its links rewritten, and whether anything changed. Strings holding a
        stream (revisions and translation sources store StreamFields as JSON text) are opened."""
        if is_link(value):
            new = self.new_link(value)
            if new is not None:
                self.changed += 1
                return new, True
            return value, False
        if isinstance(value, dict):
            changed = False
            out = {}
            for key, item in value.items():
                out[key], hit = self.walk(item)
                changed |= hit
            return out, changed
        if isinstance(value, list):
            changed = False
            out = []
            for item in value:
                new, hit = self.walk(item)
                out.append(new)
                changed |= hit
            return out, changed
        if isinstance(value, str) and value[:1] in "[{" and '"url"' in value:
            try:
                data = json.loads(value)
            except ValueError:
                return value, False
            new, hit = self.walk(data)
            return (json.dumps(new), True) if hit else (value, False)
        return value, False


def stream_columns(apps):
    from wagtail.fields import StreamField

    for model in apps.get_models():
        for field in model._meta.local_fields:
            if isinstance(field, StreamField):
                yield model._meta.db_table, model._meta.pk.column, field.column


def rewrite(apps, schema_editor):
    rewriter = Rewriter(apps)
    connection = schema_editor.connection
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, pk, column in stream_columns(apps):
            cursor.execute(
                f"SELECT {qn(pk)}, {qn(column)} FROM {qn(table)} WHERE {qn(column)} IS NOT NULL"  # noqa: S608 - names from the models
            )
            for row_id, raw in cursor.fetchall():
                data = json.loads(raw) if isinstance(raw, str | bytes) else raw
                new, hit = rewriter.walk(data)
                if hit:
                    cursor.execute(
                        f"UPDATE {qn(table)} SET {qn(column)} = %s{cast} WHERE {qn(pk)} = %s",  # noqa: S608
                        [json.dumps(new), row_id],
                    )

    Revision = apps.get_model("wagtailcore", "Revision")
    for revision in Revision.objects.filter(content__isnull=False).iterator():
        new, hit = rewriter.walk(revision.content)
        if hit:
            Revision.objects.filter(pk=revision.pk).update(content=new)

    TranslationSource = apps.get_model("wagtail_localize", "TranslationSource")
    for source in TranslationSource.objects.filter(content_json__contains='"url"').iterator():
        new, hit = rewriter.walk(source.content_json)
        if hit:
            TranslationSource.objects.filter(pk=source.pk).update(content_json=new)

    if rewriter.left:  # shown by `migrate`: an editor chooses these by hand
        print(
            "\n  Links left as typed (no part of the site or page has that address): "
            + ", ".join(sorted(rewriter.left))
        )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0009_snippets_labels"),
        ("blog", "0003_text_control_characters"),
        ("courses", "0009_course_and_module_translations"),
        ("faq", "0002_text_control_characters"),
        ("wagtailcore", "__latest__"),
        ("wagtail_localize", "__latest__"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
