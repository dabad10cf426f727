"""Shared fixtures: small hand-made content for most tests, the shipped seed where facts matter.

Every test under tests/browser/ is marked `browser`: `pytest -m "not browser"` is the fast subset.
"""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse

from content.editing.starting_claims import add_starting_claims
from content.loader import load_content
from content.models import DosingSchedule, ExternalLink, Guide, Page, Section, Snippet, Status
from content.navigation import MAIN_NAV
from tests.schedules import ks_schedule, mm_schedule

BROWSER_TESTS = Path(__file__).parent / "browser"


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


# Pages a visitor can also land on besides the content's own: a filtered list, the gate's pages,
# the notice for an unchecked link and the not-found page.
OTHER_VISITOR_PAGES = [
    "/guides/?audience=patients",
    "/guides/?audience=caregivers",
    "/audience-check/?next=/safety/",
    "/audience-check/outside-us/?next=/safety/",
    "/leaving/?to=https://unchecked.example/",
    "/no-such-page/",
]


def shipped_public_pages() -> list[str]:
    """The content's public pages: those of the page map made of content (the patient tools have
    tests of their own), any other published page, each guide and each leaving notice."""
    made_of_content = [page.get_absolute_url() for page in Page.objects.published()]
    made_of_content.append(reverse("content:guide_list"))
    paths = [item.url for item in MAIN_NAV if item.url in made_of_content]
    paths += [url for url in made_of_content if url not in paths]
    paths += [guide.get_absolute_url() for guide in Guide.objects.published()]
    paths += [link.get_absolute_url() for link in ExternalLink.objects.published()]
    return paths


@pytest.fixture
def us_client(client):
    """A visitor who has said they are in the US, so no page shows the audience question."""
    client.cookies["us_audience"] = "yes"
    return client


@pytest.fixture
def make_page(db):
    def make(
        slug="safety", status=Status.PUBLISHED, sections=(("Blood clots", "Clot text."),), **fields
    ):
        page = Page.objects.create(
            slug=slug,
            title=fields.pop("title", slug.replace("-", " ").title()),
            summary=fields.pop("summary", "A summary."),
            status=status,
            medically_reviewed_on=fields.pop("medically_reviewed_on", datetime.date(2026, 1, 2)),
            **fields,
        )
        for order, (heading, body) in enumerate(sections, start=1):
            Section.objects.create(page=page, order=order, heading=heading, body=body)
        return page

    return make


@pytest.fixture
def make_guide(db):
    """A guide; pass the values a test reads, the rest are plain."""

    def make(slug: str = "sleep", status: str = Status.PUBLISHED, **fields) -> Guide:
        values = {
            "title": "Sleeping well", "summary": "Rest tips.", "body": "Rest when you can.",
            "published_on": datetime.date(2026, 11, 1),
        }  # fmt: skip
        return Guide.objects.create(slug=slug, status=status, **(values | fields))

    return make


@pytest.fixture
def published_page(db) -> Page:
    """A published safety page with one section: the page the site-wide tests visit."""
    page = Page.objects.create(
        slug="safety", title="Safety", summary="Safety information.", status=Status.PUBLISHED
    )
    Section.objects.create(page=page, heading="Blood clots", body="Know the warning signs.")
    return page


@pytest.fixture
def schedules(db) -> tuple[DosingSchedule, DosingSchedule]:
    """Both conditions' published dosing schedules, saved."""
    mm, ks = mm_schedule(), ks_schedule()
    mm.save()
    ks.save()
    return mm, ks


@pytest.fixture
def isi(db):
    return Snippet.objects.create(
        key="isi-summary", title="Important Safety Information", body="**Boxed warning text.**"
    )


@pytest.fixture
def claims(db) -> None:
    """The claims that may not be published, as the migration adds them (a transactional test
    elsewhere may have emptied the table)."""
    add_starting_claims()


@pytest.fixture
def seeded(claims):
    """The whole shipped starting content, loaded as `make run` loads it."""
    load_content()


@pytest.fixture
def public_pages(seeded) -> list[str]:
    """Every public page of the shipped starting content (see `shipped_public_pages`)."""
    return shipped_public_pages()


@pytest.fixture
def page_cache_on(settings):
    """The page cache switched on (the test settings turn it off) and empty before and after."""
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()
