"""Every shared block: its icon, template, description and preview, and how it renders."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from cplatform import blocks as site_blocks
from home import models as home_models
from home.blocks import BodyStreamBlock
from tests.authentication.factories import UserFactory
from tests.classroom.factories import TeacherProfileFactory
from tests.faq.factories import FAQPageFactory, spanish_faq_page
from tests.home import factories as f

pytestmark = pytest.mark.django_db

BLOCKS = BodyStreamBlock().child_blocks
PREVIEW_VIDEO = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"


def render(block_name, value, **context):
    block = BLOCKS[block_name]
    return block.render(value, context=context)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def test_the_body_offers_every_shared_block():
    assert set(BLOCKS) == {
        "hero",
        "rich_text",
        "image_text",
        "feature_grid",
        "course_list",
        "teacher_list",
        "testimonials",
        "faq_excerpt",
        "call_to_action",
        "video",
        "sign_up",
    }


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_every_block_has_an_icon_a_template_a_description_and_a_preview(name):
    block = BLOCKS[name]

    assert block.meta.icon not in ("", "placeholder")
    assert block.meta.template == f"components/blocks/{block.meta.template.rsplit('/', 1)[-1]}"
    assert str(block.get_description())
    assert block.is_previewable
    assert block.get_preview_template(None) == "components/blocks/preview.html"


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_every_block_preview_renders_in_the_admin_with_the_site_styles(name, superuser_client):
    f.embed_for(PREVIEW_VIDEO)  # the video preview's oEmbed answer, so nothing goes online
    TeacherProfileFactory(is_public=True, is_approved=True, user__first_name="Preview")

    response = superuser_client.get(
        reverse("wagtailadmin_block_preview"), {"id": BLOCKS[name].definition_prefix}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "css/blocks.css" in html
    expected = {
        "hero": "Learn anything, from people who teach it well",
        "rich_text": "Why learn with us",
        "image_text": "Lessons that fit your week",
        "feature_grid": "Book lessons",
        "course_list": "Courses are coming soon",
        "teacher_list": "Preview",
        "testimonials": "My daughter looks forward to every lesson",
        "faq_excerpt": "Can I change the time of a lesson?",
        "call_to_action": "Ready for your first lesson?",
        "video": "How cplatform works",
        "sign_up": 'href="/auth/register/?role=Teacher"',
    }
    assert expected[name] in html


@pytest.mark.parametrize(
    ("name", "factory", "expected"),
    [
        ("hero", f.HeroBlockFactory, '<img alt="Teacher and student at a desk'),
        ("rich_text", f.RichTextSectionBlockFactory, "<b>No subscription</b>"),
        ("image_text", f.ImageTextBlockFactory, "block-image-text--right"),
        ("feature_grid", f.FeatureGridBlockFactory, "<h3>Progress you can see</h3>"),
        ("course_list", f.CourseListBlockFactory, "<h2>Popular courses</h2>"),
        ("teacher_list", f.TeacherListBlockFactory, "See all teachers"),
        ("testimonials", f.TestimonialBlockFactory, "<blockquote>"),
        ("call_to_action", f.CallToActionBlockFactory, 'href="/teachers/">Find a teacher</a>'),
        ("video", f.VideoBlockFactory, "<iframe"),
        ("sign_up", f.SignUpBlockFactory, "Sign up as a teacher"),
    ],
)
def test_every_block_renders_its_template(name, factory, expected, offline_video):
    html = render(name, factory())

    assert expected in html


def test_a_link_takes_a_page_or_an_address_but_not_both(home):
    link = site_blocks.LinkBlock()

    with pytest.raises(ValidationError):
        link.clean(link.to_python({"text": "Home", "page": home.pk, "url": "https://example.org"}))
    with pytest.raises(ValidationError):
        link.clean(link.to_python({"text": "Nowhere"}))
    assert link.clean(link.to_python({})).href == ""
    assert link.clean(link.to_python({"page": home.pk})).label == home.title


def test_a_call_to_action_needs_its_button():
    block = BLOCKS["call_to_action"]

    with pytest.raises(ValidationError):
        block.clean(block.to_python({"heading": "Join", "button": {}, "style": "brand"}))


def test_a_page_link_goes_to_the_page_in_the_visitors_language(home, spanish_home):
    value = site_blocks.LinkBlock().to_python({"page": home.pk})

    with translation.override("es"):
        assert value.href == "/es/"
        assert value.label == "Aprende con cplatform"
    assert value.href == "/"


def test_a_chosen_teacher_list_shows_listed_teachers_in_the_chosen_order():
    first = TeacherProfileFactory(is_public=True, is_approved=True, user__first_name="Zoe")
    second = TeacherProfileFactory(is_public=True, is_approved=True, user__first_name="Adam")
    unlisted = TeacherProfileFactory(is_public=True, is_approved=False, user__first_name="Hidden")
    value = f.TeacherListBlockFactory(source="chosen", teachers=[first, unlisted, second])

    html = render("teacher_list", value)

    assert first.user.name in html and second.user.name in html
    assert html.index(first.user.name) < html.index(second.user.name)
    assert unlisted.user.name not in html


def test_an_automatic_teacher_list_filters_by_subject_level_and_language_up_to_its_limit():
    from catalog.models import Level, Subject, TeachingLanguage

    matching = [
        TeacherProfileFactory(
            is_public=True,
            is_approved=True,
            subjects=["mathematics"],
            levels=["beginner"],
            languages=["es"],
        )
        for _ in range(3)
    ]
    other = TeacherProfileFactory(
        is_public=True, is_approved=True, subjects=["piano"], levels=["beginner"], languages=["es"]
    )
    value = f.TeacherListBlockFactory(
        subject=Subject.objects.get(slug="mathematics"),
        level=Level.objects.get(code="beginner"),
        language=TeachingLanguage.objects.get(code="es"),
        limit=2,
    )

    teachers = BLOCKS["teacher_list"].get_teachers(value)

    assert len(teachers) == 2
    assert {t.pk for t in teachers} <= {t.pk for t in matching}
    assert other.pk not in {t.pk for t in teachers}


def test_a_chosen_teacher_list_needs_a_teacher():
    block = BLOCKS["teacher_list"]
    value = block.to_python({"source": "chosen", "teachers": [], "limit": 6})

    with pytest.raises(ValidationError):
        block.clean(value)


def test_testimonials_show_their_translation_in_the_visitors_language():
    testimonial = f.TestimonialFactory(quote="Great teachers.", role="Parent")
    spanish = testimonial.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.quote = "Profesores estupendos."
    spanish.role = "Madre"
    spanish.save()
    value = f.TestimonialBlockFactory(testimonials=[testimonial])

    assert "Great teachers." in render("testimonials", value)
    with translation.override("es"):
        html = render("testimonials", value)
    assert "Profesores estupendos." in html and "Madre" in html


def test_an_untranslated_testimonial_shows_in_its_own_language():
    testimonial = f.TestimonialFactory(quote="Booking is easy.")
    value = f.TestimonialBlockFactory(testimonials=[testimonial])

    with translation.override("es"):
        assert "Booking is easy." in render("testimonials", value)
    assert home_models.Testimonial.objects.count() == 1


def test_the_course_list_shows_its_own_text_until_courses_exist():
    html = render("course_list", f.CourseListBlockFactory(empty_text="New courses in September."))

    assert "New courses in September." in html
    assert 'href="/teachers/"' in html


def test_a_video_without_an_embed_links_to_the_video_instead():
    # Not a known oEmbed provider: Wagtail's finder gives up without asking the network.
    url = "https://video.example.org/welcome"
    value = f.VideoBlockFactory(video=BLOCKS["video"].child_blocks["video"].to_python(url))

    html = render("video", value)

    assert "<iframe" not in html
    assert f'<a href="{url}">Watch the video</a>' in html


def test_the_sign_up_call_preselects_the_role_in_the_visitors_language():
    value = f.SignUpBlockFactory(role="Parent")

    assert 'href="/auth/register/?role=Parent"' in render("sign_up", value)
    with translation.override("es"):
        assert 'href="/es/auth/register/?role=Parent"' in render("sign_up", value)


def test_the_faq_excerpt_shows_the_first_questions_of_the_faq_page(home):
    faq = FAQPageFactory()

    html = render("faq_excerpt", f.FAQExcerptBlockFactory(limit=2))

    assert "How do I book a lesson with a teacher?" in html
    assert "Can I change the time of a lesson?" in html
    assert "What do I need for an online lesson?" not in html
    assert f'href="{faq.url}"' in html


def test_the_faq_excerpt_takes_one_section_of_a_chosen_page_in_the_visitors_language(home):
    faq = FAQPageFactory()
    spanish = spanish_faq_page(faq)
    value = f.FAQExcerptBlockFactory(page=faq, section="Payments", limit=1)

    english_html = render("faq_excerpt", value)
    with translation.override("es"):
        spanish_html = render("faq_excerpt", value)

    assert "How do I book a lesson" not in english_html
    english_question = faq.questions(section="Payments")[0].question
    assert english_question in english_html
    spanish_question = spanish.questions()[0].question
    assert spanish_question not in english_html
    assert english_question not in spanish_html


def test_the_faq_excerpt_renders_nothing_without_a_faq_page():
    assert render("faq_excerpt", f.FAQExcerptBlockFactory()).strip() == ""


@pytest.mark.parametrize(
    ("role", "checked"), [("Teacher", "Teacher"), ("Parent", "Parent"), ("Admin", "Student")]
)
def test_following_a_sign_up_call_preselects_its_role_on_the_form(client, role, checked):
    response = client.get("/auth/register/", {"role": role})

    radio = BeautifulSoup(response.content, "html.parser").select_one('input[name="role"][checked]')
    assert response.status_code == 200
    assert radio["value"] == checked  # an unknown or privileged role is ignored
