"""JSON-LD carries text that editors, teachers and admins typed: markup in it must stay text.

Every source field of every JSON-LD block gets a payload that ends a script element
("</script>"), opens the HTML parser's escaped script state ("<!--<script>": after it the real
"</script>" no longer ends the element, the page goes blank in Chromium) and has the other two
markup characters. Every page that emits JSON-LD must keep no raw "<", ">" or "&" inside its
scripts and give back exactly what was typed. tests/e2e/test_content_security.py shows the
course page in Chromium.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.models import Page, Site

from home.models import SiteSettings
from tests.blog.factories import BlogAuthorFactory, BlogPageFactory
from tests.classroom.factories import listed_teacher
from tests.courses.factories import ModuleFactory
from tests.courses.page_helpers import live_course
from tests.faq.factories import FAQPageFactory

pytestmark = pytest.mark.django_db

PAYLOAD = "</script><!--<script> & >"
SCRIPT = re.compile(
    r'<script type="application/ld\+json">(?P<text>.*?)</script>', re.DOTALL | re.IGNORECASE
)


def hostile(field: str) -> str:
    return f"{field} {PAYLOAD}"


def build_hostile_site() -> dict:
    """A site whose every JSON-LD source field holds the payload; returns the paths to visit and
    the strings the JSON-LD must give back."""
    site = Site.objects.get(is_default_site=True)
    site.site_name = hostile("School")
    site.save()
    settings = SiteSettings.for_site(site)
    settings.contact_phone = "+34 </script><!--<script>&>"
    settings.address = hostile("Calle Mayor 1")
    settings.x_url = "https://x.com/school?a=1&b=</script><!--<script>"
    settings.save()

    home = Page.objects.get(depth=2, locale__language_code="en").specific
    home.seo_title = hostile("Home")
    home.save_revision().publish()

    author = BlogAuthorFactory(name=hostile("Author"), role=hostile("Role"))
    BlogPageFactory(title=hostile("Post"), author=author, tags=[hostile("tag")])

    FAQPageFactory(
        sections=[
            ("Lessons", [(hostile("Question"), f"<p>Answer {PAYLOAD.replace('&', '&amp;')}</p>")])
        ]
    )

    teacher = listed_teacher(display_name=hostile("Teacher"))
    course = live_course(
        title=hostile("Course"),
        summary=hostile("Summary"),
        owner=teacher.user,
        starts_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    ModuleFactory(course=course, title=hostile("Module"))

    paths = [
        page.get_url()
        for page in Page.objects.live().public().specific().order_by("path")
        if page.get_url()
    ]
    paths += [
        reverse("teacher-directory"),
        reverse("teacher-detail", args=[teacher.slug]),
        reverse("account_login"),
    ]
    expected = {
        hostile("School"),
        "+34 </script><!--<script>&>",
        hostile("Calle Mayor 1"),
        "https://x.com/school?a=1&b=</script><!--<script>",
        hostile("Home"),
        hostile("Post"),
        hostile("Author"),
        hostile("Role"),
        hostile("tag"),
        hostile("Question"),
        f"<p>Answer {PAYLOAD.replace('&', '&amp;')}</p>",
        hostile("Course"),
        hostile("Summary"),
        hostile("Module"),
        hostile("Teacher"),
    }
    return {"paths": paths, "expected": expected}


def strings_in(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(strings_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(strings_in(v) for v in value)) if value else set()
    return set()


def json_ld_blocks(html: str) -> list[str]:
    return [match.group("text") for match in SCRIPT.finditer(html)]


def test_markup_typed_into_any_json_ld_field_stays_text_on_every_page(client):
    site = build_hostile_site()
    found: set[str] = set()
    problems = []

    for path in site["paths"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.content.decode()
        blocks = json_ld_blocks(html)
        if not blocks:
            problems.append(f"{path}: no JSON-LD at all")
        for text in blocks:
            for char in "<>&":
                if char in text:
                    problems.append(f"{path}: raw {char!r} inside a JSON-LD script")
            try:
                found |= strings_in(json.loads(text))
            except ValueError as exc:
                problems.append(f"{path}: JSON-LD does not parse ({exc})")

    assert problems == [], "\n".join(problems)
    assert site["expected"] - found == set(), "typed text not given back by any JSON-LD"


def test_json_ld_is_written_only_by_the_one_escaping_helper():
    """Every JSON-LD block goes through cplatform.html (json_ld_script_tag): no other module or
    template writes the script element or pushes JSON through |safe / mark_safe."""
    root = Path(__file__).resolve().parents[2]
    apps = [
        d
        for d in root.iterdir()
        if d.is_dir() and ((d / "apps.py").exists() or d.name == "templates")
    ]
    sources = [
        path
        for app in apps
        for pattern in ("**/*.py", "**/*.html")
        for path in app.glob(pattern)
        if "migrations" not in path.parts
    ]
    assert root / "cplatform" / "pages.py" in sources
    offenders = []
    for path in sources:
        text = path.read_text(encoding="utf-8", errors="replace")
        relative = path.relative_to(root).as_posix()
        if relative == "cplatform/html.py":
            continue
        if "ld+json" in text:
            offenders.append(f"{relative}: writes a JSON-LD script element itself")
        if re.search(r"json\w*\s*\|\s*safe", text):
            offenders.append(f"{relative}: JSON through |safe")
        if re.search(r"mark_safe\([^)]*json", text, re.DOTALL):
            offenders.append(f"{relative}: JSON through mark_safe")

    assert offenders == []
