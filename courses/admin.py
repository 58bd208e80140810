"""Django's admin (/django-admin/) for courses: the staff fallback, where an admin activates a pending
enrolment by hand (through the same service billing will call)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from cplatform.exceptions import DomainError

from .models import Course, Enrollment, Material, Module
from .services import course_teachers_changed_announce, enrollment_activate


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "format", "status", "price", "currency", "capacity"]
    list_filter = ["status", "format", "subject"]
    search_fields = ["title", "slug", "owner__email"]
    autocomplete_fields = ["owner", "teachers"]
    inlines = [ModuleInline]

    def save_related(self, request, form, formsets, change):
        """The teachers (and owner) are saved here; what listens to a change of them (the course's
        chat room) hears it, as when `course_teachers_set` changes them."""
        course = form.instance
        before = getattr(form, "teachers_before", set())
        super().save_related(request, form, formsets, change)
        if course.owner_id and not course.teachers.filter(pk=course.owner_id).exists():
            course.teachers.add(course.owner_id)  # the owner is always one of its teachers
        course_teachers_changed_announce(course=course, before=before)

    def save_model(self, request, obj, form, change):
        # On the form, not on this admin (one instance serves every request).
        if change:
            saved = Course.objects.get(pk=obj.pk)
            form.teachers_before = {saved.owner_id, *saved.teachers.values_list("pk", flat=True)}
        super().save_model(request, obj, form, change)


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "module", "kind", "release_at"]
    list_filter = ["kind"]
    search_fields = ["title", "course__title"]
    raw_id_fields = ["course", "module"]
    exclude = ["file"]  # uploaded from the teacher area, where the content is checked


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "course", "status", "created_at", "activated_at", "ended_at"]
    list_filter = ["status"]
    search_fields = ["student__email", "course__title"]
    raw_id_fields = ["course", "student", "enrolled_by", "ended_by"]
    readonly_fields = ["status", "activated_at", "ended_at", "ended_by", "enrolled_by"]
    actions = ["activate"]

    @admin.action(description=_("Activate the selected pending enrolments"))
    def activate(self, request, queryset):
        done = 0
        for enrollment in queryset:
            try:
                enrollment_activate(actor=request.user, enrollment=enrollment)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{enrollment}: {exc.detail}", messages.WARNING)
        self.message_user(request, _("%(n)d enrolments activated.") % {"n": done})
