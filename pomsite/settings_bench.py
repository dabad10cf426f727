"""Benchmark settings: the production settings, pointed at a throwaway database and static root.

`bench/run.py` sets BENCH_SQLITE_PATH and BENCH_STATIC_ROOT to files in a temporary directory, so
a benchmark never reads or writes the developer's db.sqlite3 or staticfiles/. With DATABASE_URL set,
the production settings choose the database (bench/run.py points it at a throwaway database).
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from pomsite.settings import *  # noqa: F403
from pomsite.settings import DATABASES

if os.environ.get("DATABASE_URL"):
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        raise ImproperlyConfigured(
            "DATABASE_URL is set, but these settings do not read it: the benchmark would use "
            "db.sqlite3. Unset DATABASE_URL to benchmark on a temporary SQLite database."
        )
else:
    try:
        # The production options (persistent connections...) with another file.
        DATABASES = {
            "default": {
                **DATABASES["default"],
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": Path(os.environ["BENCH_SQLITE_PATH"]),
            }
        }
    except KeyError as error:
        raise ImproperlyConfigured(
            "BENCH_SQLITE_PATH is not set: run the benchmark with `make bench`."
        ) from error

try:
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
except KeyError as error:
    raise ImproperlyConfigured(
        "BENCH_STATIC_ROOT is not set: run the benchmark with `make bench`."
    ) from error
