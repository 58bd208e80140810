"""Rows the data migrations create, restored after `transaction=True` tests flush the database."""

from django.contrib.auth.models import Group

from catalog.models import Level, Subject, TeachingLanguage
from catalog.seed import seed as seed_vocabulary


def ensure_base_data() -> None:
    from wagtail.models import Locale, Page, Site

    from authentication.choices import Role
    from cplatform.editorial import EDITORS, ensure_editorial_setup
    from home.models import HomePage

    if (
        Group.objects.filter(name__in=Role.values).count() == len(Role.values)
        and Site.objects.exists()
        and Group.objects.filter(name=EDITORS).exists()
    ):
        return
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    en, _ = Locale.objects.get_or_create(language_code="en")
    Locale.objects.get_or_create(language_code="es")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=en)
    )
    home = HomePage.objects.filter(depth=2, locale=en).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="cplatform", slug="home", locale=en))
    if not Site.objects.exists():
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="cplatform",
        )
    # The lookups (levels, subjects, languages) classroom's data migration 0002 made.
    seed_vocabulary(level_model=Level, language_model=TeachingLanguage, subject_model=Subject)
    # Editors, Moderators, the review workflow and the scheduled-publishing job.
    ensure_editorial_setup()
    # The course catalog page and the Teacher group's admin access (courses/migrations/0004), so a
    # test sees the same site whether or not a `transaction=True` test flushed the database before.
    from courses.page_services import course_index_ensure

    course_index_ensure()
    # The lesson reminders' schedule (inbox's reminders data migration).
    from django_q.models import Schedule

    from inbox.reminders.schedule import reminder_schedule_ensure

    reminder_schedule_ensure(Schedule)
    # The lesson-hold sweep's schedule (classroom's migration 0013).
    from classroom.schedule import hold_sweep_schedule_ensure

    hold_sweep_schedule_ensure(Schedule)
    # The unpaid-enrolment sweep's schedule (courses' migration 0012).
    from courses.schedule import release_schedule_ensure

    release_schedule_ensure(Schedule)
    # The manual subscription renewals' schedule (billing's migration 0002_policy).
    from billing.plans.schedule import renewal_schedule_ensure

    renewal_schedule_ensure(Schedule)
    # The retry of failed Stripe webhook processing (billing's migration 0003_stripe).
    from billing.stripe.schedule import retry_schedule_ensure

    retry_schedule_ensure(Schedule)
    # The payment reminders of open manual invoices (billing's migration 0005_invoice_reminders).
    from billing.papers.schedule import invoice_reminder_schedule_ensure

    invoice_reminder_schedule_ensure(Schedule)
