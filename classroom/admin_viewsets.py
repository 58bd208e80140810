"""Read-only look-ups in the Wagtail admin for support work: 1:1 lessons, group sessions, weekly
availability and time off, with filters by teacher, student, date and status. Admin-role users only
(`AdminRolePermissionPolicy`, registered in wagtail_hooks.py); lessons are booked, moved and cancelled
through the services (the site and the API), never edited here."""

import django_filters
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from authentication.choices import Role
from cplatform.models import OutboundEmail

from .choices import LessonKind, LessonStatus
from .models import AvailabilityException, AvailabilityRule, Lesson, TeacherProfile

WEEKDAYS = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]


def _when(value) -> str:
    """An instant on the admin's own clock (the active zone), in full: a look-up needs the time."""
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else ""


def _person(user) -> str:
    return f"{user.name} · {user.email}" if user else ""


def _teachers(request=None):
    return TeacherProfile.objects.select_related("user").order_by("user__email")


def _students(request=None):
    return (
        get_user_model()
        .objects.filter(groups__name=Role.STUDENT)
        .order_by("email")
        .only("pk", "email", "first_name", "last_name", "display_name")
    )


class _TeacherChoice(django_filters.ModelChoiceFilter):
    def __init__(self, **kwargs):
        super().__init__(
            field_name="teacher",
            queryset=_teachers,
            label=pgettext_lazy("lesson look-up", "Teacher"),
            **kwargs,
        )


class LessonFilterSet(WagtailFilterSet):
    teacher = _TeacherChoice()
    student = django_filters.ModelChoiceFilter(
        field_name="student", queryset=_students, label=gettext_lazy("Student")
    )
    start = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )
    status = django_filters.ChoiceFilter(
        choices=LessonStatus.choices, label=gettext_lazy("Status"), empty_label=gettext_lazy("Any")
    )

    class Meta:
        model = Lesson
        fields = []


class GroupSessionFilterSet(LessonFilterSet):
    student = django_filters.ModelChoiceFilter(
        queryset=_students,
        label=gettext_lazy("Student"),
        method="filter_seat_holder",
    )

    def filter_seat_holder(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(seats__student=value, seats__cancelled_at__isnull=True).distinct()


class AvailabilityRuleFilterSet(WagtailFilterSet):
    teacher = _TeacherChoice()
    weekday = django_filters.ChoiceFilter(
        choices=WEEKDAYS, label=gettext_lazy("Weekday"), empty_label=gettext_lazy("Any")
    )

    class Meta:
        model = AvailabilityRule
        fields = []


class TimeOffFilterSet(WagtailFilterSet):
    teacher = _TeacherChoice()
    start = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AvailabilityException
        fields = []


class _LookupIndexView(IndexView):
    base_queryset = None

    def get_base_queryset(self):
        return self.base_queryset()


class _ReadOnlyViewSet(ModelViewSet):
    """Listing, filters, search and an inspect page; the add / edit / delete views answer 403 to
    everyone (the policy denies them), and nothing is copied."""

    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None
    list_per_page = 50
    index_view_class = _LookupIndexView
    form_fields = []  # the add and edit views exist but answer nobody (the policy denies them)

    def get_permissions_to_register(self):
        # Access comes with the Admin role (roles.py), not with group permissions to hand out.
        return Permission.objects.none()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(base_queryset=self.get_queryset, **kwargs)

    def get_queryset(self):
        raise NotImplementedError


_LESSON_SEARCH = [
    "teacher__user__email",
    "teacher__user__first_name",
    "teacher__user__last_name",
    "teacher__user__display_name",
    "title",
]


class LessonViewSet(_ReadOnlyViewSet):
    model = Lesson
    name = "classroom_lessons"
    url_prefix = "lessons"
    icon = "date"
    menu_label = gettext_lazy("1:1 lessons")
    filterset_class = LessonFilterSet
    ordering = "-start"
    search_fields = [
        *_LESSON_SEARCH,
        "student__email",
        "student__first_name",
        "student__last_name",
        "student__display_name",
    ]
    list_display = [
        "start",  # the first column links to the inspect view (in the admin's own zone)
        Column("teacher", label=pgettext_lazy("lesson look-up", "Teacher")),
        Column("student", label=gettext_lazy("Student"), accessor=lambda o: _person(o.student)),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column(
            "billing_outcome", label=gettext_lazy("Billing"), accessor="get_billing_outcome_display"
        ),
    ]
    inspect_view_fields = [
        "teacher",
        "student",
        "booked_by",
        "course",
        "start",
        "end",
        "status",
        "cancelled_by",
        "cancelled_at",
        "cancelled_late",
        "cancellation_reason",
        "billing_outcome",
        "video_call_url",
        "series",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self):
        return Lesson.objects.filter(kind=LessonKind.PRIVATE).select_related(
            "teacher__user", "student"
        )


class GroupSessionViewSet(_ReadOnlyViewSet):
    model = Lesson
    name = "classroom_group_sessions"
    url_prefix = "group-sessions"
    icon = "group"
    menu_label = gettext_lazy("Group sessions")
    filterset_class = GroupSessionFilterSet
    ordering = "-start"
    search_fields = [*_LESSON_SEARCH, "course__title"]
    list_display = [
        "start",
        Column("course", label=gettext_lazy("Course")),
        Column("teacher", label=pgettext_lazy("lesson look-up", "Teacher")),
        Column(
            "seats",
            label=gettext_lazy("Seats taken"),
            accessor=lambda o: f"{o.seats_taken} / {o.capacity}",
        ),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
    ]
    inspect_view_fields = [
        "course",
        "title",
        "teacher",
        "start",
        "end",
        "capacity",
        "status",
        "cancelled_by",
        "cancelled_at",
        "cancellation_reason",
        "video_call_url",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self):
        return (
            Lesson.objects.filter(kind=LessonKind.GROUP)
            .select_related("teacher__user", "course")
            .annotate(seats_taken=Count("seats", filter=Q(seats__cancelled_at__isnull=True)))
        )


class AvailabilityRuleViewSet(_ReadOnlyViewSet):
    model = AvailabilityRule
    name = "classroom_availability"
    url_prefix = "availability"
    icon = "time"
    menu_label = gettext_lazy("Weekly availability")
    filterset_class = AvailabilityRuleFilterSet
    ordering = ["teacher__user__email", "weekday", "start_time"]
    search_fields = _LESSON_SEARCH[:4]
    list_display = [
        "teacher",
        Column(
            "weekday", label=gettext_lazy("Weekday"), accessor=lambda o: dict(WEEKDAYS)[o.weekday]
        ),
        Column(
            "hours",
            label=gettext_lazy("Hours (the teacher's zone)"),
            accessor=lambda o: "{}–{} ({})".format(
                time_format(o.start_time, "TIME_FORMAT"),
                "24:00"
                if o.end_time.hour == o.end_time.minute == 0
                else time_format(o.end_time, "TIME_FORMAT"),
                o.teacher.user.timezone or "UTC",
            ),
        ),
    ]
    inspect_view_fields = ["teacher", "weekday", "start_time", "end_time"]

    def get_queryset(self):
        return AvailabilityRule.objects.select_related("teacher__user")


class TimeOffViewSet(_ReadOnlyViewSet):
    model = AvailabilityException
    name = "classroom_time_off"
    url_prefix = "time-off"
    icon = "calendar-alt"
    menu_label = gettext_lazy("Time off")
    filterset_class = TimeOffFilterSet
    ordering = "-start"
    search_fields = [*_LESSON_SEARCH[:4], "reason"]
    list_display = [
        "teacher",
        Column("start", label=gettext_lazy("From"), accessor=lambda o: _when(o.start)),
        Column("end", label=gettext_lazy("Until"), accessor=lambda o: _when(o.end)),
        Column("reason", label=gettext_lazy("Reason")),
    ]
    inspect_view_fields = ["teacher", "start", "end", "reason"]

    def get_queryset(self):
        return AvailabilityException.objects.select_related("teacher__user")


class OutboundEmailViewSet(_ReadOnlyViewSet):
    """The outbox of cplatform.mail, looked up by admins: who was written to, and whether it went.
    Here, beside the other support look-ups, because the Admin-role policy lives in this app;
    cplatform sits below the roles."""

    model = OutboundEmail
    name = "outbound_email"
    url_prefix = "outbound-email"
    icon = "mail"
    menu_label = pgettext_lazy("outbound email", "Outgoing email")
    menu_order = 270
    add_to_admin_menu = True
    list_filter = ["status"]
    search_fields = ["subject"]
    ordering = "-created_at"
    list_display = [
        "subject",  # links to the inspect view
        Column(
            "to",
            label=pgettext_lazy("outbound email", "To"),
            accessor=lambda o: ", ".join(o.to),
        ),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("attempts", label=pgettext_lazy("outbound email", "Attempts")),
        Column(
            "created_at",
            label=pgettext_lazy("outbound email", "Written"),
            accessor=lambda o: _when(o.created_at),
        ),
        Column(
            "sent_at",
            label=pgettext_lazy("outbound email", "Sent at"),
            accessor=lambda o: _when(o.sent_at),
        ),
        Column("last_error", label=pgettext_lazy("outbound email", "Last error")),
    ]
    inspect_view_fields = [
        "subject",
        "from_email",
        "to",
        "cc",
        "bcc",
        "reply_to",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
        # Not the body: a password-reset or confirmation link in it would let an Admin-role user
        # take over the account (a superuser's included).
    ]

    def get_queryset(self):
        return OutboundEmail.objects.all()


class ScheduleViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Lessons")
    menu_icon = "date"
    menu_order = 260
    items = (LessonViewSet, GroupSessionViewSet, AvailabilityRuleViewSet, TimeOffViewSet)
