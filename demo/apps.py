from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`manage.py load_demo_data` (refused with production settings). The top of the layers: it may
    import every app, and nothing imports it."""

    name = "demo"
