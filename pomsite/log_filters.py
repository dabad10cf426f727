"""Logging filters that keep anonymous visitors from filling the log.

- `RepeatedRecords`: a record like one already written in the last `seconds` (same logger,
  level, message template, status and exception type) is counted, not written; the next one
  written after the window says how many were left out. An outage then writes a line every few
  seconds per process instead of one per request, and a flood of bad requests cannot drown a
  real error (a different exception or message has its own count).
- `OneLineWarning`: turns a record into one WARNING line with a fixed message and no traceback.
  Used for forged Host headers, which Django logs as an ERROR with a traceback and the header's
  text, both chosen by whoever sent the request.
"""

import logging
import threading
import time


class RepeatedRecords(logging.Filter):
    def __init__(self, seconds: float = 10.0) -> None:
        super().__init__()
        self.seconds = seconds
        self.lock = threading.Lock()
        self.windows: dict[tuple, list] = {}  # key -> [window start, records left out]

    @staticmethod
    def _key(record: logging.LogRecord) -> tuple:
        exception = record.exc_info[0] if record.exc_info else None
        return (record.name, record.levelno, str(record.msg), exception,
                getattr(record, "status_code", None))  # fmt: skip

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key, now = self._key(record), time.monotonic()
        with self.lock:
            window = self.windows.get(key)
            if window is not None and now - window[0] < self.seconds:
                window[1] += 1
                return False
            left_out = window[1] if window else 0
            self.windows[key] = [now, 0]
            if len(self.windows) > 1000:  # many different messages: start counting afresh
                self.windows = {key: [now, 0]}
        if left_out:
            record.msg = f"{record.msg} (and {left_out} more like this, not logged)"
        return True


class OneLineWarning(logging.Filter):
    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg, record.args = self.message, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
