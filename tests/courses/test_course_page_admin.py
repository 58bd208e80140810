"""The course page in the Wagtail admin, as its teacher, an Editor and a Moderator see it: what
comes from the course record (read-only, with the way to the teacher area), the course and the
address fixed once the page exists, and how the page is published."""

from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupApprovalTask, Workflow, WorkflowPage, WorkflowTask
from wagtail.users.models import UserProfile

from catalog.models import Level
from courses.choices import CourseFormat
from courses.page_services import course_page_create
from courses.pages import CoursePage
from cplatform.editorial import EDITORS, MODERATORS
from tests.authentication.factories import UserFactory
from tests.classroom.conftest import as_user
from tests.courses.factories import CourseFactory, EnrollmentFactory, ModuleFactory
from tests.courses.page_helpers import catalog
from tests.editorial.admin_forms import edit_form

pytestmark = pytest.mark.django_db


def member_of(group_name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def course(people):
    catalog()
    course = CourseFactory(
        owner=people.teacher,
        title="Spanish for travellers",
        summary="Order food, ask the way\nand make friends.",
        format=CourseFormat.GROUP,
        price=Decimal("120"),
        currency="EUR",
        capacity=8,
        level=Level.objects.get(code="beginner"),
        starts_on=date(2027, 1, 11),
        ends_on=date(2027, 3, 29),
    )
    ModuleFactory(course=course, title="Greetings", position=0)
    ModuleFactory(course=course, title="At the market", position=1)
    EnrollmentFactory(course=course)
    EnrollmentFactory(course=course)
    course.page = course_page_create(course=course)
    return course


def edit_screen(client, page) -> BeautifulSoup:
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def words(element) -> str:
    return " ".join(element.get_text(" ").split()) if element is not None else ""


def course_workflow():
    task = GroupApprovalTask.objects.create(name="Course review")
    task.groups.set([Group.objects.get(name=MODERATORS)])
    workflow = Workflow.objects.create(name="Course review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(page=catalog(), workflow=workflow)
    return workflow


# --- from the course -----------------------------------------------------------------------------


def test_the_teacher_sees_what_the_page_takes_from_the_course_and_where_to_change_it(
    client, people, course
):
    as_user(client, people.teacher)
    record = edit_screen(client, course.page).select_one('[data-testid="course-record"]')
    text = words(record)

    assert "Order food, ask the way and make friends." in text  # summary
    for fact in ("Mathematics", "Beginner", "Group", "English", "120 EUR"):
        assert fact in text, fact
    assert "Monday, 11 January 2027 to Monday, 29 March 2027" in text  # dates, named format
    assert "2 of 8 taken" in text  # seats
    assert [words(li) for li in record.select(".course-record__syllabus li")] == [
        "Greetings",
        "At the market",
    ]
    link = record.find("a", string=lambda s: s and "teacher area" in s)
    assert link["href"] == reverse("teach-course", args=[course.pk])
    assert client.get(link["href"]).status_code == 200


def test_the_teacher_area_link_follows_the_admins_language(client, people, course):
    profile = UserProfile.get_for_user(people.teacher)
    profile.preferred_language = "es"
    profile.save()
    as_user(client, people.teacher)
    record = edit_screen(client, course.page).select_one('[data-testid="course-record"]')

    hrefs = [a["href"] for a in record.find_all("a")]

    assert f"/es/courses/teach/{course.pk}/" in hrefs
    assert "2 de 8 ocupadas" in words(record) and "Temario" in words(record)


def test_an_editor_sees_the_course_record_but_no_link_to_a_teacher_area_they_cannot_open(
    client, course
):
    client.force_login(member_of(EDITORS))
    record = edit_screen(client, course.page).select_one('[data-testid="course-record"]')

    assert "2 of 8 taken" in words(record)
    assert "course's teachers change them in the teacher area" in words(record)
    assert record.find("a") is None


# --- course and address fixed --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["teacher", "editor", "moderator"])
def test_the_course_and_the_address_are_shown_as_text_not_inputs(client, people, course, role):
    user = {"teacher": people.teacher}.get(role) or member_of(
        EDITORS if role == "editor" else MODERATORS
    )
    client.force_login(user)
    soup = edit_screen(client, course.page)

    assert soup.select('[name="course"]') == [] and soup.select('[name="slug"]') == []
    assert words(soup.select_one("#id_course")) == "Spanish for travellers"
    assert words(soup.select_one("#id_slug")) == f"/courses/{course.slug}/"
    assert soup.select_one("#id_slug")["aria-readonly"] == "true"


def test_a_posted_course_or_address_is_ignored(client, people, course):
    other = CourseFactory(owner=people.teacher, title="Another of mine")
    as_user(client, people.teacher)
    data = edit_form(client, course.page)
    data["course"] = str(other.pk)
    data["slug"] = "somewhere-else"
    data["title"] = "Spanish for travellers (new)"

    response = client.post(reverse("wagtailadmin_pages:edit", args=[course.page.pk]), data)

    assert response.status_code == 302
    draft = CoursePage.objects.get(pk=course.page.pk).get_latest_revision_as_object()
    assert draft.title == "Spanish for travellers (new)"  # the save went through
    assert draft.course_id == course.pk and draft.slug == course.slug
    page = CoursePage.objects.get(pk=course.page.pk)
    assert page.course_id == course.pk and page.slug == course.slug


def test_a_teacher_still_creates_a_course_page_in_the_admin_for_a_course_of_theirs(client, people):
    index = catalog()
    mine = CourseFactory(owner=people.teacher, title="Algebra", slug="algebra")
    theirs = CourseFactory(owner=people.other_teacher, title="Geometry")
    as_user(client, people.teacher)
    url = reverse("wagtailadmin_pages:add", args=["courses", "coursepage", index.pk])

    form = BeautifulSoup(client.get(url).content, "html.parser")
    offered = {o["value"] for o in form.select('select[name="course"] option') if o["value"]}
    assert offered == {str(mine.pk)}  # only their own course, chosen from a list
    assert form.select_one('[data-testid="course-record"]') is None  # nothing to show yet
    response = client.post(
        url,
        {
            "title": "Algebra",
            "slug": "anything",
            "course": str(mine.pk),
            "description-count": "0",
            "faq-count": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    page = CoursePage.objects.get(course=mine)
    assert page.slug == "algebra" and page.owner == people.teacher
    assert theirs.pages.count() == 0


# --- how it is published -------------------------------------------------------------------------


def test_without_a_workflow_the_teacher_is_sent_to_the_teacher_area_to_publish(
    client, people, course
):
    as_user(client, people.teacher)
    soup = edit_screen(client, course.page)
    help_panel = soup.select_one('[data-testid="course-publishing-help"]')

    assert "press “Publish” on the course's page in the teacher area" in words(help_panel)
    assert help_panel.find("a")["href"] == reverse("teach-course", args=[course.pk])
    assert soup.select('[name="action-publish"]') == []  # the menu agrees: no Publish here…
    menu_links = [a for a in soup.select("a.button") if words(a) == "Publish in the teacher area"]
    assert [a["href"] for a in menu_links] == [reverse("teach-course", args=[course.pk])]
    # …and the teacher area's Publish does it.
    response = client.post(help_panel.find("a")["href"] + "publish/", follow=True)
    assert "The course is published." in response.content.decode()


def test_with_the_course_workflow_the_help_names_the_menus_submit_button(client, people, course):
    course_workflow()
    as_user(client, people.teacher)
    soup = edit_screen(client, course.page)
    help_text = words(soup.select_one('[data-testid="course-publishing-help"]'))

    assert "“Submit to Course review” sends them to review" in help_text
    submit = soup.select_one('[name="action-submit"]')
    assert submit is not None and "Submit to Course review" in words(submit.parent)
    assert soup.select('[name="action-publish"]') == []


def test_a_moderator_is_told_publishing_here_publishes_the_course(client, course):
    client.force_login(member_of(MODERATORS))
    soup = edit_screen(client, course.page)
    help_text = words(soup.select_one('[data-testid="course-publishing-help"]'))

    assert "“Publish” puts your changes live at once" in help_text
    assert soup.select('[name="action-publish"]')


def test_an_editor_is_told_who_publishes(client, course):
    client.force_login(member_of(EDITORS))
    soup = edit_screen(client, course.page)
    help_text = words(soup.select_one('[data-testid="course-publishing-help"]'))

    assert "A moderator, or the course's teacher from the teacher area, publishes them." in (
        help_text
    )
    assert soup.select('[name="action-publish"]') == []
    assert not [a for a in soup.select("a.button") if words(a) == "Publish in the teacher area"]
