"""manage.py run_schedule: publish the drafts whose time has come, and deal with expired items.

One pass by default (a systemd timer runs it every minute: deploy/systemd/); `--loop SECONDS`
keeps running, one pass every SECONDS, as gunicorn's hook does on a developer's machine
(pomsite/gunicorn.conf.py). Safe to run on every app server at once (content/editing/schedule.py).
Exits with status 1 when a job failed, so the timer's unit shows the failure.
"""

import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from content.editing.schedule import run_due

LONGEST_LOOP_SECONDS = 3600
# The loop's clock and its parent, read at each use (a test runs the loop without waiting).
sleep = time.sleep
parent_pid = os.getppid


def seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"--loop takes a number of seconds, not {value!r}.") from None
    if not 0 < number <= LONGEST_LOOP_SECONDS:  # also refuses nan
        raise CommandError(f"--loop takes between 0 and {LONGEST_LOOP_SECONDS} seconds.")
    return number


def refresh_connections() -> None:
    """Drop a database connection that failed or is too old, as Django does around a request,
    so a loop outlives a database restart. One inside a transaction (a test's) is left alone."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class Command(BaseCommand):
    help = "Publish drafts whose 'go live at' time has come, and deal with expired items."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            metavar="SECONDS",
            type=str,
            help="Keep running: one pass every SECONDS (such as 30) until stopped.",
        )
        parser.add_argument(
            "--stop-with-parent",
            action="store_true",
            help="With --loop: stop when the process that started this one ends (gunicorn).",
        )

    def handle(self, *args, loop=None, stop_with_parent=False, **options):
        self.verbosity = options["verbosity"]
        if loop is None:
            if not self.run_once():
                raise CommandError("A scheduled job failed: see the log above.")
            return
        interval, parent = seconds(loop), parent_pid()
        try:
            while not (stop_with_parent and parent_pid() != parent):
                self.run_once()
                sleep(interval)
        except KeyboardInterrupt:  # Ctrl-C in the terminal that runs `make run`
            return

    def run_once(self) -> bool:
        """One pass of every job; True when none failed."""
        refresh_connections()
        try:
            results = run_due()
        finally:
            refresh_connections()
        if any(results.values()) or self.verbosity > 1:
            summary = ", ".join(f"{name}: {count}" for name, count in results.items())
            self.stdout.write(summary)
        return None not in results.values()
