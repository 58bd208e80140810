from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The shared vocabulary every feature app speaks: subjects, levels, teaching languages,
    currencies and the free-cancellation outcome. It depends on nothing but `cplatform`."""

    name = "catalog"
