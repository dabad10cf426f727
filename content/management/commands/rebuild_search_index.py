from django.core.management.base import BaseCommand

from content.models import SearchEntry
from content.tools.search import rebuild_index


class Command(BaseCommand):
    help = (
        "Index every published page, section, guide and glossary word for the site search. "
        "Saving content keeps the index current; run this after a migration or a bulk import."
    )

    def handle(self, *args, **options) -> None:
        rebuild_index()
        self.stdout.write(f"Search index: {SearchEntry.objects.count()} items.")
