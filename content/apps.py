from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Site content"

    def ready(self) -> None:
        from .tools import search

        search.connect_signals()  # the search index follows every save and delete
