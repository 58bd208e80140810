"""What the demo site says, in English and Spanish: the home page, two landing pages, a blog with
six posts and an FAQ in three sections, plus the snippets they use. Pictures, pages and snippets
are named by key (`Img`, `PageRef`, `TestimonialRef`); `demo.site` resolves them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .text import T, rich, same


@dataclass(frozen=True)
class Img:
    key: str


@dataclass(frozen=True)
class PageRef:
    key: str


@dataclass(frozen=True)
class TestimonialRef:
    key: str


def link(
    text: T | None = None, *, section: str = "", page: str | None = None, url: str = ""
) -> dict:
    """A LinkBlock value: a part of the site (a key of `cplatform.blocks.LINK_SECTIONS`), a page
    by key, or another website's address."""
    return {
        "text": text or "",
        "page": PageRef(page) if page else None,
        "section": section,
        "url": url,
    }


NO_LINK = link()


def image_alt(key: str, spanish: str) -> T:
    """A section picture's alt text: the picture's description (IMAGES), and its Spanish."""
    return T(IMAGES[key][2], spanish)


# --- pictures -------------------------------------------------------------------------------------

# key: (title, palette, description used as alt text)
IMAGES = {
    "home-hero": (
        "Demo: a student and a teacher at a desk",
        "teal",
        "A desk with books and a laptop in warm light",
    ),
    "home-online": (
        "Demo: a lesson on screen",
        "indigo",
        "A laptop on a desk, ready for an online lesson",
    ),
    "summer-hero": (
        "Demo: summer study corner",
        "coral",
        "A sunny study corner with books and a laptop",
    ),
    "summer-class": (
        "Demo: conversation practice",
        "sand",
        "Books stacked beside a screen for conversation practice",
    ),
    "teach-hero": ("Demo: a teacher's desk", "green", "A teacher's desk with books and a screen"),
    "teach-tools": (
        "Demo: planning lessons",
        "plum",
        "Notebooks and a screen used to plan lessons",
    ),
    "post-habits": (
        "Demo: a daily study routine",
        "teal",
        "A tidy desk set up for a short daily study session",
    ),
    "post-exams": (
        "Demo: exam preparation",
        "indigo",
        "Books and notes spread out for exam revision",
    ),
    "post-piano": ("Demo: music practice", "plum", "A quiet corner for music practice"),
    "post-families": ("Demo: learning at home", "green", "A family table with books and a laptop"),
    "post-online": (
        "Demo: online classroom",
        "coral",
        "A laptop screen showing an online classroom",
    ),
    "post-news": ("Demo: school news", "sand", "Books and a screen announcing school news"),
    "author-ana": ("Demo: portrait of Ana", "coral", "Portrait placeholder for Ana García"),
    "author-ben": ("Demo: portrait of Ben", "indigo", "Portrait placeholder for Ben Carter"),
    "author-marta": ("Demo: portrait of Marta", "green", "Portrait placeholder for Marta Ortega"),
    "share": ("Demo: cplatform share picture", "teal", "cplatform: find a teacher you will love"),
}

# A second picture inside each post, in another palette than its hero image.
_DETAIL_PALETTES = {
    "habits": "sand",
    "exams": "green",
    "piano": "coral",
    "families": "indigo",
    "online": "teal",
    "news": "plum",
}
IMAGES |= {
    f"post-{key}-detail": (f"{IMAGES[f'post-{key}'][0]}, detail", palette, IMAGES[f"post-{key}"][2])
    for key, palette in _DETAIL_PALETTES.items()
}

# --- snippets ---------------------------------------------------------------------------------------

TESTIMONIALS = {
    "parent": {
        "quote": T(
            "My son used to dread maths homework. After a term with Ana he asks for harder problems.",
            "Mi hijo temía los deberes de matemáticas. Tras un trimestre con Ana pide problemas más difíciles.",
        ),
        "name": same("María López"),
        "role": T("Parent of a secondary student", "Madre de un estudiante de secundaria"),
    },
    "student": {
        "quote": T(
            "I found a piano teacher ten minutes from home and booked my first lesson the same evening.",
            "Encontré una profesora de piano a diez minutos de casa y reservé la primera clase esa misma tarde.",
        ),
        "name": same("Emma Wilson"),
        "role": T("Piano student", "Estudiante de piano"),
    },
    "teacher": {
        "quote": T(
            "Teaching here lets me focus on my students: scheduling and payments just work.",
            "Enseñar aquí me deja centrarme en mis alumnos: los horarios y los pagos simplemente funcionan.",
        ),
        "name": same("Ben Carter"),
        "role": T("English teacher", "Profesor de inglés"),
    },
}

AUTHORS = {
    "ana": {
        "name": same("Ana García"),
        "role": T("Mathematics and physics teacher", "Profesora de matemáticas y física"),
        "bio": T(
            "Ana has taught secondary mathematics for fifteen years and prepares students for university entrance exams.",
            "Ana enseña matemáticas de secundaria desde hace quince años y prepara a estudiantes para la selectividad.",
        ),
        "photo": Img("author-ana"),
        "teacher": "ana.garcia@example.com",
    },
    "ben": {
        "name": same("Ben Carter"),
        "role": T("English teacher", "Profesor de inglés"),
        "bio": T(
            "Ben is a CELTA-certified teacher who builds lessons around what his students need to say at work.",
            "Ben es profesor certificado CELTA y prepara sus clases en torno a lo que sus alumnos necesitan decir en el trabajo.",
        ),
        "photo": Img("author-ben"),
        "teacher": "ben.carter@example.com",
    },
    "marta": {
        "name": same("Marta Ortega"),
        "role": T("Editor at cplatform", "Editora en cplatform"),
        "bio": T(
            "Marta writes about school life, families and what is new on cplatform.",
            "Marta escribe sobre la vida escolar, las familias y las novedades de cplatform.",
        ),
        "photo": Img("author-marta"),
        "teacher": None,
    },
}

CATEGORIES = {
    "tips": {
        "name": T("Learning tips", "Consejos para aprender"),
        "slug": T("learning-tips", "consejos-para-aprender"),
        "description": T(
            "Habits and techniques that make every lesson count.",
            "Hábitos y técnicas para aprovechar cada clase.",
        ),
    },
    "news": {
        "name": T("School news", "Noticias de la escuela"),
        "slug": T("school-news", "noticias-de-la-escuela"),
        "description": T(
            "What is new on cplatform and in our community.",
            "Novedades de cplatform y de nuestra comunidad.",
        ),
    },
    "teachers": {
        "name": T("For teachers", "Para profesores"),
        "slug": T("for-teachers", "para-profesores"),
        "description": T(
            "Ideas for running lessons and growing a teaching practice.",
            "Ideas para dar clase y hacer crecer tu actividad como profesor.",
        ),
    },
}

# --- shared wording ----------------------------------------------------------------------------------

FIND_A_TEACHER = T("Find a teacher", "Encuentra un profesor")
SIGN_UP = T("Create your account", "Crea tu cuenta")
MEET_TEACHERS = T("Meet our teachers", "Conoce a nuestros profesores")
WHAT_PEOPLE_SAY = T("What people say", "Lo que dice la gente")

# Strings wagtail-localize also extracts: the home page's own title and slug (made by the first
# migration) and the addresses of menu links.
EXTRA_MEMORY = [
    same("cplatform"),
    T("home", "inicio"),
    same("/teachers/"),
    same("/search/"),
    same("/courses/"),
]

# --- pages ---------------------------------------------------------------------------------------------

HOME = {
    "seo_title": T(
        "cplatform: find a teacher you will love", "cplatform: encuentra un profesor que te encante"
    ),
    "search_description": T(
        "Reviewed teachers for one-to-one lessons and small groups, online or near you, in English and Spanish.",
        "Profesores revisados para clases particulares y grupos reducidos, en línea o cerca de ti, en inglés y en español.",
    ),
    "intro": rich(
        (
            "p",
            T(
                "Teachers, lessons and courses in one place.",
                "Profesores, clases y cursos en un solo lugar.",
            ),
        )
    ),
    "hero": [
        (
            "hero",
            {
                "heading": T(
                    "Learn from teachers who love their subject",
                    "Aprende con profesores que aman su materia",
                ),
                "text": T(
                    "One-to-one lessons and small groups, online or near you, in English and Spanish.",
                    "Clases particulares y grupos reducidos, en línea o cerca de ti, en inglés y en español.",
                ),
                "alt": image_alt(
                    "home-hero", "Un escritorio con libros y un portátil con luz cálida"
                ),
                "image": Img("home-hero"),
                "primary": link(FIND_A_TEACHER, section="teachers"),
                "secondary": link(T("Teach with us", "Enseña con nosotros"), page="teach"),
            },
        )
    ],
    "featured_teachers": [
        (
            "teacher_list",
            {
                "heading": MEET_TEACHERS,
                "intro": T(
                    "Every teacher is reviewed by our team before their profile is listed.",
                    "Nuestro equipo revisa a cada profesor antes de publicar su perfil.",
                ),
                "source": "automatic",
                "subject": None,
                "level": None,
                "language": None,
                "teachers": [],
                "limit": 3,
                "directory_link": True,
            },
        )
    ],
    "featured_courses": [
        (
            "course_list",
            {
                "heading": T("Popular courses", "Cursos populares"),
                "subject": None,
                "level": None,
                "teacher": None,
                "limit": 6,
                "empty_text": T(
                    "Courses are coming soon: meanwhile, book a lesson with one of our teachers.",
                    "Los cursos llegan pronto: mientras tanto, reserva una clase con uno de nuestros profesores.",
                ),
            },
        )
    ],
    "body": [
        (
            "feature_grid",
            {
                "heading": T(
                    "Why families choose cplatform", "Por qué las familias eligen cplatform"
                ),
                "intro": T(
                    "Three reasons, in a sentence each.", "Tres razones, en una frase cada una."
                ),
                "features": [
                    {
                        "title": T("Reviewed teachers", "Profesores revisados"),
                        "text": T(
                            "We check every profile, qualification and first lesson.",
                            "Comprobamos cada perfil, cada titulación y cada primera clase.",
                        ),
                        "link": NO_LINK,
                    },
                    {
                        "title": T("Flexible booking", "Reservas flexibles"),
                        "text": T(
                            "Book, move or cancel a lesson in a couple of clicks.",
                            "Reserva, cambia o cancela una clase en un par de clics.",
                        ),
                        "link": NO_LINK,
                    },
                    {
                        "title": T("Progress you can see", "Progreso visible"),
                        "text": T(
                            "Teachers share notes after each lesson, and parents can follow along.",
                            "Los profesores comparten notas tras cada clase y las familias pueden seguirlas.",
                        ),
                        "link": link(T("Read the FAQ", "Lee las preguntas frecuentes"), page="faq"),
                    },
                ],
            },
        ),
        (
            "image_text",
            {
                "alt": image_alt(
                    "home-online", "Un portátil sobre un escritorio, listo para una clase en línea"
                ),
                "image": Img("home-online"),
                "heading": T("Lessons that fit your week", "Clases que encajan en tu semana"),
                "text": rich(
                    (
                        "p",
                        T(
                            "Early mornings, lunch breaks or evenings: teachers publish the hours they are free and you pick one.",
                            "Primera hora, la pausa de la comida o la tarde: los profesores publican sus horas libres y tú eliges una.",
                        ),
                    ),
                    (
                        "ul",
                        [
                            T("Online or in person", "En línea o en persona"),
                            T("Single lessons or a course", "Clases sueltas o un curso"),
                        ],
                    ),
                ),
                "image_position": "right",
                "link": link(T("See the teachers", "Ver los profesores"), section="teachers"),
            },
        ),
    ],
    "testimonials": [
        (
            "testimonials",
            {
                "heading": WHAT_PEOPLE_SAY,
                "testimonials": [
                    TestimonialRef("parent"),
                    TestimonialRef("student"),
                    TestimonialRef("teacher"),
                ],
            },
        )
    ],
    "calls_to_action": [
        (
            "call_to_action",
            {
                "heading": T("Ready for your first lesson?", "¿Listo para tu primera clase?"),
                "text": T(
                    "Browse the teachers and book a trial lesson today.",
                    "Explora los profesores y reserva hoy una clase de prueba.",
                ),
                "button": link(FIND_A_TEACHER, section="teachers"),
                "style": "brand",
            },
        ),
        (
            "sign_up",
            {
                "heading": T("Teach with us", "Enseña con nosotros"),
                "text": T(
                    "Publish your profile, set your price and meet new students.",
                    "Publica tu perfil, fija tu precio y conoce a nuevos alumnos.",
                ),
                "role": "Teacher",
                "button_text": T("Sign up as a teacher", "Regístrate como profesor"),
            },
        ),
    ],
}

LANDING_PAGES = {
    "summer": {
        "title": T("Summer Spanish", "Español en verano"),
        "slug": T("summer-spanish", "espanol-en-verano"),
        "search_description": T(
            "Spanish lessons this summer: reviewed teachers, online or in person, for every level.",
            "Clases de español este verano: profesores revisados, en línea o en persona, para todos los niveles.",
        ),
        "body": [
            (
                "hero",
                {
                    "heading": T(
                        "Speak Spanish with confidence by September",
                        "Habla español con confianza antes de septiembre",
                    ),
                    "text": T(
                        "Eight weeks of conversation lessons with native teachers, at the hours that suit your summer.",
                        "Ocho semanas de clases de conversación con profesores nativos, en el horario que mejor te venga este verano.",
                    ),
                    "alt": image_alt(
                        "summer-hero", "Un rincón de estudio soleado con libros y un portátil"
                    ),
                    "image": Img("summer-hero"),
                    "primary": link(
                        T("Choose your teacher", "Elige a tu profesor"), section="teachers"
                    ),
                    "secondary": link(
                        T("Read the FAQ", "Lee las preguntas frecuentes"), page="faq"
                    ),
                },
            ),
            (
                "rich_text",
                rich(
                    ("h2", T("How the summer course works", "Cómo funciona el curso de verano")),
                    (
                        "p",
                        T(
                            "You meet your teacher twice a week for forty-five minutes. Each lesson starts with <b>ten minutes of free conversation</b>, then practises one everyday situation.",
                            "Te reúnes con tu profesor dos veces por semana durante cuarenta y cinco minutos. Cada clase empieza con <b>diez minutos de conversación libre</b> y luego practica una situación cotidiana.",
                        ),
                    ),
                    (
                        "ul",
                        [
                            T("Ordering food and travelling", "Pedir comida y viajar"),
                            T(
                                "Talking about work and studies",
                                "Hablar del trabajo y los estudios",
                            ),
                            T("Making plans with friends", "Hacer planes con amigos"),
                        ],
                    ),
                ),
            ),
            (
                "image_text",
                {
                    "alt": image_alt(
                        "summer-class",
                        "Libros apilados junto a una pantalla para practicar la conversación",
                    ),
                    "image": Img("summer-class"),
                    "heading": T("Small steps, every week", "Pasos pequeños, cada semana"),
                    "text": rich(
                        (
                            "p",
                            T(
                                "Your teacher leaves a short note after each lesson with the words and phrases to review.",
                                "Tu profesor deja una nota breve tras cada clase con las palabras y frases que repasar.",
                            ),
                        )
                    ),
                    "image_position": "left",
                    "link": NO_LINK,
                },
            ),
            (
                "feature_grid",
                {
                    "heading": T("Included in the course", "Incluido en el curso"),
                    "intro": "",
                    "features": [
                        {
                            "title": T("Sixteen lessons", "Dieciséis clases"),
                            "text": T(
                                "Two a week for eight weeks, moved free of charge up to a day before.",
                                "Dos por semana durante ocho semanas, que puedes mover gratis hasta el día anterior.",
                            ),
                            "link": NO_LINK,
                        },
                        {
                            "title": T("A level check", "Prueba de nivel"),
                            "text": T(
                                "A first lesson to find your level and set your goals.",
                                "Una primera clase para conocer tu nivel y fijar tus objetivos.",
                            ),
                            "link": NO_LINK,
                        },
                        {
                            "title": T("Lesson notes", "Notas de clase"),
                            "text": T(
                                "Everything you practised, in one place, after each lesson.",
                                "Todo lo que has practicado, en un solo lugar, tras cada clase.",
                            ),
                            "link": NO_LINK,
                        },
                    ],
                },
            ),
            (
                "teacher_list",
                {
                    "heading": MEET_TEACHERS,
                    "intro": T(
                        "Teachers who give lessons in Spanish this summer.",
                        "Profesores que dan clases en español este verano.",
                    ),
                    "source": "automatic",
                    "subject": None,
                    "level": None,
                    "language": None,
                    "teachers": [],
                    "limit": 3,
                    "directory_link": True,
                },
            ),
            (
                "testimonials",
                {
                    "heading": WHAT_PEOPLE_SAY,
                    "testimonials": [TestimonialRef("student"), TestimonialRef("parent")],
                },
            ),
            (
                "faq_excerpt",
                {
                    "heading": T("Questions about lessons", "Preguntas sobre las clases"),
                    "page": PageRef("faq"),
                    "section": T("Lessons", "Clases"),
                    "limit": 3,
                },
            ),
            (
                "sign_up",
                {
                    "heading": T("Join the summer course", "Apúntate al curso de verano"),
                    "text": T(
                        "Create your account as a student and book your level check.",
                        "Crea tu cuenta de estudiante y reserva tu prueba de nivel.",
                    ),
                    "role": "Student",
                    "button_text": SIGN_UP,
                },
            ),
        ],
    },
    "teach": {
        "title": T("Teach with cplatform", "Enseña con cplatform"),
        "slug": T("teach", "ensena"),
        "search_description": T(
            "Publish your teaching profile, set your own price and meet new students online or near you.",
            "Publica tu perfil de profesor, fija tu propio precio y conoce a nuevos alumnos en línea o cerca de ti.",
        ),
        "body": [
            (
                "hero",
                {
                    "heading": T(
                        "Spend your time teaching, not chasing payments",
                        "Dedica tu tiempo a enseñar, no a perseguir pagos",
                    ),
                    "text": T(
                        "cplatform takes care of your calendar, bookings and payments so you can focus on your students.",
                        "cplatform se ocupa de tu calendario, tus reservas y tus cobros para que te centres en tus alumnos.",
                    ),
                    "alt": image_alt(
                        "teach-hero", "El escritorio de un profesor con libros y una pantalla"
                    ),
                    "image": Img("teach-hero"),
                    "primary": link(
                        T("Apply to teach", "Solicita enseñar"), section="sign-up-teacher"
                    ),
                    "secondary": NO_LINK,
                },
            ),
            (
                "feature_grid",
                {
                    "heading": T("What you get", "Lo que obtienes"),
                    "intro": T(
                        "Everything a private teacher needs, in one account.",
                        "Todo lo que necesita un profesor particular, en una sola cuenta.",
                    ),
                    "features": [
                        {
                            "title": T("Your own price", "Tu propio precio"),
                            "text": T(
                                "Set your hourly rate and change it whenever you like.",
                                "Fija tu tarifa por hora y cámbiala cuando quieras.",
                            ),
                            "link": NO_LINK,
                        },
                        {
                            "title": T("A calendar that syncs", "Un calendario que se sincroniza"),
                            "text": T(
                                "Publish your free hours; bookings appear in your own calendar.",
                                "Publica tus horas libres; las reservas aparecen en tu propio calendario.",
                            ),
                            "link": NO_LINK,
                        },
                        {
                            "title": T("Paid on time", "Cobros puntuales"),
                            "text": T(
                                "Students pay when they book, and you are paid every week.",
                                "Los alumnos pagan al reservar y tú cobras cada semana.",
                            ),
                            "link": NO_LINK,
                        },
                    ],
                },
            ),
            (
                "image_text",
                {
                    "alt": image_alt(
                        "teach-tools", "Cuadernos y una pantalla para preparar las clases"
                    ),
                    "image": Img("teach-tools"),
                    "heading": T("Plan lessons your way", "Prepara las clases a tu manera"),
                    "text": rich(
                        (
                            "p",
                            T(
                                "Keep notes for every student, share materials and follow their progress over the term.",
                                "Guarda notas de cada alumno, comparte materiales y sigue su progreso durante el trimestre.",
                            ),
                        )
                    ),
                    "image_position": "right",
                    "link": link(T("How it works", "Cómo funciona"), page="faq"),
                },
            ),
            (
                "testimonials",
                {"heading": WHAT_PEOPLE_SAY, "testimonials": [TestimonialRef("teacher")]},
            ),
            (
                "sign_up",
                {
                    "heading": T("Teach with us", "Enseña con nosotros"),
                    "text": T(
                        "Publish your profile, set your price and meet new students.",
                        "Publica tu perfil, fija tu precio y conoce a nuevos alumnos.",
                    ),
                    "role": "Teacher",
                    "button_text": T("Sign up as a teacher", "Regístrate como profesor"),
                },
            ),
        ],
    },
}

BLOG_INDEX = {
    "title": same("Blog"),
    "slug": same("blog"),
    "intro": T(
        "Learning tips, school news and ideas for teachers, from the cplatform community.",
        "Consejos para aprender, noticias de la escuela e ideas para profesores, de la comunidad de cplatform.",
    ),
    "search_description": T(
        "Articles on learning, teaching and school life from cplatform.",
        "Artículos sobre aprendizaje, enseñanza y vida escolar de cplatform.",
    ),
}


def _post_body(heading: T, paragraphs: list[T], quote: T, attribution: T | str, image: str, alt: T):
    return [
        ("rich_text", rich(("h2", heading), *(("p", p) for p in paragraphs))),
        ("quote", {"quote": quote, "attribution": attribution}),
        (
            "image",
            {
                "image": {"image": Img(image), "decorative": False, "alt_text": alt},
                "caption": "",
            },
        ),
    ]


POSTS = [
    {
        "key": "habits",
        "title": T(
            "Twenty minutes a day beats two hours a week",
            "Veinte minutos al día valen más que dos horas a la semana",
        ),
        "slug": T("twenty-minutes-a-day", "veinte-minutos-al-dia"),
        "date": date(2026, 9, 8),
        "author": "ana",
        "categories": ["tips"],
        "tags": ["study habits", "memory"],
        "hero_image": Img("post-habits"),
        "intro": T(
            "Why short, daily practice builds more fluency than long weekly sessions, and how to make it a habit.",
            "Por qué la práctica breve y diaria da más soltura que las sesiones largas semanales, y cómo convertirla en hábito.",
        ),
        "body": _post_body(
            T("Little and often", "Poco y a menudo"),
            [
                T(
                    "Memory rewards spaced repetition. Twenty focused minutes every day bring back what you learnt before you forget it.",
                    "La memoria premia la repetición espaciada. Veinte minutos de concentración al día recuperan lo aprendido antes de olvidarlo.",
                ),
                T(
                    "Pick a fixed moment, such as after breakfast, and keep your materials ready so starting takes no effort.",
                    "Elige un momento fijo, como después del desayuno, y ten tus materiales a mano para que empezar no cueste.",
                ),
            ],
            T("We are what we repeatedly do.", "Somos lo que hacemos repetidamente."),
            same("Will Durant"),
            "post-habits-detail",
            T(
                "A desk ready for a short study session",
                "Un escritorio listo para una sesión de estudio breve",
            ),
        ),
    },
    {
        "key": "exams",
        "title": T("A calm plan for exam season", "Un plan tranquilo para la época de exámenes"),
        "slug": T("a-calm-plan-for-exam-season", "un-plan-tranquilo-para-los-examenes"),
        "date": date(2026, 10, 2),
        "author": "ana",
        "categories": ["tips"],
        "tags": ["exams", "mathematics"],
        "hero_image": Img("post-exams"),
        "intro": T(
            "Six weeks before the exam is the right time to plan revision: here is the plan our maths teachers use.",
            "Seis semanas antes del examen es el momento de planificar el repaso: este es el plan de nuestros profesores de matemáticas.",
        ),
        "body": _post_body(
            T("Work backwards from the exam", "Planifica hacia atrás desde el examen"),
            [
                T(
                    "List the topics, mark the ones you find hardest and give them the first weeks, while you are fresh.",
                    "Haz una lista de los temas, marca los que te cuestan más y dedícales las primeras semanas, cuando estás más descansado.",
                ),
                T(
                    "Keep the last week for past papers under exam conditions, with the clock running.",
                    "Reserva la última semana para exámenes de años anteriores en condiciones reales, con el reloj en marcha.",
                ),
            ],
            T(
                "By failing to prepare, you are preparing to fail.",
                "Si no te preparas, te estás preparando para fracasar.",
            ),
            same("Benjamin Franklin"),
            "post-exams-detail",
            T(
                "Notes and books spread out for revision",
                "Apuntes y libros extendidos para repasar",
            ),
        ),
    },
    {
        "key": "piano",
        "title": T(
            "Practising the piano without a teacher in the room",
            "Practicar piano sin el profesor delante",
        ),
        "slug": T("practising-the-piano", "practicar-el-piano"),
        "date": date(2026, 10, 20),
        "author": "marta",
        "categories": ["tips"],
        "tags": ["music", "study habits"],
        "hero_image": Img("post-piano"),
        "intro": T(
            "Between lessons, practice decides how fast you progress. Three habits make it count.",
            "Entre clase y clase, la práctica decide lo rápido que avanzas. Tres hábitos hacen que cuente.",
        ),
        "body": _post_body(
            T("Slow is fast", "Despacio se llega antes"),
            [
                T(
                    "Play a difficult passage at half speed until it is clean, then raise the tempo a little each day.",
                    "Toca un pasaje difícil a la mitad de velocidad hasta que salga limpio y luego sube el tempo un poco cada día.",
                ),
                T(
                    "Record yourself once a week: you will hear what you cannot notice while playing.",
                    "Grábate una vez por semana: oirás lo que no notas mientras tocas.",
                ),
            ],
            T("Music is the space between the notes.", "La música es el espacio entre las notas."),
            same("Claude Debussy"),
            "post-piano-detail",
            T(
                "A quiet corner set up for music practice",
                "Un rincón tranquilo preparado para practicar música",
            ),
        ),
    },
    {
        "key": "families",
        "title": T("Helping your child learn at home", "Cómo ayudar a tu hijo a aprender en casa"),
        "slug": T("helping-your-child-learn-at-home", "ayudar-a-tu-hijo-en-casa"),
        "date": date(2026, 11, 3),
        "author": "marta",
        "categories": ["news", "tips"],
        "tags": ["families"],
        "hero_image": Img("post-families"),
        "intro": T(
            "You do not need to know the subject to help: a quiet place, a routine and curiosity do most of the work.",
            "No hace falta dominar la materia para ayudar: un lugar tranquilo, una rutina y curiosidad hacen casi todo el trabajo.",
        ),
        "body": _post_body(
            T("Ask, do not explain", "Pregunta, no expliques"),
            [
                T(
                    "Ask your child to teach you what they learnt today. Explaining is one of the best ways to remember.",
                    "Pide a tu hijo que te enseñe lo que ha aprendido hoy. Explicar es una de las mejores maneras de recordar.",
                ),
                T(
                    "Parents on cplatform can read the teacher's notes after each lesson and follow progress over the term.",
                    "Las familias en cplatform pueden leer las notas del profesor tras cada clase y seguir el progreso durante el trimestre.",
                ),
            ],
            T(
                "Tell me and I forget, teach me and I may remember, involve me and I learn.",
                "Dímelo y lo olvido, enséñamelo y lo recuerdo, involúcrame y lo aprendo.",
            ),
            "",
            "post-families-detail",
            T(
                "A family table with books and a laptop",
                "Una mesa familiar con libros y un portátil",
            ),
        ),
    },
    {
        "key": "online",
        "title": T(
            "Five ways to make online lessons feel personal",
            "Cinco maneras de hacer más cercanas las clases en línea",
        ),
        "slug": T("online-lessons-that-feel-personal", "clases-en-linea-cercanas"),
        "date": date(2026, 11, 12),
        "author": "ben",
        "categories": ["teachers"],
        "tags": ["online teaching", "english"],
        "hero_image": Img("post-online"),
        "intro": T(
            "A screen does not have to put distance between you and your students. Small habits change everything.",
            "Una pantalla no tiene por qué poner distancia entre tú y tus alumnos. Pequeños hábitos lo cambian todo.",
        ),
        "body": _post_body(
            T("Start with the person", "Empieza por la persona"),
            [
                T(
                    "Open every lesson with two minutes about the student's week before any exercise.",
                    "Abre cada clase con dos minutos sobre la semana del alumno antes de cualquier ejercicio.",
                ),
                T(
                    "Share your screen less and your camera more: faces keep attention better than slides.",
                    "Comparte menos la pantalla y más la cámara: las caras mantienen la atención mejor que las diapositivas.",
                ),
            ],
            T(
                "Students learn from people they like.",
                "Los alumnos aprenden de las personas que les caen bien.",
            ),
            "",
            "post-online-detail",
            T("A laptop showing an online classroom", "Un portátil que muestra un aula en línea"),
        ),
    },
    {
        "key": "news",
        "title": T("cplatform now speaks Spanish", "cplatform ya habla español"),
        "slug": T("cplatform-now-speaks-spanish", "cplatform-ya-habla-espanol"),
        "date": date(2026, 11, 20),
        "author": "marta",
        "categories": ["news"],
        "tags": ["news"],
        "hero_image": Img("post-news"),
        "intro": T(
            "The whole site, from teacher profiles to the help pages, is now available in Spanish.",
            "Todo el sitio, desde los perfiles de los profesores hasta las páginas de ayuda, ya está disponible en español.",
        ),
        "body": _post_body(
            T("One site, two languages", "Un sitio, dos idiomas"),
            [
                T(
                    "Use the language switcher at the top of any page to read it in English or Spanish.",
                    "Usa el selector de idioma en la parte superior de cualquier página para leerla en inglés o en español.",
                ),
                T(
                    "Teachers can write their profile in both languages, and students see the one that matches theirs.",
                    "Los profesores pueden escribir su perfil en los dos idiomas y los alumnos ven el que coincide con el suyo.",
                ),
            ],
            T(
                "A different language is a different vision of life.",
                "Un idioma distinto es una visión distinta de la vida.",
            ),
            same("Federico Fellini"),
            "post-news-detail",
            T(
                "Books and a screen announcing school news",
                "Libros y una pantalla que anuncian noticias de la escuela",
            ),
        ),
    },
]


def _question(question: T, answer: T) -> dict:
    return {"question": question, "answer": rich(("p", answer))}


FAQ = {
    "title": T("Frequently asked questions", "Preguntas frecuentes"),
    "slug": T("faq", "preguntas-frecuentes"),
    "search_description": T(
        "Answers about lessons, payments and family accounts on cplatform.",
        "Respuestas sobre clases, pagos y cuentas familiares en cplatform.",
    ),
    "intro": rich(
        (
            "p",
            T(
                "Quick answers to what students, parents and teachers ask us most.",
                "Respuestas rápidas a lo que más nos preguntan alumnos, familias y profesores.",
            ),
        )
    ),
    "sections": [
        (
            T("Lessons", "Clases"),
            [
                _question(
                    T("How do I book a lesson?", "¿Cómo reservo una clase?"),
                    T(
                        "Open a teacher's profile, pick one of the free hours in their calendar and confirm.",
                        "Abre el perfil de un profesor, elige una de las horas libres de su calendario y confirma.",
                    ),
                ),
                _question(
                    T("Can I change the time of a lesson?", "¿Puedo cambiar la hora de una clase?"),
                    T(
                        "Yes, free of charge up to 24 hours before it starts.",
                        "Sí, sin coste hasta 24 horas antes de que empiece.",
                    ),
                ),
                _question(
                    T("Are lessons online or in person?", "¿Las clases son en línea o en persona?"),
                    T(
                        "Both: each teacher says where they teach, and you choose when you book.",
                        "Las dos: cada profesor indica dónde da clase y tú eliges al reservar.",
                    ),
                ),
            ],
        ),
        (
            T("Payments", "Pagos"),
            [
                _question(
                    T("When do I pay?", "¿Cuándo pago?"),
                    T(
                        "When you book. The teacher is paid once the lesson has taken place.",
                        "Al reservar. El profesor cobra cuando la clase se ha impartido.",
                    ),
                ),
                _question(
                    T("Can I get a refund?", "¿Me pueden devolver el dinero?"),
                    T(
                        "Cancel at least 24 hours ahead and you get the full amount back.",
                        "Cancela con al menos 24 horas de antelación y recuperas el importe completo.",
                    ),
                ),
                _question(
                    T("Which cards do you accept?", "¿Qué tarjetas aceptáis?"),
                    T(
                        "All major debit and credit cards, through our payment provider.",
                        "Todas las tarjetas de débito y crédito habituales, a través de nuestro proveedor de pagos.",
                    ),
                ),
            ],
        ),
        (
            T("Accounts and families", "Cuentas y familias"),
            [
                _question(
                    T(
                        "Can I manage my child's lessons?",
                        "¿Puedo gestionar las clases de mi hijo?",
                    ),
                    T(
                        "Yes: link your account to your child's and you can book, pay and read the teacher's notes.",
                        "Sí: vincula tu cuenta a la de tu hijo y podrás reservar, pagar y leer las notas del profesor.",
                    ),
                ),
                _question(
                    T(
                        "Do children under 16 need permission?",
                        "¿Los menores de 16 años necesitan permiso?",
                    ),
                    T(
                        "Yes, a parent or guardian must give consent before they can book.",
                        "Sí, un padre, una madre o un tutor debe dar su consentimiento antes de que puedan reservar.",
                    ),
                ),
                _question(
                    T("How do I become a teacher?", "¿Cómo me hago profesor?"),
                    T(
                        "Sign up as a teacher and complete your profile; our team reviews it within two working days.",
                        "Regístrate como profesor y completa tu perfil; nuestro equipo lo revisa en dos días laborables.",
                    ),
                ),
            ],
        ),
    ],
}

MENUS = {
    "main": {
        "text": "",
        "items": [
            {"url": "/teachers/", "text": T("Teachers", "Profesores")},
            {"url": "/courses/", "text": T("Courses", "Cursos")},
            {"page": "summer"},
            {"page": "blog"},
            {"page": "faq"},
        ],
    },
    "footer": {
        "text": T(
            "Lessons and courses with teachers we have met.",
            "Clases y cursos con profesores que conocemos.",
        ),
        "items": [
            {"page": "teach"},
            {"page": "blog"},
            {"page": "faq"},
            {"url": "/search/", "text": T("Search", "Buscar")},
        ],
    },
}

SITE_SETTINGS = {
    "contact_email": "hello@cplatform.example",
    "contact_phone": "+34 910 000 000",
    "address": "Calle de Ejemplo 1, 28010 Madrid",
    "facebook_url": "https://www.facebook.com/cplatform.example",
    "instagram_url": "https://www.instagram.com/cplatform.example",
    "youtube_url": "https://www.youtube.com/@cplatform.example",
}
