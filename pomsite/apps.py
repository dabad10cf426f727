from django.apps import AppConfig


class PomsiteConfig(AppConfig):
    """Site-wide machinery (no models): connects the page cache to content changes."""

    name = "pomsite"
    verbose_name = "Site"

    def ready(self) -> None:
        from pomsite import page_cache

        page_cache.connect_signals()
