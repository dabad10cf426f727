"""The production tier on one machine: gunicorn behind nginx (deploy/nginx/pomsite.conf).

    make serve-tier         nginx on 127.0.0.1:8080 in front of gunicorn on 127.0.0.1:8000

`Nginx` fills in the configuration's @NAMES@ and runs Debian's nginx as an ordinary process
(no system service, everything it writes in one directory); the tests
(tests/site/test_proxy_tier.py) and the benchmark (bench/tier.py) use it too. Debian's nginx and
its Brotli module are installed with apt-get when missing, as the benchmark does for wrk.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = Path(__file__).resolve().parent / "nginx" / "pomsite.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
DEBIAN_PACKAGES = ["nginx", "libnginx-mod-http-brotli-static"]


class TierError(Exception):
    pass


def ensure_nginx() -> str:
    """nginx's path; Debian's packages are installed when nginx or its Brotli module is missing."""
    found = shutil.which("nginx") or (Path("/usr/sbin/nginx").is_file() and "/usr/sbin/nginx")
    if found and BROTLI_MODULE.is_file():
        return str(found)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    if not shutil.which("apt-get") or (sudo and not shutil.which("sudo")):
        if found:
            return str(found)  # without Brotli for static files; pages are compressed anyway
        raise TierError("nginx is missing: apt-get install -y " + " ".join(DEBIAN_PACKAGES))
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES],
    ):
        if subprocess.run(sudo + command, check=False).returncode != 0:  # noqa: S603
            raise TierError(
                "Could not install nginx: apt-get install -y " + " ".join(DEBIAN_PACKAGES)
            )
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).is_file():
        raise TierError("nginx is still missing after installing it")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def render_config(
    workdir: Path,
    *,
    listen: str,
    upstream: str,
    static_root: Path,
    media_root: Path,
    admin_prefix: str = "admin/",
    page_files: Path,
    user: str | None = None,
) -> Path:
    """deploy/nginx/pomsite.conf with its @NAMES@ filled in, written into `workdir`."""
    values = {
        "USER": user or ("root" if os.geteuid() == 0 else "nobody"),
        "PID_FILE": str(workdir / "nginx.pid"),
        "ERROR_LOG": str(workdir / "error.log"),
        "ACCESS_LOG": str(workdir / "access.log"),
        "WORK_DIR": str(workdir),
        "UPSTREAM": upstream,
        "LISTEN": listen,
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "MEDIA_ROOT": str(media_root).rstrip("/"),
        "ADMIN_PREFIX": admin_prefix.strip("/") + "/",
        "PAGE_FILES": str(page_files).rstrip("/"),
    }
    text = NGINX_CONF.read_text()
    if not BROTLI_MODULE.is_file():
        text = "\n".join(
            line for line in text.splitlines() if "brotli_static" not in line.replace("-", "_")
        )
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    settings_lines = (line for line in text.splitlines() if not line.lstrip().startswith("#"))
    left = re.findall(r"@[A-Z_]+@", "\n".join(settings_lines))
    if left:
        raise TierError(f"unfilled names in {NGINX_CONF.name}: {left}")
    path = workdir / "nginx.conf"
    path.write_text(text)
    return path


class Nginx:
    """nginx in front of a gunicorn on 127.0.0.1:`upstream_port`, on a free port of its own."""

    def __init__(
        self,
        upstream_port: int,
        static_root: Path,
        media_root: Path,
        *,
        port: int | None = None,
        admin_prefix: str = "admin/",
        workdir: Path | None = None,
        page_files: Path | None = None,
    ) -> None:
        self.upstream_port = upstream_port
        self.static_root, self.media_root = Path(static_root), Path(media_root)
        self.port = port or free_port()
        self.admin_prefix = admin_prefix
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="pomsite-nginx-"))
        # Where gunicorn writes pages as files (its DJANGO_PAGE_FILES_DIR; pomsite/page_files.py).
        self.page_files = Path(page_files or self.workdir / "page-files")
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        nginx = ensure_nginx()
        for name in ("client-body", "proxy", "fastcgi", "uwsgi", "scgi", "page-cache"):
            (self.workdir / name).mkdir(parents=True, exist_ok=True)
        self.page_files.mkdir(parents=True, exist_ok=True)
        config = render_config(
            self.workdir,
            listen=f"127.0.0.1:{self.port}",
            upstream=f"127.0.0.1:{self.upstream_port}",
            static_root=self.static_root,
            media_root=self.media_root,
            admin_prefix=self.admin_prefix,
            page_files=self.page_files,
        )
        command = [nginx, "-p", str(self.workdir), "-c", str(config),
                   "-e", str(self.workdir / "error.log"), "-g", "daemon off;"]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603
            command,
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "startup.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise TierError(f"nginx stopped: {self.startup_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise TierError(f"nginx did not listen in 15 s: {self.startup_log()}")

    def startup_log(self) -> str:
        return "".join(
            (self.workdir / name).read_text(errors="replace")[-2000:]
            for name in ("startup.log", "error.log")
            if (self.workdir / name).is_file()
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.tier", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--listen-port", type=int, default=8080, help="nginx's port (8080)")
    parser.add_argument("--upstream-port", type=int, default=8000, help="gunicorn's port (8000)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pomsite.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    proxy = Nginx(
        args.upstream_port,
        settings.STATIC_ROOT,
        settings.MEDIA_ROOT,
        port=args.listen_port,
        admin_prefix=settings.ADMIN_URL,
        page_files=settings.PAGE_FILES_DIR or None,
    )
    gunicorn = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "pomsite/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{args.upstream_port}", "pomsite.wsgi"],
        cwd=ROOT,
        env=os.environ | {"DJANGO_PAGE_FILES_DIR": str(proxy.page_files)},
    )  # fmt: skip
    try:
        proxy.start()
        print(f"\n  The site, through nginx: {proxy.base}/  (gunicorn: port {args.upstream_port})")
        print(f"  nginx's files and logs: {proxy.workdir}   Stop with Ctrl-C.\n", flush=True)
        gunicorn.wait()
    except KeyboardInterrupt:
        pass
    except TierError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        proxy.cleanup()
        if gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
