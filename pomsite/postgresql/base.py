"""Django's PostgreSQL backend, with each call a web request makes bounded in time.

See pomsite/db_deadline.py for why: a frozen server would otherwise hold gunicorn's threads.
"""

import time

from django.db.backends.postgresql import base

from pomsite.db_deadline import bounded, current_bound

# Checking a kept connection ("SELECT 1") takes well under a millisecond on a server that runs.
HEALTH_CHECK_SECONDS = 0.5


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._bounded_execute)

    def _fileno(self) -> int | None:
        return (
            None if self.connection is None or self.connection.closed else self.connection.fileno()
        )

    def _bounded_execute(self, execute, sql, params, many, context):
        with bounded(self._fileno):
            return execute(sql, params, many, context)

    def is_usable(self) -> bool:
        started = time.monotonic()
        with bounded(self._fileno, HEALTH_CHECK_SECONDS):
            usable = super().is_usable()
        if not usable and time.monotonic() - started >= HEALTH_CHECK_SECONDS:
            # No answer at all, not an error: the server is frozen. Django would connect again
            # at once, and a frozen server holds a new connection for connect_timeout (2 s at
            # least), on top of this check. This request (and this thread's next ones, for the
            # query bound) gets the fallback instead; the page cache's breaker then retries.
            self._silent_until = time.monotonic() + (current_bound() or HEALTH_CHECK_SECONDS)
        return usable

    def get_new_connection(self, conn_params):
        if current_bound() and time.monotonic() < getattr(self, "_silent_until", 0.0):
            raise base.Database.OperationalError(
                "the database server did not answer a health check a moment ago"
            )
        return super().get_new_connection(conn_params)

    def _commit(self):
        with bounded(self._fileno):
            return super()._commit()

    def _rollback(self):
        with bounded(self._fileno):
            return super()._rollback()
