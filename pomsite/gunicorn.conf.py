"""gunicorn settings for production: gunicorn -c pomsite/gunicorn.conf.py pomsite.wsgi

Each knob can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS,
GUNICORN_THREADS, GUNICORN_WORKER_CONNECTIONS, GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS,
GUNICORN_SCHEDULE_SECONDS);
gunicorn's GUNICORN_CMD_ARGS works too. The app servers are stateless, so run as many hosts as
needed behind the load balancer (docs/deployment.md).
"""

import os
import subprocess
import sys
from pathlib import Path

from pomsite.request_log import ACCESS_LOG_FORMAT, GunicornLogger

cpus = os.cpu_count() or 1

# The loopback: nginx on the same host is in front (deploy/nginx/pomsite.conf). gunicorn's
# threads read request headers themselves, so slow clients must never reach it directly.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Workers for the CPUs, threads to overlap waiting on the database and the cache.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * cpus + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
# A request still running after this long is stuck: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# Connections one worker holds at a time (gunicorn's default: 1,000). A worker that wins the
# race to accept took 50 of 64 connections and served them on one CPU while the others idled:
# throughput fell to a third for as long as the connections lasted. Four per thread spreads
# them over the workers. Connections beyond every worker's share wait to be accepted; nginx
# keeps at most 32 idle ones per nginx worker (one per CPU), fewer than workers times this.
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", 4 * threads))
# Recycle workers now and then, so a slow leak can never grow without bound. Cached pages cost
# well under a millisecond, so 2,000 requests lasted seconds under load and the restarts showed
# up as p99 spikes in the benchmark (docs/performance.md); 100,000 still bounds a leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory rather than on a possibly slow disk (containers); gunicorn makes
# them with mkstemp, so a shared directory is safe.
SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None

# One line per request and every error, to stdout (pomsite/request_log.py).
accesslog = "-"
errorlog = "-"
access_log_format = ACCESS_LOG_FORMAT
logger_class = GunicornLogger

# Scheduled publishing and expiry (content/editing/schedule.py): gunicorn's master starts
# `manage.py run_schedule --loop` beside the workers, so a scheduled draft goes live within this
# many seconds with nothing else to set up (make run, make serve-tier). Production servers also
# run it from a systemd timer (deploy/systemd/); two runners are safe together. 0 turns it off.
# A process of its own, not a thread in the master: the master forks workers all its life, and
# a fork must not copy a thread's open database connection (docs/decisions.md).
schedule_seconds = float(os.environ.get("GUNICORN_SCHEDULE_SECONDS", 30))
MANAGE_PY = Path(__file__).resolve().parents[1] / "manage.py"
_schedule_loop: subprocess.Popen | None = None


def schedule_command(interval: float) -> list[str]:
    return [
        sys.executable, str(MANAGE_PY), "run_schedule", "--loop", f"{interval:g}",
        "--stop-with-parent",
    ]  # fmt: skip


def when_ready(server) -> None:
    """Once gunicorn listens: start the scheduler loop (it stops when gunicorn stops)."""
    global _schedule_loop
    if schedule_seconds > 0 and _schedule_loop is None:
        _schedule_loop = subprocess.Popen(schedule_command(schedule_seconds))  # noqa: S603
        server.log.info("Scheduler: every %gs, pid %s", schedule_seconds, _schedule_loop.pid)


def on_exit(server) -> None:
    global _schedule_loop
    if _schedule_loop is not None and _schedule_loop.poll() is None:
        _schedule_loop.terminate()
        try:
            _schedule_loop.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _schedule_loop.kill()
    _schedule_loop = None
