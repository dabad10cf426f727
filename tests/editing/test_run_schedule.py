"""manage.py run_schedule: one pass, or a loop (as gunicorn's hook and the systemd timer run it)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from content.editing import schedule
from content.management.commands import run_schedule
from content.models import Revision, Status

from .conftest import submit_and_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_guide(make_guide):
    """A draft a medical reviewer approved to go live at a time that came a minute ago."""
    guide = make_guide(status=Status.DRAFT, publish_at=timezone.now() + datetime.timedelta(hours=1))
    approval = submit_and_approve(guide)
    a_minute_ago = timezone.now() - datetime.timedelta(minutes=1)
    Revision.objects.filter(pk=approval.revision_id).update(go_live_at=a_minute_ago)
    return guide


def test_one_pass_publishes_what_is_due_and_says_so(due_guide):
    out = StringIO()
    call_command("run_schedule", stdout=out)
    due_guide.refresh_from_db()
    assert due_guide.status == Status.PUBLISHED
    assert "publish_due_revisions: 1, expire_items: 0" in out.getvalue()


def test_a_pass_with_nothing_to_do_is_quiet(db):
    out = StringIO()
    call_command("run_schedule", stdout=out)
    assert out.getvalue() == ""


def test_a_failed_job_makes_the_command_fail(monkeypatch):
    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(schedule, "SCHEDULED_JOBS", [broken])
    with pytest.raises(CommandError, match="failed"):
        call_command("run_schedule", stdout=StringIO())


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "1e9", "", "３０x"])
def test_a_bad_loop_interval_is_refused_clearly(value):
    with pytest.raises(CommandError, match="--loop takes"):
        call_command("run_schedule", "--loop", value)


class Stop(Exception):
    pass


def test_the_loop_runs_a_pass_every_interval(monkeypatch, due_guide):
    """The loop's body, without waiting: the third sleep ends it."""
    passes, sleeps = [], []
    real_run_due = run_schedule.run_due

    def counting_run_due():
        passes.append(1)
        return real_run_due()

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 3:
            raise Stop

    monkeypatch.setattr(run_schedule, "run_due", counting_run_due)
    monkeypatch.setattr(run_schedule, "sleep", sleep)
    with pytest.raises(Stop):
        call_command("run_schedule", "--loop", "30", stdout=StringIO())
    assert (len(passes), sleeps) == (3, [30.0, 30.0, 30.0])
    due_guide.refresh_from_db()
    assert due_guide.status == Status.PUBLISHED


def test_the_loop_stops_when_the_process_that_started_it_ends(monkeypatch):
    parents = iter([100, 100, 100, 1])  # gunicorn's master is gone: adopted by init
    monkeypatch.setattr(run_schedule, "parent_pid", lambda: next(parents))
    monkeypatch.setattr(run_schedule, "sleep", lambda seconds: None)
    passes = []
    monkeypatch.setattr(run_schedule, "run_due", lambda: passes.append(1) or {})
    call_command("run_schedule", "--loop", "1", "--stop-with-parent")
    assert len(passes) == 2
