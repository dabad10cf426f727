"""Lighthouse (mobile, the default) on the pages patients use most, with Debian's Chromium.

Starts the site as the benchmark does (production settings, gunicorn, the starting content), runs
the npm package `lighthouse` on each page as a visitor who has answered the US question, and
prints the four category scores. Reports: bench/results/lighthouse/<page>.report.html and .json.

    make lighthouse            # or: .venv/bin/python -m bench.lighthouse
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import ROOT, BenchError, Site

PAGES = {
    "home": "/",
    "taking-pomalyst": "/taking-pomalyst/",
    "safety": "/safety/",
    "guide": "/guides/pomalyst-dosing-guide/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
RESULTS = ROOT / "bench" / "results" / "lighthouse"


def run_lighthouse(url: str, out: Path) -> dict[str, int]:
    """One Lighthouse run; the category scores out of 100."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={out}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        f"--only-categories={','.join(CATEGORIES)}",
        '--extra-headers={"Cookie": "us_audience=yes"}',
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    # Lighthouse sometimes loses the trace on a busy machine (NO_NAVSTART): one more try.
    if subprocess.run(command, env=env, check=False, timeout=300).returncode != 0:  # noqa: S603
        subprocess.run(command, env=env, check=True, timeout=300)  # noqa: S603
    report = json.loads(out.with_suffix(".report.json").read_text())
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    if not LIGHTHOUSE.exists():
        raise BenchError("Lighthouse is missing: run `npm ci --ignore-scripts` (make test does).")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir:
        site = Site(Path(workdir))
        site.prepare()
        site.start()
        try:
            scores = {
                name: run_lighthouse(site.base + path, RESULTS / name)
                for name, path in PAGES.items()
            }
        finally:
            site.stop()
    print("page".ljust(18) + "".join(name.rjust(16) for name in CATEGORIES))
    for name, page_scores in scores.items():
        print(name.ljust(18) + "".join(str(page_scores[c]).rjust(16) for c in CATEGORIES))
    return 0 if all(s == 100 for page in scores.values() for s in page.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
