"""The benchmark's Django-side helpers, run by bench/run.py in a subprocess with its settings.

    python -m bench.probe queries [--guide-slug SLUG]   SQL queries per public page, cold and warm
    python -m bench.probe grow --guides N --sections N  fill the bench database with placeholders

Each command prints one JSON object on stdout.
"""

import argparse
import json
import sys
from datetime import date, timedelta

import django


def count_queries(guide_slug: str | None) -> dict:
    """Request every public page twice through Django's test client and count the SQL queries.

    This runs in a fresh process and the bench uses a per-process cache, so the first request is
    cold; the second one is what a visitor gets once the page is warm (0 queries when a page
    cache serves it).
    """
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.run import PUBLIC_PAGES
    from content.models import Guide

    if guide_slug is None:
        guide = Guide.objects.published().first()
        if guide is None:
            raise SystemExit("There is no published guide: did load_content run?")
        guide_slug = guide.slug
    cookie_name = getattr(settings, "AUDIENCE_GATE_COOKIE", "us_audience")
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[cookie_name] = "yes"
    pages = {}
    for url in [*PUBLIC_PAGES, f"/guides/{guide_slug}/"]:
        with CaptureQueriesContext(connection) as cold:
            cold_response = client.get(url)
        with CaptureQueriesContext(connection) as warm:
            warm_response = client.get(url)
        pages[url] = {
            "status": cold_response.status_code,
            "warm_status": warm_response.status_code,
            "cold": len(cold),
            "warm": len(warm),
            "cold_sql": [query["sql"] for query in cold.captured_queries],
        }
    return {"guide_slug": guide_slug, "cookie_name": cookie_name, "pages": pages}


PLACEHOLDER_MARKDOWN = """\
This is placeholder text made by the site's benchmark to fill its test database.
It is not medical information and it is never shown on the real site.

### A placeholder sub-heading

- A first placeholder line.
- A second placeholder line, a little longer than the first one.
- A third placeholder line.

Another placeholder paragraph follows here, so that the text has about the length of a short
section on a real page.
"""
PLACEHOLDER_PREFIX = "bench-placeholder-"
SECTIONS_PER_PAGE = 10


def grow(guides: int, sections: int) -> dict:
    """Add published placeholder guides, and pages holding `sections` sections, to the database.

    Runs again cleanly: earlier placeholders are removed first. The placeholders are dated before
    the starting content, so the first page of the guides list still starts with the real guides.
    """
    from django.db import transaction

    from content.markdown.render import render_markdown
    from content.models import Audience, Guide, Page, Section, Status

    body_html = render_markdown(PLACEHOLDER_MARKDOWN)
    oldest = date(2024, 12, 31)
    with transaction.atomic():
        Guide.objects.filter(slug__startswith=PLACEHOLDER_PREFIX).delete()
        Page.objects.filter(slug__startswith=PLACEHOLDER_PREFIX).delete()
        Guide.objects.bulk_create(
            Guide(
                slug=f"{PLACEHOLDER_PREFIX}guide-{number:04d}",
                title=f"Placeholder guide number {number}",
                summary="Placeholder text made by the benchmark. It is not medical information.",
                audience=Audience.PATIENTS if number % 2 else Audience.CAREGIVERS,
                published_on=oldest - timedelta(days=number),
                body=PLACEHOLDER_MARKDOWN,
                body_html=body_html,
                status=Status.PUBLISHED,
            )
            for number in range(1, guides + 1)
        )
        page_count = -(-sections // SECTIONS_PER_PAGE)
        pages = Page.objects.bulk_create(
            Page(
                slug=f"{PLACEHOLDER_PREFIX}page-{number:03d}",
                title=f"Placeholder page number {number}",
                summary="Placeholder text made by the benchmark. It is not medical information.",
                status=Status.PUBLISHED,
            )
            for number in range(1, page_count + 1)
        )
        Section.objects.bulk_create(
            Section(
                page=pages[number // SECTIONS_PER_PAGE],
                order=number % SECTIONS_PER_PAGE,
                heading=f"Placeholder section {number}",
                anchor=f"placeholder-section-{number}",
                body=PLACEHOLDER_MARKDOWN,
                body_html=body_html,
            )
            for number in range(sections)
        )
    return {
        "guides": Guide.objects.filter(slug__startswith=PLACEHOLDER_PREFIX).count(),
        "sections": Section.objects.filter(page__slug__startswith=PLACEHOLDER_PREFIX).count(),
        "published_guides_total": Guide.objects.published().count(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    queries = commands.add_parser("queries")
    queries.add_argument("--guide-slug")
    growth = commands.add_parser("grow")
    growth.add_argument("--guides", type=int, required=True)
    growth.add_argument("--sections", type=int, required=True)
    args = parser.parse_args(argv)
    django.setup()
    if args.command == "queries":
        result = count_queries(args.guide_slug)
    else:
        result = grow(args.guides, args.sections)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
