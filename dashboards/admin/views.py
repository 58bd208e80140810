"""The "School dashboard" in the Wagtail admin (Admin role only, like the moderation queue): KPI
tiles with the previous period, SVG charts each beside its table, the filters as a GET form, the
reports with their CSV / XLSX exports, and the weekly summary subscription (subscribing asks which
language; unsubscribing asks first). Wagtail's ReportView is built around a queryset and a
paginated listing; these reports are small aggregated tables from the analytics selectors, so a
plain admin template view shows them and the exports stream them (exports.py)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.http import Http404
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from authentication.admin_menu import AdminsOnlyViewSet
from cplatform.admin_confirm import AdminConfirmMixin
from dashboards.charts import bar_chart, line_chart
from dashboards.models import ReportSubscription

from . import exports
from .filters import FilterForm, previous_label
from .kpis import dashboard_figures
from .reports import REPORTS
from .services import report_subscribe, report_subscription_get, report_unsubscribe


class _AdminsOnly(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Admin-role users only: `AdminRolePermissionPolicy` (registered for ReportSubscription in
    dashboards/wagtail_hooks.py) gives them "change"; no group permission grants it to others."""

    model = ReportSubscription
    permission_required = "change"
    url_namespace = None
    header_icon = "table"

    def filter_form(self) -> FilterForm:
        return FilterForm(self.request.GET or None)

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.template_name != "dashboards/admin/dashboard.html":
            items.append(
                {"url": reverse(f"{self.url_namespace}:index"), "label": _("School dashboard")}
            )
        return [*items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs_items"] = self.get_breadcrumbs_items()
        context["url_namespace"] = self.url_namespace
        return context


# A bar chart on the dashboard shows at most this many bars (the largest); its report has every row.
# At scale (1,000 teachers, 5,000 courses) a bar per row is unreadable and slow to draw.
DASHBOARD_BARS = 20


def _largest(rows: list, value, n: int = DASHBOARD_BARS) -> list:
    """The `n` rows with the largest `value`, in their original order (all of them when few)."""
    if len(rows) <= n:
        return rows
    keep = {id(r) for r in sorted(rows, key=lambda r: value(r) or 0, reverse=True)[:n]}
    return [r for r in rows if id(r) in keep]


def _labels(series) -> list[str]:
    return [p.day.isoformat() for p in series.points]


class DashboardView(_AdminsOnly):
    template_name = "dashboards/admin/dashboard.html"
    page_title = gettext_lazy("School dashboard")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filter_form()
        filters = form.filters()
        figures = dashboard_figures(viewer=self.request.user, filters=filters)
        engagement, money, capacity = figures.engagement, figures.money, figures.capacity
        period = filters.period

        activity = [
            (_("Active people"), engagement.active),
            (_("Lessons delivered"), engagement.lessons_delivered),
            (_("Messages sent"), engagement.messages_sent),
        ]
        days = _labels(engagement.active)
        net_by_day: dict[str, dict] = defaultdict(dict)
        for row in money.by_day:
            net_by_day[row.currency][row.key] = row.net
        revenue = [
            (cur, [net_by_day[cur].get(p.day, 0) for p in engagement.active.points])
            for cur in sorted(net_by_day)
        ]
        range_text = f"{period.start.isoformat()} – {period.end.isoformat()}"
        teachers = _largest(list(capacity.teachers), lambda t: t.utilisation)
        charts = [
            {
                "id": "chart-activity",
                "title": _("Activity per day"),
                "svg": line_chart(
                    chart_id="chart-activity",
                    title=_("Activity per day"),
                    desc=_("People active, lessons delivered and messages sent per day, %(range)s.")
                    % {"range": range_text},
                    labels=days,
                    series=[(name, [p.value for p in s.points]) for name, s in activity],
                ),
                "columns": [_("Day"), *[name for name, _s in activity]],
                "rows": [
                    [day, *[s.points[i].value for _n, s in activity]] for i, day in enumerate(days)
                ],
            },
            {
                "id": "chart-revenue",
                "title": _("Net revenue per day"),
                "svg": line_chart(
                    chart_id="chart-revenue",
                    title=_("Net revenue per day"),
                    desc=_("Money received less refunds per day, one line per currency, %(range)s.")
                    % {"range": range_text},
                    labels=days,
                    series=revenue,
                ),
                "columns": [_("Day"), *[cur for cur, _v in revenue]],
                "rows": [[day, *[vals[i] for _c, vals in revenue]] for i, day in enumerate(days)],
            },
            {
                "id": "chart-utilisation",
                "title": _("Teacher utilisation (%)"),
                "svg": bar_chart(
                    chart_id="chart-utilisation",
                    title=_("Teacher utilisation (%)"),
                    desc=_("Booked hours as a share of offered hours per teacher, %(range)s.")
                    % {"range": range_text},
                    items=[(t.name, round((t.utilisation or 0) * 100, 1)) for t in teachers],
                ),
                "columns": [
                    _("Teacher"),
                    _("Offered hours"),
                    _("Booked hours"),
                    _("Utilisation (%)"),
                ],
                "rows": [
                    [
                        t.name,
                        t.offered_hours,
                        t.booked_hours,
                        "—" if t.utilisation is None else round(t.utilisation * 100, 1),
                    ]
                    for t in teachers
                ],
                "shown": len(teachers),
                "total": len(capacity.teachers),
            },
        ]
        for cur in money.currencies:
            every = [r for r in money.by_course if r.currency == cur]
            rows = _largest(every, lambda r: r.net)
            charts.append(
                {
                    "id": f"chart-course-{cur.lower()}",
                    "title": _("Net revenue by course (%(currency)s)") % {"currency": cur},
                    "svg": bar_chart(
                        chart_id=f"chart-course-{cur.lower()}",
                        title=_("Net revenue by course (%(currency)s)") % {"currency": cur},
                        desc=_("Money received less refunds per course in %(currency)s, %(range)s.")
                        % {"currency": cur, "range": range_text},
                        items=[(r.label or "—", r.net) for r in rows],
                    ),
                    "columns": [_("Course"), _("Gross"), _("Refunds"), _("Net")],
                    "rows": [[r.label or "—", r.gross, r.refunds, r.net] for r in rows],
                    "shown": len(rows),
                    "total": len(every),
                }
            )

        for chart in charts:
            chart["labelled_rows"] = [
                [(str(c), v) for c, v in zip(chart["columns"], row, strict=True)]
                for row in chart["rows"]
            ]
        groups: dict[str, list] = {}
        for tile in figures.tiles:
            groups.setdefault(str(tile.group), []).append(tile)
        subscription = report_subscription_get(user=self.request.user)
        query = urlencode(filters.query())
        context.update(
            {
                "form": form,
                "filters": filters,
                "period": period,
                "previous": previous_label(period),
                "tile_groups": groups.items(),
                "charts": charts,
                "reports": [
                    (r, f"{reverse(f'{self.url_namespace}:report')}?report={r.slug}&{query}")
                    for r in REPORTS.values()
                ],
                "subscription": subscription if subscription and subscription.active else None,
            }
        )
        return context


def _report_of(request):
    slug = request.GET.get("report") or next(iter(REPORTS))
    report = REPORTS.get(slug)
    if report is None:
        raise Http404
    return report


class ReportPageView(_AdminsOnly):
    template_name = "dashboards/admin/report.html"

    def get_page_title(self):
        return str(_report_of(self.request).title)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = _report_of(self.request)
        form = self.filter_form()
        filters = form.filters()
        query = {"report": report.slug, **filters.query()}
        export = reverse(f"{self.url_namespace}:export")
        rows = [
            [exports.text(v) for v in row]
            for row in report.rows(viewer=self.request.user, filters=filters)
        ]
        columns = [str(c) for c in report.columns]
        context.update(
            {
                "report": report,
                "form": form,
                "period": filters.period,
                "columns": columns,
                "rows": rows,
                "labelled_rows": [list(zip(columns, row, strict=True)) for row in rows],
                "csv_url": f"{export}?{urlencode({**query, 'format': 'csv'})}",
                "xlsx_url": f"{export}?{urlencode({**query, 'format': 'xlsx'})}",
                "reports": REPORTS.values(),
            }
        )
        return context


class ReportExportView(_AdminsOnly):
    """GET ?report=<slug>&format=csv|xlsx with the dashboard's filters: the file, streamed."""

    page_title = gettext_lazy("Export")

    def get(self, request, *args, **kwargs):
        report = _report_of(request)
        filters = self.filter_form().filters()
        header = [str(c) for c in report.columns]
        rows = report.rows(viewer=request.user, filters=filters)
        period = filters.period
        name = f"{report.slug}-{period.start.isoformat()}-{period.end.isoformat()}"
        if request.GET.get("format") == "xlsx":
            return exports.xlsx_response(name, str(report.title), header, rows)
        return exports.csv_response(name, header, rows)


class SubscribeView(AdminConfirmMixin, _AdminsOnly):
    """GET: which language the weekly summary comes in; POST: subscribe. Neither this nor
    unsubscribing refuses (the services' one refusal, not an admin, is the permission's 403)."""

    template_name = "dashboards/admin/subscribe.html"
    page_title = gettext_lazy("Weekly summary email")
    success_message = gettext_lazy("You will receive the weekly summary every Monday.")
    refusals = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = report_subscription_get(user=self.request.user)
        context.update(
            {
                "languages": settings.LANGUAGES,
                "language": current.language
                if current
                else getattr(self.request.user, "language", "en"),
            }
        )
        return context

    def act(self):
        report_subscribe(actor=self.request.user, language=self.request.POST.get("language"))


class UnsubscribeView(AdminConfirmMixin, _AdminsOnly):
    """GET: the question; POST: unsubscribe."""

    template_name = "dashboards/admin/unsubscribe.html"
    page_title = gettext_lazy("Stop the weekly summary email?")
    success_message = gettext_lazy("You will no longer receive the weekly summary.")
    refusals = ()

    def act(self):
        report_unsubscribe(actor=self.request.user)


class SchoolDashboardViewSet(AdminsOnlyViewSet):
    model = ReportSubscription
    name = "school_dashboard"
    icon = "table"
    menu_label = gettext_lazy("School dashboard")
    menu_order = 150
    add_to_admin_menu = True

    def get_urlpatterns(self):
        common = {"url_namespace": self.url_namespace}
        return [
            path("", DashboardView.as_view(**common), name="index"),
            path("report/", ReportPageView.as_view(**common), name="report"),
            path("export/", ReportExportView.as_view(**common), name="export"),
            path("subscribe/", SubscribeView.as_view(**common), name="subscribe"),
            path("unsubscribe/", UnsubscribeView.as_view(**common), name="unsubscribe"),
        ]
