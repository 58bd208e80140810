from django.db import migrations

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


def seed(apps, schema_editor):
    Level = apps.get_model("classroom", "Level")
    TeachingLanguage = apps.get_model("classroom", "TeachingLanguage")
    Subject = apps.get_model("classroom", "Subject")
    for position, (code, en, es) in enumerate(LEVELS):
        Level.objects.update_or_create(code=code, defaults={"name": en, "translations": {"es": es}, "position": position})
    for code, en, es in LANGUAGES:
        TeachingLanguage.objects.update_or_create(code=code, defaults={"name": en, "translations": {"es": es}})
    for slug, en, es in SUBJECTS:
        Subject.objects.update_or_create(slug=slug, defaults={"name": en, "translations": {"es": es}})


class Migration(migrations.Migration):
    dependencies = [("classroom", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
