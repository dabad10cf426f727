"""How the scheduler runs beside gunicorn (pomsite/gunicorn.conf.py's hooks), and what it does
for real: gunicorn publishing an approved, scheduled draft by itself, and two runners in two
processes on one SQLite file. The set-up is the benchmark's throwaway site (bench/run.py's
`Site`)."""

import http.client
import logging
import os
import re
import runpy
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.run import ROOT, Site

GUNICORN_CONFIG = ROOT / "pomsite" / "gunicorn.conf.py"
PROC = Path("/proc")


class FakeProcess:
    started: list[list[str]] = []

    def __init__(self, command):
        self.started.append(command)
        self.pid = 4242
        self.terminated = False

    def poll(self):
        return 0 if self.terminated else None

    def terminate(self):
        self.terminated = True

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def fake_popen(monkeypatch):
    FakeProcess.started = []
    monkeypatch.setattr(subprocess, "Popen", FakeProcess)
    return FakeProcess


def load_config(monkeypatch, seconds: str | None) -> dict:
    for key in [key for key in os.environ if key.startswith("GUNICORN_")]:
        monkeypatch.delenv(key)
    if seconds is not None:
        monkeypatch.setenv("GUNICORN_SCHEDULE_SECONDS", seconds)
    return runpy.run_path(str(GUNICORN_CONFIG))


def test_gunicorn_starts_the_scheduler_once_when_ready_and_stops_it_on_exit(
    monkeypatch, fake_popen
):
    config = load_config(monkeypatch, "7")
    server = SimpleNamespace(log=logging.getLogger("gunicorn.error"))
    config["when_ready"](server)
    config["when_ready"](server)  # a second call starts no second loop
    [command] = fake_popen.started
    assert command[0] == sys.executable
    assert command[1].endswith("manage.py")
    assert command[2:] == ["run_schedule", "--loop", "7", "--stop-with-parent"]
    loop = config["when_ready"].__globals__["_schedule_loop"]
    config["on_exit"](server)
    assert loop.terminated


def test_the_scheduler_runs_every_30_seconds_unless_turned_off(monkeypatch, fake_popen):
    assert load_config(monkeypatch, None)["schedule_seconds"] == 30
    config = load_config(monkeypatch, "0")
    config["when_ready"](SimpleNamespace(log=logging.getLogger("gunicorn.error")))
    assert fake_popen.started == []


# For real ------------------------------------------------------------------------------------

MAKE_DRAFTS = """
import datetime, sys
import django
django.setup()
from django.contrib.auth.models import User
from django.utils import timezone
from content.editing import revisions, signoff
from content.editing.permissions import sync_editors_group, sync_reviewers_group
from content.models import Guide, Revision
prefix, count, seconds, day = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
editor, _ = User.objects.get_or_create(username="runner-editor", is_staff=True)
editor.groups.add(sync_editors_group())
reviewer, _ = User.objects.get_or_create(username="runner-reviewer", is_staff=True)
reviewer.groups.add(sync_reviewers_group())
later = timezone.now() + datetime.timedelta(hours=1)
for n in range(count):
    guide = Guide.objects.create(
        slug=f"{prefix}-{n}", title=f"{prefix} guide {n}", summary="S.", body="Text.",
        published_on=datetime.date.fromisoformat(day), status="draft",
    )
    revision = revisions.refresh_from_live(guide, editor)
    signoff.submit(revision, editor)
    digest = revisions.data_digest(revision.data)
    signoff.approve(revision.pk, reviewer, digest=digest, go_live_at=later)
    # Approved earlier for this moment: the go-live time comes `seconds` from now.
    go_live_at = timezone.now() + datetime.timedelta(seconds=seconds)
    Revision.objects.filter(pk=revision.pk).update(go_live_at=go_live_at)
"""
PUBLISHED_COUNTS = """
import django
django.setup()
from content.models import Guide
for guide in Guide.objects.filter(slug__startswith="scheduled-"):
    reasons = list(guide.history.values_list("history_change_reason", flat=True))
    print(guide.slug, guide.status, sum(str(r).startswith("Published: approval") for r in reasons))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs once, in the SQLite run (the PostgreSQL run has its own runner tests)")
    site = Site(tmp_path_factory.mktemp("schedule-site"))
    site.env |= {
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_SCHEDULE_SECONDS": "1",
    }
    site.prepare()
    yield site
    site.stop()


def published_counts(site) -> dict[str, tuple[str, int]]:
    rows = [line.split() for line in site.python("-c", PUBLISHED_COUNTS).splitlines()]
    return {slug: (status, int(count)) for slug, status, count in rows}


def test_two_runners_in_two_processes_publish_each_approved_draft_once(site):
    site.python("-c", MAKE_DRAFTS, "scheduled", "20", "-1", "2026-12-01")
    command = [sys.executable, "manage.py", "run_schedule"]
    runners = [
        subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=site.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    outputs = [runner.communicate(timeout=120) for runner in runners]
    assert [runner.returncode for runner in runners] == [0, 0], outputs
    published = [
        int(match[1]) if (match := re.search(r"publish_due_revisions: (\d+)", out)) else 0
        for out, _ in outputs
    ]
    assert sum(published) == 20, outputs
    counts = published_counts(site)
    assert len(counts) == 20
    assert set(counts.values()) == {("published", 1)}


def fetch(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", "Cookie": "us_audience=yes"})
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def test_gunicorn_publishes_an_approved_scheduled_draft_by_itself(site):
    # Dated after every other guide, so it heads the list.
    site.python("-c", MAKE_DRAFTS, "later", "1", "3", "2099-01-01")
    site.start()
    try:
        fetch(site.port, "/guides/")  # the list, stored in the page cache without the draft
        outcomes, deadline = [], time.monotonic() + 120
        while time.monotonic() < deadline:
            status, _ = fetch(site.port, "/guides/later-0/")
            outcomes.append(status)
            if status == 200:
                break
            time.sleep(0.5)
        _, listing = fetch(site.port, "/guides/")
        log = site.log_path.read_text(errors="replace")
    finally:
        site.stop()
    assert outcomes[-1] == 200, (outcomes, site.server_state())
    assert set(outcomes) <= {404, 200}, outcomes
    assert "later guide 0" in listing  # the cached list was refreshed at once
    scheduler = re.search(r"Scheduler: every 1s, pid (\d+)", log)
    assert scheduler, log[-2000:]
    pid, gone_by = int(scheduler[1]), time.monotonic() + 30
    while time.monotonic() < gone_by and (PROC / str(pid)).exists():
        time.sleep(0.2)
    assert not (PROC / str(pid)).exists(), "the scheduler outlived gunicorn"
