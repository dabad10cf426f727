"""Django's PostgreSQL backend, with each call a web request makes bounded in time.

See pomsite/db_deadline.py for why: a frozen server would otherwise hold gunicorn's threads.
"""

from django.db.backends.postgresql import base

from pomsite.db_deadline import bounded

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
        with bounded(self._fileno, HEALTH_CHECK_SECONDS):
            return super().is_usable()

    def _commit(self):
        with bounded(self._fileno):
            return super()._commit()

    def _rollback(self):
        with bounded(self._fileno):
            return super()._rollback()
