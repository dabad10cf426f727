"""The production tier under load and under faults: gunicorn alone, nginx in front, and chaos.

    make bench          runs bench.run, then this (python -m bench.tier)
    make bench-smoke    the same, short: 1 s per load run (two pages), 2 s per fault

It sets the site up as bench/run.py does (a throwaway database, collectstatic in a temporary
directory), starts gunicorn with pomsite/gunicorn.conf.py and nginx with deploy/nginx/pomsite.conf
in front (deploy/tier.py), and reports:

1. Throughput with wrk, with compression on (`Accept-Encoding: br, gzip`): the static file and
   every public page through gunicorn alone, then through nginx; the ratios the targets ask for.
2. Wire bytes per page: what each page weighs compressed, through gunicorn and through nginx.
3. The hostile Markdown texts' render times (the render budget, content/markdown/render.py).
4. Chaos: while probe threads load the site through nginx, each fault in turn (the database
   stopped, the database frozen, Redis stopped, a gunicorn worker killed, 40 slow-header
   connections): the answers counted as answered (200/304), stale (a last good copy), a styled
   503, or other (anything else, an error, or no answer within 3 s), and the tracebacks in the
   log. With PostgreSQL and redis-server installed (Debian's packages) the chaos run uses a
   cluster and a Redis of its own; without them, SQLite (stopped: file gone; frozen: locked).

Writes bench/results/<name>-tier.json and .md. As in bench/run.py, a missed target never fails
the run; a broken benchmark does.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from bench.run import (
    BENCH_DIR,
    LUA_SCRIPT,
    PUBLIC_PAGES,
    BenchError,
    Site,
    _process_parents,
    ensure_wrk,
    free_port,
    log,
    machine_info,
    parse_wrk_output,
    pick_static_file,
)
from deploy.tier import Nginx, TierError

COMPRESSED = "br, gzip"
MAX_WIRE_BYTES = 14 * 1024
MIN_GUNICORN_PAGE_RATIO = 0.9  # pages / the static file, both through gunicorn
MIN_NGINX_OVER_GUNICORN = 10.0  # pages through nginx / the static file through gunicorn
MIN_NGINX_PAGE_RATIO = 0.8  # pages / the static file, both through nginx
PROBE_TIMEOUT = 3.0
SLOW_CONNECTIONS = 40
FAULTS = ["database stopped", "database frozen", "redis stopped", "worker killed",
          "40 slow-header connections"]  # fmt: skip
# Not a target: what the slow connections do to gunicorn without nginx in front.
COMPARISON = "40 slow-header connections, gunicorn alone"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.tier", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--smoke", action="store_true", help="short runs for CI")
    parser.add_argument("--duration", type=int, help="seconds per wrk run (10; smoke 1)")
    parser.add_argument("--connections", type=int, help="wrk connections (64; smoke 8)")
    parser.add_argument("--fault-seconds", type=int, help="seconds of load per fault (10; smoke 3)")
    parser.add_argument("--probe-threads", type=int, default=8)
    parser.add_argument("--no-chaos", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    parser.add_argument(
        "--only",
        action="append",
        choices=[*FAULTS, COMPARISON],
        help="run only this chaos case (repeatable); implies no load runs",
    )
    parser.add_argument("--output-dir", type=Path, default=BENCH_DIR / "results")
    parser.add_argument(
        "--keep-logs", type=Path, help="copy nginx's and gunicorn's logs of the chaos run here"
    )
    parser.add_argument("--name", help="results name (latest-tier; smoke: smoke-tier)")
    args = parser.parse_args(argv)
    args.duration = args.duration or (1 if args.smoke else 10)
    args.connections = args.connections or (8 if args.smoke else 64)
    args.fault_seconds = args.fault_seconds or (2 if args.smoke else 10)
    args.name = args.name or ("smoke-tier" if args.smoke else "latest-tier")
    if args.only:
        args.no_load = True
    return args


# ---------------------------------------------------------------------------------------------
# Requests


def fetch(url: str, headers: dict[str, str], timeout: float = 30) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def wrk(binary: str, url: str, connections: int, seconds: int, headers: dict[str, str]) -> dict:
    command = [binary, "--threads", "1", "--connections", str(connections), "--duration",
               f"{seconds}s", "--timeout", "10s", "--script", str(LUA_SCRIPT)]  # fmt: skip
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {url}:\n{done.stdout}\n{done.stderr}")
    return parse_wrk_output(done.stdout)


def classify(status: int, headers: dict, body: bytes) -> str:
    if status in (200, 304):
        stale = headers.get("x-page-cache") == "stale" or headers.get("x-proxy-cache") == "STALE"
        return "stale" if stale else "answered"
    if status == 503 and b"Back in a moment" in body:
        return "503"
    return "other"


class Probes:
    """Threads that keep requesting the site's pages until stopped, counting each answer."""

    def __init__(self, base: str, urls: list[str], headers: dict[str, str], threads: int) -> None:
        self.base, self.urls, self.headers = base, urls, headers
        self.counts: Counter = Counter()
        self.others: Counter = Counter()  # what each "other" answer was
        self.slowest = 0.0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(threads)]

    def _run(self, offset: int) -> None:
        n = offset
        while not self.stopping.is_set():
            url = self.base + self.urls[n % len(self.urls)]
            n += 1
            started = time.monotonic()
            detail = ""
            try:
                status, headers, body = fetch(url, self.headers, timeout=PROBE_TIMEOUT)
                kind = classify(status, headers, body)
                if kind == "other":
                    first = body[:80].decode("utf-8", "replace").split("\n")[0]
                    detail = f"{status} {first!r}"
            except Exception as error:  # no answer in time, a reset connection...
                kind = "other"
                detail = f"{type(error).__name__}: {str(error)[:80]}"
            if detail:
                detail = f"{self.urls[(n - 1) % len(self.urls)]}: {detail}"
            with self.lock:
                self.counts[kind] += 1
                if detail:
                    self.others[detail] += 1
                self.slowest = max(self.slowest, time.monotonic() - started)

    def __enter__(self) -> Probes:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


# ---------------------------------------------------------------------------------------------
# The database and Redis the chaos run breaks


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Postgres:
    """A throwaway PostgreSQL cluster (Debian's binaries), as .ci/with-postgres makes."""

    def __init__(self, workdir: Path) -> None:
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        self.bin = bins[-1].parent if bins else None
        self.data = workdir / "pgdata"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def available(self) -> bool:
        return self.bin is not None and (os.geteuid() != 0 or shutil.which("runuser") is not None)

    def _run(self, *args: str) -> None:
        done = subprocess.run(_as_postgres([str(self.bin / args[0]), *args[1:]]),  # noqa: S603
                              capture_output=True, text=True, check=False)  # fmt: skip
        if done.returncode != 0:
            raise BenchError(f"{args[0]} failed: {done.stderr[-2000:]}")

    def create(self) -> None:
        self.data.parent.chmod(0o755)
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self.start()

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.data} -c fsync=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.data / "log"),
            "-w",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def pids(self) -> list[int]:
        pid_file = self.data / "postmaster.pid"
        if not pid_file.is_file():
            return []
        master = int(pid_file.read_text().split()[0])
        return [master, *(pid for pid, parent in _process_parents().items() if parent == master)]

    def freeze(self, frozen: bool) -> None:
        for pid in self.pids():
            os.kill(pid, signal.SIGSTOP if frozen else signal.SIGCONT)

    def remove(self) -> None:
        with contextlib.suppress(BenchError):
            self.stop()


class Redis:
    def __init__(self, workdir: Path) -> None:
        self.workdir, self.port, self.process = workdir, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--maxmemory", "256mb", "--maxmemory-policy", "allkeys-lru",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(0.5)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# The phases


def stored_pages(site: Site, pages: list[str], cookie: dict) -> tuple[list[str], list[str]]:
    """The pages the page cache stores (and so compresses once), and the others: a patient tool
    that reads its query string, such as the calendar's empty form, is rendered per request."""
    stored, other = [], []
    for url in pages:
        headers = fetch(site.base + url, cookie | {"Accept-Encoding": "br"})[1]
        (stored if headers.get("content-encoding") == "br" else other).append(url)
    return stored, other


def wire_bytes(site: Site, proxy: Nginx, pages: list[str], cookie: dict) -> dict:
    sizes = {}
    for url in pages:
        row = {}
        for tier, base in (("gunicorn", site.base), ("nginx", proxy.base)):
            for encoding in ("br", "gzip"):
                fetch(base + url, cookie | {"Accept-Encoding": encoding})  # stored once
                status, headers, body = fetch(base + url, cookie | {"Accept-Encoding": encoding})
                if status != 200 or headers.get("content-encoding") != encoding:
                    raise BenchError(
                        f"{base}{url} sent {status}, {headers.get('content-encoding')}"
                    )
                row[f"{tier}_{encoding}"] = len(body)
        row["raw"] = len(fetch(site.base + url, cookie)[2])
        sizes[url] = row
    return sizes


SLICES = 5  # each page's run, in slices that alternate with slices of the static file


def _combine(slices: list[dict]) -> dict:
    requests = sum(run["requests"] for run in slices)
    seconds = sum(run["seconds"] for run in slices)
    return {
        "requests": requests,
        "seconds": round(seconds, 3),
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "errors": sum(run["errors"] for run in slices),
        "non_2xx": sum(run["non_2xx"] for run in slices),
        "bytes": sum(run["bytes"] for run in slices),
    }


def load(wrk_binary: str, site: Site, proxy: Nginx, pages: list[str], static_url: str,
         cookie: dict, args: argparse.Namespace) -> dict:  # fmt: skip
    """Each page's run is cut in slices, each right after a slice of the static file, and a
    page is compared with its own static slices: a burst of other work on the machine (other
    processes share its CPUs) then weighs on both sides of the ratio."""
    headers = cookie | {"Accept-Encoding": COMPRESSED}
    slices = 1 if args.smoke else SLICES
    seconds = max(1, round(args.duration / slices))
    result = {}
    for tier, base in (("gunicorn", site.base), ("nginx", proxy.base)):
        log(f"load through {tier}")
        runs, all_static = {}, []
        for url in pages[:2] if args.smoke else pages:  # the smoke run: two pages
            static, page = [], []
            for _ in range(slices):
                for target, into in ((static_url, static), (url, page)):
                    into.append(wrk(wrk_binary, base + target, args.connections, seconds, headers))
            runs[url] = _combine(page) | {"static_rps": _combine(static)["rps"]}
            all_static += static
        result[tier] = {"static": _combine(all_static), **runs}
    return result


def markdown_timings(site: Site) -> dict:
    script = (
        "import django, json, time\ndjango.setup()\n"
        "from content.markdown.render import render_markdown\n"
        "texts = {'50,000 [': '[' * 50000, '25,000 ![': '![' * 25000, "
        "'16,000 <a ': '<a ' * 16000, '6,000 <http://': '<http://' * 6000, "
        "'45,000 characters of prose': 'word ' * 9000}\n"
        "out = {}\n"
        "for name, text in texts.items():\n"
        "    t = time.perf_counter()\n    render_markdown(text)\n"
        "    out[name] = round(time.perf_counter() - t, 3)\n"
        "print(json.dumps(out))\n"
    )
    return json.loads(site.python("-c", script).strip().splitlines()[-1])


def tracebacks(site: Site) -> int:
    return site.log_path.read_text(errors="replace").count("Traceback")


def chaos(site: Site, proxy: Nginx, pages: list[str], cookie: dict, args: argparse.Namespace,
          database: Postgres | Path, redis: Redis) -> dict:  # fmt: skip
    results = {}
    for fault in args.only or [*FAULTS, COMPARISON]:
        log(f"chaos: {fault}")
        # As if an editor had just saved: no page is fresh in gunicorn's cache, so the fault
        # meets pages that need the database (their last good copies are still there).
        site.python("-c", BUMP_GENERATION)
        before = tracebacks(site)
        base = site.base if fault == COMPARISON else proxy.base
        undo = start_fault(fault, site, proxy, database, redis)
        try:
            with Probes(base, pages, cookie, args.probe_threads) as probes:
                time.sleep(args.fault_seconds)
        finally:
            undo()
        time.sleep(1 if args.smoke else 3)
        results[fault] = {
            **{kind: probes.counts.get(kind, 0) for kind in ("answered", "stale", "503", "other")},
            "slowest_s": round(probes.slowest, 2),
            "tracebacks": tracebacks(site) - before,
            "other_kinds": dict(probes.others.most_common(10)),
        }
    return results


BUMP_GENERATION = (
    "import django; django.setup()\n"
    "from pomsite.page_cache import bump_generation\nbump_generation()"
)


def start_fault(fault: str, site: Site, proxy: Nginx, database, redis: Redis):
    """Start a fault; return what ends it."""
    if fault == "database stopped":
        if isinstance(database, Postgres):
            database.stop()
            return database.start
        hidden = database.with_suffix(".away")
        database.rename(hidden)
        return lambda: hidden.rename(database)
    if fault == "database frozen":
        if isinstance(database, Postgres):
            database.freeze(True)
            return lambda: database.freeze(False)
        lock = sqlite3.connect(database, timeout=1, check_same_thread=False)
        lock.execute("BEGIN EXCLUSIVE")
        return lambda: (lock.rollback(), lock.close())
    if fault == "redis stopped":
        redis.stop()
        return redis.start
    if fault == "worker killed":
        worker = site.worker_pids()[0]
        os.kill(worker, signal.SIGKILL)
        return lambda: None
    # Slow clients reach what faces the network: nginx; or, in the comparison, gunicorn.
    return slow_header_connections(site.port if fault.endswith("gunicorn alone") else proxy.port)


def slow_header_connections(port: int):
    """40 connections that send a request's headers a byte a second; returns what ends them."""
    sockets = []
    for _ in range(SLOW_CONNECTIONS):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        sockets.append(sock)
    stop = threading.Event()

    def trickle() -> None:
        while not stop.wait(1):
            for sock in sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(b"a")

    thread = threading.Thread(target=trickle)
    thread.start()

    def end() -> None:
        stop.set()
        thread.join()
        for sock in sockets:
            sock.close()

    return end


# ---------------------------------------------------------------------------------------------
# Targets and the report


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def evaluate(result: dict) -> dict[str, dict]:
    checks: dict[str, dict] = {}
    for url, sizes in result.get("wire_bytes", {}).items():
        largest = max(sizes[key] for key in sizes if key != "raw")
        checks[f"{url} at most 14 KB on the wire"] = {
            "ok": largest <= MAX_WIRE_BYTES,
            "value": largest,
        }
    loads = result.get("load")
    if loads:
        g_static, n_static = loads["gunicorn"]["static"]["rps"], loads["nginx"]["static"]["rps"]
        for url in [url for url in loads["gunicorn"] if url != "static"]:
            g, n = loads["gunicorn"][url]["rps"], loads["nginx"][url]["rps"]
            # Each page's own static slices where the run has them (load() pairs them).
            gs = loads["gunicorn"][url].get("static_rps", g_static)
            ns = loads["nginx"][url].get("static_rps", n_static)
            checks[f"{url} through gunicorn >= 0.9x its static file"] = {
                "ok": (_ratio(g, gs) or 0) >= MIN_GUNICORN_PAGE_RATIO,
                "value": _ratio(g, gs),
            }
            checks[f"{url} through nginx >= 10x gunicorn's static file"] = {
                "ok": (_ratio(n, gs) or 0) >= MIN_NGINX_OVER_GUNICORN,
                "value": _ratio(n, gs),
            }
            checks[f"{url} through nginx >= 0.8x nginx's static file"] = {
                "ok": (_ratio(n, ns) or 0) >= MIN_NGINX_PAGE_RATIO,
                "value": _ratio(n, ns),
            }
    for fault, counts in result.get("chaos", {}).items():
        if fault == COMPARISON:
            continue
        checks[f"chaos, {fault}: 0 other answers"] = {
            "ok": counts["other"] == 0,
            "value": counts["other"],
        }
        checks[f"chaos, {fault}: 0 tracebacks"] = {
            "ok": counts["tracebacks"] == 0,
            "value": counts["tracebacks"],
        }
        checks[f"chaos, {fault}: every probe within 3 s"] = {
            "ok": counts["slowest_s"] <= PROBE_TIMEOUT,
            "value": counts["slowest_s"],
        }
    return checks


def markdown_report(result: dict) -> str:
    meta = result["meta"]
    lines = [
        f"# The production tier: {meta['finished_at']} ({meta['mode']}, {meta['seconds']} s)",
        "",
        f"`{meta['command']}`; {meta['database']}; wrk at {meta['connections']} connections, "
        f"{meta['duration_s']} s a run, `Accept-Encoding: {COMPRESSED}`; machine: "
        f"{meta['machine']['nproc']} CPUs, load {meta['machine']['load_before']} before, "
        f"{meta['machine'].get('load_after')} after.",
        "",
    ]
    loads = result.get("load")
    if loads:
        g_static, n_static = loads["gunicorn"]["static"]["rps"], loads["nginx"]["static"]["rps"]
        lines += [
            "## Throughput (requests/s)", "",
            f"Static file ({meta['static_url']}), all slices: gunicorn {g_static:,.0f}, "
            f"nginx {n_static:,.0f}. Each page's run alternates with slices of the static file; "
            "its ratios are to those slices (the static columns).", "",
            "| page | gunicorn | its static | ÷ its static | nginx | its static "
            "| ÷ gunicorn static | ÷ nginx static |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]  # fmt: skip
        for url in [url for url in loads["gunicorn"] if url != "static"]:
            g, n = loads["gunicorn"][url]["rps"], loads["nginx"][url]["rps"]
            gs = loads["gunicorn"][url].get("static_rps", g_static)
            ns = loads["nginx"][url].get("static_rps", n_static)
            lines.append(f"| {url} | {g:,.0f} | {gs:,.0f} | {_ratio(g, gs)} | {n:,.0f} | "
                         f"{ns:,.0f} | {_ratio(n, gs)} | {_ratio(n, ns)} |")  # fmt: skip
        lines.append("")
    if result.get("wire_bytes"):
        lines += ["## Bytes on the wire per page", "",
                  "| page | raw | gunicorn br | gunicorn gzip | nginx br | nginx gzip |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
        for url, s in result["wire_bytes"].items():
            lines.append(f"| {url} | {s['raw']:,} | {s['gunicorn_br']:,} | "
                         f"{s['gunicorn_gzip']:,} | "
                         f"{s['nginx_br']:,} | {s['nginx_gzip']:,} |")  # fmt: skip
        lines.append("")
    if result.get("markdown_s"):
        lines += ["## Hostile Markdown at the length limit (seconds to render)", ""]
        lines += [f"- {name}: {seconds}" for name, seconds in result["markdown_s"].items()]
        lines.append("")
    if result.get("chaos"):
        lines += [f"## Chaos ({meta['chaos_database']}; {meta['fault_seconds']} s a fault, "
                  f"{meta['probe_threads']} probe threads through nginx)", "",
                  "| fault | answered | stale | styled 503 | other | slowest probe s "
                  "| tracebacks |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
        for fault, c in result["chaos"].items():
            lines.append(f"| {fault} | {c['answered']} | {c['stale']} | {c['503']} | {c['other']} "
                         f"| {c['slowest_s']} | {c['tracebacks']} |")  # fmt: skip
        lines += [
            "",
            "(The last row is the comparison, probes straight to gunicorn: not a target.)",
            "",
        ]
        for fault, c in result["chaos"].items():
            if c.get("other_kinds"):
                lines.append(f"Other answers, {fault}:")
                lines += [f"- {n} × {kind}" for kind, n in c["other_kinds"].items()]
                lines.append("")
    checks = result["targets"]
    passed = sum(check["ok"] for check in checks.values())
    lines += [f"## Targets: {passed} of {len(checks)} checks pass", ""]
    lines += [
        f"- {'pass' if c['ok'] else 'FAIL'}: {name} ({c['value']})" for name, c in checks.items()
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# The run


def run(args: argparse.Namespace) -> dict:
    wrk_binary = None if args.no_load else ensure_wrk()
    machine = machine_info()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="pomsite-bench-tier-"))
    workdir.chmod(0o755)
    postgres = Postgres(workdir)
    use_postgres = not args.no_chaos and postgres.available()
    redis = Redis(workdir)
    result: dict = {}
    site = proxy = None
    try:
        if use_postgres:
            log("starting a PostgreSQL cluster and a Redis of our own for the chaos run")
            postgres.create()
            os.environ["DATABASE_URL"] = postgres.url
        else:
            os.environ.pop("DATABASE_URL", None)
        site = Site(workdir)
        log(f"setting up the site ({site.database})")
        site.prepare()
        site.start()
        proxy = Nginx(
            site.port, workdir / "static", workdir / "media", page_files=site.page_files
        ).start()
        guide = site.probe("queries")["guide_slug"]
        pages = [*PUBLIC_PAGES, f"/guides/{guide}/"]
        cookie = {"Cookie": "us_audience=yes"}
        static_url, _ = pick_static_file(workdir / "static", [20_000])
        for url in [static_url, *pages]:
            for base in (site.base, proxy.base):
                fetch(base + url, cookie | {"Accept-Encoding": COMPRESSED})
        pages, result["not_stored"] = stored_pages(site, pages, cookie)
        if result["not_stored"]:
            log(f"not stored by the page cache, so left out: {', '.join(result['not_stored'])}")
        result["pages"] = pages
        if not args.only:
            result["wire_bytes"] = wire_bytes(site, proxy, pages, cookie)
            result["markdown_s"] = markdown_timings(site)
        if not args.no_load:
            result["load"] = load(wrk_binary, site, proxy, pages, static_url, cookie, args)
        if not args.no_chaos:
            # The load runs used bench/run.py's cache (each worker's memory); the faults meet
            # production's: Redis, shared by the workers.
            proxy.cleanup()
            site.stop()
            if shutil.which("redis-server"):
                redis.start()
                site.env["CACHE_URL"] = redis.url
            site.start()
            proxy = Nginx(
                site.port, workdir / "static", workdir / "media", page_files=site.page_files
            ).start()
            for url in pages:
                fetch(proxy.base + url, cookie | {"Accept-Encoding": COMPRESSED})
            database = postgres if use_postgres else workdir / "db.sqlite3"
            result["chaos"] = chaos(site, proxy, pages, cookie, args, database, redis)
            if args.keep_logs:
                args.keep_logs.mkdir(parents=True, exist_ok=True)
                shutil.copy(proxy.workdir / "access.log", args.keep_logs / "nginx-access.log")
                shutil.copy(site.log_path, args.keep_logs / "gunicorn.log")
    except TierError as error:
        raise BenchError(str(error)) from error
    finally:
        if proxy:
            proxy.cleanup()
        if site:
            site.stop()
        redis.stop()
        if use_postgres:
            postgres.remove()
        shutil.rmtree(workdir, ignore_errors=True)
    machine["load_after"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    result["meta"] = {
        "mode": "smoke"
        if args.smoke
        else ("full" if (args.duration, args.fault_seconds) == (10, 10) else "short"),
        "finished_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "seconds": round(time.monotonic() - started),
        "command": "python -m bench.tier " + " ".join(sys.argv[1:]),
        "machine": machine,
        "database": "PostgreSQL (a cluster of its own)" if use_postgres else "SQLite",
        "chaos_database": ("PostgreSQL" if use_postgres else "SQLite")
        + (", Redis" if shutil.which("redis-server") else ", no Redis (redis-server missing)"),
        "connections": args.connections,
        "duration_s": args.duration,
        "fault_seconds": args.fault_seconds,
        "probe_threads": args.probe_threads,
        "static_url": static_url,
    }
    result["targets"] = evaluate(result)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        result = run(args)
    except BenchError as error:
        log(f"the tier benchmark could not run: {error}")
        return 2
    report = markdown_report(result)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    (args.output_dir / f"{args.name}.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.output_dir / f"{args.name}.md").write_text(report + "\n")
    print(report)
    broken = [f"{tier} {url}: {run['non_2xx']} non-2xx, {run['errors']} errors"
              for tier, runs in result.get("load", {}).items() for url, run in runs.items()
              if run["non_2xx"] or run["errors"]]  # fmt: skip
    if broken:
        log("broken runs: " + "; ".join(broken))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
