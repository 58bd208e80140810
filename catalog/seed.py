"""The vocabulary a new site starts with: levels, teaching languages and subjects, in English and
Spanish. An ordinary module: the data migration classroom 0002 (which made these rows when the models
lived in classroom) and the test suite (after a flush) both call `seed`."""

LEVELS = [
    ("beginner", "Beginner", "Principiante"),
    ("elementary", "Elementary", "Elemental"),
    ("intermediate", "Intermediate", "Intermedio"),
    ("upper-intermediate", "Upper intermediate", "Intermedio alto"),
    ("advanced", "Advanced", "Avanzado"),
]
LANGUAGES = [
    ("en", "English", "Inglés"),
    ("es", "Spanish", "Español"),
    ("fr", "French", "Francés"),
    ("de", "German", "Alemán"),
    ("it", "Italian", "Italiano"),
    ("pt", "Portuguese", "Portugués"),
    ("zh", "Chinese", "Chino"),
    ("ja", "Japanese", "Japonés"),
    ("ar", "Arabic", "Árabe"),
]
SUBJECTS = [
    ("mathematics", "Mathematics", "Matemáticas"),
    ("physics", "Physics", "Física"),
    ("chemistry", "Chemistry", "Química"),
    ("biology", "Biology", "Biología"),
    ("history", "History", "Historia"),
    ("english", "English", "Inglés"),
    ("spanish", "Spanish", "Español"),
    ("french", "French", "Francés"),
    ("programming", "Programming", "Programación"),
    ("piano", "Piano", "Piano"),
    ("guitar", "Guitar", "Guitarra"),
    ("exam-preparation", "Exam preparation", "Preparación de exámenes"),
]


def seed(*, level_model, language_model, subject_model) -> None:
    """Create or refresh the starting rows (idempotent); the models are given so that a migration
    can pass its historical ones."""
    for position, (code, en, es) in enumerate(LEVELS):
        level_model.objects.update_or_create(
            code=code, defaults={"name": en, "translations": {"es": es}, "position": position}
        )
    for code, en, es in LANGUAGES:
        language_model.objects.update_or_create(
            code=code, defaults={"name": en, "translations": {"es": es}}
        )
    for slug, en, es in SUBJECTS:
        subject_model.objects.update_or_create(
            slug=slug, defaults={"name": en, "translations": {"es": es}}
        )
