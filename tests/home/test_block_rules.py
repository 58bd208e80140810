"""What the blocks refuse before a page is saved, so the accessibility checker has nothing to flag
after the fact (issue 12): a picture without alt text, a button without words, headings that skip a
level; what the editor sees before saving (required fields marked, readable labels); the FAQ
excerpt's section chosen from the FAQ's sections."""

import re

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.admin.telepath import JSContext
from wagtail.fields import StreamField
from wagtail.rich_text import RichText
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from cplatform import blocks as site_blocks
from cplatform.alt_text_data import fill_alt_text
from home.blocks import BodyStreamBlock
from home.models import LandingPage
from tests.faq.factories import FAQPageFactory, spanish_faq_page
from tests.home import factories as f

pytestmark = pytest.mark.django_db

BLOCKS = BodyStreamBlock().child_blocks


def block_errors(block, value) -> dict:
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(value) if isinstance(value, dict) else value)
    return error.value.block_errors


def raw(factory_value, block) -> dict:
    """A factory-built struct value as the JSON an editor's form would post."""
    return block.get_prep_value(factory_value)


# --- alt text -------------------------------------------------------------------------------------

PICTURE_BLOCKS = [("hero", f.HeroBlockFactory), ("image_text", f.ImageTextBlockFactory)]


@pytest.mark.parametrize(("name", "factory"), PICTURE_BLOCKS)
def test_a_picture_without_alt_text_or_decorative_is_refused_on_the_alt_field(name, factory):
    block = BLOCKS[name]
    value = raw(factory(), block) | {"alt": "  ", "decorative": False}

    errors = block_errors(block, value)

    assert set(errors) == {"alt"}
    assert "Describe the picture" in str(errors["alt"].messages)


@pytest.mark.parametrize(("name", "factory"), PICTURE_BLOCKS)
def test_a_picture_shows_its_alt_text_and_a_decorative_one_an_empty_alt(name, factory):
    block = BLOCKS[name]
    described = block.clean(block.to_python(raw(factory(alt="A cello by a window"), block)))
    decorative = block.clean(block.to_python(raw(factory(alt="", decorative=True), block)))

    assert re.search(r'<img alt="A cello by a window"', block.render(described))
    assert re.search(r'<img alt=""', block.render(decorative))


@pytest.mark.parametrize("name", ["hero", "image_text"])
def test_the_picture_help_says_where_alt_text_comes_from_and_not_to_use_the_title(name):
    children = BLOCKS[name].child_blocks

    assert "title" not in str(children["image"].field.help_text)
    assert "Written here for this page" in str(children["alt"].field.help_text)
    names = list(children)
    at = names.index("image")
    assert names[at + 1 : at + 3] == ["alt", "decorative"]  # right under the picture


def test_a_section_without_a_picture_needs_no_alt_text():
    block = BLOCKS["hero"]
    value = raw(f.HeroBlockFactory(), block) | {"image": None, "alt": ""}

    assert block.clean(block.to_python(value))


def test_stored_pictures_without_alt_text_get_their_images_description_or_title(offline_video):
    page = f.LandingPageFactory()
    image = page.body[0].value["image"]
    image.description = ""
    image.save()
    # As stored before this change: no alt text, no "decorative", in the page and its revision.
    body = [dict(b) for b in page.body.raw_data]
    for b in body:
        if b["type"] in ("hero", "image_text"):
            b["value"] = {k: v for k, v in b["value"].items() if k not in ("alt", "decorative")}
    LandingPage.objects.filter(pk=page.pk).update(body=body)
    revision = page.latest_revision
    revision.content["body"] = body
    revision.save(update_fields=["content"])
    page.refresh_from_db()
    stripped = page.body[0].block
    with pytest.raises(ValidationError):
        stripped.clean(page.body[0].value)  # flagged when saved as it was

    fill_alt_text(apps, {"home.LandingPage": ["body"]})

    page.refresh_from_db()
    assert page.body[0].value["alt"] == image.title
    for block in page.body:  # nothing flagged any more
        if block.block_type in ("hero", "image_text"):
            assert site_blocks.picture_errors(block.value) == {}
    revision.refresh_from_db()
    revised = revision.as_object()
    assert revised.body[0].value["alt"] == image.title
    assert not revised.body[0].value["decorative"]


# --- buttons and links without words --------------------------------------------------------------

BUTTONS = [
    ("hero", f.HeroBlockFactory, "primary"),
    ("hero", f.HeroBlockFactory, "secondary"),
    ("image_text", f.ImageTextBlockFactory, "link"),
    ("call_to_action", f.CallToActionBlockFactory, "button"),
]


@pytest.mark.parametrize(("name", "factory", "field"), BUTTONS)
def test_a_button_to_a_web_address_without_words_is_refused(name, factory, field):
    block = BLOCKS[name]
    value = raw(factory(), block)
    value[field] = {"text": "", "page": None, "url": "https://example.org/summer"}

    errors = block_errors(block, value)

    assert set(errors) == {field}
    assert "Write the words on the button" in str(errors[field].as_json_data())


@pytest.mark.parametrize(("name", "factory", "field"), BUTTONS)
def test_a_button_to_a_page_may_leave_its_words_to_the_pages_title(name, factory, field, home):
    block = BLOCKS[name]
    value = raw(factory(), block)
    value[field] = {"text": "", "page": home.pk, "url": ""}

    assert block.clean(block.to_python(value))[field].label == home.title


def test_a_feature_link_without_words_is_refused_inside_the_grid():
    block = BLOCKS["feature_grid"]
    value = raw(f.FeatureGridBlockFactory(), block)
    value["features"][1]["value"]["link"] = {"text": "", "page": None, "url": "https://x.org/"}

    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(value))

    assert "Write the words on the button" in str(error.value.as_json_data())


def every_block(block, seen=None):
    """The block and every block inside it."""
    yield block
    for child in getattr(block, "child_blocks", {}).values():
        yield from every_block(child)
    if isinstance(block, blocks.ListBlock):
        yield from every_block(block.child_block)


def stream_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                yield f"{model._meta.label}.{field.name}", field


def test_every_block_holding_a_link_refuses_a_link_without_words():
    """Fix the class: any struct block of any StreamField that holds a LinkBlock checks it."""
    holders = {
        type(b).__name__
        for _label, field in stream_fields()
        for b in every_block(field.stream_block)
        if isinstance(b, blocks.StructBlock)
        and not isinstance(b, site_blocks.LinkBlock)
        and any(isinstance(c, site_blocks.LinkBlock) for c in b.child_blocks.values())
    }
    assert holders >= {"HeroBlock", "ImageTextBlock", "CallToActionBlock", "FeatureBlock"}
    unchecked = {
        name
        for name in holders
        if not issubclass(getattr(site_blocks, name, object), site_blocks.CheckedStructBlock)
    }
    assert unchecked == set()


# --- headings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "named"),
    [
        ("<h2>Prices</h2><p>…</p><h4>Refunds</h4>", "“Refunds” skips a level"),
        ("<h3>Why us</h3><p>…</p>", "“Why us” skips a level"),
        ("<h1>Welcome</h1>", "“Welcome” is a Heading 1"),
    ],
)
def test_a_text_section_whose_headings_skip_a_level_is_refused_naming_the_heading(html, named):
    block = BLOCKS["rich_text"]

    with pytest.raises(ValidationError) as error:
        block.clean(RichText(html))

    assert named in " ".join(error.value.messages)


def test_a_text_section_with_headings_in_order_is_accepted():
    block = BLOCKS["rich_text"]

    html = "<h2>A</h2><p>x</p><h3>B</h3><h3>C</h3><h2>D</h2><h3>E</h3><p>no heading is fine</p>"
    assert block.clean(RichText(html)).source == html
    assert block.clean(RichText("<p>Only a paragraph.</p>"))


def test_every_text_section_of_every_stream_field_checks_its_headings():
    text_blocks = [
        (label, b)
        for label, field in stream_fields()
        for b in every_block(field.stream_block)
        if isinstance(b, blocks.RichTextBlock) and {"h2", "h3"} & set(b.features or [])
    ]
    assert {label for label, _b in text_blocks} >= {
        "home.HomePage.body",
        "home.LandingPage.body",
        "blog.BlogPage.body",
        "courses.CoursePage.description",
    }
    for _label, b in text_blocks:
        with pytest.raises(ValidationError):
            b.clean(RichText("<h2>A</h2><h4>B</h4>"))


# --- required fields marked before saving ----------------------------------------------------------


def packed_children(block) -> dict:
    """The child definitions Wagtail's editor receives for a struct block (telepath)."""
    packed = JSContext().pack(block)
    return {child["_args"][0]: child for child in packed["_args"][1]}


def test_the_editor_marks_required_fields_before_saving():
    """Wagtail 8 puts a `*` by a field whose definition says `required` (w-required-mark in
    wagtailadmin/js/telepath/blocks.js): the headings and the call to action's button are marked,
    optional fields are not."""
    hero = packed_children(BLOCKS["hero"])
    cta = packed_children(BLOCKS["call_to_action"])

    assert hero["heading"]["_args"][2]["required"] is True
    assert hero["text"]["_args"][2]["required"] is False
    assert hero["alt"]["_args"][2]["required"] is False  # needed only with a picture: said in help
    assert cta["heading"]["_args"][2]["required"] is True
    assert cta["button"]["_args"][2]["required"] is True


# --- labels read as words ---------------------------------------------------------------------------

# Abbreviations an editor should not have to decode, as they come out of a field's name.
RAW_WORDS = {"faq", "Faq", "url", "Url", "URL", "cta", "Cta", "CTA", "id", "Id", "seo", "Seo"}


def labelled_blocks():
    for label, field in stream_fields():

        def walk(block, path):
            yield path, block
            for name, child in getattr(block, "child_blocks", {}).items():
                yield from walk(child, f"{path}.{name}")
            if isinstance(block, blocks.ListBlock):  # the items are labelled by their list
                for name, child in getattr(block.child_block, "child_blocks", {}).items():
                    yield from walk(child, f"{path}.item.{name}")

        for name, child in field.stream_block.child_blocks.items():
            yield from walk(child, f"{label}.{name}")


def test_every_block_and_field_label_reads_as_words():
    bad = []
    for path, block in labelled_blocks():
        label = str(block.label or "")
        words = set(re.findall(r"[A-Za-z]+", label))
        if not label or "_" in label or words & RAW_WORDS:
            bad.append(f"{path}: {label!r}")
    assert bad == []


def test_the_block_picker_names_the_shared_blocks_in_words():
    labels = {name: str(block.label) for name, block in BLOCKS.items()}

    assert labels["faq_excerpt"] == "FAQ excerpt"
    assert labels["call_to_action"] == "Call to action"
    assert labels["image_text"] == "Picture and text"


# --- the FAQ excerpt's section --------------------------------------------------------------------


def test_the_faq_excerpt_offers_the_faq_pages_sections_to_choose_from(home):
    faq = FAQPageFactory()
    spanish_faq_page(faq)

    choices = dict(site_blocks.faq_section_choices())

    assert {"Lessons", "Payments", "Clases", "Pagos"} <= set(choices)
    assert choices["Clases"].endswith("(Spanish)") or "(" in choices["Clases"]
    field = BLOCKS["faq_excerpt"].child_blocks["section"].field
    assert ("Payments", choices["Payments"]) in list(field.choices)


def test_the_faq_excerpt_refuses_a_section_the_chosen_faq_page_does_not_have(home):
    faq = FAQPageFactory()
    block = BLOCKS["faq_excerpt"]

    errors = block_errors(
        block, {"heading": "Ask", "page": faq.pk, "section": "Refunds", "limit": 3}
    )

    message = " ".join(errors["section"].messages)
    assert "Refunds" in message and "“Lessons”" in message and "“Payments”" in message
    assert block.clean(
        block.to_python({"heading": "Ask", "page": faq.pk, "section": "Payments", "limit": 3})
    )
    without_page = block_errors(block, {"heading": "Ask", "section": "Refunds", "limit": 3})
    assert "No FAQ page has a section “Refunds”" in " ".join(without_page["section"].messages)


def test_a_translation_of_the_page_gets_the_section_as_text_to_translate(home, offline_video):
    faq = FAQPageFactory()
    page = f.LandingPageFactory()
    page.body = [
        ("faq_excerpt", {"heading": "Ask", "page": faq, "section": "Payments", "limit": 3})
    ]
    page.save_revision().publish()

    segments = extract_segments(page)

    assert any(
        isinstance(s, StringSegmentValue)
        and s.path.endswith(".section")
        and s.render_text() == "Payments"
        for s in segments
    )


def test_the_landing_page_editor_offers_the_new_fields_and_the_faq_sections(client, home):
    """The admin form a person opens: alt text and "decorative" under the pictures, the FAQ
    sections to choose from, the hand-picked courses, the blocks named in words."""
    from django.urls import reverse

    from tests.authentication.factories import UserFactory

    FAQPageFactory()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.get(reverse("wagtailadmin_pages:add", args=("home", "landingpage", home.pk)))

    html = response.content.decode()
    assert response.status_code == 200
    for words in ("Alt text", "Decorative (no alt text needed)", "FAQ excerpt", "Payments"):
        assert words in html
    assert "Hand-picked courses" in html and "Picture and text" in html
