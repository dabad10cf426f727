"""A bound on how long a web request waits for a database that has stopped answering.

A PostgreSQL server that is frozen (stopped by the kernel, stuck on a full disk, a lost network
path) still has its connections open, so a query just waits: libpq has no read timeout, and a
server-side `statement_timeout` never fires on a server that is not running. Each wait holds a
gunicorn thread, and once every thread waits, cached pages cannot be served either.

So while a web request talks to the database (`DatabaseOutageMiddleware` marks the thread), each
database call is registered here with a deadline. A watchdog thread shuts down the socket of a
call that passes its deadline; libpq then reports the connection lost, Django raises
OperationalError, and the request gets the last good copy or the 503 (pomsite/errors.py).
Management commands (migrations) are never bounded.
"""

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_request = threading.local()
_lock = threading.Lock()
_deadlines: dict[int, tuple[float, int]] = {}
_watchdog: threading.Thread | None = None
TICK_SECONDS = 0.05


@contextmanager
def web_request(seconds: float) -> Iterator[None]:
    """Bound every database call this thread makes inside the block to `seconds` (0: none)."""
    previous = getattr(_request, "seconds", 0.0)
    _request.seconds = seconds
    try:
        yield
    finally:
        _request.seconds = previous


def current_bound() -> float:
    return getattr(_request, "seconds", 0.0)


@contextmanager
def bounded(fileno: Callable[[], int | None], seconds: float | None = None) -> Iterator[None]:
    """Shut down the socket `fileno()` names if the block lasts longer than the bound."""
    seconds = current_bound() if seconds is None else min(seconds, current_bound() or seconds)
    fd = fileno() if seconds else None
    if not seconds or fd is None or fd < 0:
        yield
        return
    token = threading.get_ident()
    with _lock:
        _deadlines[token] = (time.monotonic() + seconds, fd)
        _start_watchdog()
    try:
        yield
    finally:
        with _lock:
            _deadlines.pop(token, None)


def _start_watchdog() -> None:
    # Started on first use, so each gunicorn worker (a fork) has its own.
    global _watchdog
    if _watchdog is None or not _watchdog.is_alive():
        _watchdog = threading.Thread(target=_watch, name="db-deadline", daemon=True)
        _watchdog.start()


def _watch() -> None:
    while True:
        time.sleep(TICK_SECONDS)
        now = time.monotonic()
        with _lock:
            for token, (deadline, fd) in list(_deadlines.items()):
                if now >= deadline:
                    _deadlines.pop(token)
                    _shut_down(fd)


def _shut_down(fd: int) -> None:
    try:
        # A duplicate of the descriptor: shutting it down ends the connection for its owner too,
        # whose blocked read then returns at once.
        with socket.socket(fileno=os.dup(fd)) as duplicate:
            duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
