"""Fixtures for the site-wide machinery's tests, including the site run in another process."""

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import override_settings

from content import views as content_views
from pomsite.cache_url import cache_from_url
from tests.site.environment import environment_with_test_settings

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def database_down(monkeypatch) -> Callable[[], None]:
    """Call it to make the pages' database reads fail as they do when the database is gone."""

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    return lambda: monkeypatch.setattr(content_views, "_page_with_sections", unreachable)


@pytest.fixture
def unused_port() -> int:
    """A loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def cache_server_down(unused_port):
    """Settings whose caches are a Redis where nothing listens; use it as a context manager."""
    down = cache_from_url(f"redis://127.0.0.1:{unused_port}/0")
    return override_settings(CACHES={"default": down, "page-generation": down})


@pytest.fixture
def run_site_script() -> Callable[..., dict]:
    """Run a script that sets up the site in a new Python process and prints `RESULTS <json>`:
    the pages it visited by name, each with its status and body. Returns them, with everything
    the process wrote on stdout under "log". No visit may show a traceback."""

    def run(script: str, *, timeout: float, **env: str) -> dict:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=environment_with_test_settings(**env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stderr
        line = next(line for line in result.stdout.splitlines() if line.startswith("RESULTS "))
        results = json.loads(line.removeprefix("RESULTS "))
        for visit in results.values():
            assert "Traceback" not in visit["body"]
        return results | {"log": result.stdout}

    return run


@dataclass
class RunningServer:
    port: int
    process: subprocess.Popen

    def stop(self) -> tuple[str, str]:
        """Stop the server as a process manager does; returns what it wrote (stdout, stderr)."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.communicate(timeout=60)


@pytest.fixture
def gunicorn_site(tmp_path, unused_port) -> Iterator[Callable[..., RunningServer]]:
    """Start the real server with the repo's gunicorn config (one worker, and any further
    options given) on a database with no tables; returns once it accepts connections."""
    servers: list[RunningServer] = []

    def start(*options: str) -> RunningServer:
        env = environment_with_test_settings(
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        )
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "pomsite/gunicorn.conf.py",
             "--bind", f"127.0.0.1:{unused_port}", "--workers", "1", *options, "pomsite.wsgi"],
            cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        servers.append(RunningServer(unused_port, process))
        _wait_for(unused_port, process)
        return servers[-1]

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.stop()


def _wait_for(port: int, process: subprocess.Popen) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise AssertionError(process.stdout.read() + process.stderr.read())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")
