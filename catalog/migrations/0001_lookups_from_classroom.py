"""Subject, Level and TeachingLanguage move from `classroom` to `catalog`: this migration only declares
them in catalog's state. Their tables were created by classroom 0001 and keep their names (`db_table`);
no row moves. classroom 0010 takes them out of classroom's state and moves their ContentType rows."""

import cplatform.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Level',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, validators=[cplatform.validators.validate_single_line])),
                        ('translations', models.JSONField(blank=True, default=dict, help_text='Other languages, e.g. {"es": "Matemáticas"}.')),
                        ('code', models.SlugField(max_length=32, unique=True, validators=[cplatform.validators.validate_single_line])),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        'db_table': 'classroom_level',
                        'ordering': ['position'],
                    },
                ),
                migrations.CreateModel(
                    name='Subject',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, validators=[cplatform.validators.validate_single_line])),
                        ('translations', models.JSONField(blank=True, default=dict, help_text='Other languages, e.g. {"es": "Matemáticas"}.')),
                        ('slug', models.SlugField(max_length=80, unique=True, validators=[cplatform.validators.validate_single_line])),
                    ],
                    options={
                        'db_table': 'classroom_subject',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='TeachingLanguage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80, validators=[cplatform.validators.validate_single_line])),
                        ('translations', models.JSONField(blank=True, default=dict, help_text='Other languages, e.g. {"es": "Matemáticas"}.')),
                        ('code', models.CharField(max_length=8, unique=True, validators=[cplatform.validators.validate_single_line])),
                    ],
                    options={
                        'db_table': 'classroom_teachinglanguage',
                        'ordering': ['name'],
                    },
                ),
            ],
        ),
    ]
