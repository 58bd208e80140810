"""The FAQ page: where it may live, what the factory builds, how it renders, its `?q=` filter,
its FAQPage JSON-LD, and the `questions()` helper other blocks use."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from faq.blocks import FAQSectionBlock, QuestionBlock
from faq.models import FAQPage
from faq.selectors import faq_page_get_for_locale, faq_questions
from home.models import HomePage
from tests.authentication.factories import UserFactory
from tests.faq.factories import SECTIONS_EN, FAQPageFactory, english_home, stream_body
from tests.query_budget import assert_constant_queries

pytestmark = pytest.mark.django_db

ALL_QUESTIONS = [q for _heading, questions in SECTIONS_EN for q, _a in questions]


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def visible_questions(response) -> list[str]:
    """The questions a visitor sees: neither the question nor its section carries `hidden`."""
    page = soup(response)
    shown = []
    for section in page.select("[data-faq-section]"):
        if section.has_attr("hidden"):
            continue
        for question in section.select("[data-faq-question]"):
            if not question.has_attr("hidden"):
                shown.append(question.summary.get_text(strip=True))
    return shown


def json_ld_objects(response) -> list[dict]:
    objects = []
    for script in soup(response).find_all("script", type="application/ld+json"):
        data = json.loads(script.string)
        objects.extend(data if isinstance(data, list) else [data])
    return objects


# --- the page tree --------------------------------------------------------------------------------


def test_an_faq_page_can_be_created_only_under_a_home_page(page_tests):
    page_tests.assertCanCreateAt(HomePage, FAQPage)
    page_tests.assertCanNotCreateAt(Page, FAQPage)
    page_tests.assertCanNotCreateAt(FAQPage, FAQPage)
    page_tests.assertAllowedParentPageTypes(FAQPage, {HomePage})
    page_tests.assertAllowedSubpageTypes(FAQPage, set())


def test_a_home_page_holds_one_faq_page_only(faq_page):
    assert not FAQPage.can_create_at(english_home())


def test_a_home_page_without_an_faq_page_can_take_one(db):
    assert FAQPage.can_create_at(english_home())


def test_an_editor_can_create_an_faq_page_in_the_admin(client, page_tests):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    page_tests.client = client
    data = nested_form_data(
        {
            "title": "Help",
            "slug": "help",
            "intro": rich_text("<p>Answers to common questions.</p>"),
            "body": streamfield(
                [
                    (
                        "section",
                        {
                            "heading": "Lessons",
                            "questions": {
                                "count": "1",
                                "0": {
                                    "id": "f0e3c1b2-0000-4000-8000-000000000001",
                                    "order": "0",
                                    "deleted": "",
                                    "value": {
                                        "question": "How long is a lesson?",
                                        "answer": rich_text("<p>Sixty minutes.</p>"),
                                    },
                                },
                            },
                        },
                    )
                ]
            ),
        }
    )

    page_tests.assertCanCreate(english_home(), FAQPage, data)

    page = FAQPage.objects.get(slug="help")
    assert [item.question for item in page.questions()] == ["How long is a lesson?"]


# --- the factory and rendering --------------------------------------------------------------------


def test_the_factory_builds_a_published_page_with_three_sections_of_real_questions(faq_page):
    assert faq_page.live and faq_page.last_published_at is not None
    assert faq_page.locale.language_code == "en"
    assert [block.value["heading"] for block in faq_page.body] == [
        "Lessons",
        "Payments",
        "Teachers",
    ]
    assert [item.question for item in faq_page.questions()] == ALL_QUESTIONS
    revision_page = faq_page.get_latest_revision_as_object()
    assert revision_page.body.raw_data == faq_page.body.raw_data


def test_the_faq_page_shows_every_section_and_question_with_its_answer(client, faq_page):
    response = client.get(faq_page.url)
    page = soup(response)

    assert [h.get_text(strip=True) for h in page.select(".faq-section h2")] == [
        "Lessons",
        "Payments",
        "Teachers",
    ]
    assert visible_questions(response) == ALL_QUESTIONS
    refund = page.find("summary", string="Can I get a refund?").parent
    assert refund.select_one(".faq-question__a a")["href"] == "https://example.com/terms"
    assert page.select_one("form[data-faq-search] input[name=q]") is not None


def test_each_question_has_a_stable_anchor_that_other_pages_can_link_to(client, faq_page):
    item = faq_page.questions(limit=1)[0]

    page = soup(client.get(faq_page.url))

    assert page.find(id=item.anchor).summary.get_text(strip=True) == item.question
    assert item.url == f"{faq_page.url}#{item.anchor}"
    assert faq_page.questions(limit=1)[0].anchor == item.anchor  # the same on every read


def test_the_page_loads_its_search_script(client, faq_page):
    page = soup(client.get(faq_page.url))

    assert any("faq/faq-search.js" in (s.get("src") or "") for s in page.find_all("script"))


def test_rendering_the_page_costs_the_same_queries_with_few_or_many_questions(client, faq_page):
    def grow():
        faq_page.body = stream_body([(f"Section {n}", SECTIONS_EN[0][1] * 5) for n in range(8)])
        faq_page.save_revision().publish()
        client.get(faq_page.url)  # warm-up: publishing clears the site's cached fragments

    many = assert_constant_queries(
        lambda: client.get(faq_page.url),
        grow=grow,
        budget=20,
        rows=lambda response: len(visible_questions(response)),
    )

    assert len(visible_questions(client.get(faq_page.url))) == 8 * 15
    assert many <= 20


# --- the in-page search ---------------------------------------------------------------------------


def test_the_search_shows_only_the_questions_with_every_word(client, faq_page):
    response = client.get(faq_page.url, {"q": "change lesson"})

    assert visible_questions(response) == ["Can I change the time of a lesson?"]
    status = soup(response).select_one("[data-faq-status]").get_text(strip=True)
    assert status == "1 question matches."


def test_the_search_matches_answers_and_section_headings_too(client, faq_page):
    by_answer = client.get(faq_page.url, {"q": "STRIPE"})
    by_heading = client.get(faq_page.url, {"q": "payments"})

    assert visible_questions(by_answer) == ["Which payment methods do you accept?"]
    assert visible_questions(by_heading) == [
        "Which payment methods do you accept?",
        "Can I get a refund?",
    ]


def test_the_search_ignores_accents_and_case(client, spanish_faq):
    with translation.override("es"):
        response = client.get(spanish_faq.url, {"q": "COMO reservo"})

    assert visible_questions(response) == ["¿Cómo reservo una clase con un profesor?"]


def test_matching_questions_are_opened_and_sections_without_a_match_are_hidden(client, faq_page):
    page = soup(client.get(faq_page.url, {"q": "refund"}))

    shown_sections = [s for s in page.select("[data-faq-section]") if not s.has_attr("hidden")]
    assert [s.h2.get_text(strip=True) for s in shown_sections] == ["Payments"]
    refund = page.find("summary", string="Can I get a refund?").parent
    assert refund.has_attr("open")
    # Everything is still in the page (hidden), so the script can widen the search again.
    assert len(page.select("[data-faq-question]")) == len(ALL_QUESTIONS)


def test_a_search_without_a_match_says_so_and_offers_every_question_again(client, faq_page):
    response = client.get(faq_page.url, {"q": "submarine"})
    page = soup(response)

    assert visible_questions(response) == []
    assert not page.select_one("[data-faq-empty]").has_attr("hidden")
    assert page.select_one("[data-faq-reset] a")["href"] == faq_page.url


def test_without_a_search_the_no_match_message_is_hidden(client, faq_page):
    page = soup(client.get(faq_page.url))

    assert page.select_one("[data-faq-empty]").has_attr("hidden")
    assert page.select_one("[data-faq-status]").get_text(strip=True) == ""


@pytest.mark.parametrize(
    "query",
    [
        "   ",
        "!!!",
        "<script>alert(1)</script>",
        "x" * 5000,
        "'; DROP TABLE faq; --",
        "%00",
        "日本語",
    ],
)
def test_odd_queries_never_break_the_page(client, faq_page, query):
    response = client.get(faq_page.url, {"q": query})

    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_a_blank_query_shows_every_question(client, faq_page):
    assert visible_questions(client.get(faq_page.url, {"q": "   "})) == ALL_QUESTIONS


# --- JSON-LD --------------------------------------------------------------------------------------


def test_the_json_ld_is_a_schema_org_faq_page_with_every_question_and_answer(faq_page):
    (data,) = [d for d in faq_page.get_json_ld() if d["@type"] == "FAQPage"]
    parsed = json.loads(json.dumps(data))

    assert parsed["@context"] == "https://schema.org"
    assert parsed["inLanguage"] == "en"
    assert parsed["url"] == faq_page.full_url
    assert [q["name"] for q in parsed["mainEntity"]] == ALL_QUESTIONS
    for question in parsed["mainEntity"]:
        assert question["@type"] == "Question"
        assert question["acceptedAnswer"]["@type"] == "Answer"
        assert question["acceptedAnswer"]["text"].startswith("<p>")


def test_the_page_html_carries_the_faq_json_ld_in_a_script_that_parses(client, faq_page):
    objects = json_ld_objects(client.get(faq_page.url, {"q": "refund"}))

    (faq,) = [o for o in objects if o.get("@type") == "FAQPage"]
    # The structured data describes the whole page, whatever the visitor searched for.
    assert len(faq["mainEntity"]) == len(ALL_QUESTIONS)
    assert all(q["name"] and q["acceptedAnswer"]["text"] for q in faq["mainEntity"])


def test_an_answer_cannot_close_the_json_ld_script(client, faq_page):
    faq_page.body = stream_body([("Odd", [("Is </script> safe?", "<p>Yes </script><b>x</b></p>")])])
    faq_page.save_revision().publish()

    script = faq_page.json_ld_script()

    assert script.count("</script>") == 1
    assert json.loads(script.split(">", 1)[1].rsplit("</script>", 1)[0])["mainEntity"][0][
        "name"
    ] == ("Is </script> safe?")


# --- meta -----------------------------------------------------------------------------------------


def test_the_meta_description_falls_back_to_the_intro(faq_page):
    assert faq_page.get_meta_description().startswith("Answers about lessons, payments")

    faq_page.search_description = "Everything about lessons."
    assert faq_page.get_meta_description() == "Everything about lessons."


def test_without_an_intro_the_meta_description_lists_the_first_questions(db):
    page = FAQPageFactory(intro="")

    assert page.get_meta_description().startswith("How do I book a lesson with a teacher?")


# --- questions() for other blocks ---------------------------------------------------------------


def test_questions_returns_at_most_the_number_asked_for_in_reading_order(faq_page):
    assert [i.question for i in faq_page.questions(limit=2)] == ALL_QUESTIONS[:2]
    assert faq_page.questions(limit=0) == []
    assert [i.question for i in faq_page.questions(limit=100)] == ALL_QUESTIONS


def test_questions_can_be_taken_from_one_section(faq_page):
    items = faq_page.questions(section="Payments")

    assert [i.question for i in items] == [
        "Which payment methods do you accept?",
        "Can I get a refund?",
    ]
    assert {i.section for i in items} == {"Payments"}
    assert "Stripe" in items[0].answer_html


def test_questions_cost_no_query_once_the_page_is_loaded(faq_page, django_assert_num_queries):
    page = FAQPage.objects.get(pk=faq_page.pk)
    page.url  # noqa: B018 - the URL is resolved (and cached) once, as in a request

    with django_assert_num_queries(0):
        page.questions(limit=3)


def test_the_faq_of_a_locale_gives_its_own_questions(spanish_faq):
    spanish = Locale.objects.get(language_code="es")

    assert faq_page_get_for_locale(locale=spanish).pk == spanish_faq.pk
    assert faq_questions(limit=1, locale=spanish)[0].question == (
        "¿Cómo reservo una clase con un profesor?"
    )
    with translation.override("en"):
        assert faq_questions(limit=1)[0].question == "How do I book a lesson with a teacher?"


def test_a_locale_without_a_live_faq_page_has_no_questions(db):
    FAQPageFactory(live=False)

    assert faq_questions(limit=3, locale=Locale.objects.get(language_code="en")) == []


# --- blocks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("block", [QuestionBlock(), FAQSectionBlock()])
def test_every_block_has_an_icon_a_template_and_a_preview(block):
    assert block.meta.icon and block.meta.icon != "placeholder"
    assert block.meta.template.startswith("faq/blocks/")
    assert block.is_previewable

    html = block.render(block.get_preview_value())

    assert "Can I change the time of a lesson?" in html
    assert "24 hours" in html


def test_the_block_previews_render_in_the_admin(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    section = FAQPage._meta.get_field("body").stream_block.child_blocks["section"]
    question = section.child_blocks["questions"].child_block

    for block in (section, question):
        response = client.get(
            reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
        )

        assert response.status_code == 200
        assert "Can I change the time of a lesson?" in response.content.decode()
