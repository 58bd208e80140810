"""`manage.py load_demo_data` creates the README's logins, is idempotent and never runs in production."""

import io
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Locale, Page, Revision
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from authentication.choices import GuardianLinkStatus, Role
from authentication.models import GuardianLink, User
from authentication.selectors import user_needs_guardian_consent
from blog.models import BlogAuthor, BlogCategory, BlogIndexPage, BlogPage
from classroom.models import Lesson, LessonSeat, StudentProfile, TeacherProfile
from classroom.selectors import teacher_list_public
from courses.models import Enrollment
from cplatform.editorial import EDITORS
from demo.content import IMAGES
from demo.management.commands.load_demo_data import PASSWORD
from faq.models import FAQPage
from home.models import HomePage, LandingPage, Menu, MenuItem
from home.models import Testimonial as HomeTestimonial
from tests.test_settings import PRODUCTION_ENV, ROOT, controlled_env

pytestmark = pytest.mark.django_db

TEACHERS = {"ana.garcia@example.com", "ben.carter@example.com", "chloe.martin@example.com"}
PARENTS = {"maria.lopez@example.com", "david.brown@example.com"}


def members(role: Role) -> set[str]:
    return set(Group.objects.get(name=role).user_set.values_list("email", flat=True))


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "role memberships": User.groups.through.objects.count(),
        "teacher profiles": TeacherProfile.objects.count(),
        "student profiles": StudentProfile.objects.count(),
        "guardian links": GuardianLink.objects.count(),
        "consents": GuardianLink.objects.filter(consent_given_at__isnull=False).count(),
    }


def age(born: date) -> int:
    today = date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture(scope="class")
def demo_site(django_db_setup, django_db_blocker):
    """The demo data loaded once for a class of read-only tests, inside a transaction rolled back
    afterwards (each test still runs in its own savepoint). wagtail-localize publishes the
    Spanish pages on commit: run those callbacks as a commit would."""
    from django.db import transaction
    from django.test import TestCase

    from tests.base_data import ensure_base_data

    with django_db_blocker.unblock(), transaction.atomic():
        ensure_base_data()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo_data", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo_site")
class TestDemoUsers:
    """The logins the README lists."""

    def test_demo_data_has_an_admin_who_can_log_in(self):
        admin = User.objects.get(email="admin@example.com")

        assert admin.is_superuser and admin.is_staff
        assert admin.check_password(PASSWORD)
        assert members(Role.ADMIN) == {"admin@example.com"}

    def test_demo_data_lists_three_approved_teachers_with_spanish_translations(self):
        listed = list(teacher_list_public())

        assert {p.user.email for p in listed} == TEACHERS
        assert members(Role.TEACHER) == TEACHERS
        for profile in listed:
            assert profile.is_approved and profile.is_public
            assert (
                profile.subjects.exists() and profile.levels.exists() and profile.languages.exists()
            )
            spanish = profile.translations["es"]
            assert spanish["headline"] and spanish["bio"]
            with translation.override("es"):
                assert profile.headline_display == spanish["headline"] != profile.headline
            with translation.override("en"):
                assert profile.headline_display == profile.headline

    def test_demo_data_has_eight_students_two_under_sixteen_one_with_consent(self):
        students = members(Role.STUDENT)
        profiles = StudentProfile.objects.filter(user__email__in=students).select_related("user")
        under_16 = sorted(
            (p.user for p in profiles if age(p.date_of_birth) < 16), key=lambda u: u.email
        )

        assert len(students) == 8
        # Every demo student has a date of birth: booking and payment need one.
        assert all(p.date_of_birth for p in profiles)
        assert [u.email for u in under_16] == ["lucas.lopez@example.com", "noah.brown@example.com"]
        lucas, noah = under_16
        link = GuardianLink.objects.get(
            child=lucas, status=GuardianLinkStatus.ACTIVE, consent_given_at__isnull=False
        )
        assert link.guardian.email == "maria.lopez@example.com"
        assert link.consent_given_by == link.guardian
        assert not user_needs_guardian_consent(user=lucas)
        # Noah waits for his father's consent, so the demo books and enrols nothing for him.
        assert user_needs_guardian_consent(user=noah)
        assert GuardianLink.objects.get(child=noah).guardian.email == "david.brown@example.com"
        assert not Lesson.objects.filter(student=noah).exists()
        assert not LessonSeat.objects.filter(student=noah).exists()
        assert not Enrollment.objects.filter(student=noah).exists()

    def test_demo_data_has_two_parents_with_their_children(self):
        assert members(Role.PARENT) == PARENTS
        children = set(
            GuardianLink.objects.filter(
                guardian__email="maria.lopez@example.com", status=GuardianLinkStatus.ACTIVE
            ).values_list("child__email", flat=True)
        )
        assert children == {"lucas.lopez@example.com", "mia.lopez@example.com"}
        assert GuardianLink.objects.filter(
            guardian__email="david.brown@example.com",
            invited_email="hugo.moreau@example.com",
            status="pending",
        ).exists()

    def test_every_demo_login_uses_the_readme_password_and_a_verified_email(self):
        demo_users = User.objects.filter(
            email__in=members(Role.STUDENT) | members(Role.PARENT) | TEACHERS
        )

        assert demo_users.count() == 13
        for user in demo_users:
            assert user.check_password(PASSWORD), user.email
            assert EmailAddress.objects.filter(
                user=user, email=user.email, verified=True, primary=True
            ).exists()

    def test_the_demo_history_is_rolled_up_for_the_school_dashboard(self):
        """The admin dashboard reads past days from the rollups (live where they lack one): the demo
        rolls up its two years, as `backfill_analytics` would on a real school, with its money."""
        from datetime import timedelta

        from dashboards.analytics.periods import Period, school_today
        from dashboards.analytics.scope import ADMIN, Scope
        from dashboards.analytics.selectors import ROLLED_MARK, engagement_counts, money_counts
        from dashboards.models import DailyRollup

        today = school_today()
        marked = set(DailyRollup.objects.filter(metric=ROLLED_MARK).values_list("day", flat=True))
        past = Period(today - timedelta(days=2 * 366), today - timedelta(days=1))
        assert marked >= set(past.dates())
        assert today not in marked  # today is always live
        rolled = {
            (row.metric, row.key, row.day): row.value
            for row in DailyRollup.objects.exclude(metric__in=(ROLLED_MARK, "at_risk"))
        }
        live = {**engagement_counts(Scope(ADMIN), past), **money_counts(past)}
        expected = {
            (metric, key, day): value
            for (metric, key), days in live.items()
            for day, value in days.items()
            if value
        }
        assert rolled == expected
        assert {metric for metric, _key, _day in rolled} >= {"lessons_delivered", "attendance"}


def test_demo_data_refuses_production_settings(settings):
    settings.SETTINGS_MODULE = "cplatform.settings.production"

    with pytest.raises(CommandError, match="refuses to run with production settings"):
        call_command("load_demo_data")

    assert not User.objects.filter(email="admin@example.com").exists()


def test_demo_data_command_line_refuses_production_settings():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "load_demo_data", "--settings=cplatform.settings.production"],
        cwd=ROOT,
        env=controlled_env(**PRODUCTION_ENV),
        capture_output=True,
        text=True,
        timeout=180,
    )

    assert result.returncode != 0
    assert "CommandError: load_demo_data refuses to run with production settings." in result.stderr


# --- the public site --------------------------------------------------------------------------

PAGE_COUNTS = {
    "HomePage": 1,
    "LandingPage": 2,
    "BlogIndexPage": 1,
    "BlogPage": 6,
    "FAQPage": 1,
    "CourseIndexPage": 1,  # the catalog, and a page per demo course (demo.courses)
    "CoursePage": 4,
}


def site_pages(language: str):
    return Page.objects.filter(locale__language_code=language, depth__gte=2).specific()


def page_counts(language: str) -> dict[str, int]:
    return dict(Counter(type(page).__name__ for page in site_pages(language)))


def site_counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": Image.objects.count(),
        "testimonials": HomeTestimonial.objects.count(),
        "authors": BlogAuthor.objects.count(),
        "categories": BlogCategory.objects.count(),
        "menus": Menu.objects.count(),
        "menu items": MenuItem.objects.count(),
        "translations": Translation.objects.count(),
        "string translations": StringTranslation.objects.count(),
    }


@pytest.mark.usefixtures("demo_site")
class TestDemoSite:
    """The public site the demo data builds, in English and Spanish."""

    def test_demo_data_builds_the_page_tree_in_english_and_spanish(self):
        for language in ("en", "es"):
            assert page_counts(language) == PAGE_COUNTS, language
            assert all(page.live for page in site_pages(language)), language
        home = HomePage.objects.get(locale__language_code="en")
        assert {type(p).__name__ for p in home.get_children().specific()} == {
            "LandingPage",
            "BlogIndexPage",
            "FAQPage",
            "CourseIndexPage",
        }
        blog = BlogIndexPage.objects.get(locale__language_code="es")
        assert blog.get_children().live().count() == 6
        assert blog.get_parent().specific == home.get_translation(
            Locale.objects.get(language_code="es")
        )

    def test_every_spanish_page_is_a_wagtail_localize_translation_of_an_english_one(self):
        spanish = Locale.objects.get(language_code="es")
        for page in site_pages("en"):
            translation = page.get_translation(spanish)
            assert translation.live, page
            assert Translation.objects.filter(
                source__object_id=page.translation_key, target_locale=spanish, enabled=True
            ).exists(), page

    def test_every_string_of_the_demo_site_has_its_spanish_translation(self):
        spanish = Locale.objects.get(language_code="es")
        segments = StringSegment.objects.filter(
            source__translations__target_locale=spanish
        ).annotate_translation(spanish)

        assert segments.exists()
        untranslated = [s.string.data for s in segments.filter(translation__isnull=True)]
        assert untranslated == []

    def test_the_home_page_has_its_hero_blocks_featured_teachers_and_testimonials(self):
        for language in ("en", "es"):
            home = HomePage.objects.get(locale__language_code=language)
            assert home.hero[0].block_type == "hero" and home.hero[0].value["image"] is not None
            assert home.featured_teachers and home.body and home.calls_to_action
            assert len(home.testimonials[0].value["testimonials"]) == 3

    def test_the_spanish_home_page_shows_spanish_testimonials_and_links_to_spanish_pages(
        self, client
    ):
        """Page and snippet choosers keep the English object; the blocks show its translation
        in the visitor's language (wagtail-localize's design, `page.localized`)."""
        html = client.get("/es/").content.decode()
        links = {a["href"] for a in BeautifulSoup(html, "html.parser").select("main a[href]")}

        assert "Mi hijo temía los deberes de matemáticas." in html
        assert "My son used to dread maths homework." not in html
        assert "/es/ensena/" in links and "/teach/" not in links
        assert "Aprende con profesores que aman su materia" in html
        # strings of list items (feature cards) too
        assert "Profesores revisados" in html and "Reviewed teachers" not in html

    def test_the_main_menu_offers_the_courses_in_both_languages(self, client):
        for prefix, words in (("", "Courses"), ("/es", "Cursos")):
            html = client.get(f"{prefix}/").content.decode()
            menu = BeautifulSoup(html, "html.parser").select_one(".site-header .site-nav")
            links = {a.get_text(strip=True): a["href"] for a in menu.select("a[href]")}
            assert links.get(words) == f"{prefix}/courses/", links

    def test_a_spanish_reader_of_the_demo_site_meets_no_link_to_an_english_page(self, client):
        """Header, footer and the pages' blocks (links typed as addresses included) lead to
        Spanish pages, signed out and signed in, on every kind of public page."""
        from tests.test_reachability import LANGUAGELESS, is_spanish, page_links

        pages = ["/es/", "/es/espanol-en-verano/", "/es/teachers/", "/es/courses/", "/es/search/"]
        english = {}
        for who in (None, "maria.lopez@example.com"):
            if who:
                client.force_login(User.objects.get(email=who))
            for path in pages:
                response = client.get(path)
                assert response.status_code == 200, path
                links = page_links(response.content.decode())
                found = [
                    link
                    for link, hreflang in links
                    if not is_spanish(link)
                    and not link.startswith(LANGUAGELESS)
                    and hreflang in ("", "es")
                ]
                if found:
                    english[(who, path)] = found
        assert not english

    def test_the_spanish_landing_page_quotes_the_spanish_faq(self, client):
        html = client.get("/es/espanol-en-verano/").content.decode()

        assert "Preguntas sobre las clases" in html
        assert "¿Puedo cambiar la hora de una clase?" in html
        assert "Can I change the time of a lesson?" not in html

    def test_the_spanish_faq_asks_its_questions_in_spanish(self, client):
        html = client.get("/es/preguntas-frecuentes/").content.decode()

        assert "¿Cómo reservo una clase?" in html and "How do I book a lesson?" not in html
        assert "Cuentas y familias" in html

    def test_blog_posts_have_authors_tags_categories_and_hero_images(self):
        for language in ("en", "es"):
            posts = BlogPage.objects.filter(locale__language_code=language)
            assert posts.count() == 6
            authors = {post.author for post in posts}
            assert len(authors) == 3 and {a.locale.language_code for a in authors} == {language}
            assert any(author.teacher_id for author in authors)
            assert all(post.hero_image_id for post in posts)
            assert all(post.tags.exists() for post in posts)
            assert all(post.categories.exists() for post in posts)
        assert BlogCategory.objects.filter(locale__language_code="es").count() == 3

    def test_blog_authors_and_categories_are_live_with_a_published_revision(self):
        # They go through the Marketing review like menus: the demo publishes them as a
        # Moderator would, so the site shows them and their history starts with that version.
        for model in (BlogAuthor, BlogCategory):
            for language in ("en", "es"):
                rows = model.objects.filter(locale__language_code=language)
                assert rows.count() == 3, (model, language)
                assert all(
                    row.live
                    and row.live_revision_id == row.latest_revision_id
                    and row.live_revision_id is not None
                    for row in rows
                ), (model, language)

    def test_the_faq_has_three_sections_of_questions_in_both_languages(self):
        for language in ("en", "es"):
            faq = FAQPage.objects.get(locale__language_code=language)
            sections = [block for block in faq.body if block.block_type == "section"]
            assert len(sections) == 3
            assert all(len(section.value["questions"]) == 3 for section in sections)
        assert FAQPage.objects.get(locale__language_code="es").body[0].value["heading"] == "Clases"

    def test_demo_images_are_generated_pictures_saved_as_wagtail_images(self):
        images = Image.objects.filter(title__startswith="Demo:")

        assert images.count() == len(IMAGES)
        for image in images:
            with image.open_file() as f, PILImage.open(f) as picture:
                assert picture.format == "JPEG"
                assert picture.size == (image.width, image.height)
                # a picture, not a flat colour
                assert len(picture.resize((8, 8)).getcolors(64) or []) > 4
            assert image.description

    def test_every_demo_page_is_served_in_its_language(self, client):
        for language in ("en", "es"):
            for page in site_pages(language):
                response = client.get(page.url)
                assert response.status_code == 200, page.url
                assert f'<html lang="{language}"' in response.content.decode(), page.url
        assert client.get("/es/espanol-en-verano/").status_code == 200
        assert client.get("/es/blog/").status_code == 200

    def test_menus_exist_in_both_languages_and_lead_to_pages_of_that_language(self, client):
        for language in ("en", "es"):
            menus = Menu.objects.filter(locale__language_code=language)
            assert {menu.slot for menu in menus} == {"main", "footer"}
        spanish = BeautifulSoup(client.get("/es/").content, "html.parser")
        hrefs = {a["href"] for a in spanish.select("header a[href], footer a[href]")}

        assert {"/es/blog/", "/es/preguntas-frecuentes/", "/es/ensena/"} <= hrefs
        assert not hrefs & {"/blog/", "/faq/", "/teach/"}

    def test_a_demo_teacher_is_a_site_editor_who_cannot_publish(self):
        ana = User.objects.get(email="ana.garcia@example.com")
        landing = LandingPage.objects.filter(locale__language_code="en").first()

        assert ana.groups.filter(name=EDITORS).exists()
        assert landing.permissions_for_user(ana).can_edit()
        assert not landing.permissions_for_user(ana).can_publish()

    def test_loading_demo_data_twice_leaves_the_site_as_it_was(
        self, django_capture_on_commit_callbacks
    ):
        before, users_before = site_counts(), counts()

        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo_data", stdout=io.StringIO())

        assert site_counts() == before
        assert counts() == users_before
        assert users_before["users"] == 14
        assert before["pages"] == 1 + 2 * sum(PAGE_COUNTS.values())
