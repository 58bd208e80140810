"""The demo data for `manage.py load_demo_data`: the one app allowed to know every other app.

The public site (`content`, in both languages via `text.T`; generated pictures in `images`; the
builder `site.build_site`), the demo courses (`courses`) and the demo timetable (`schedule`)."""
