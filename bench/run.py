"""How close is the site to the limit? A load benchmark of every public page.

    make bench          (python -m bench.run: 10 s per page and connection count, ~17 min)
    make bench-smoke    (python -m bench.run --smoke: 1 s per page at 8 connections, ~30 s)

It starts the site as in production (DEBUG off, a throwaway secret key, gunicorn with the repo's
config file when there is one) on a free port of 127.0.0.1, with a temporary SQLite database and
static root (or, when DATABASE_URL names PostgreSQL, a throwaway database on that server). It
migrates, loads the starting content, collects the static files, counts each page's SQL queries,
warms the site, and loads each public page and one static file of about the same size with `wrk`
at 1, 8 and 64 connections. The static file served by WhiteNoise is the ceiling of this stack on
this machine, so each page's throughput is reported as a ratio to it: ratios are stable where
absolute numbers are not. It then adds 1,000 placeholder guides and 500 placeholder sections and
runs again (growth). Writes bench/results/<name>.json and .md and prints the Markdown.

Targets are reported as pass/fail; a missed target never fails the run. The run fails (exit 1)
only when the benchmark itself is broken: the site does not start, a page does not answer 200,
or wrk gets non-2xx answers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from content.navigation import MAIN_NAV

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
LUA_SCRIPT = BENCH_DIR / "report.lua"

# The site's page map (the menu) is the list of public pages; a guide is added per run.
PUBLIC_PAGES = [item.url for item in MAIN_NAV]
GUIDE_DETAIL = "guide detail"

# The limits the issue sets (docs/performance.md says where they come from).
MIN_THROUGHPUT_RATIO = 0.75  # of the static file's, warm, at the highest connection count
MAX_P99_FACTOR = 2.0  # times the static file's p99, at 8 connections
P99_CONNECTIONS = 8
MAX_COLD_QUERIES = 3
MAX_CACHED_QUERIES = 0
MAX_HTML_COMPRESSED = 14 * 1024  # about what fits in TCP's first round trip (10 segments)
MAX_FIRST_VIEW = 60 * 1024
MAX_GROWTH_LOSS = 0.20
GZIP_LEVEL = 6  # what Django's GZipMiddleware and most proxies use for dynamic pages
BROTLI_QUALITY = 6  # a usual on-the-fly level (WhiteNoise pre-compresses static files at 11)

# Without a config file, the flags `make run` uses.
MAKE_RUN_GUNICORN_FLAGS = ["--workers", "2", "--access-logfile", "-"]
GUNICORN_CONFIGS = ["gunicorn.conf.py", "pomsite/gunicorn.conf.py"]


# ---------------------------------------------------------------------------------------------
# Arguments


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description="Load-test every public page with wrk."
    )
    parser.add_argument(
        "--smoke", action="store_true", help="a short run for CI: 1 s per page, fewer runs"
    )
    parser.add_argument(
        "--duration",
        type=int,
        help="seconds of load per page and connection count (default 10; smoke 1)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="slices the duration is cut into, each after a slice of the static file "
        "(default 5; smoke 1)",
    )
    parser.add_argument(
        "--connections", help="comma-separated connection counts (default 1,8,64; smoke 8)"
    )
    parser.add_argument(
        "--growth-connections",
        help="connection counts of the growth run (default: as --connections)",
    )
    parser.add_argument("--growth-guides", type=int, default=1000)
    parser.add_argument("--growth-sections", type=int, default=500)
    parser.add_argument("--no-growth", action="store_true", help="skip the growth run")
    parser.add_argument(
        "--no-pairing",
        action="store_true",
        help="load the static file once per connection count instead of before every slice "
        "(the smoke run's choice: quicker, noisier ratios)",
    )
    parser.add_argument(
        "--warm-requests", type=int, help="requests per URL before measuring (default 20)"
    )
    parser.add_argument("--output-dir", type=Path, default=BENCH_DIR / "results")
    parser.add_argument("--name", help="results file name (default latest; smoke: smoke)")
    args = parser.parse_args(argv)
    smoke = args.smoke
    if args.duration is None:
        args.duration = 1 if smoke else 10
    if args.rounds is None:
        args.rounds = 1 if smoke else 5
    args.pairing = not (args.no_pairing or smoke)
    args.connections = _counts(args.connections or ("8" if smoke else "1,8,64"), parser)
    args.growth_connections = (
        _counts(args.growth_connections, parser)
        if args.growth_connections
        else list(args.connections)
    )
    if args.warm_requests is None:
        args.warm_requests = 5 if smoke else 20
    args.name = args.name or ("smoke" if smoke else "latest")
    if args.rounds < 1 or args.duration % args.rounds or args.duration < args.rounds:
        parser.error("--duration must be a whole multiple of --rounds (wrk runs whole seconds)")
    args.slice = args.duration // args.rounds
    return args


def _counts(text: str, parser: argparse.ArgumentParser) -> list[int]:
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        parser.error(f"connection counts must be whole numbers, not {text!r}")
    if not counts or counts[0] < 1:
        parser.error("connection counts must be 1 or more")
    return counts


# ---------------------------------------------------------------------------------------------
# Parsing and measuring (pure functions: tests/bench/test_bench.py covers them)


def parse_wrk_output(text: str) -> dict:
    """The figures from bench/report.lua's BENCH_JSON line, in requests/s and milliseconds."""
    for line in text.splitlines():
        if line.startswith("BENCH_JSON "):
            raw = json.loads(line.removeprefix("BENCH_JSON "))
            break
    else:
        raise ValueError(f"wrk printed no BENCH_JSON line; its output was:\n{text}")
    seconds = raw["duration_us"] / 1_000_000
    latency = raw["latency_us"]
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 3),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        **{
            f"{key}_ms": round(latency[key] / 1000, 2) if raw["requests"] else None
            for key in ("p50", "p90", "p99")
        },
        "errors": sum(v for k, v in raw["errors"].items() if k != "status"),
        "non_2xx": raw["non_2xx"],
        "bytes": raw["bytes"],
    }


def compressed_sizes(data: bytes) -> dict[str, int]:
    """Bytes of a response body raw, gzip-compressed and Brotli-compressed."""
    import brotli  # pinned in requirements.txt (WhiteNoise uses it)

    return {
        "raw": len(data),
        "gzip": len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)),
        "br": len(brotli.compress(data, quality=BROTLI_QUALITY)),
    }


@dataclass
class PageAssets:
    """What a browser fetches for a first view, and the scripts that block rendering."""

    urls: list[str]
    blocking_scripts: list[str]


class _AssetParser(HTMLParser):
    ASSET_RELS = {"stylesheet", "icon", "preload", "modulepreload"}
    NON_SCRIPT_TYPES = {"application/ld+json", "application/json", "text/template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_head = False
        self.urls: list[str] = []
        self.blocking: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: (value or "") for name, value in attrs}
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif tag == "link" and self.ASSET_RELS & set(values.get("rel", "").lower().split()):
            self._add(values.get("href"))
        elif tag == "img":
            self._add(values.get("src"))
        elif tag == "script":
            self._script(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False

    def _script(self, values: dict[str, str]) -> None:
        kind = values.get("type", "").lower()
        if kind in self.NON_SCRIPT_TYPES:
            return
        self._add(values.get("src"))
        deferred = "defer" in values or "async" in values or kind == "module"
        if self.in_head and not deferred:
            self.blocking.append(values.get("src") or "(inline script)")

    def _add(self, url: str | None) -> None:
        if url and not url.startswith("data:") and url not in self.urls:
            self.urls.append(url)


def page_assets(html: str) -> PageAssets:
    parser = _AssetParser()
    parser.feed(html)
    parser.close()
    return PageAssets(parser.urls, parser.blocking)


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def css_references(css: str) -> list[str]:
    """The files a stylesheet loads (url() and @import), without data: URIs."""
    found = []
    for match in CSS_URL.finditer(css):
        url = (match.group(1) or match.group(2)).strip()
        if not url.startswith(("data:", "#")) and url not in found:
            found.append(url)
    return found


def closest_in_size(candidates: dict[str, int], size: float) -> str:
    """The name whose size is nearest `size` (the first such in sorted order on a tie)."""
    return min(sorted(candidates), key=lambda name: abs(candidates[name] - size))


# ---------------------------------------------------------------------------------------------
# Targets and report


def _check(ok: bool | None, value, limit) -> dict:
    return {"ok": ok, "value": value, "limit": limit}


def evaluate_targets(small: dict, growth: dict | None) -> dict[str, dict[str, dict]]:
    """Pass/fail per page for each target of the issue; None means the run did not measure it."""
    top = str(max(int(c) for c in small["static"]["runs"]))
    p99_key = str(P99_CONNECTIONS)
    results = {}
    for label, page in small["pages"].items():
        runs = page["runs"]
        checks = {}
        ratio = runs.get(top, {}).get("ratio")
        checks[f"throughput at {top} >= {MIN_THROUGHPUT_RATIO:.0%} of static"] = _check(
            None if ratio is None else ratio >= MIN_THROUGHPUT_RATIO,
            ratio,
            MIN_THROUGHPUT_RATIO,
        )
        failures = sum(run["errors"] + run["non_2xx"] for run in runs.values())
        checks["zero errors and non-2xx"] = _check(failures == 0, failures, 0)
        run_8 = runs.get(p99_key)
        name = f"p99 at {p99_key} <= {MAX_P99_FACTOR:g}x static"
        if run_8 is None:
            checks[name] = _check(None, None, None)
        else:
            checks[name] = _p99_check(run_8["p99_ms"], run_8["static_p99_ms"])
        queries = page["queries"]
        checks[f"<= {MAX_COLD_QUERIES} SQL queries cold"] = _check(
            queries["cold"] <= MAX_COLD_QUERIES, queries["cold"], MAX_COLD_QUERIES
        )
        checks["0 SQL queries warm (cached)"] = _check(
            queries["warm"] <= MAX_CACHED_QUERIES, queries["warm"], MAX_CACHED_QUERIES
        )
        html_gzip = page["html"]["gzip"]
        checks["HTML < 14 KB compressed"] = _check(
            html_gzip < MAX_HTML_COMPRESSED, html_gzip, MAX_HTML_COMPRESSED
        )
        first_view = page["first_view"]["bytes"]
        checks["first view < 60 KB, no blocking JS"] = _check(
            first_view < MAX_FIRST_VIEW and not page["first_view"]["blocking_scripts"],
            first_view,
            MAX_FIRST_VIEW,
        )
        checks["growth within 20%"] = _growth_check(label, growth)
        results[label] = checks
    return results


def _p99_check(page_p99: float | None, static_p99: float | None) -> dict:
    if static_p99 is None:
        return _check(None, page_p99, None)
    limit = round(MAX_P99_FACTOR * static_p99, 2)
    # No answer at all within the run is slower than any limit.
    return _check(page_p99 is not None and page_p99 <= limit, page_p99, limit)


def _growth_check(label: str, growth: dict | None) -> dict:
    if not growth or label not in growth.get("comparison", {}):
        return _check(None, None, None)
    change = growth["comparison"][label]["ratio_change"]
    queries_flat = growth["comparison"][label]["queries_flat"]
    if change is None:
        return _check(None, None, -MAX_GROWTH_LOSS)
    return _check(change >= -MAX_GROWTH_LOSS and queries_flat, change, -MAX_GROWTH_LOSS)


def compare_growth(small: dict, growth: dict) -> dict[str, dict]:
    """Per page: its throughput ratio to static, small site against grown site."""
    top = str(max(int(c) for c in growth["static"]["runs"]))
    comparison = {}
    for label, page in growth["pages"].items():
        before = small["pages"][label]
        small_ratio = before["runs"].get(top, {}).get("ratio")
        growth_ratio = page["runs"].get(top, {}).get("ratio")
        change = (
            round(growth_ratio / small_ratio - 1, 3)
            if small_ratio and growth_ratio is not None
            else None
        )
        comparison[label] = {
            "connections": int(top),
            "small_ratio": small_ratio,
            "growth_ratio": growth_ratio,
            "ratio_change": change,
            "small_queries": before["queries"]["cold"],
            "growth_queries": page["queries"]["cold"],
            "queries_flat": page["queries"]["cold"] <= before["queries"]["cold"],
            "small_html_raw": before["html"]["raw"],
            "growth_html_raw": page["html"]["raw"],
        }
    return comparison


def _mark(check: dict) -> str:
    return {True: "pass", False: "**FAIL**", None: "n/a"}[check["ok"]]


def _kb(size: int | None) -> str:
    return "n/a" if size is None else f"{size / 1024:.1f}"


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def markdown_report(result: dict) -> str:
    """The report as Markdown tables."""
    meta = result["meta"]
    machine = meta["machine"]
    lines = [
        f"# Benchmark: {meta['mode']} run, {meta['finished_at']}",
        "",
        f"- Machine: {machine['cpu_model']}, {machine['nproc']} CPUs, "
        f"{machine['memory_gb']} GB memory; load average {machine['load_before']} before, "
        f"{machine['load_after']} after",
        f"- Command: `{meta['command']}` (commit {meta['commit'] or 'unknown'})",
        f"- Server: `{meta['server_command']}`",
        f"- Database: {meta['database']}; page cache: {meta['page_cache']}",
        f"- wrk: 1 thread, header `Cookie: {meta['cookie']}`; {meta['duration_s']} s of load per "
        f"page and connection count, in {meta['rounds']} slice(s); "
        + (
            "each slice follows a slice of the static file, and a page's ratio is to those "
            "paired slices (so a burst of other work on the machine hits both)"
            if meta["pairing"]
            else "the static file is loaded once per connection count (no pairing)"
        ),
        "- Latency percentiles are the median over a page's slices; req/s is over all of them.",
        "",
    ]
    for phase_name, phase in result["phases"].items():
        lines += _phase_tables(phase_name, phase)
    growth = result["phases"].get("growth")
    if growth:
        lines += [
            "## Growth: small site against grown site",
            "",
            f"{growth['generated']['guides']} placeholder guides and "
            f"{growth['generated']['sections']} placeholder sections added.",
            "",
            "| page | conns | ratio small | ratio grown | change | SQL small | SQL grown | "
            "HTML KB small | HTML KB grown |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for label, row in growth["comparison"].items():
            change = "n/a" if row["ratio_change"] is None else f"{row['ratio_change']:+.0%}"
            lines.append(
                f"| {label} | {row['connections']} | {_pct(row['small_ratio'])} | "
                f"{_pct(row['growth_ratio'])} | {change} | {row['small_queries']} | "
                f"{row['growth_queries']} | {_kb(row['small_html_raw'])} | "
                f"{_kb(row['growth_html_raw'])} |"
            )
        lines.append("")
    targets = result["targets"]
    names = list(next(iter(targets.values())))
    lines += [
        "## Targets",
        "",
        "| page | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for label, checks in targets.items():
        lines.append(f"| {label} | " + " | ".join(_mark(checks[n]) for n in names) + " |")
    met = sum(c["ok"] is True for checks in targets.values() for c in checks.values())
    missed = sum(c["ok"] is False for checks in targets.values() for c in checks.values())
    lines += ["", f"{met} checks pass, {missed} fail.", ""]
    return "\n".join(lines)


def _phase_tables(name: str, phase: dict) -> list[str]:
    static = phase["static"]
    lines = [
        f"## {name.capitalize()} site: throughput and latency",
        "",
        f"Reference: `{static['url']}` ({_kb(static['bytes'])} KB), served by WhiteNoise; "
        "a page's static columns are the static slices its ratio is to.",
        "",
        "| page | conns | req/s | static req/s | ratio | p50 ms | p90 ms | p99 ms | "
        "static p99 ms | errors | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = [("static file", static["runs"])] + [
        (label, page["runs"]) for label, page in phase["pages"].items()
    ]
    for label, runs in rows:
        for conns, run in runs.items():
            ratio = "n/a" if run.get("ratio") is None else f"{run['ratio']:.2f}"
            lines.append(
                f"| {label} | {conns} | {run['rps']:.0f} | {run.get('static_rps', run['rps']):.0f} "
                f"| {ratio if label != 'static file' else '1.00'} | {_ms(run['p50_ms'])} | "
                f"{_ms(run['p90_ms'])} | {_ms(run['p99_ms'])} | "
                f"{_ms(run.get('static_p99_ms', run['p99_ms']))} | {run['errors']} | "
                f"{run['non_2xx']} |"
            )
    lines += [
        "",
        f"## {name.capitalize()} site: queries, sizes and first view",
        "",
        "| page | SQL cold | SQL warm | HTML KB | gzip KB | br KB | first view KB | "
        "render-blocking JS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, page in phase["pages"].items():
        html, view = page["html"], page["first_view"]
        blocking = ", ".join(view["blocking_scripts"]) or "none"
        lines.append(
            f"| {label} | {page['queries']['cold']} | {page['queries']['warm']} | "
            f"{_kb(html['raw'])} | {_kb(html['gzip'])} | {_kb(html['br'])} | "
            f"{_kb(view['bytes'])} | {blocking} |"
        )
    lines += ["", memory_summary(phase["memory"]), ""]
    return lines


def memory_summary(memory: dict) -> str:
    peaks = sorted(worker["vm_hwm_mb"] for worker in memory["workers"])
    if not peaks:
        return "Peak resident memory per gunicorn worker: no worker found."
    recycled = sum(not worker["alive_at_end"] for worker in memory["workers"])
    return (
        f"Peak resident memory (VmHWM) per gunicorn worker: highest {peaks[-1]:.0f} MB, "
        f"median {statistics.median(peaks):.0f} MB; worker processes seen: {len(peaks)}, "
        f"recycled during the run: {recycled}; master {memory['master_vm_hwm_mb']:.0f} MB."
    )


# ---------------------------------------------------------------------------------------------
# Running things


class BenchError(Exception):
    """The benchmark cannot run or its results are broken; the message says why."""


_STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench {time.monotonic() - _STARTED:5.0f} s] {message}", file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing: installing it with apt-get")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if not shutil.which("apt-get") or (sudo and not shutil.which("sudo")):
        raise BenchError("wrk is missing: install it (Debian: `apt-get install -y wrk` as root).")
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]):
        if subprocess.run(sudo + command, check=False).returncode != 0:  # noqa: S603
            raise BenchError("Could not install wrk: run `apt-get install -y wrk` as root.")
    found = shutil.which("wrk")
    if not found:
        raise BenchError("wrk is still not on PATH after installing it.")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int, root: Path = ROOT) -> list[str]:
    """The production server command: the repo's config file when there is one."""
    command = [sys.executable, "-m", "gunicorn", "pomsite.wsgi:application"]
    config = next((root / name for name in GUNICORN_CONFIGS if (root / name).is_file()), None)
    if config is not None:
        command += ["--config", str(config.relative_to(root))]
    else:
        command += MAKE_RUN_GUNICORN_FLAGS
    # The command line wins over the config file, so the bench can choose its own port.
    return command + ["--bind", f"127.0.0.1:{port}"]


def postgres_bench_url(url: str, suffix: str) -> tuple[str, str]:
    """A DATABASE_URL for a throwaway database beside the given one, and that database's name."""
    parts = urllib.parse.urlsplit(url)
    name = (parts.path.lstrip("/") or "postgres") + f"_bench_{suffix}"
    return urllib.parse.urlunsplit(parts._replace(path="/" + name)), name


def is_postgres(url: str) -> bool:
    return url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql", "postgis"}


class Site:
    """The site, set up in a temporary directory, and gunicorn serving it."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.page_files = workdir / "page-files"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "pomsite.settings_bench",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on the loopback: no HTTPS redirect (TLS is the proxy's job).
            "DJANGO_HTTPS": "false",
            "BENCH_SQLITE_PATH": str(workdir / "db.sqlite3"),
            "BENCH_STATIC_ROOT": str(workdir / "static"),
            # Used only behind nginx, which names the files it wants (pomsite/page_files.py).
            "DJANGO_PAGE_FILES_DIR": str(self.page_files),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        self.database = "SQLite (temporary file)"
        self.postgres_name: str | None = None
        url = os.environ.get("DATABASE_URL", "")
        if url and is_postgres(url):
            self.env["DATABASE_URL"], self.postgres_name = postgres_bench_url(
                url, secrets.token_hex(4)
            )
            self.database = f"PostgreSQL (throwaway database {self.postgres_name})"
        else:
            self.env.pop("DATABASE_URL", None)
        # The default per-process cache: a fresh process starts cold, and a benchmark never
        # reads or fills a cache that a real site shares.
        self.env.pop("CACHE_URL", None)
        self.server: subprocess.Popen | None = None
        self.port = 0
        self.base = ""
        self.command = ""
        self.peaks: dict[int, int] = {}

    def manage(self, *args: str) -> str:
        return self.python("manage.py", *args)

    def python(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise BenchError(f"`{' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def probe(self, *args: str) -> dict:
        return json.loads(self.python("-m", "bench.probe", *args).strip().splitlines()[-1])

    def create_postgres_database(self) -> None:
        self._postgres_sql(f'CREATE DATABASE "{self.postgres_name}"')

    def drop_postgres_database(self) -> None:
        self._postgres_sql(f'DROP DATABASE IF EXISTS "{self.postgres_name}"')

    def _postgres_sql(self, sql: str) -> None:
        script = (
            "import django; django.setup(); from django.db import connection\n"
            f"with connection._nodb_cursor() as cursor: cursor.execute({sql!r})\n"
        )
        self.python("-c", script)

    def prepare(self) -> None:
        if self.postgres_name:
            self.create_postgres_database()
        self.manage("migrate", "--noinput")
        self.manage("createcachetable")
        self.manage("load_content")
        self.manage("collectstatic", "--noinput", "--verbosity", "0")

    def start(self) -> None:
        self.peaks = {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = gunicorn_command(self.port)
        self.command = " ".join(
            Path(part).name if i == 0 else part for i, part in enumerate(command)
        )
        self.log_path = self.workdir / f"gunicorn-{self.port}.log"
        with open(self.log_path, "wb") as log_file:
            self.server = subprocess.Popen(  # noqa: S603
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise BenchError(f"gunicorn stopped:\n{self.log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/health/", timeout=2) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) > 0:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise BenchError(f"gunicorn did not answer in 30 s:\n{self.log_path.read_text()[-3000:]}")

    def server_state(self) -> str:
        """Whether gunicorn still runs, and the end of its log: for error messages."""
        code = self.server.poll() if self.server else None
        state = "gunicorn is running" if code is None else f"gunicorn exited with {code}"
        return f"{state}; the end of its log:\n{self.log_path.read_text(errors='replace')[-3000:]}"

    def stop(self) -> None:
        if self.server is None or self.server.poll() is not None:
            return
        self.server.send_signal(signal.SIGTERM)
        try:
            self.server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.server.pid, signal.SIGKILL)
            self.server.wait()

    def worker_pids(self) -> list[int]:
        return sorted(
            pid for pid, parent in _process_parents().items() if parent == self.server.pid
        )

    def sample_memory(self) -> None:
        """Note each worker's peak so far: workers may be recycled (max_requests) mid-run."""
        for pid in self.worker_pids():
            self.peaks[pid] = max(self.peaks.get(pid, 0), _vm_hwm_kb(pid))

    def memory(self) -> dict:
        self.sample_memory()
        alive = set(self.worker_pids())
        return {
            "workers": [
                {"pid": pid, "vm_hwm_mb": round(kb / 1024, 1), "alive_at_end": pid in alive}
                for pid, kb in sorted(self.peaks.items())
            ],
            "master_vm_hwm_mb": round(_vm_hwm_kb(self.server.pid) / 1024, 1),
        }


def _process_parents() -> dict[int, int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(text.rsplit(")", 1)[1].split()[1])
    return parents


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def run_wrk(wrk: str, url: str, connections: int, duration: int, cookie: str) -> dict:
    command = [
        wrk,
        "--threads",
        "1",
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "10s",
        "--header",
        f"Cookie: {cookie}",
        "--script",
        str(LUA_SCRIPT),
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{done.stdout}\n{done.stderr}")
    return parse_wrk_output(done.stdout)


def first_view(site: Site, html: bytes, cookie: str) -> dict:
    """Bytes a first visit transfers: the HTML gzip-compressed, each asset as the server sends
    it to a browser that accepts Brotli and gzip (WhiteNoise serves its pre-compressed files)."""
    assets = page_assets(html.decode("utf-8", "replace"))
    queue = [urllib.parse.urljoin(site.base + "/", url) for url in assets.urls]
    sizes: dict[str, int | None] = {}
    while queue:
        url = queue.pop(0)
        if url in sizes:
            continue
        if not url.startswith(site.base):
            sizes[url] = None  # another origin: not measured (the site should have none)
            continue
        status, headers, body = fetch(url, {"Accept-Encoding": "br, gzip", "Cookie": cookie})
        if status != 200:
            raise BenchError(f"{url} answered {status}")
        sizes[url] = len(body)
        if headers.get("Content-Type", "").startswith("text/css"):
            _, _, plain = fetch(url, {"Cookie": cookie})
            queue += [urllib.parse.urljoin(url, ref) for ref in css_references(plain.decode())]
    total = compressed_sizes(html)["gzip"] + sum(size or 0 for size in sizes.values())
    return {
        "bytes": total,
        "assets": {url.removeprefix(site.base): size for url, size in sizes.items()},
        "blocking_scripts": assets.blocking_scripts,
    }


def pick_static_file(static_root: Path, page_sizes: list[int]) -> tuple[str, int]:
    """The collected, hashed CSS or JS file closest in size to the median page."""
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    candidates = {
        hashed: (static_root / hashed).stat().st_size
        for hashed in manifest["paths"].values()
        if hashed.endswith((".css", ".js")) and (static_root / hashed).is_file()
    }
    name = closest_in_size(candidates, statistics.median(page_sizes))
    return "/static/" + name, candidates[name]


def measure_phase(
    site: Site, wrk: str, args: argparse.Namespace, connections: list[int], state: dict
) -> dict:
    """Queries, sizes, first view, load at each connection count and memory, for one site size.

    `state` carries what both phases share: the guide, the cookie and the static file.
    """
    probe = site.probe("queries", *(["--guide-slug", state["guide_slug"]] if state else []))
    state.setdefault("guide_slug", probe["guide_slug"])
    state["cookie"] = f"{probe['cookie_name']}=yes"
    labels = {url: url for url in PUBLIC_PAGES}
    labels[f"/guides/{state['guide_slug']}/"] = GUIDE_DETAIL
    broken = [
        f"{url} answered {q['status']}, then {q['warm_status']}"
        for url, q in probe["pages"].items()
        if q["status"] != 200 or q["warm_status"] != 200
    ]
    if broken:
        raise BenchError("Pages do not answer 200 to Django's test client: " + "; ".join(broken))
    log("queries counted; starting gunicorn")
    site.start()
    log("measuring sizes and first views, warming")
    try:
        pages = {
            label: page_facts(site, url, probe["pages"][url], state["cookie"])
            for url, label in labels.items()
        }
        if "static" not in state:
            state["static"] = pick_static_file(
                Path(site.env["BENCH_STATIC_ROOT"]), [p["html"]["raw"] for p in pages.values()]
            )
        static_url, static_bytes = state["static"]
        for url in [static_url, *labels]:
            for _ in range(args.warm_requests):
                fetch(site.base + url, {"Cookie": state["cookie"]})
        static_runs = {}
        for conns in connections:
            log(f"{conns} connections")
            try:
                static_runs[str(conns)] = load_pages(site, wrk, args, conns, labels, pages, state)
            except BenchError as error:
                raise BenchError(f"{error}\n{site.server_state()}") from error
        memory = site.memory()
    finally:
        site.stop()
    log("measured")
    return {
        "static": {"url": static_url, "bytes": static_bytes, "runs": static_runs},
        "pages": pages,
        "memory": memory,
        "server_command": site.command,
    }


def page_facts(site: Site, url: str, queries: dict, cookie: str) -> dict:
    """A page's sizes, first view and SQL queries, before any load."""
    status, headers, body = fetch(site.base + url, {"Cookie": cookie})
    if status != 200:
        where = f" to {headers['Location']}" if "Location" in headers else ""
        raise BenchError(
            f"{url} answered {status}{where} to a visitor with the cookie {cookie}. "
            "(The bench talks plain HTTP to 127.0.0.1: an HTTPS redirect must be off.)"
        )
    return {
        "url": url,
        "html": compressed_sizes(body),
        "queries": {key: queries[key] for key in ("cold", "warm", "cold_sql")},
        "first_view": first_view(site, body, cookie),
        "runs": {},
    }


def load_pages(
    site: Site,
    wrk: str,
    args: argparse.Namespace,
    conns: int,
    labels: dict[str, str],
    pages: dict[str, dict],
    state: dict,
) -> dict:
    """Load each page at one connection count, in slices that each follow a slice of the static
    file; store each page's figures and ratio in `pages`, return the static file's figures."""
    static_url = site.base + state["static"][0]
    static_slices: list[dict] = []
    for url, label in labels.items():
        paired, slices = [], []
        for _ in range(args.rounds):
            if args.pairing or not static_slices:
                static_slice = run_wrk(wrk, static_url, conns, args.slice, state["cookie"])
                static_slices.append(static_slice)
                paired.append(static_slice)
            slices.append(run_wrk(wrk, site.base + url, conns, args.slice, state["cookie"]))
            site.sample_memory()
        page_run = combine_runs(slices)
        reference = combine_runs(paired or static_slices)
        page_run["ratio"] = (
            round(page_run["rps"] / reference["rps"], 3) if reference["rps"] else None
        )
        page_run["static_rps"] = reference["rps"]
        page_run["static_p99_ms"] = reference["p99_ms"]
        pages[label]["runs"][str(conns)] = page_run
    return combine_runs(static_slices)


def combine_runs(runs: list[dict]) -> dict:
    """One figure from several slices: throughput over their whole time, the median of their
    latency percentiles (a slice hit by another process's burst does not decide it), and the
    sums of failures."""
    seconds = sum(run["seconds"] for run in runs)
    requests = sum(run["requests"] for run in runs)
    combined = {
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
    }
    answered = [run for run in runs if run["requests"]]
    for key in ("p50_ms", "p90_ms", "p99_ms"):
        combined[key] = (
            round(statistics.median(run[key] for run in answered), 2) if answered else None
        )
    for key in ("errors", "non_2xx", "bytes"):
        combined[key] = sum(run[key] for run in runs)
    combined["slices"] = len(runs)
    return combined


def machine_info() -> dict:
    cpu_model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_before": _load(),
    }


def _load() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def _git_commit() -> str | None:
    git = shutil.which("git")
    if not git:
        return None
    done = subprocess.run(  # noqa: S603
        [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(  # noqa: S603
        [git, "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return None
    return done.stdout.strip() + (" with local changes" if dirty.stdout.strip() else "")


def page_cache_state(phase: dict) -> str:
    warm = [page["queries"]["warm"] for page in phase["pages"].values()]
    return "on (warm pages need no SQL)" if not any(warm) else "off or missed (warm pages query)"


def broken_runs(result: dict) -> list[str]:
    """Runs that show a broken site rather than a slow one: non-2xx answers."""
    problems = []
    for phase_name, phase in result["phases"].items():
        items = [("static file", phase["static"]["runs"])]
        items += [(label, page["runs"]) for label, page in phase["pages"].items()]
        for label, runs in items:
            for conns, run in runs.items():
                if run["non_2xx"]:
                    problems.append(
                        f"{phase_name} {label} at {conns}: {run['requests']} requests, "
                        f"{run['non_2xx']} non-2xx"
                    )
    return problems


def run(args: argparse.Namespace) -> dict:
    wrk = ensure_wrk()
    machine = machine_info()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="pomsite-bench-"))
    site = Site(workdir)
    state: dict = {}
    phases: dict[str, dict] = {}
    try:
        log(f"setting up the site in {workdir} ({site.database})")
        site.prepare()
        log("site ready")
        log("small site")
        phases["small"] = measure_phase(site, wrk, args, args.connections, state)
        if not args.no_growth:
            log(f"adding {args.growth_guides} guides and {args.growth_sections} sections")
            generated = site.probe(
                "grow",
                "--guides",
                str(args.growth_guides),
                "--sections",
                str(args.growth_sections),
            )
            log("grown site")
            phases["growth"] = measure_phase(site, wrk, args, args.growth_connections, state)
            phases["growth"]["generated"] = generated
            phases["growth"]["comparison"] = compare_growth(phases["small"], phases["growth"])
    finally:
        site.stop()
        if site.postgres_name:
            site.drop_postgres_database()
        shutil.rmtree(workdir, ignore_errors=True)
    machine["load_after"] = _load()
    command = "make bench-smoke" if args.smoke else "make bench"
    if sys.argv[1:] and not (args.smoke and sys.argv[1:] == ["--smoke"]):
        command = "python -m bench.run " + " ".join(sys.argv[1:])
    return {
        "meta": {
            "mode": "smoke" if args.smoke else "full",
            "finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "seconds": round(time.monotonic() - started),
            "command": command,
            "commit": _git_commit(),
            "machine": machine,
            "server_command": phases["small"]["server_command"],
            "database": site.database,
            "page_cache": page_cache_state(phases["small"]),
            "duration_s": args.duration,
            "rounds": args.rounds,
            "pairing": args.pairing,
            "connections": args.connections,
            "growth_connections": None if args.no_growth else args.growth_connections,
            "cookie": state.get("cookie"),
            "guide_detail": state.get("guide_slug"),
        },
        "phases": phases,
        "targets": evaluate_targets(phases["small"], phases.get("growth")),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = run(args)
    except BenchError as error:
        log(f"the benchmark could not run: {error}")
        return 2
    report = markdown_report(result)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.output_dir / f"{args.name}.md").write_text(report + "\n")
    print(report)
    log(f"wrote {args.output_dir / args.name}.md and .json in {result['meta']['seconds']} s")
    problems = broken_runs(result)
    if problems:
        log("broken runs (the site answered with errors, not just slowly):")
        for problem in problems:
            log(f"  {problem}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
