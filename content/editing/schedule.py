"""What happens at a set time: approved changes that go live, and items that expire
(docs/editing.md).

`run_due(now)` runs every job in `SCHEDULED_JOBS` once. Each job takes the time to act at and
returns how many items it changed. It runs every minute on every app server (`manage.py
run_schedule`: a systemd timer in production, a loop beside gunicorn on a developer's machine;
docs/deployment.md), so two runners often meet: each item is claimed under a row lock in a
transaction of its own, and a claimed item is re-read under that lock, so nothing is done twice
or half. On PostgreSQL a row another runner (or an editor's save) holds is skipped, to be looked
at again next time; SQLite lets one writer at a time in (`transaction_mode` IMMEDIATE), so the
second runner reads what the first wrote.

Every change is an ordinary save of the model: history records it (an approved change with its
reviewer and approval code; an expiry with no user and a reason), and the page cache is
invalidated as after an editor's save.
"""

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from content.models import Expiring, OnExpiry, Publishable, Status
from pomsite.errors import is_database_outage

from .publishing import required_reason
from .signoff import publish_due_revisions

logger = logging.getLogger(__name__)

TAKEN_OFFLINE_ON_EXPIRY = "Taken offline on expiry"
FLAGGED_ON_EXPIRY = "Flagged on expiry"
# How far ahead a time may be set: further is a typing mistake, not a plan.
LONGEST_AHEAD = timedelta(days=5 * 366)
# "New York time", from the site's time zone (America/New_York).
SITE_TIME = settings.TIME_ZONE.rpartition("/")[2].replace("_", " ") + " time"


def publishable_models() -> list[type[Publishable]]:
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def expiring_models() -> list[type[Expiring]]:
    return [model for model in apps.get_models() if issubclass(model, Expiring)]


def site_time(moment: datetime) -> str:
    """A moment as editors read it: "Dec. 24, 2026, 9:30 a.m. (New York time)"."""
    return f"{date_format(timezone.localtime(moment), 'DATETIME_FORMAT')} ({SITE_TIME})"


def _claim(queryset: models.QuerySet) -> models.Model | None:
    """The first row of `queryset`, locked for this transaction; None if another runner has it.

    SQLite has no row locks and Django ignores select_for_update there; its writers queue for the
    database lock at the start of each transaction instead (settings.py).
    """
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return queryset.first()


# The jobs ------------------------------------------------------------------------------------


def expire_items(now: datetime) -> int:
    """Flag every item whose expiry date has come; take offline those set to go, unless the
    whole site depends on them (`required_reason`)."""
    today = timezone.localdate(now)
    changed = 0
    for model in expiring_models():
        due = model._default_manager.filter(expires_on__lte=today, expired_at=None)
        for pk in list(due.values_list("pk", flat=True)):
            with transaction.atomic():
                item = _claim(due.filter(pk=pk))
                if item is None:
                    continue
                item.expired_at = now
                if _takes_offline(item):
                    item.status = Status.DRAFT
                    item._change_reason = TAKEN_OFFLINE_ON_EXPIRY
                    item.save()
                else:
                    # Only the flag: the text and its version stay, so an editor's open form
                    # is still up to date (Versioned.save).
                    item._change_reason = FLAGGED_ON_EXPIRY
                    item.save(update_fields=["expired_at"])
                changed += 1
    return changed


def _takes_offline(item: models.Model) -> bool:
    return (
        getattr(item, "status", None) == Status.PUBLISHED
        and item.on_expiry == OnExpiry.TAKE_OFFLINE
        and not required_reason(item)
    )


# Jobs run in this order. Nothing goes live without a medical reviewer's sign-off: the first job
# publishes approved changes whose go-live time has come (a draft's own "go live at" time only
# pre-fills the reviewer's go-live time, content/editing/signoff.py).
# Another part of the site adds its own: a callable that takes the time
# to act at and returns how many items it changed.
SCHEDULED_JOBS: list[Callable[[datetime], int]] = [publish_due_revisions, expire_items]


def run_due(now: datetime | None = None) -> dict[str, int | None]:
    """Run every scheduled job once; {job name: items changed, or None if the job failed}.

    A job that fails is logged and the others still run; the next run tries it again. A database
    that is down costs one log line per job and pass.
    """
    now = now or timezone.now()
    if timezone.is_naive(now):
        raise ValueError("run_due needs a time with its time zone (timezone.now()).")
    results: dict[str, int | None] = {}
    for job in list(SCHEDULED_JOBS):
        name = getattr(job, "__name__", repr(job))
        try:
            results[name] = job(now)
        except Exception as error:
            if is_database_outage(error):  # one line a pass, not a traceback a minute
                logger.error("The scheduled job %s failed: database unavailable (%s)", name, error)
            else:
                logger.exception("The scheduled job %s failed", name)
            results[name] = None
    return results


# What editors see --------------------------------------------------------------------------


def go_live_problem(moment: datetime, now: datetime | None = None) -> str | None:
    """Why `moment` cannot be a "go live at" time, or None when it can."""
    now = now or timezone.now()
    if moment <= now:
        return (
            f"This time has passed (it is now {site_time(now)}). Choose a later time, or leave "
            "it empty: it then goes live as soon as a medical reviewer approves it."
        )
    if moment > now + LONGEST_AHEAD:
        return "This time is more than five years away. Check the year."
    return None


def expiry_problem(day: date, today: date | None = None) -> str | None:
    """Why `day` cannot be set as a new expiry date, or None when it can."""
    today = today or timezone.localdate()
    if day < today:
        return "This date has passed. Choose today or a later date, or leave it empty."
    if day > today + LONGEST_AHEAD:
        return "This date is more than five years away. Check the year."
    return None


def expiry_outcome(item: models.Model) -> str:
    """What the expiry did to an item, in words for editors."""
    reason = required_reason(item)
    if not hasattr(item, "status"):
        return "Flagged for editors. Site-wide texts stay on the site."
    if item.on_expiry == OnExpiry.TAKE_OFFLINE and reason:
        return f"Flagged for editors, not taken offline: {reason}"
    if item.on_expiry == OnExpiry.TAKE_OFFLINE and item.status == Status.DRAFT:
        return "Taken offline: visitors cannot see it."
    if item.on_expiry == OnExpiry.TAKE_OFFLINE:
        return "Published again after it was taken offline."
    return "Flagged for editors. It is still on the site."
