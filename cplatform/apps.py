from django.apps import AppConfig


class CplatformConfig(AppConfig):
    name = "cplatform"
    verbose_name = "cplatform site"
