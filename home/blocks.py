"""The home page's and landing pages' body: every section block, including the course and teacher
lists of the apps below."""

from wagtail import blocks

from classroom.blocks import TeacherListBlock
from courses.blocks import CourseListBlock
from cplatform.blocks import (
    CallToActionBlock,
    FAQExcerptBlock,
    FeatureGridBlock,
    HeroBlock,
    ImageTextBlock,
    RichTextSectionBlock,
    SignUpBlock,
    TestimonialBlock,
    VideoBlock,
)


class BodyStreamBlock(blocks.StreamBlock):
    """A page body built from every shared block."""

    hero = HeroBlock()
    rich_text = RichTextSectionBlock()
    image_text = ImageTextBlock()
    feature_grid = FeatureGridBlock()
    course_list = CourseListBlock()
    teacher_list = TeacherListBlock()
    testimonials = TestimonialBlock()
    faq_excerpt = FAQExcerptBlock()
    call_to_action = CallToActionBlock()
    video = VideoBlock()
    sign_up = SignUpBlock()
