"""Courses as Wagtail pages: the catalog page (/courses/, /es/courses/), course pages, their JSON-LD,
site search, publishing from the teacher area with and without a moderation workflow, teachers in
the Wagtail admin, the course-list block, and query budgets."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupApprovalTask,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from catalog.models import Level, Subject, TeachingLanguage
from courses.blocks import CourseListBlock
from courses.choices import CourseFormat, CourseStatus
from courses.models import Course
from courses.page_services import course_page_create
from courses.pages import CourseIndexPage, CoursePage, catalog_listing_changed
from courses.services import course_update
from cplatform.editorial import MODERATORS
from home.models import HomePage, LandingPage
from tests.authentication.factories import UserFactory
from tests.classroom.conftest import as_user
from tests.classroom.factories import TeacherProfileFactory
from tests.courses.factories import CourseFactory, EnrollmentFactory, MaterialFactory, ModuleFactory
from tests.courses.page_helpers import (
    bulk_live_course_pages,
    catalog,
    json_ld,
    live_course,
    publish,
    translate_page,
)
from tests.query_budget import assert_constant_queries, html_rows

pytestmark = pytest.mark.django_db


def card_slugs(response) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(response.content, "html.parser")
    return [li["data-course"] for li in soup.select("li.course-card")]


# --- page types --------------------------------------------------------------------------------


def test_the_catalog_lives_under_a_home_page_and_course_pages_only_under_the_catalog():
    index = catalog()
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    assert index.get_parent().pk == home.pk and index.slug == "courses" and index.live
    assert CourseIndexPage.can_create_at(home) is False  # one per home page: it exists
    assert CourseIndexPage.parent_page_types == ["home.HomePage"]
    assert CoursePage.can_create_at(index)
    assert not CoursePage.can_create_at(home)
    landing = home.add_child(instance=LandingPage(title="Promo", slug="promo"))
    assert not CoursePage.can_create_at(landing)
    assert not CourseIndexPage.can_create_at(landing)


def test_the_catalog_keeps_its_courses_address():
    index = catalog()
    index.slug = "cursos"
    with pytest.raises(Exception, match="must stay"):
        index.full_clean()


# --- the catalog ---------------------------------------------------------------------------------


def test_catalog_lists_published_courses_with_a_live_page_only(client):
    listed = live_course(title="Algebra")
    live_course(title="Archived one", status=CourseStatus.ARCHIVED)
    no_page = CourseFactory(title="No page yet")
    draft_page = CourseFactory(title="Draft page")
    course_page_create(course=draft_page)

    response = client.get("/courses/")

    assert response.status_code == 200
    assert card_slugs(response) == [listed.slug]
    assert f'href="/courses/{listed.slug}/"' in response.content.decode()
    assert client.get(f"/courses/{draft_page.slug}/").status_code == 404
    assert client.get(f"/courses/{no_page.slug}/").status_code == 404


def test_catalog_filters_search_and_sorts_through_the_page(client):
    today = timezone.localdate()
    piano = Subject.objects.get(slug="piano")
    advanced = Level.objects.get(code="advanced")
    spanish_lang = TeachingLanguage.objects.get(code="es")
    teacher = UserFactory(roles=["Teacher"], first_name="Tina")
    free = live_course(title="Free algebra", price=0, starts_on=today + timedelta(days=5))
    cheap = live_course(
        title="Cheap piano",
        price=Decimal("15"),
        subject=piano,
        format=CourseFormat.SELF_PACED,
        capacity=None,
        starts_on=today + timedelta(days=90),
    )
    dear = live_course(
        title="Dear physics",
        price=Decimal("300"),
        level=advanced,
        language=spanish_lang,
        owner=teacher,
        summary="Quantum mechanics for the brave.",
    )

    def slugs(**params):
        return card_slugs(client.get("/courses/", params))

    assert slugs(subject="piano") == [cheap.slug]
    assert slugs(level="advanced") == [dear.slug]
    assert slugs(language="es") == [dear.slug]
    assert slugs(format="self_paced") == [cheap.slug]
    assert slugs(price="free") == [free.slug]
    assert set(slugs(price="paid")) == {cheap.slug, dear.slug}
    assert set(slugs(max_price="20")) == {free.slug, cheap.slug}
    assert slugs(teacher=str(teacher.pk)) == [dear.slug]
    assert slugs(starting_soon="on") == [free.slug]
    assert slugs(q="quantum") == [dear.slug]
    assert slugs(sort="-price") == [dear.slug, cheap.slug, free.slug]
    assert slugs(sort="title") == [cheap.slug, dear.slug, free.slug]
    # Bad values are shown on the form and ignored, never a 500.
    response = client.get("/courses/", {"level": "nope", "max_price": "-3", "teacher": "x"})
    assert response.status_code == 200 and len(card_slugs(response)) == 3
    assert client.get("/courses/", {"q": "a\x00"}).status_code == 400


def test_catalog_paginates_and_keeps_the_filters_in_the_page_links(client):
    for n in range(14):
        live_course(title=f"Course {n:02d}", price=0)
    response = client.get("/courses/", {"price": "free", "sort": "title"})
    assert len(card_slugs(response)) == 12
    html = response.content.decode()
    assert "price=free&amp;sort=title&amp;page=2" in html
    second = client.get("/courses/", {"price": "free", "sort": "title", "page": 2})
    assert len(card_slugs(second)) == 2
    assert client.get("/courses/", {"page": "999"}).status_code == 200


def test_spanish_catalog_links_to_spanish_pages_and_falls_back_to_english_ones(client):
    translated = live_course(title="Algebra")
    untranslated = live_course(title="Geometry")
    translate_page(catalog(), title="Cursos")
    translate_page(translated.page, title="Álgebra")

    response = client.get("/es/courses/", {"sort": "title"})

    html = response.content.decode()
    assert response.status_code == 200 and 'lang="es"' in html
    assert "<h1>Cursos</h1>" in html and "Mostrar cursos" in html
    assert f'href="/es/courses/{translated.slug}/">Álgebra</a>' in html
    # The English-only page says so: hreflang on the link, "in English" beside it.
    assert f'href="/courses/{untranslated.slug}/" hreflang="en">Geometry</a>' in html
    assert "en inglés" in html
    # Filters work the same under /es/.
    assert card_slugs(client.get("/es/courses/", {"q": "geometry"})) == [untranslated.slug]
    page = client.get(f"/es/courses/{translated.slug}/")
    assert page.status_code == 200 and "Álgebra" in page.content.decode()
    assert 'lang="es"' in page.content.decode()
    fallback = client.get(f"/es/courses/{untranslated.slug}/")
    assert fallback.status_code == 302 and fallback["Location"] == f"/courses/{untranslated.slug}/"


def test_url_names_of_the_old_views_still_lead_to_the_pages(client):
    course = live_course()
    assert reverse("course-catalog") == "/courses/"
    assert course.get_absolute_url() == f"/courses/{course.slug}/"
    assert client.get(reverse("course-catalog")).status_code == 200
    assert client.get(course.get_absolute_url()).status_code == 200
    api_url = client.get("/api/v1/courses").json()["items"][0]["url"]
    assert api_url == "http://testserver" + course.get_absolute_url()


# --- the course page -----------------------------------------------------------------------------


def test_course_page_shows_facts_teachers_and_syllabus_but_not_materials(client):
    today = timezone.localdate()
    profile = TeacherProfileFactory(is_public=True, is_approved=True)
    course = live_course(
        owner=profile.user,
        price=Decimal("49.50"),
        currency="EUR",
        capacity=5,
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=60),
    )
    EnrollmentFactory(course=course)
    ModuleFactory(course=course, title="Week one")
    ModuleFactory(course=course, title="Week two", release_at=timezone.now() + timedelta(days=14))
    MaterialFactory(course=course, title="Secret answers")

    html = client.get(f"/courses/{course.slug}/").content.decode()

    assert "49.50 EUR" in html and "4 of 5 seats left" in html
    assert f'href="/teachers/{profile.slug}/">{profile.user.name}</a>' in html
    assert "Week one" in html and "Week two" in html and "Opens on" in html
    assert "Secret answers" not in html
    assert "Log in to enrol" in html


def test_an_enrolled_student_sees_their_enrolment_and_materials_on_the_page(client, people):
    course = live_course()
    EnrollmentFactory(course=course, student=people.student_a)
    MaterialFactory(course=course, title="Week 1 notes")
    html = as_user(client, people.student_a).get(f"/courses/{course.slug}/").content.decode()
    assert "You are enrolled." in html and "Week 1 notes" in html
    other = as_user(client, people.student_b).get(f"/courses/{course.slug}/").content.decode()
    assert "Week 1 notes" not in other and "Enrol for free" in other


def test_course_json_ld_describes_the_course_its_provider_offer_and_instance(client):
    today = timezone.localdate()
    profile = TeacherProfileFactory(is_public=True, is_approved=True)
    course = live_course(
        owner=profile.user,
        title="Algebra",
        price=Decimal("120"),
        currency="USD",
        starts_on=today + timedelta(days=3),
        ends_on=today + timedelta(days=40),
        capacity=8,
    )
    ModuleFactory(course=course, title="Equations")

    data = json_ld(client.get(f"/courses/{course.slug}/").content.decode())
    course_ld = next(d for d in data if d.get("@type") == "Course")

    assert course_ld["@context"] == "https://schema.org"
    assert course_ld["name"] == "Algebra"
    assert course_ld["url"].endswith(f"/courses/{course.slug}/")
    assert course_ld["provider"]["@type"] == "Organization" and course_ld["provider"]["name"]
    offer = course_ld["offers"][0]
    assert (offer["price"], offer["priceCurrency"], offer["category"]) == ("120.00", "USD", "Paid")
    assert offer["availability"] == "https://schema.org/InStock"
    instance = course_ld["hasCourseInstance"][0]
    assert instance["@type"] == "CourseInstance"
    assert instance["startDate"] == course.starts_on.isoformat()
    assert instance["endDate"] == course.ends_on.isoformat()
    assert instance["instructor"][0]["url"].endswith(f"/teachers/{profile.slug}/")
    assert course_ld["syllabusSections"] == [{"@type": "Syllabus", "name": "Equations"}]

    undated = live_course(format=CourseFormat.SELF_PACED, capacity=None, price=0)
    data = json_ld(client.get(f"/courses/{undated.slug}/").content.decode())
    undated_ld = next(d for d in data if d.get("@type") == "Course")
    assert "hasCourseInstance" not in undated_ld
    assert undated_ld["offers"][0]["category"] == "Free"


def test_an_unpublished_course_page_is_404_for_the_public_but_not_its_teacher(client, people):
    course = live_course(owner=people.teacher, status=CourseStatus.DRAFT)
    assert client.get(f"/courses/{course.slug}/").status_code == 404
    assert as_user(client, people.other_teacher).get(f"/courses/{course.slug}/").status_code == 404
    assert as_user(client, people.teacher).get(f"/courses/{course.slug}/").status_code == 200
    assert card_slugs(client.get("/courses/")) == []


def test_archiving_a_course_takes_its_pages_down_and_out_of_search(client, people):
    course = live_course(owner=people.teacher, title="Zymurgy for beginners")
    spanish_page = translate_page(course.page)
    assert "Zymurgy" in client.get("/search/", {"q": "zymurgy"}).content.decode()

    course_update(actor=people.teacher, course=course, data={"status": CourseStatus.ARCHIVED})

    assert not CoursePage.objects.get(pk=course.page.pk).live
    assert not CoursePage.objects.get(pk=spanish_page.pk).live
    assert Course.objects.get(pk=course.pk).status == CourseStatus.ARCHIVED
    assert client.get(f"/courses/{course.slug}/").status_code == 404
    assert "Zymurgy" not in client.get("/search/", {"q": "zymurgy"}).content.decode()


def test_site_search_finds_a_course_by_its_title_and_summary(client):
    course = live_course(title="Xylophone workshop", summary="Mallets and marimbas.")
    publish(course.page)  # indexed again, with the summary of its course
    for query in ("xylophone", "marimbas"):
        html = client.get("/search/", {"q": query}).content.decode()
        assert f'href="/courses/{course.slug}/"' in html, query


# --- teachers: draft page, admin, publishing -----------------------------------------------------


def course_form(**extra):
    return {
        "title": "Statistics",
        "format": "group",
        "subject": "mathematics",
        "price": "0",
        "currency": "EUR",
        "capacity": "5",
        "status": "draft",
        **extra,
    }


def test_a_course_created_in_the_teacher_area_gets_a_draft_page_its_teacher_owns(client, people):
    catalog()
    as_user(client, people.teacher)
    response = client.post("/courses/teach/new/", course_form())
    course = Course.objects.get(title="Statistics")
    assert response.status_code == 302
    page = CoursePage.objects.get(course=course)
    assert page.owner == people.teacher and not page.live
    assert page.get_parent().specific_class is CourseIndexPage and page.slug == course.slug
    assert client.get(f"/courses/{course.slug}/").status_code == 404
    teach = client.get(f"/courses/teach/{course.pk}/").content.decode()
    assert "Not published" in teach and reverse("wagtailadmin_pages:edit", args=[page.pk]) in teach


def test_a_teacher_edits_their_own_course_page_in_the_admin_but_not_anothers(client, people):
    catalog()
    as_user(client, people.teacher)
    client.post("/courses/teach/new/", course_form())
    mine = CoursePage.objects.get(course__title="Statistics")
    theirs = course_page_create(course=CourseFactory(owner=people.other_teacher))

    assert client.get(reverse("wagtailadmin_pages:edit", args=[mine.pk])).status_code == 200
    response = client.get(reverse("wagtailadmin_pages:edit", args=[theirs.pk]))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "/admin/" in response["Location"]
    assert not theirs.permissions_for_user(people.teacher).can_edit()
    assert mine.permissions_for_user(people.teacher).can_edit()
    assert not mine.permissions_for_user(people.teacher).can_publish()


def test_a_teacher_publishes_their_course_from_the_teacher_area_without_a_workflow(client, people):
    catalog()
    as_user(client, people.teacher)
    client.post("/courses/teach/new/", course_form())
    course = Course.objects.get(title="Statistics")
    response = client.post(f"/courses/teach/{course.pk}/publish/", follow=True)
    assert "The course is published." in response.content.decode()
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    assert CoursePage.objects.get(course=course).live
    assert card_slugs(client.get("/courses/")) == [course.slug]
    other = as_user(client, people.other_teacher).post(f"/courses/teach/{course.pk}/publish/")
    assert other.status_code == 404


def test_with_a_course_workflow_publishing_waits_for_a_moderator(client, people):
    index = catalog()
    task = GroupApprovalTask.objects.create(name="Course review")
    task.groups.set([Group.objects.get(name=MODERATORS)])
    workflow = Workflow.objects.create(name="Course review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=index, workflow=workflow)

    as_user(client, people.teacher)
    client.post("/courses/teach/new/", course_form())
    course = Course.objects.get(title="Statistics")
    page = CoursePage.objects.get(course=course)
    response = client.post(f"/courses/teach/{course.pk}/publish/", follow=True)

    assert "sent to a moderator" in response.content.decode()
    page.refresh_from_db()
    course.refresh_from_db()
    assert not page.live and course.status == CourseStatus.DRAFT
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk])).status_code == 200
    assert client.get(f"/courses/{course.slug}/").status_code == 404  # not live yet
    assert as_user(client, people.student_a).get(f"/courses/{course.slug}/").status_code == 404
    # Not in the admin either: a teacher has no publish permission, and the status form can't skip it.
    as_user(client, people.teacher)
    assert not page.permissions_for_user(people.teacher).can_publish()
    again = client.post(f"/courses/teach/{course.pk}/publish/", follow=True)
    assert "already waiting for a moderator" in again.content.decode()

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    client.force_login(moderator)
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", state.current_task_state.pk],
        ),
        {"comment": "Fine"},
    )

    assert response.status_code == 302
    page.refresh_from_db()
    course.refresh_from_db()
    assert page.live and course.status == CourseStatus.PUBLISHED
    client.logout()
    assert client.get(f"/courses/{course.slug}/").status_code == 200
    assert card_slugs(client.get("/courses/")) == [course.slug]


def test_the_sites_marketing_review_does_not_moderate_course_pages():
    index = catalog()
    home = index.get_parent().specific
    assert home.get_workflow() is not None  # the editorial migration's review
    assert index.get_workflow() is None
    page = course_page_create(course=CourseFactory())
    assert page.get_workflow() is None and not page.has_workflow


# --- the course-list block -----------------------------------------------------------------------


def landing_with_course_list(**block) -> LandingPage:
    home = HomePage.objects.get(depth=2, locale__language_code="en")
    page = LandingPage(
        title="Our courses",
        slug="our-courses",
        body=[("course_list", {"heading": "Popular courses", "limit": 3, **block})],
    )
    home.add_child(instance=page)
    return publish(page)


def test_the_course_list_block_shows_real_courses_on_a_page(client):
    piano = Subject.objects.get(slug="piano")
    chosen = live_course(title="Piano one", subject=piano)
    live_course(title="Maths one")
    CourseFactory(title="Piano without page", subject=piano)
    live_course(title="Piano archived", subject=piano, status=CourseStatus.ARCHIVED)
    page = landing_with_course_list(subject=piano)

    html = client.get(page.url).content.decode()

    assert f'href="/courses/{chosen.slug}/">Piano one</a>' in html
    assert "Maths one" not in html and "without page" not in html and "archived" not in html

    profile = TeacherProfileFactory()
    theirs = live_course(title="Their course", owner=profile.user)
    block = page.body[0].block
    courses = block.get_courses({"teacher": profile, "limit": 5})
    assert [c.pk for c in courses] == [theirs.pk]


def test_the_course_list_block_makes_the_same_queries_for_more_courses(client):
    for _ in range(2):
        live_course()
    page = landing_with_course_list(limit=12)

    def get():
        # Uncached: the site caches page fragments, which would hide the block's queries.
        cache.clear()
        return client.get(page.url)

    def grow():
        for _ in range(8):
            live_course()

    assert_constant_queries(get, grow=grow, rows=html_rows('<li class="card">'))
    assert get().content.decode().count('<li class="card">') == 10


def test_a_hand_picked_course_list_shows_the_chosen_courses_in_the_editors_order(client):
    first, second = live_course(title="Zither basics"), live_course(title="Algebra for adults")
    live_course(title="Not chosen")
    archived = live_course(title="Archived one", status=CourseStatus.ARCHIVED)
    page = landing_with_course_list(
        source="chosen", courses=[second.page, archived.page, first.page]
    )

    html = client.get(page.url).content.decode()

    assert html.index("Algebra for adults") < html.index("Zither basics")
    assert "Not chosen" not in html and "Archived one" not in html


def test_a_hand_picked_course_list_needs_a_course():
    block = CourseListBlock()

    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python({"heading": "Ours", "source": "chosen", "courses": []}))

    assert "courses" in error.value.block_errors


def test_a_hand_picked_course_list_makes_the_same_queries_for_more_courses(client):
    chosen = [live_course().page for _ in range(2)]
    page = landing_with_course_list(source="chosen", courses=chosen, limit=12)

    def get():
        cache.clear()  # the site caches page fragments, which would hide the block's queries
        return client.get(page.url)

    def grow():
        more = [live_course().page for _ in range(8)]
        page.body = [
            (
                "course_list",
                {"heading": "Ours", "source": "chosen", "courses": chosen + more, "limit": 12},
            )
        ]
        publish(page)

    assert_constant_queries(get, grow=grow, rows=html_rows('<li class="card">'))
    assert get().content.decode().count('<li class="card">') == 10


# --- query budgets ---------------------------------------------------------------------------------


def courses_found(response) -> int:
    """The catalog's "N courses found": the rows the paginated answer stands for."""
    found = re.search(r"(\d+) courses? found", response.content.decode())
    return int(found.group(1)) if found else 0


def test_catalog_makes_the_same_queries_for_20_and_2000_courses(client, people):
    index = catalog()
    owner = people.teacher

    def add(n):
        start = Course.objects.count()
        courses = Course.objects.bulk_create(
            [
                Course(
                    title=f"Bulk course {start + i}",
                    slug=f"bulk-course-{start + i}",
                    owner=owner,
                    format=CourseFormat.GROUP,
                    capacity=10,
                    subject=Subject.objects.get(slug="mathematics"),
                    status=CourseStatus.PUBLISHED,
                )
                for i in range(n)
            ]
        )
        Course.teachers.through.objects.bulk_create(
            [Course.teachers.through(course=c, user=owner) for c in courses]
        )
        bulk_live_course_pages(courses, index)

    def listing():
        # The results are cached until they change: each request reads them as just after a change.
        catalog_listing_changed()
        return client.get("/courses/")

    add(20)
    n = assert_constant_queries(listing, grow=lambda: add(1980), rows=courses_found)
    assert Page.objects.filter(coursepage__isnull=False).count() == 2000
    # Measured 4 (the courses, read as after a change): routing,
    # the filter's choices, the form, the cards and the head are cached, and so are the results
    # until they change (tests/courses/test_page_caches.py and tests/test_wagtail_lookups.py show
    # them follow changes).
    assert n <= 5
    response = client.get("/courses/", {"page": 100})
    assert len(card_slugs(response)) == 12 and "2000 courses found" in response.content.decode()


def test_course_page_makes_the_same_queries_for_1_and_30_modules(client, people):
    course = live_course(owner=people.teacher)
    ModuleFactory(course=course)
    EnrollmentFactory(course=course, student=people.student_a)
    MaterialFactory(course=course)

    def grow():
        for _ in range(29):
            ModuleFactory(course=course)
            MaterialFactory(course=course)

    url = f"/courses/{course.slug}/"
    modules = html_rows("<li><h3>")
    assert_constant_queries(lambda: client.get(url), grow=grow, rows=modules)
    as_user(client, people.student_a)
    assert_constant_queries(
        lambda: client.get(url),
        grow=grow,
        rows=lambda r: modules(r) + html_rows("<li>\n    <strong>")(r),  # modules + materials
    )


def test_through_the_api_publishing_goes_live_or_waits_for_the_course_workflow(client, people):
    from tests.authentication.factories import PASSWORD
    from tests.conftest import login_token

    index = catalog()
    token = login_token(client, people.teacher.email, PASSWORD)
    headers = {"HTTP_X_SESSION_TOKEN": token}

    def create(title):
        response = client.post(
            "/api/v1/courses",
            {"title": title, "format": "self_paced", "subject": "mathematics"},
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 201, response.content
        return response.json()["id"]

    def publish_course(course_id):
        return client.patch(
            f"/api/v1/courses/{course_id}",
            {"status": "published"},
            content_type="application/json",
            **headers,
        )

    direct = create("Direct")
    assert publish_course(direct).json()["status"] == "published"
    assert CoursePage.objects.get(course_id=direct).live

    task = GroupApprovalTask.objects.create(name="Course review")
    task.groups.set([Group.objects.get(name=MODERATORS)])
    workflow = Workflow.objects.create(name="Course review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=index, workflow=workflow)
    moderated = create("Moderated")
    response = publish_course(moderated)
    assert response.status_code == 200 and response.json()["status"] == "draft"
    page = CoursePage.objects.get(course_id=moderated)
    assert not page.live and page.workflow_in_progress
    assert publish_course(moderated).status_code == 409
