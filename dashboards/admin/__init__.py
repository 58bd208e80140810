"""The admins' dashboard in the Wagtail admin: KPI tiles, charts, reports with streaming CSV / XLSX
exports, and the weekly summary email."""
