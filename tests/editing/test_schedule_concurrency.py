"""Two scheduler runs at the same moment, for real: threads, one database connection each, and
PostgreSQL's row locks (`select_for_update(skip_locked=True)`). Nothing is done twice or half.
(On SQLite, two runner processes on one file: tests/site/test_schedule_runner.py.)"""

import datetime
import os
import threading
import time

import pytest
from django.db import connection, transaction

from content.editing.schedule import TAKEN_OFFLINE_ON_EXPIRY, run_due
from content.models import Guide, OnExpiry, Status

from .conftest import submit_and_approve

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent writers need a server database (CI's PostgreSQL run)",
    ),
]
NOW = datetime.datetime(2027, 1, 15, 15, 0, tzinfo=datetime.UTC)
ITEMS = 30
JOB = "publish_due_revisions"


def run_together(count: int) -> list[dict]:
    barrier, results = threading.Barrier(count), {}

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = run_due(NOW)
        finally:
            connection.close()  # this thread's connection

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [results[index] for index in range(count)]


def guides(make_guide, **fields) -> list[Guide]:
    return [make_guide(slug=f"guide-{n}", title=f"Guide {n}", **fields) for n in range(ITEMS)]


def times_recorded(guide: Guide, reason: str) -> int:
    return guide.history.filter(history_change_reason=reason).count()


def test_two_runners_at_once_publish_each_approved_draft_once(make_guide):
    drafts = guides(make_guide, status=Status.DRAFT, publish_at=NOW)
    for guide in drafts:
        submit_and_approve(guide)
    results = run_together(2)
    assert sum(result[JOB] for result in results) == ITEMS, results
    for guide in drafts:
        guide.refresh_from_db()
        assert (guide.status, guide.publish_at) == (Status.PUBLISHED, None)
        reason = f"Published: approval {guide.approval_code}"
        assert times_recorded(guide, reason) == 1


def test_two_runners_at_once_take_each_expired_item_offline_once(make_guide):
    expiring = guides(make_guide, expires_on=NOW.date(), on_expiry=OnExpiry.TAKE_OFFLINE)
    results = run_together(2)
    assert sum(result["expire_items"] for result in results) == ITEMS, results
    for guide in expiring:
        guide.refresh_from_db()
        assert guide.status == Status.DRAFT
        assert times_recorded(guide, TAKEN_OFFLINE_ON_EXPIRY) == 1


def test_an_item_locked_elsewhere_is_skipped_at_once_and_done_next_time(make_guide):
    """An editor saving the item holds its row: the runner does not wait for it."""
    guide = make_guide(status=Status.DRAFT, publish_at=NOW)
    submit_and_approve(guide)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row() -> None:
        try:
            with transaction.atomic():
                Guide.objects.select_for_update().get(pk=guide.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        started = time.monotonic()
        assert run_due(NOW)[JOB] == 0
        assert time.monotonic() - started < 5
    finally:
        release.set()
        holder.join()
    assert run_due(NOW)[JOB] == 1
    guide.refresh_from_db()
    assert guide.status == Status.PUBLISHED
