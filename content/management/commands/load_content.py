from django.core.management.base import BaseCommand, CommandError

from content.loader import SeedError, load_content


class Command(BaseCommand):
    help = (
        "Load the starting content from content/seed/. Safe to run again: it never duplicates "
        "content and never overwrites what an editor changed in the admin (unless --reset)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Overwrite editors' changes with the shipped starting content.",
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        try:
            report = load_content(reset=reset)
        except SeedError as error:
            raise CommandError(f"Starting content not loaded: {error}") from error
        self.stdout.write(
            f"Content: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.kept)} kept as edited."
        )
        for label in report.kept:
            self.stdout.write(f"  kept the editor's version of {label} (use --reset to replace)")
