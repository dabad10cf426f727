from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Site content"

    def ready(self) -> None:
        from .editing import fact_changes
        from .tools import search

        search.connect_signals()  # the search index follows every save and delete
        fact_changes.connect_signals()  # a changed fact re-renders the texts that use it
