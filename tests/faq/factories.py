"""FAQ factories. `FAQPageFactory()` publishes an English FAQ page under the English home with three
sections of real questions; `sections=[(heading, [(question, answer_html), ...]), ...]` replaces them.
`spanish_faq_page(page)` publishes its Spanish translation (the translated home is made if missing)."""

from __future__ import annotations

import uuid

import factory
import wagtail_factories
from wagtail.models import Locale, Page

from faq.models import FAQPage
from home.models import HomePage

SECTIONS_EN = [
    (
        "Lessons",
        [
            (
                "How do I book a lesson with a teacher?",
                "<p>Open the teacher's profile, choose a free slot in their calendar and confirm. "
                "You will get an email with the time in <b>your</b> time zone.</p>",
            ),
            (
                "Can I change the time of a lesson?",
                "<p>Yes. Up to 24 hours before it starts you can move it from your dashboard; "
                "later than that, write to your teacher.</p>",
            ),
            (
                "What do I need for an online lesson?",
                "<p>A computer or tablet with a camera, headphones and a steady connection. "
                "The lesson opens in your browser: there is nothing to install.</p>",
            ),
        ],
    ),
    (
        "Payments",
        [
            (
                "Which payment methods do you accept?",
                "<p>Cards (Visa, Mastercard, American Express) and SEPA direct debit. "
                "Every payment goes through Stripe; we never see your card number.</p>",
            ),
            (
                "Can I get a refund?",
                "<p>A lesson cancelled more than 24 hours ahead is refunded in full, as credit "
                'or to your card. See our <a href="https://example.com/terms">terms</a>.</p>',
            ),
        ],
    ),
    (
        "Teachers",
        [
            (
                "How are teachers chosen?",
                "<p>Every teacher sends their qualifications and gives a trial lesson to our team "
                "before their profile is listed.</p>",
            ),
            (
                "Can I teach on cplatform?",
                "<p>Sign up, choose the <i>Teacher</i> role and fill in your profile; we answer "
                "within a week.</p>",
            ),
        ],
    ),
]

SECTIONS_ES = [
    (
        "Clases",
        [
            (
                "¿Cómo reservo una clase con un profesor?",
                "<p>Abre el perfil del profesor, elige un hueco libre en su calendario y "
                "confirma. Recibirás un correo con la hora en tu zona horaria.</p>",
            ),
            (
                "¿Puedo cambiar la hora de una clase?",
                "<p>Sí. Hasta 24 horas antes puedes moverla desde tu panel; después, escribe a "
                "tu profesor.</p>",
            ),
        ],
    ),
    (
        "Pagos",
        [
            (
                "¿Qué métodos de pago aceptáis?",
                "<p>Tarjetas y domiciliación SEPA. Todos los pagos pasan por Stripe.</p>",
            ),
        ],
    ),
]


def stream_body(sections) -> list[dict]:
    """Raw StreamField data for FAQPage.body, with block ids as the editor saves them."""
    return [
        {
            "type": "section",
            "id": str(uuid.uuid4()),
            "value": {
                "heading": heading,
                "questions": [
                    {
                        "type": "item",
                        "id": str(uuid.uuid4()),
                        "value": {"question": question, "answer": answer},
                    }
                    for question, answer in questions
                ],
            },
        }
        for heading, questions in sections
    ]


def english_home() -> HomePage:
    return HomePage.objects.get(depth=2, locale__language_code="en")


def spanish_home() -> HomePage:
    """The Spanish home page: the translation of the English one, made and published if missing."""
    spanish = Locale.objects.get(language_code="es")
    home = english_home()
    translated = home.get_translations().filter(locale=spanish).first()
    if translated is None:
        translated = home.copy_for_translation(spanish)
        translated.title = "cplatform"
    translated = translated.specific
    if not translated.live:
        translated.save_revision().publish()
        translated.refresh_from_db()
    return translated


class FAQPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FAQPage

    class Params:
        sections = SECTIONS_EN

    title = "Frequently asked questions"
    slug = factory.Sequence(lambda n: "faq" if n == 0 else f"faq-{n}")
    intro = (
        "<p>Answers about lessons, payments and our teachers. Can't find yours? Write to us.</p>"
    )
    body = factory.LazyAttribute(lambda o: stream_body(o.sections))
    search_description = ""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if kwargs.get("parent") is None:
            kwargs["parent"] = english_home()
        return super()._create(model_class, *args, **kwargs)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Publish a revision as an editor would (`live=False` keeps a draft)."""
        if not create:
            return
        revision = instance.save_revision()
        if instance.live:
            revision.publish()
            instance.refresh_from_db()


def spanish_faq_page(page: FAQPage, *, sections=SECTIONS_ES, live: bool = True) -> FAQPage:
    """The Spanish translation of `page` (same translation key), with Spanish content, published."""
    spanish_home()
    translated = page.copy_for_translation(Locale.objects.get(language_code="es")).specific
    translated.title = "Preguntas frecuentes"
    translated.slug = "preguntas-frecuentes"
    translated.intro = "<p>Respuestas sobre clases, pagos y profesores.</p>"
    translated.body = stream_body(sections)
    translated.save()
    revision = translated.save_revision()
    if live:
        revision.publish()
    translated.refresh_from_db()
    return translated


def draft_page(parent: Page, title: str, slug: str) -> FAQPage:
    """An unpublished page (never live), for the sitemap and search to leave out."""
    return FAQPageFactory(parent=parent, title=title, slug=slug, live=False)
