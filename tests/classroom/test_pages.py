from datetime import date, timedelta
from html.parser import HTMLParser

import pytest

from classroom.models import StudentProfile, TeacherProfile
from tests.authentication.factories import ADULT_BIRTHDAY, StudentFactory, TeacherFactory
from tests.classroom.conftest import as_user
from tests.classroom.factories import TeacherProfileFactory, listed_teacher

pytestmark = pytest.mark.django_db


class PageStructure(HTMLParser):
    """Headings, form controls and labels inside <main>."""

    def __init__(self):
        super().__init__()
        self.in_main = 0
        self.headings: list[int] = []
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main += 1
        if not self.in_main:
            return
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in {"input", "select", "textarea"} and attrs.get("type") not in {
            "hidden",
            "submit",
            "button",
        }:
            self.controls.append({**attrs, "_wrapped": self.open_labels > 0})

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main -= 1
        elif tag == "label" and self.open_labels:
            self.open_labels -= 1


def structure(response) -> PageStructure:
    parser = PageStructure()
    parser.feed(response.content.decode())
    return parser


def assert_accessible_structure(response):
    """One h1 first, no skipped heading level, and a label for every form control."""
    page = structure(response)
    assert page.headings, "no headings"
    assert page.headings[0] == 1 and page.headings.count(1) == 1, page.headings
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level skipped: {page.headings}"
    for control in page.controls:
        labelled = (
            control["_wrapped"]
            or control.get("id") in page.label_for
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        assert labelled, f"unlabelled control: {control}"


# --- directory -------------------------------------------------------------------------------------


def test_the_directory_shows_name_headline_subjects_languages_and_price_of_listed_teachers(client):
    listed_teacher(
        first_name="Ana",
        last_name="García",
        subjects=("mathematics", "physics"),
        languages=("es", "en"),
        rate="32.50",
    )
    TeacherProfileFactory(user__first_name="Hidden", is_public=True, is_approved=False)

    response = client.get("/teachers/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ana García" in html
    assert "Ana teaches mathematics, physics" in html
    assert "Mathematics" in html and "Physics" in html
    assert "English" in html and "Spanish" in html
    assert "32.50 EUR" in html
    assert 'class="avatar avatar--initials"' in html
    assert "Hidden" not in html
    assert "1 teacher found" in html


def test_the_directory_shows_the_avatar_when_there_is_one(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    profile = listed_teacher(first_name="Pic")
    profile.user.avatar = "avatars/1/pic.jpg"
    profile.user.save()

    html = client.get("/teachers/").content.decode()

    assert 'src="/media/avatars/1/pic.jpg"' in html


def test_the_directory_filters_by_the_query_string(client):
    listed_teacher(first_name="Ana", subjects=("mathematics",), languages=("es",), rate="20")
    listed_teacher(first_name="Ben", subjects=("english",), languages=("en",), rate="40")

    def shown(query):
        html = client.get(f"/teachers/?{query}").content.decode()
        return [name for name in ("Ana", "Ben") if f">{name} " in html]

    assert shown("") == ["Ana", "Ben"]
    assert shown("subject=mathematics") == ["Ana"]
    assert shown("language=en") == ["Ben"]
    assert shown("level=beginner") == ["Ana", "Ben"]
    assert shown("min_price=30") == ["Ben"]
    assert shown("max_price=30") == ["Ana"]
    assert shown("q=english") == ["Ben"]
    assert shown("q=ana&subject=english") == []


def test_the_directory_is_paginated_and_keeps_the_filters_in_page_links(client):
    for i in range(14):
        listed_teacher(first_name=f"T{i:02d}", subjects=("piano",))

    first = client.get("/teachers/?subject=piano").content.decode()
    second = client.get("/teachers/?subject=piano&page=2").content.decode()

    assert "14 teachers found" in first
    assert first.count('class="teacher-card card"') == 12
    assert second.count('class="teacher-card card"') == 2
    assert 'href="?subject=piano&amp;page=2"' in first
    assert "Page 2 of 2" in second


@pytest.mark.parametrize(
    "page",
    ["abc", "0", "-1", "99999", "1.5", "1e309", "99999999999999999999999", "", "%F0%9F%98%80"],
)
def test_a_bad_page_number_shows_a_page_instead_of_failing(client, page):
    for i in range(13):
        listed_teacher(first_name=f"P{i:02d}")

    response = client.get(f"/teachers/?page={page}")

    assert response.status_code == 200
    assert 'class="teacher-card card"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "min_price=abc",
        "min_price=-5",
        "max_price=NaN",
        "max_price=Infinity",
        "min_price=1e999999",
        "max_price=99999999999",
        "min_price=12.345",
        "subject=alchemy",
        "level=%3Cscript%3E",
        "language=" + "x" * 500,
        "q=" + "y" * 500,
    ],
)
def test_bad_filter_values_are_reported_and_ignored(client, query):
    listed_teacher(first_name="Ana", rate="25")

    response = client.get(f"/teachers/?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html
    assert ">Ana " in html  # the bad filter did not filter
    assert "<script>" not in html


def test_a_minimum_price_above_the_maximum_is_reported(client):
    response = client.get("/teachers/?min_price=50&max_price=10")
    assert response.status_code == 200
    assert "The maximum price is below the minimum price." in response.content.decode()


@pytest.mark.parametrize("query", ["q=a%00b", "subject=%00", "page=%00", "min_price=1%00"])
def test_nul_characters_in_the_query_never_cause_a_server_error(client, query):
    listed_teacher()
    assert client.get(f"/teachers/?{query}").status_code in (200, 400)


def test_an_empty_directory_says_so(client):
    response = client.get("/teachers/?subject=piano")
    html = response.content.decode()
    assert "No teachers match these filters." in html
    assert "0 teachers found" in html


def test_the_directory_has_ordered_headings_and_labelled_controls(client):
    listed_teacher()
    assert_accessible_structure(client.get("/teachers/"))
    assert_accessible_structure(client.get("/es/teachers/?min_price=bad"))


def test_the_spanish_directory_shows_spanish_labels_and_texts(client):
    listed_teacher(
        first_name="Ana",
        subjects=("mathematics",),
        languages=("es",),
        translations={"es": {"headline": "Profesora de matemáticas"}},
    )

    html = client.get("/es/teachers/").content.decode()

    assert '<html lang="es"' in html
    assert "Asignatura" in html and "Idioma" in html and "Nivel" in html  # filter labels
    assert "Matemáticas" in html and "Español" in html  # lookups in Spanish
    assert "Profesora de matemáticas" in html  # the Spanish headline
    assert "1 profesor encontrado" in html
    assert 'href="/es/teachers/ana-' in html
    assert "Find a teacher" not in html and "Subject</label>" not in html


def test_the_english_directory_shows_the_english_headline(client):
    listed_teacher(first_name="Ana", translations={"es": {"headline": "Profesora de matemáticas"}})
    html = client.get("/teachers/").content.decode()
    assert "Ana teaches mathematics" in html
    assert "Profesora" not in html


# --- profile page ----------------------------------------------------------------------------------


def test_a_listed_profile_page_shows_the_profile_to_anyone(client):
    profile = listed_teacher(first_name="Ana", subjects=("piano",), levels=("advanced",))
    profile.teaching_preferences = "Scales first."
    profile.teaches_in_person, profile.location = True, "Madrid"
    profile.save()

    response = client.get(f"/teachers/{profile.slug}/")

    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Ana", "Piano", "Advanced", "Scales first.", "In person (Madrid)", "30 EUR"):
        assert text in html
    assert "not listed publicly" not in html
    assert_accessible_structure(response)


def test_the_spanish_profile_page_shows_the_spanish_headline_and_bio(client):
    profile = listed_teacher(
        first_name="Ana", translations={"es": {"headline": "Titular ES", "bio": "Bio en español"}}
    )

    html = client.get(f"/es/teachers/{profile.slug}/").content.decode()

    assert "Titular ES" in html and "Bio en español" in html
    assert "Experienced and patient." not in html
    assert "Asignaturas" in html and "Todos los profesores" in html


def test_an_unlisted_profile_is_not_found_except_for_its_owner_and_admins(client, people):
    profile = TeacherProfileFactory(user=people.teacher, is_public=True, is_approved=False)
    url = f"/teachers/{profile.slug}/"

    for viewer in (
        None,
        people.student_a,
        people.student_b,
        people.parent_of_a,
        people.other_teacher,
    ):
        assert as_user(client, viewer).get(url).status_code == 404
    for viewer in (people.teacher, people.admin):
        response = as_user(client, viewer).get(url)
        assert response.status_code == 200
        assert "This profile is not listed publicly yet" in response.content.decode()


def test_the_owner_gets_a_link_to_edit_their_profile(client, people):
    profile = listed_teacher(first_name="Own")
    # Every teacher has the link in the navigation; only the owner gets it on the profile itself.
    owner_link = '<a href="/teachers/me/edit/">Edit your teaching profile</a>'
    html = as_user(client, profile.user).get(f"/teachers/{profile.slug}/").content.decode()
    assert owner_link in html
    other = as_user(client, people.other_teacher).get(f"/teachers/{profile.slug}/").content.decode()
    assert owner_link not in other


def test_an_unknown_teacher_page_is_not_found(client):
    assert client.get("/teachers/nobody-here/").status_code == 404


# --- teacher profile edit page ---------------------------------------------------------------------

EDIT = "/teachers/me/edit/"


def valid_teacher_post(**overrides):
    data = {
        "headline": "Maths and physics",
        "bio": "Fifteen years of teaching.",
        "headline_es": "Matemáticas y física",
        "bio_es": "Quince años enseñando.",
        "subjects": ["mathematics", "physics"],
        "levels": ["beginner", "advanced"],
        "languages": ["es", "en"],
        "hourly_rate": "35.00",
        "currency": "USD",
        "teaches_online": "on",
        "teaches_in_person": "on",
        "location": "Madrid",
        "teaching_preferences": "Lots of practice.",
        "is_public": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_teacher_edit_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(EDIT)
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/")


@pytest.mark.parametrize("who", ["student_a", "parent_of_a", "admin"])
def test_people_without_the_teacher_role_cannot_open_the_teacher_edit_page(client, people, who):
    assert as_user(client, getattr(people, who)).get(EDIT).status_code == 403
    assert as_user(client, getattr(people, who)).post(EDIT, valid_teacher_post()).status_code == 403


def test_a_teacher_edits_their_profile_on_the_page(client, people):
    client.force_login(people.teacher)
    page = client.get(EDIT)
    assert page.status_code == 200
    assert_accessible_structure(page)

    response = client.post(EDIT, valid_teacher_post())

    assert response.status_code == 302 and response["Location"] == EDIT
    profile = TeacherProfile.objects.get(user=people.teacher)
    assert profile.headline == "Maths and physics"
    assert profile.translations == {
        "es": {"headline": "Matemáticas y física", "bio": "Quince años enseñando."}
    }
    assert sorted(s.slug for s in profile.subjects.all()) == ["mathematics", "physics"]
    assert sorted(lv.code for lv in profile.levels.all()) == ["advanced", "beginner"]
    assert str(profile.hourly_rate) == "35.00" and profile.currency == "USD"
    assert (profile.teaches_in_person, profile.location, profile.is_public) == (
        True,
        "Madrid",
        True,
    )
    assert profile.is_approved is False
    followed = client.get(EDIT).content.decode()
    assert "Your teaching profile has been saved." in followed
    assert 'value="Matemáticas y física"' in followed  # the form shows what was saved


def test_the_teacher_edit_page_cannot_approve_or_move_the_profile(client, people):
    client.force_login(people.teacher)
    slug = TeacherProfile.objects.get(user=people.teacher).slug

    client.post(
        EDIT,
        valid_teacher_post(is_approved="on", slug="taken", user=str(people.other_teacher.pk)),
    )

    profile = TeacherProfile.objects.get(user=people.teacher)
    assert (profile.is_approved, profile.slug) == (False, slug)
    assert TeacherProfile.objects.get(user=people.other_teacher).headline == ""


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"location": ""}, "Say where in-person lessons happen."),
        ({"teaches_online": None, "teaches_in_person": None}, "Choose at least one lesson format"),
        ({"hourly_rate": "-3"}, "greater than or equal to 0"),
        ({"subjects": ["alchemy"]}, "Select a valid choice"),
        ({"headline": "x" * 161}, "at most 160 characters"),
    ],
)
def test_the_teacher_edit_page_shows_errors_and_keeps_the_profile(
    client, people, overrides, message
):
    client.force_login(people.teacher)

    response = client.post(EDIT, valid_teacher_post(**overrides))

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert TeacherProfile.objects.get(user=people.teacher).headline == ""


def test_the_teacher_edit_page_speaks_spanish(client, people):
    html = as_user(client, people.teacher).get("/es" + EDIT).content.decode()
    assert "Tu perfil de profesor" in html and "Guardar" in html


def test_the_edit_page_url_is_not_a_teacher_profile_page(client):
    TeacherFactory(first_name="Me", last_name="", display_name="")
    assert client.get("/teachers/me/").status_code == 404


# --- student profile edit page ---------------------------------------------------------------------

STUDENT_EDIT = "/students/me/edit/"


def test_a_student_edits_their_learning_profile_on_the_page(client, people):
    client.force_login(people.student_a)
    page = client.get(STUDENT_EDIT)
    assert page.status_code == 200
    assert_accessible_structure(page)

    response = client.post(
        STUDENT_EDIT,
        {"date_of_birth": "2008-03-04", "level": "intermediate", "learning_goals": "Pass B2"},
    )

    assert response.status_code == 302
    profile = StudentProfile.objects.get(user=people.student_a)
    assert profile.date_of_birth == date(2008, 3, 4)
    assert profile.level.code == "intermediate"
    assert profile.learning_goals == "Pass B2"
    assert "Your learning profile has been saved." in client.get(STUDENT_EDIT).content.decode()


def test_a_student_cannot_give_a_future_date_of_birth_on_the_page(client, people):
    client.force_login(people.student_a)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()

    response = client.post(
        STUDENT_EDIT, {"date_of_birth": tomorrow, "level": "", "learning_goals": ""}
    )

    assert response.status_code == 200
    assert "The date of birth cannot be in the future." in response.content.decode()
    assert StudentProfile.objects.get(user=people.student_a).date_of_birth == ADULT_BIRTHDAY


@pytest.mark.parametrize("who", ["teacher", "parent_of_a", "admin"])
def test_people_without_the_student_role_cannot_open_the_student_edit_page(client, people, who):
    assert as_user(client, getattr(people, who)).get(STUDENT_EDIT).status_code == 403


def test_the_student_edit_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(STUDENT_EDIT)
    assert response.status_code == 302 and "/auth/login/" in response["Location"]


def test_the_student_edit_page_speaks_spanish(client):
    html = as_user(client, StudentFactory()).get("/es" + STUDENT_EDIT).content.decode()
    assert "Tu perfil de estudiante" in html and "Fecha de nacimiento" in html


def test_the_navigation_links_teachers_and_students_to_their_own_profile_pages(client, people):
    """The teaching area (under the header on its pages) and the profile page lead each role to
    its own profile page."""
    teacher_week = as_user(client, people.teacher).get("/lessons/week/").content.decode()
    assert 'href="/teachers/me/edit/"' in teacher_week
    teacher_profile = as_user(client, people.teacher).get("/auth/profile/").content.decode()
    assert 'href="/teachers/me/edit/"' in teacher_profile
    assert 'href="/students/me/edit/"' not in teacher_profile
    student_profile = as_user(client, people.student_a).get("/auth/profile/").content.decode()
    assert 'href="/students/me/edit/"' in student_profile
    assert 'href="/teachers/me/edit/"' not in student_profile


def test_the_teacher_form_has_an_english_and_a_spanish_section_each_with_how_i_teach(
    client, people
):
    client.force_login(people.teacher)
    html = client.get(EDIT).content.decode()
    assert "<h2>English</h2>" in html and "<h2>Español</h2>" in html
    assert 'name="teaching_preferences_es"' in html and 'lang="es"' in html

    client.post(EDIT, valid_teacher_post(teaching_preferences_es="Mucha práctica."))

    profile = TeacherProfile.objects.get(user=people.teacher)
    assert profile.translations["es"]["teaching_preferences"] == "Mucha práctica."
    spanish = client.get(f"/es/teachers/{profile.slug}/").content.decode()
    assert "Mucha práctica." in spanish and "Lots of practice." not in spanish
    english = client.get(f"/teachers/{profile.slug}/").content.decode()
    assert "Lots of practice." in english and "Mucha práctica." not in english
