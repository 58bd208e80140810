"""The demo public site: the English page tree built with Wagtail's page API and published through
revisions, then translated to Spanish with wagtail-localize (translation memory fed through its PO
import, translations saved and published as an editor's "Publish" would).

Idempotent: a page, snippet or translation that already exists is left as it is (an editor may
have changed it), so running it again changes nothing. Spanish pages are published when the
surrounding transaction commits (wagtail-localize publishes on commit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import uuid4

from django.db import transaction
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource

from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPage
from classroom.models import TeacherProfile
from faq.models import FAQPage
from home.models import HomePage, LandingPage, Menu, MenuItem, SiteSettings, Testimonial

from . import content
from .content import Img, PageRef, TestimonialRef
from .courses import demo_course_pages
from .images import demo_image
from .text import MEMORY, T

TOOL_NAME = "cplatform demo data"


@dataclass
class DemoSite:
    """What was built (or found): keyed as in `demo.content`."""

    images: dict = field(default_factory=dict)
    testimonials: dict = field(default_factory=dict)
    authors: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    menus: dict = field(default_factory=dict)
    untranslated: list[str] = field(default_factory=list)

    def resolve(self, value, *, in_block: bool = False):
        """Content structure → what Wagtail stores: English text, ids for pictures, pages, snippets.
        Inside a block a list is a ListBlock, stored with an id per item: wagtail-localize keys the
        items' strings by those ids, so they must not change between loads."""
        if isinstance(value, T):
            return value.en
        if isinstance(value, Img):
            return self.images[value.key].pk
        if isinstance(value, PageRef):
            return self.pages[value.key].pk
        if isinstance(value, TestimonialRef):
            return self.testimonials[value.key].pk
        if isinstance(value, dict):
            return {key: self.resolve(item, in_block=in_block) for key, item in value.items()}
        if isinstance(value, list | tuple):
            items = [self.resolve(item, in_block=in_block) for item in value]
            if in_block:
                return [{"type": "item", "value": item, "id": str(uuid4())} for item in items]
            return items
        return value

    def stream(self, blocks: list[tuple[str, object]]) -> list[dict]:
        return [
            {"type": kind, "value": self.resolve(value, in_block=True), "id": str(uuid4())}
            for kind, value in blocks
        ]


def build_site() -> DemoSite:
    english = Locale.objects.get(language_code="en")
    spanish = Locale.objects.get(language_code="es")
    site = DemoSite()
    with transaction.atomic():
        _images(site)
        _snippets(site, english)
        home = HomePage.objects.get(depth=2, locale=english)
        site.pages["home"] = home
        _faq(site, home)
        _blog(site, home, english)
        _landing_pages(site, home)  # they link to the FAQ
        _home_content(site)
        _menus(site, english)
        _site_settings()
        site.pages.update(demo_course_pages())  # the catalog and course pages, translated below
        _translate_all(site, spanish)
    return site


# --- English -------------------------------------------------------------------------------------


def _images(site: DemoSite) -> None:
    for key, (title, palette, description) in content.IMAGES.items():
        size = (600, 600) if key.startswith("author-") else (1600, 900)
        site.images[key] = demo_image(title, palette=palette, description=description, size=size)


def _snippets(site: DemoSite, locale: Locale) -> None:
    for key, spec in content.TESTIMONIALS.items():
        site.testimonials[key], created = Testimonial.objects.get_or_create(
            locale=locale,
            quote=spec["quote"].en,
            defaults={"name": spec["name"].en, "role": spec["role"].en},
        )
        if created:  # published through a revision, as the admin would: its history starts here
            site.testimonials[key].save_revision().publish()
    for key, spec in content.AUTHORS.items():
        teacher = (
            TeacherProfile.objects.filter(user__email=spec["teacher"]).first()
            if spec["teacher"]
            else None
        )
        site.authors[key], created = BlogAuthor.objects.get_or_create(
            locale=locale,
            name=spec["name"].en,
            defaults={
                "role": spec["role"].en,
                "bio": spec["bio"].en,
                "photo": site.images[spec["photo"].key],
                "teacher": teacher,
            },
        )
        if created:  # published through a revision, as the admin would: its history starts here
            site.authors[key].save_revision().publish()
    for key, spec in content.CATEGORIES.items():
        site.categories[key], created = BlogCategory.objects.get_or_create(
            locale=locale,
            slug=spec["slug"].en,
            defaults={"name": spec["name"].en, "description": spec["description"].en},
        )
        if created:
            site.categories[key].save_revision().publish()


def _child(parent: Page, slug: str, build) -> Page:
    """The live child of `parent` with this slug, else a new one made by `build()` and published."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    page = build()
    page.slug = slug
    parent = Page.objects.get(pk=parent.pk)  # fresh tree fields
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _landing_pages(site: DemoSite, home: HomePage) -> None:
    for key, spec in content.LANDING_PAGES.items():
        site.pages[key] = _child(
            home,
            spec["slug"].en,
            lambda spec=spec: LandingPage(
                title=spec["title"].en,
                search_description=spec["search_description"].en,
                share_image=site.images["share"],
                body=site.stream(spec["body"]),
            ),
        )


def _blog(site: DemoSite, home: HomePage, locale: Locale) -> None:
    spec = content.BLOG_INDEX
    index = _child(
        home,
        spec["slug"].en,
        lambda: BlogIndexPage(
            title=spec["title"].en,
            intro=spec["intro"].en,
            search_description=spec["search_description"].en,
        ),
    )
    site.pages["blog"] = index
    for post in content.POSTS:

        def build(post=post):
            page = BlogPage(
                title=post["title"].en,
                date=post["date"],
                intro=post["intro"].en,
                author=site.authors[post["author"]],
                hero_image=site.images[post["hero_image"].key],
                body=site.stream(post["body"]),
            )
            page.categories = [site.categories[key] for key in post["categories"]]
            page.tags.add(*post["tags"])
            return page

        site.pages[f"post-{post['key']}"] = _child(index, post["slug"].en, build)


def _faq(site: DemoSite, home: HomePage) -> None:
    spec = content.FAQ
    sections = [
        ("section", {"heading": heading, "questions": questions})
        for heading, questions in spec["sections"]
    ]
    site.pages["faq"] = _child(
        home,
        spec["slug"].en,
        lambda: FAQPage(
            title=spec["title"].en,
            intro=spec["intro"],
            search_description=spec["search_description"].en,
            body=site.stream(sections),
        ),
    )


def _home_content(site: DemoSite) -> None:
    """The home page exists from the first migration, empty: give it its sections once."""
    home = HomePage.objects.get(pk=site.pages["home"].pk)
    if home.hero:
        site.pages["home"] = home
        return
    spec = content.HOME
    home.seo_title = spec["seo_title"].en
    home.search_description = spec["search_description"].en
    home.intro = spec["intro"]
    home.share_image = site.images["share"]
    for name in (
        "hero",
        "featured_teachers",
        "featured_courses",
        "body",
        "testimonials",
        "calls_to_action",
    ):
        setattr(home, name, site.stream(spec[name]))
    home.save_revision().publish()
    home.refresh_from_db()
    site.pages["home"] = home


def _menus(site: DemoSite, locale: Locale) -> None:
    for slot, spec in content.MENUS.items():
        menu = Menu.objects.filter(slot=slot, locale=locale).first()
        if menu is None:
            menu = Menu(slot=slot, locale=locale, text=site.resolve(spec["text"]))
            menu.items = [
                MenuItem(
                    link_page=site.pages[item["page"]] if "page" in item else None,
                    link_url=item.get("url", ""),
                    link_text=site.resolve(item.get("text", "")),
                    locale=locale,
                    sort_order=order,
                )
                for order, item in enumerate(spec["items"])
            ]
            menu.save()
            menu.save_revision().publish()
        site.menus[slot] = menu


def _site_settings() -> None:
    default = Site.objects.filter(is_default_site=True).first()
    if default is None:
        return
    settings = SiteSettings.for_site(default)
    changed = [name for name, value in content.SITE_SETTINGS.items() if not getattr(settings, name)]
    for name in changed:
        setattr(settings, name, content.SITE_SETTINGS[name])
    if changed:
        settings.save()


# --- Spanish -------------------------------------------------------------------------------------


def _translate_all(site: DemoSite, locale: Locale) -> None:
    """Snippets first (pages point at their translations), then pages from the top down, then the
    menus (which point at the Spanish pages). A page translated before the pages it links to
    points at the English ones, so those are saved again at the end, as an editor's "Sync" does."""
    for instance in [
        *site.testimonials.values(),
        *site.authors.values(),
        *site.categories.values(),
    ]:
        translate(instance, locale, site.untranslated)
    made = []
    for page in sorted(site.pages.values(), key=lambda page: page.depth):
        if translate(page, locale, site.untranslated) is not None:
            made.append(page)
    for page in made:
        Translation.objects.get(
            source__object_id=page.translation_key, target_locale=locale
        ).save_target(publish=True)
    for menu in site.menus.values():
        translate(menu, locale, site.untranslated)


def translate(instance, locale: Locale, untranslated: list[str]):
    """Translate `instance` into `locale` through wagtail-localize, unless a translation exists
    (then None).
    Strings missing from the demo's translation memory are listed in `untranslated` (and stay in
    English on the Spanish page, as wagtail-localize's fallback does)."""
    if instance.get_translation_or_none(locale) is not None:
        return None
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    po = translation.export_po()
    for entry in po:
        spanish = MEMORY.get(entry.msgid)
        if spanish is None:
            untranslated.append(f"{instance!r} {entry.msgctxt}: {entry.msgid}")
            continue
        entry.msgstr = spanish
    translation.import_po(po, tool_name=TOOL_NAME)
    translation.save_target(publish=True)
    return translation
